"""Back-office search over the real database: filters, cursor and exact matches."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from google.protobuf.timestamp_pb2 import Timestamp

from loyalty.member.v1 import member_pb2 as pb

if TYPE_CHECKING:
    from loyalty.member.v1.member_pb2_grpc import MemberServiceAsyncStub


async def enrol(stub: MemberServiceAsyncStub, channel: str, store: str = "") -> pb.Member:
    answer = await stub.EnrollMember(
        pb.EnrollMemberRequest(
            tenant_id="demo",
            channel=channel,
            store_id="S001" if channel == "pos" else "",
            identities=[pb.Identity(type="card", value=f"C-{uuid4().hex[:12]}")],
            profile=pb.Profile(preferred_store_id=store),
        )
    )
    return answer.member


async def test_filtered_pages_follow_each_other_without_gaps(
    member: MemberServiceAsyncStub,
) -> None:
    app = [(await enrol(member, "app", "S002")).member_id for _ in range(5)]
    await enrol(member, "pos", "S002")
    await enrol(member, "app", "S003")
    seen: list[str] = []
    cursor = ""
    while True:
        page = await member.SearchMembers(
            pb.SearchMembersRequest(
                tenant_id="demo",
                enrolled_channel="app",
                preferred_store_id="S002",
                tier="member",
                limit=2,
                cursor=cursor,
            )
        )
        seen += [m.member_id for m in page.members]
        cursor = page.next_cursor
        if not cursor:
            break
    assert seen == sorted(app, reverse=True)


async def test_only_members_who_consent_now_are_found_for_a_campaign(
    member: MemberServiceAsyncStub,
) -> None:
    kept, withdrawn, never = [await enrol(member, "app") for _ in range(3)]
    actor = pb.Actor(kind="channel", channel="app", key_id="key_app_1")
    for who, answers in ((kept, [True]), (withdrawn, [True, False])):
        for granted in answers:
            await member.UpdateConsents(
                pb.UpdateConsentsRequest(
                    tenant_id="demo",
                    member_id=who.member_id,
                    consents={"marketing": granted},
                    actor=actor,
                )
            )

    found = await member.SearchMembers(
        pb.SearchMembersRequest(tenant_id="demo", consented_to="marketing")
    )

    assert [m.member_id for m in found.members] == [kept.member_id]
    assert never.member_id not in [m.member_id for m in found.members]


async def test_an_enrolment_window_and_an_exact_identity_find_the_right_members(
    member: MemberServiceAsyncStub,
) -> None:
    first = await enrol(member, "app")
    later = await enrol(member, "app")
    window_end = Timestamp(seconds=later.enrolled_at.seconds, nanos=later.enrolled_at.nanos)

    window = await member.SearchMembers(
        pb.SearchMembersRequest(
            tenant_id="demo", enrolled_from=first.enrolled_at, enrolled_to=window_end
        )
    )
    exact = await member.SearchMembers(
        pb.SearchMembersRequest(
            tenant_id="demo", identity=later.identities[0], enrolled_channel="pos"
        )
    )
    foreign = await member.SearchMembers(
        pb.SearchMembersRequest(tenant_id="sandbox", member_id=later.member_id)
    )

    assert first.member_id in [m.member_id for m in window.members]
    assert later.member_id not in [m.member_id for m in window.members]
    assert [m.member_id for m in exact.members] == [later.member_id]
    assert list(foreign.members) == []
