from datetime import date

import pytest

from libs.errors import FailedPrecondition, InvalidArgument
from services.member.domain.attributes import AttributeType, AttributeValue, parse_schema
from services.member.domain.members import MemberConsentsChanged
from services.member.domain.profile import ConsentPurpose, ProfilePatch
from services.member.handlers.enrolment import EnrolMember, enrol_member
from services.member.handlers.privacy import consent_history, erase_member, export_member
from services.member.handlers.profile import (
    UpdateConsents,
    UpdateProfile,
    update_consents,
    update_profile,
)
from services.member.handlers.reads import get_member
from services.member.tests.fakes import FakeUnitOfWork
from services.member.tests.unit.support import APP, OPERATOR, TENANT, enrolled, tenant_uow


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return tenant_uow()


def patch(member_id: str, **fields: str) -> UpdateProfile:
    return UpdateProfile(TENANT, member_id, ProfilePatch(fields=fields), APP)


async def test_a_patch_changes_only_the_fields_given_and_audits_their_names(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow, name="Li Lei", birthday="1990-05-01")

    view = await update_profile(patch(member_id, email="LI@Example.com", name="Li Lei"), uow)

    profile = view.member.profile
    assert (profile.name, profile.birthday, profile.email) == (
        "Li Lei",
        date(1990, 5, 1),
        "li@example.com",
    )
    entry = uow.state.audit[-1]
    assert (entry.action, entry.fields, entry.actor) == ("profile.updated", ("profile.email",), APP)
    assert "li@example.com" not in repr(uow.state.audit)


async def test_an_empty_value_clears_a_field(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, name="Li Lei", birthday="1990-05-01")
    view = await update_profile(patch(member_id, birthday=""), uow)
    assert (view.member.profile.name, view.member.profile.birthday) == ("Li Lei", None)


async def test_a_bad_field_is_refused_naming_it_and_changes_nothing(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow, name="Li Lei")
    with pytest.raises(InvalidArgument, match=r"profile\.birthday"):
        await update_profile(patch(member_id, name="Han", birthday="1990-13-01"), uow)
    assert (await get_member(TENANT, member_id, uow)).member.profile.name == "Li Lei"
    assert [a.action for a in uow.state.audit] == ["member.enrolled"]


async def test_attributes_are_typed_by_the_tenant_schema(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    attributes: dict[str, AttributeValue | None] = {
        "shoe_size": "42",
        "vip": True,
        "anniversary": "2020-02-29",
        "nickname": "Lei",
    }
    command = UpdateProfile(TENANT, member_id, ProfilePatch(attributes=attributes), APP)

    view = await update_profile(command, uow)

    assert view.member.profile.attributes == {
        "shoe_size": 42,
        "vip": True,
        "anniversary": date(2020, 2, 29),
        "nickname": "Lei",
    }
    removed = UpdateProfile(TENANT, member_id, ProfilePatch(attributes={"vip": None}), APP)
    assert "vip" not in (await update_profile(removed, uow)).member.profile.attributes


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("eye_colour", "blue", r"profile\.attributes\.eye_colour: unknown attribute"),
        ("shoe_size", "forty", r"profile\.attributes\.shoe_size: must be an integer"),
        ("shoe_size", True, r"profile\.attributes\.shoe_size: must be an integer"),
        ("vip", "yes", r"profile\.attributes\.vip: must be true or false"),
        ("anniversary", "29/02/2020", r"profile\.attributes\.anniversary: must be a date"),
        ("nickname", 7, r"profile\.attributes\.nickname: must be text"),
    ],
)
async def test_an_unknown_or_mistyped_attribute_is_refused(
    uow: FakeUnitOfWork, name: str, value: AttributeValue, message: str
) -> None:
    member_id = await enrolled(uow)
    command = UpdateProfile(TENANT, member_id, ProfilePatch(attributes={name: value}), APP)
    with pytest.raises(InvalidArgument, match=message):
        await update_profile(command, uow)


async def test_enrolment_checks_attributes_against_the_schema_too(uow: FakeUnitOfWork) -> None:
    command = EnrolMember(TENANT, "app", "", [("phone", "13800000009")], attributes={"x": "1"})
    with pytest.raises(InvalidArgument, match=r"profile\.attributes\.x"):
        await enrol_member(command, uow)
    assert uow.state.members == {}


def test_a_schema_names_each_attribute_with_a_known_type() -> None:
    assert parse_schema({"shoe_size": "int"}) == {"shoe_size": AttributeType.INT}
    with pytest.raises(InvalidArgument, match=r"attributes\.shoe_size: type"):
        parse_schema({"shoe_size": "float"})
    with pytest.raises(InvalidArgument, match=r"attributes\.Shoe Size"):
        parse_schema({"Shoe Size": "int"})


def consents(member_id: str, source: str = "app_settings", **granted: bool) -> UpdateConsents:
    return UpdateConsents(TENANT, member_id, granted, "", source, APP)


async def test_a_consent_change_keeps_the_history_with_channel_time_and_source(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow)

    view = await update_consents(consents(member_id, marketing=False, profiling=True), uow)

    assert {p: c.granted for p, c in view.member.consents.items()} == {
        ConsentPurpose.MARKETING: False,
        ConsentPurpose.PROFILING: True,
    }
    assert view.member.consents[ConsentPurpose.MARKETING].channel == "app"
    history = (await export_member(TENANT, member_id, OPERATOR, uow)).history.consents
    assert [(c.purpose, c.granted, c.channel, c.source) for c in history] == [
        ("marketing", True, "pos", "enrolment"),
        ("marketing", False, "app", "app_settings"),
        ("profiling", True, "app", "app_settings"),
    ]
    assert history[1].at >= history[0].at


async def test_a_consent_change_announces_every_purpose_as_it_now_stands(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow)

    await update_consents(consents(member_id, profiling=True), uow)
    await update_consents(consents(member_id, marketing=False), uow)

    announced = [e for e in uow.published if isinstance(e, MemberConsentsChanged)]
    assert [(e.member_id, e.consents) for e in announced] == [
        (member_id, {"marketing": True, "profiling": True}),
        (member_id, {"marketing": False, "profiling": True}),
    ]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (UpdateConsents(TENANT, "m", {}, "", "", APP), "consents: name at least one"),
        (UpdateConsents(TENANT, "m", {"spam": True}, "", "", APP), r"consents\.spam"),
        (UpdateConsents(TENANT, "m", {"marketing": True}, "", "Paper Form", APP), "source"),
        (UpdateConsents(TENANT, "m", {"marketing": True}, "fax", "", APP), "channel"),
    ],
)
async def test_a_bad_consent_change_is_refused_and_recorded_nowhere(
    uow: FakeUnitOfWork, command: UpdateConsents, message: str
) -> None:
    member_id = await enrolled(uow)
    real = UpdateConsents(TENANT, member_id, command.consents, command.channel, command.source, APP)
    with pytest.raises(InvalidArgument, match=message):
        await update_consents(real, uow)
    assert len(uow.state.consents) == 1


async def test_an_erased_member_s_profile_cannot_be_changed(uow: FakeUnitOfWork) -> None:
    member_id = await enrolled(uow)
    await erase_member(TENANT, member_id, OPERATOR, uow)
    with pytest.raises(FailedPrecondition):
        await update_profile(patch(member_id, name="Li"), uow)
    with pytest.raises(FailedPrecondition):
        await update_consents(consents(member_id, marketing=True), uow)


async def test_the_consent_history_reads_newest_first_without_an_export(
    uow: FakeUnitOfWork,
) -> None:
    member_id = await enrolled(uow)
    await update_consents(consents(member_id, marketing=False, profiling=True), uow)
    audited = len(uow.state.audit)

    history = await consent_history(TENANT, member_id, 0, uow)
    latest = await consent_history(TENANT, member_id, 1, uow)

    assert [(c.purpose, c.granted, c.source) for c in history] == [
        ("profiling", True, "app_settings"),
        ("marketing", False, "app_settings"),
        ("marketing", True, "enrolment"),
    ]
    assert [c.purpose for c in latest] == ["profiling"]
    assert len(uow.state.audit) == audited  # a read, not an export
    with pytest.raises(InvalidArgument, match="limit"):
        await consent_history(TENANT, member_id, 10_000, uow)
