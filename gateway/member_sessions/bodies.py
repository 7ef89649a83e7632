"""The bodies of a member's sign-in with a one-time code, as strict models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gateway.edge.fields import ConsentPurpose, Strict
from gateway.tenancy.member_handoffs import CODE_PATTERN

TenantId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class CodeIdentity(Strict):
    """Where the code goes; sign in with the same value."""

    type: Literal["phone"]
    value: Annotated[str, Field(min_length=5, max_length=32, pattern=r"^\+?[0-9 -]+$")]


class RequestCodeBody(Strict):
    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [
                {"tenant_id": "demo", "identity": {"type": "phone", "value": "+8613800000001"}}
            ]
        }
    }

    tenant_id: TenantId
    identity: CodeIdentity


class SignInBody(Strict):
    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "tenant_id": "demo",
                    "identity": {"type": "phone", "value": "+8613800000001"},
                    "code": "042917",
                    "consents": {"marketing": True},
                }
            ]
        }
    }

    tenant_id: TenantId
    identity: CodeIdentity
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    consents: dict[ConsentPurpose, bool] = Field(
        default_factory=dict, description="The shopper's choices, recorded if they enrol now"
    )
    cookie: bool = Field(
        default=False,
        description="Keep the session in the member centre's HttpOnly cookie instead of "
        "answering its token (only from the gateway's own origin)",
    )


class HandoffBody(Strict):
    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [{"code": "mh_3q2YhJ8Kc0w1bQ5n6Zr9sT4uV7xY0aB2cD5eF8gH1iJ"}]
        }
    }

    code: Annotated[str, Field(pattern=CODE_PATTERN)]


BODY_MODELS = (RequestCodeBody, SignInBody, HandoffBody)
