from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gateway.edge.limits.policy import (
    Bucket,
    MemberSessionPolicy,
    RateLimits,
    policy_from_doc,
)
from gateway.member_sessions.codes import identity_key, new_code
from gateway.settings import GatewaySettings

DEFAULTS = RateLimits(per_key=Bucket(50, 100), per_tenant=Bucket(500, 1000))
REQUIRED = {
    "mongo_url": "mongodb://127.0.0.1:1",
    "redis_url": "redis://127.0.0.1:1",
    "nats_url": "nats://127.0.0.1:1",
    "member_addr": "127.0.0.1:1",
    "points_addr": "127.0.0.1:1",
    "campaign_addr": "127.0.0.1:1",
}


def test_a_tenant_without_member_session_settings_needs_member_tokens_for_an_hour() -> None:
    policy = policy_from_doc({"_id": "new"}, DEFAULTS)

    assert policy.member_sessions == MemberSessionPolicy(3600, 300, legacy_key_access=False)


def test_a_tenant_may_shorten_its_member_tokens_and_keep_the_legacy_key_access() -> None:
    doc = {"member_sessions": {"token_seconds": 600, "legacy_key_access": True}}

    policy = policy_from_doc(doc, DEFAULTS)

    assert policy.member_sessions == MemberSessionPolicy(600, 300, legacy_key_access=True)


@pytest.mark.parametrize(
    "sessions",
    [{"token_seconds": 0}, {"code_seconds": 7200}, {"legacy": True}, {"token_seconds": "1h"}],
)
def test_malformed_member_session_settings_are_refused(sessions: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="member_sessions"):
        policy_from_doc({"member_sessions": sessions}, DEFAULTS)


def test_the_development_code_sender_runs_only_on_a_loopback_gateway() -> None:
    local = GatewaySettings(**REQUIRED, member_code_sender="development")  # type: ignore[arg-type]

    with pytest.raises(ValidationError, match="loopback"):
        GatewaySettings(
            **REQUIRED,  # type: ignore[arg-type]
            member_code_sender="development",
            gateway_host="0.0.0.0",  # noqa: S104 - what production binds
        )
    assert local.member_code_sender == "development"


def test_the_production_default_sends_no_codes() -> None:
    assert GatewaySettings(**REQUIRED).member_code_sender == "none"  # type: ignore[arg-type]


def test_codes_are_six_digits_and_identities_are_named_by_a_hash() -> None:
    codes = {new_code() for _ in range(50)}

    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 1
    assert identity_key("phone", "+86 138 0000 0001") == identity_key("phone", "+8613800000001")
    assert "13800000001" not in identity_key("phone", "+8613800000001")
