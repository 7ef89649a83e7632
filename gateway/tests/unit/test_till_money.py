"""The till's money arithmetic (`till-money.js`), run by Node where it is installed: decimal
strings to integer cents and back, and coupon discounts, exact to the cent."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from gateway.console.assets import STATIC_DIR

pytestmark = pytest.mark.unit

NODE = shutil.which("node")


def run(expression: str) -> Any:
    """`expression` evaluated by Node with till-money.js's exports in scope, as JSON."""
    if NODE is None:
        pytest.skip("needs node")
    module = (STATIC_DIR / "till-money.js").as_uri()
    script = f'import * as m from "{module}";\nconsole.log(JSON.stringify({expression}));'
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("398.00", 39800), ("0.1", 10), ("0.29", 29), ("12", 1200), (" 5.5 ", 550)],
)
def test_a_decimal_string_becomes_integer_cents(text: str, cents: int) -> None:
    assert run(f"m.toCents({json.dumps(text)})") == cents


@pytest.mark.parametrize("text", ["", "-1", "1,50", "1.234", "1e3", "abc", "0x10"])
def test_anything_but_a_decimal_with_two_places_at_most_is_refused(text: str) -> None:
    assert run(f"m.toCents({json.dumps(text)})") is None


def test_cents_come_back_as_the_apis_decimal_string() -> None:
    assert run("[m.fromCents(5), m.fromCents(39800), m.fromCents(0), m.fromCents(123456)]") == [
        "0.05",
        "398.00",
        "0.00",
        "1234.56",
    ]


def test_a_total_of_tenths_is_exact_where_floats_are_not() -> None:
    # 0.1 + 0.2 in floating point is 0.30000000000000004
    lines = (
        '[{sku: "A", cents: m.toCents("0.10"), quantity: 1},'
        ' {sku: "B", cents: m.toCents("0.20"), quantity: 1}]'
    )

    assert run(f"m.fromCents(m.subtotalCents({lines}))") == "0.30"


def test_a_coupons_discount_is_worked_out_in_cents_and_never_exceeds_the_cart() -> None:
    lines = (
        '[{sku: "SHOE-1", cents: 29900, quantity: 1}, {sku: "SOCK-2", cents: 4950, quantity: 2}]'
    )
    kinds = [
        '{kind: "amount_off", amount: "20.00"}',
        '{kind: "percent_off", percent: 15}',  # 15 % of 398.00 = 59.70
        '{kind: "percent_off", percent: 33}',  # 131.34: half up to the cent
        '{kind: "free_item", sku: "SOCK-2"}',  # one unit
        '{kind: "free_item", sku: "HAT-9"}',  # not in the cart
        '{kind: "amount_off", amount: "500.00"}',  # more than the cart
    ]

    found = run(f"[{', '.join(f'm.discountCents({kind}, {lines})' for kind in kinds)}]")

    assert found == [2000, 5970, 13134, 4950, 0, 39800]
