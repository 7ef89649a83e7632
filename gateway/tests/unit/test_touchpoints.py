from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gateway.access.touchpoints import touchpoint
from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import ApiKey, Channel
from libs.ids import new_id

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
