"""Webhooks' pure rules: signatures, where an endpoint may point, retries, fairness and
what a payload leaves out."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from gateway.webhooks.addresses import refused_address, url_refusal
from gateway.webhooks.catalogue import decode
from gateway.webhooks.schedule import RetryPolicy, fair_pick
from gateway.webhooks.signing import new_secret, signature, signed_headers, verify
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb


def test_a_signature_is_the_standard_webhooks_hmac_of_id_timestamp_and_body() -> None:
    secret = new_secret()
    body = b'{"type":"points.earned"}'
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, b"msg_1.1700000000." + body, hashlib.sha256).digest()
    assert (
        signature(secret, "msg_1", 1700000000, body) == "v1," + base64.b64encode(expected).decode()
    )


def test_a_rotated_endpoint_signs_with_both_secrets_and_either_verifies() -> None:
    old, new = new_secret(), new_secret()
    headers = signed_headers([new, old], "msg_2", 1700000001, b"{}")
    assert verify(old, "msg_2", 1700000001, b"{}", headers["webhook-signature"])
    assert verify(new, "msg_2", 1700000001, b"{}", headers["webhook-signature"])
    assert not verify(new_secret(), "msg_2", 1700000001, b"{}", headers["webhook-signature"])


def test_a_changed_body_does_not_verify() -> None:
    secret = new_secret()
    header = signature(secret, "msg_3", 1700000002, b'{"points":5}')
    assert not verify(secret, "msg_3", 1700000002, b'{"points":500}', header)


@pytest.mark.parametrize(
    "url",
    [
        "http://erp.example.com/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://user:pw@erp.example.com/hook",
        "https://printer.local/hook",
        "ftp://erp.example.com/hook",
    ],
)
def test_an_endpoint_must_be_https_on_a_public_address(url: str) -> None:
    assert url_refusal(url, loopback_allowed=False) is not None


def test_a_public_https_endpoint_is_taken() -> None:
    assert url_refusal("https://erp.example.com:8443/loyalty", loopback_allowed=False) is None


def test_plain_http_to_loopback_is_taken_only_where_loopback_is_allowed() -> None:
    assert url_refusal("http://127.0.0.1:9000/hook", loopback_allowed=True) is None
    assert url_refusal("http://127.0.0.1:9000/hook", loopback_allowed=False) is not None
    assert url_refusal("http://10.1.1.1/hook", loopback_allowed=True) is not None


def test_a_name_resolving_to_a_private_address_is_refused_at_delivery() -> None:
    assert refused_address("10.2.3.4", loopback_allowed=True)
    assert refused_address("127.0.0.1", loopback_allowed=False)
    assert not refused_address("127.0.0.1", loopback_allowed=True)
    assert not refused_address("93.184.216.34", loopback_allowed=False)


def test_retries_back_off_exponentially_with_jitter_and_stop_after_the_window() -> None:
    policy = RetryPolicy(first_delay_seconds=10, max_delay_seconds=3600, window_seconds=86400)
    assert policy.delay(1, lambda: 0.0) == timedelta(seconds=10)
    assert policy.delay(4, lambda: 0.0) == timedelta(seconds=80)
    assert policy.delay(4, lambda: 1.0) == timedelta(seconds=56)
    assert policy.delay(30, lambda: 0.0) == timedelta(seconds=3600)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    assert policy.next_attempt(3, start, start + timedelta(hours=2), lambda: 0.0) is not None
    assert (
        policy.next_attempt(30, start, start + timedelta(hours=23, minutes=30), lambda: 0) is None
    )


def test_a_tenants_backlog_does_not_crowd_out_another_tenant() -> None:
    backlog = [{"_id": f"a{i}", "tenant_id": "a", "endpoint_id": f"ea{i % 3}"} for i in range(50)]
    other = [{"_id": "b0", "tenant_id": "b", "endpoint_id": "eb"}]
    picked = fair_pick([*backlog, *other], {}, per_endpoint=2, room=8)
    assert "b0" in [record["_id"] for record in picked]
    assert sum(1 for r in picked if r["endpoint_id"] == "ea0") == 2


def test_an_endpoint_at_its_limit_gets_nothing_more() -> None:
    due = [{"_id": f"x{i}", "tenant_id": "a", "endpoint_id": "slow"} for i in range(5)]
    assert fair_pick(due, {"slow": 4}, per_endpoint=4, room=10) == []


def test_a_payload_leaves_out_free_text_and_keeps_points_as_integers() -> None:
    granted = points_pb.PointsGranted(member_id="m1", points=5, reason="Sorry, Li Lei")
    granted.meta.request_id = "req_1"
    granted.meta.occurred_at.FromDatetime(datetime(2026, 12, 1, tzinfo=UTC))
    data, occurred = decode("points.granted", granted.SerializeToString())
    assert data["points"] == 5
    assert "reason" not in data
    assert "meta" not in data
    assert occurred == datetime(2026, 12, 1, tzinfo=UTC)


def test_a_tier_change_keeps_its_reason_code() -> None:
    changed = member_pb.MemberTierChanged(member_id="m1", reason="upgrade")
    data, _ = decode("member.tier_changed", changed.SerializeToString())
    assert data["reason"] == "upgrade"
