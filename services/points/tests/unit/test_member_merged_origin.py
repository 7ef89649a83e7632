"""A `member.merged` moves a whole wallet, so the points service acts only on one that is
the member service's own: from the event stream, on its tenant's subject, with an event
id, a merge of two members."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from libs.events import event_meta
from libs.nats import STREAM_NAME
from loyalty.member.v1 import events_pb2
from services.points.entrypoints.consumers import refusal

AT = datetime(2026, 12, 6, tzinfo=UTC)


def merged(
    *,
    tenant: str = "t1",
    event_id: str = "ev-1",
    kind: str = "member.merged",
    survivor: str = "m-survivor",
    merged_id: str = "m-merged",
) -> bytes:
    meta = event_meta(event_id, tenant, kind, AT)
    return events_pb2.MemberMerged(
        meta=meta, survivor_id=survivor, merged_id=merged_id
    ).SerializeToString()


def test_the_member_services_merge_on_its_tenants_subject_is_acted_on() -> None:
    assert refusal(stream=STREAM_NAME, subject="loyalty.t1.member.merged", data=merged()) is None


@pytest.mark.parametrize(
    ("stream", "subject", "data", "reason"),
    [
        ("OTHER", "loyalty.t1.member.merged", merged(), "not_from_the_event_stream"),
        ("", "loyalty.t1.member.merged", merged(), "not_from_the_event_stream"),
        (STREAM_NAME, "loyalty.t2.member.merged", merged(), "tenant_mismatch"),
        (STREAM_NAME, "loyalty.t1.member.merged", merged(event_id=""), "no_event_id"),
        (
            STREAM_NAME,
            "loyalty.t1.member.merged",
            merged(kind="member.enrolled"),
            "not_member_merged",
        ),
        (
            STREAM_NAME,
            "loyalty.t1.member.merged",
            merged(survivor="m-merged"),
            "names_no_two_members",
        ),
        (
            STREAM_NAME,
            "loyalty.t1.member.merged",
            merged(merged_id=""),
            "names_no_two_members",
        ),
        (STREAM_NAME, "loyalty.t1.member.merged", b"\xff\xff", "unreadable"),
    ],
)
def test_a_merge_that_is_not_the_member_services_own_is_refused(
    stream: str, subject: str, data: bytes, reason: str
) -> None:
    assert refusal(stream=stream, subject=subject, data=data) == reason
