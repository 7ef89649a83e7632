from __future__ import annotations

import pytest

from gateway.access.touchpoints import check_store_binding, resolve_channel, resolve_store
from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import Channel


def test_a_touchpoint_key_acts_for_its_own_channel() -> None:
    assert resolve_channel("ecommerce", None) == "ecommerce"
    assert resolve_channel("ecommerce", "ecommerce") == "ecommerce"


def test_a_channel_in_the_body_must_match_the_keys() -> None:
    with pytest.raises(ApiProblem) as raised:
        resolve_channel("pos", "app")

    assert (raised.value.status, raised.value.code) == (422, "validation_error")
    assert raised.value.detail.startswith("body.channel:")


ONE = frozenset({"S001"})
NONE: frozenset[str] = frozenset()
SEVERAL = frozenset({"S001", "S002"})


@pytest.mark.parametrize("channel", ["pos", "ecommerce", "miniprogram", "app"])
def test_an_operator_key_may_name_any_channel(channel: Channel) -> None:
    assert resolve_channel("operator", channel) == channel


def test_an_operator_key_naming_no_channel_acts_as_operator() -> None:
    assert resolve_channel("operator", None) == "operator"


def test_a_store_bound_key_may_act_for_its_own_store_or_name_none() -> None:
    check_store_binding(ONE, "S001")
    check_store_binding(ONE, None)


def test_a_store_bound_key_acting_for_another_store_is_forbidden() -> None:
    with pytest.raises(ApiProblem) as raised:
        check_store_binding(ONE, "S002")

    assert (raised.value.status, raised.value.code) == (403, "forbidden")


def test_a_key_bound_to_no_store_may_act_for_any() -> None:
    check_store_binding(NONE, "S002")


def test_a_pos_call_without_a_store_is_invalid() -> None:
    with pytest.raises(ApiProblem) as raised:
        resolve_store("pos", NONE, None)

    assert raised.value.status == 422
    assert raised.value.detail.startswith("body.store_id:")


def test_a_pos_call_naming_no_store_acts_for_the_keys_store() -> None:
    assert resolve_store("pos", frozenset({"S003"}), None) == "S003"


def test_other_channels_need_no_store() -> None:
    assert resolve_store("ecommerce", NONE, None) is None
    assert resolve_store("app", NONE, "S002") == "S002"


def test_a_caller_bound_to_several_stores_may_act_for_each_of_them_only() -> None:
    check_store_binding(SEVERAL, "S002")
    with pytest.raises(ApiProblem) as raised:
        check_store_binding(SEVERAL, "S003")

    assert (raised.value.status, raised.value.code) == (403, "forbidden")


def test_a_caller_bound_to_several_stores_must_name_the_store_it_acts_for() -> None:
    with pytest.raises(ApiProblem) as raised:
        resolve_store("operator", SEVERAL, None)

    assert raised.value.status == 422
    assert resolve_store("operator", SEVERAL, "S002") == "S002"
