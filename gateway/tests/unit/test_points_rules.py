from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gateway.access.touchpoints import touchpoint
from gateway.edge.problems import ApiProblem
from gateway.shared.members import survivor_of
from gateway.shared.purchases import check_occurred_at
from gateway.tenancy.keys import ApiKey, Channel
from libs.ids import new_id

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 25, 2, 15, tzinfo=UTC)
SHANGHAI = timezone(timedelta(hours=8))


def key(channel: Channel, store_id: str | None = None) -> ApiKey:
    return ApiKey(
        key_id=new_id("key_"),
        tenant_id=new_id("t_"),
        channel=channel,
        scopes=frozenset({"points:write"}),
        created_at=NOW,
        store_id=store_id,
    )


def refusal(occurred_at: datetime, **window: timedelta) -> ApiProblem:
    with pytest.raises(ApiProblem) as raised:
        check_occurred_at(occurred_at, now=NOW, **window)
    return raised.value


@pytest.mark.parametrize(
    "occurred_at",
    [
        NOW,
        NOW + timedelta(minutes=5),
        NOW - timedelta(days=30),
        datetime(2026, 11, 25, 10, 19, tzinfo=SHANGHAI),
    ],
)
def test_an_order_from_the_last_thirty_days_or_five_minutes_ahead_is_accepted(
    occurred_at: datetime,
) -> None:
    check_occurred_at(occurred_at, now=NOW)


def test_an_order_more_than_five_minutes_in_the_future_is_a_validation_error() -> None:
    problem = refusal(NOW + timedelta(minutes=5, seconds=1))

    assert (problem.status, problem.code) == (422, "validation_error")
    assert problem.detail == "body.occurred_at: may be at most 5 minutes in the future"


def test_the_future_is_judged_on_the_instant_whatever_the_offset() -> None:
    problem = refusal(datetime(2026, 11, 25, 10, 21, tzinfo=SHANGHAI))

    assert problem.detail.endswith("in the future")


def test_an_order_older_than_the_tenant_window_is_a_validation_error() -> None:
    problem = refusal(NOW - timedelta(days=30, seconds=1))

    assert problem.status == 422
    assert problem.detail == "body.occurred_at: may be at most 30 days in the past"


def test_a_tenant_window_other_than_thirty_days_is_honoured() -> None:
    problem = refusal(NOW - timedelta(days=8), window=timedelta(days=7))

    assert problem.detail.endswith("at most 7 days in the past")


def test_an_active_member_is_acted_for_directly() -> None:
    assert survivor_of(new_id("mem_"), "active", "") is None


def test_a_merged_member_is_acted_for_through_its_survivor() -> None:
    survivor = new_id("mem_")

    assert survivor_of(new_id("mem_"), "merged", survivor) == survivor


@pytest.mark.parametrize(("status", "merged_into"), [("erased", ""), ("merged", ""), ("", "")])
def test_an_erased_or_broken_member_is_not_active(status: str, merged_into: str) -> None:
    member_id = new_id("mem_")

    with pytest.raises(ApiProblem) as raised:
        survivor_of(member_id, status, merged_into)

    assert (raised.value.status, raised.value.code) == (409, "member_not_active")
    assert member_id in raised.value.detail


def test_a_pos_key_acts_for_its_channel_and_the_store_named() -> None:
    at = touchpoint(key("pos"), None, "S002")

    assert (at.channel, at.store_id) == ("pos", "S002")


def test_a_store_bound_key_naming_no_store_acts_for_its_own() -> None:
    at = touchpoint(key("pos", "S001"), "pos", None)

    assert (at.channel, at.store_id) == ("pos", "S001")


def test_a_pos_call_without_any_store_is_a_validation_error() -> None:
    with pytest.raises(ApiProblem) as raised:
        touchpoint(key("pos"), None, None)

    assert raised.value.status == 422
    assert raised.value.detail.startswith("body.store_id:")


def test_a_channel_other_than_the_keys_is_a_validation_error() -> None:
    with pytest.raises(ApiProblem) as raised:
        touchpoint(key("app"), "pos", "S001")

    assert raised.value.status == 422
    assert raised.value.detail.startswith("body.channel:")


def test_an_ecommerce_order_needs_no_store() -> None:
    at = touchpoint(key("ecommerce"), "ecommerce", None)

    assert (at.channel, at.store_id) == ("ecommerce", None)


def test_an_operator_key_may_act_for_a_touchpoints_channel() -> None:
    assert touchpoint(key("operator"), "app", None).channel == "app"
