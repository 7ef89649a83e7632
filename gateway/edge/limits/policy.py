"""A tenant's limits, web origins and member sessions, read from its document. Pure functions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

# An origin exactly as a browser sends it: scheme, host and port, no path, no wildcard.
Origin = Annotated[str, StringConstraints(pattern=r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")]


@dataclass(frozen=True)
class Bucket:
    """Refills `per_second` tokens a second up to `burst`; a request takes one."""

    per_second: float
    burst: int


@dataclass(frozen=True)
class RateLimits:
    per_key: Bucket
    per_tenant: Bucket


@dataclass(frozen=True)
class MemberSessionPolicy:
    """How long a member token and a one-time sign-in code last, and whether the tenant's
    app and mini-program keys may still act for any member without a member token (the
    contract before member sessions; off unless the tenant turns it on)."""

    token_seconds: int = 3600
    code_seconds: int = 300
    legacy_key_access: bool = False
    handoff_seconds: int = 60  # a hand-off code's life: the app opens the member centre at once


@dataclass(frozen=True)
class TenantPolicy:
    rate_limits: RateLimits
    cors_origins: frozenset[str] = frozenset()
    member_sessions: MemberSessionPolicy = MemberSessionPolicy()


class _BucketDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    per_second: float | None = Field(default=None, gt=0)
    burst: int | None = Field(default=None, ge=1)


class _LimitsDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    per_key: _BucketDoc = Field(default_factory=_BucketDoc)
    per_tenant: _BucketDoc = Field(default_factory=_BucketDoc)


class _MemberSessionsDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token_seconds: int = Field(default=MemberSessionPolicy.token_seconds, ge=1, le=24 * 3600)
    code_seconds: int = Field(default=MemberSessionPolicy.code_seconds, ge=1, le=3600)
    legacy_key_access: bool = False
    handoff_seconds: int = Field(default=MemberSessionPolicy.handoff_seconds, ge=1, le=600)


class _PolicyDoc(BaseModel):
    model_config = ConfigDict(extra="ignore")

    rate_limits: _LimitsDoc = Field(default_factory=_LimitsDoc)
    cors_origins: list[Origin] = Field(default_factory=list)
    member_sessions: _MemberSessionsDoc = Field(default_factory=_MemberSessionsDoc)


def _bucket(doc: _BucketDoc, default: Bucket) -> Bucket:
    return Bucket(
        per_second=doc.per_second if doc.per_second is not None else default.per_second,
        burst=doc.burst if doc.burst is not None else default.burst,
    )


def policy_from_doc(doc: dict[str, Any] | None, defaults: RateLimits) -> TenantPolicy:
    """The tenant's policy: what its document sets, the defaults for the rest.

    Raises ValueError when the document's `rate_limits`, `cors_origins` or
    `member_sessions` are malformed.
    """
    try:
        parsed = _PolicyDoc.model_validate(doc or {})
    except ValidationError as exc:
        raise ValueError(str(exc)) from None
    limits = RateLimits(
        per_key=_bucket(parsed.rate_limits.per_key, defaults.per_key),
        per_tenant=_bucket(parsed.rate_limits.per_tenant, defaults.per_tenant),
    )
    sessions = MemberSessionPolicy(**parsed.member_sessions.model_dump())
    return TenantPolicy(
        rate_limits=limits, cors_origins=frozenset(parsed.cors_origins), member_sessions=sessions
    )


def retry_after_seconds(wait_seconds: float) -> int:
    """`Retry-After` is whole seconds; never 0, which would invite an immediate retry."""
    return max(1, math.ceil(wait_seconds))
