from datetime import timedelta

import pytest

from libs.clock import utc_now
from libs.errors import InvalidArgument
from services.member.domain.search import MemberQuery
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.handlers.search import search_members
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import TENANT, tenant_uow


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


async def enrol(uow: FakeUnitOfWork, n: int, channel: str = "pos", store: str = "") -> str:
    command = EnrolMember(
        TENANT,
        channel,
        "S001" if channel == "pos" else "",
        [("card", f"CARD-{n:04d}")],
        preferred_store_id=store,
    )
    return (await enrol_member(command, uow)).member.member_id


async def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(
    uow: FakeUnitOfWork,
) -> None:
    ids = [await enrol(uow, n) for n in range(5)]
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        views, cursor = await search_members(TENANT, MemberQuery(limit=2, cursor=cursor), uow)
        seen += [v.member.member_id for v in views]
        if not cursor:
            break
    assert seen == sorted(ids, reverse=True)


async def test_filters_combine(uow: FakeUnitOfWork) -> None:
    await enrol(uow, 1, "pos", store="S002")
    app_s2 = await enrol(uow, 2, "app", store="S002")
    await enrol(uow, 3, "app", store="S003")

    views, cursor = await search_members(
        TENANT, MemberQuery(channel="app", preferred_store_id="S002"), uow
    )

    assert ([v.member.member_id for v in views], cursor) == ([app_s2], "")


async def test_a_campaign_asks_for_the_members_who_consent_only(uow: FakeUnitOfWork) -> None:
    yes = (
        await enrol_member(
            EnrolMember(TENANT, "app", "", [("card", "CARD-1")], consents={"marketing": True}), uow
        )
    ).member.member_id
    await enrol_member(
        EnrolMember(TENANT, "app", "", [("card", "CARD-2")], consents={"marketing": False}), uow
    )
    await enrol_member(EnrolMember(TENANT, "app", "", [("card", "CARD-3")]), uow)

    views, _ = await search_members(TENANT, MemberQuery(consented_to="marketing"), uow)

    assert [v.member.member_id for v in views] == [yes]


async def test_an_enrolment_date_range_includes_its_start_and_excludes_its_end(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrol(uow, 1)
    at = uow.state.members[(TENANT, member_id)].enrolled_at
    second = timedelta(seconds=1)
    within = MemberQuery(enrolled_from=at, enrolled_to=at + second)
    before = MemberQuery(enrolled_from=at - second, enrolled_to=at)
    assert len((await search_members(TENANT, within, uow))[0]) == 1
    assert (await search_members(TENANT, before, uow))[0] == []


async def test_an_exact_identity_or_member_id_finds_one_member_and_ignores_filters(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrol(uow, 7)
    by_card, _ = await search_members(
        TENANT, MemberQuery(tier="gold"), uow, identity=("card", "CARD-0007")
    )
    by_id, _ = await search_members(TENANT, MemberQuery(), uow, member_id=member_id)
    nobody, _ = await search_members(TENANT, MemberQuery(), uow, identity=("card", "CARD-9999"))
    assert [v.member.member_id for v in by_card + by_id] == [member_id, member_id]
    assert nobody == []


async def test_another_tenant_s_members_are_never_found(uow: FakeUnitOfWork) -> None:
    member_id = await enrol(uow, 1)
    for kwargs in ({}, {"member_id": member_id}, {"identity": ("card", "CARD-0001")}):
        views, _ = await search_members("sandbox", MemberQuery(), uow, **kwargs)
        assert views == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (MemberQuery(limit=0), "limit"),
        (MemberQuery(limit=201), "limit"),
        (MemberQuery(channel="fax"), "channel"),
        (MemberQuery(status="sleeping"), "status"),
        (MemberQuery(consented_to="telepathy"), "consented_to"),
        (MemberQuery(cursor="DROP TABLE"), "cursor"),
        (
            MemberQuery(enrolled_from=utc_now(), enrolled_to=utc_now() - timedelta(days=1)),
            "enrolled_from",
        ),
    ],
)
async def test_a_bad_query_is_refused_naming_the_field(
    uow: FakeUnitOfWork, query: MemberQuery, field: str
) -> None:
    with pytest.raises(InvalidArgument, match=f"^{field}"):
        await search_members(TENANT, query, uow)
