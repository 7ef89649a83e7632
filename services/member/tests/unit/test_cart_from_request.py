"""A cart named in GetTierProgress: points and spend, read strictly."""

from decimal import Decimal

import pytest

from libs.errors import InvalidArgument
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.qualifying import Cart
from services.member.entrypoints.servicer.merge import cart_from


def asking(**cart: object) -> pb.GetTierProgressRequest:
    return pb.GetTierProgressRequest(tenant_id="demo", member_id="m", **cart)  # type: ignore[arg-type]


def test_no_cart_named_is_no_cart() -> None:
    assert cart_from(asking()) is None


def test_a_cart_s_points_and_spend_are_read_exactly() -> None:
    assert cart_from(asking(cart_points=120, cart_spend="398.50")) == Cart(120, Decimal("398.50"))


@pytest.mark.parametrize(
    "cart",
    [{"cart_spend": "lots"}, {"cart_spend": "-1"}, {"cart_points": -5}, {"cart_spend": "NaN"}],
)
def test_a_cart_that_is_not_a_cart_is_refused(cart: dict[str, object]) -> None:
    with pytest.raises(InvalidArgument):
        cart_from(asking(**cart))
