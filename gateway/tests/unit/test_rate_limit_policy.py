from __future__ import annotations

import pytest

from gateway.edge.limits.policy import Bucket, RateLimits, policy_from_doc, retry_after_seconds

DEFAULTS = RateLimits(per_key=Bucket(50, 100), per_tenant=Bucket(500, 1000))


def test_a_tenant_without_settings_gets_the_defaults_and_no_origins() -> None:
    policy = policy_from_doc({"_id": "demo", "name": "Demo"}, DEFAULTS)

    assert policy.rate_limits == DEFAULTS
    assert policy.cors_origins == frozenset()


def test_a_tenant_may_override_one_value_and_keep_the_other_defaults() -> None:
    doc = {"rate_limits": {"per_key": {"burst": 5}}, "cors_origins": ["https://app.example"]}

    policy = policy_from_doc(doc, DEFAULTS)

    assert policy.rate_limits.per_key == Bucket(50, 5)
    assert policy.rate_limits.per_tenant == DEFAULTS.per_tenant
    assert policy.cors_origins == {"https://app.example"}


@pytest.mark.parametrize(
    "doc",
    [
        {"rate_limits": {"per_key": {"per_second": 0}}},
        {"rate_limits": {"per_key": {"burst": 0}}},
        {"rate_limits": {"per_user": {"burst": 1}}},
        {"cors_origins": ["*"]},
        {"cors_origins": ["https://app.example/"]},
        {"cors_origins": ["app.example"]},
    ],
)
def test_malformed_settings_are_refused(doc: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        policy_from_doc(doc, DEFAULTS)


@pytest.mark.parametrize(
    ("wait", "seconds"), [(0.0, 1), (0.001, 1), (1.0, 1), (1.01, 2), (59.5, 60)]
)
def test_retry_after_is_whole_seconds_and_at_least_one(wait: float, seconds: int) -> None:
    assert retry_after_seconds(wait) == seconds
