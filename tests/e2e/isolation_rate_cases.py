"""Tenant-isolation cases of the exchange rates (see `isolation_cases`): the sandbox sets
and imports rates of its own, which the demo tenant never sees."""

from __future__ import annotations

import secrets
import string
from datetime import UTC, datetime

import httpx

from tests.e2e.isolation_kinds import Case, Judged
from tests.e2e.isolation_world import Call, World, answered_ok

RATES = "/v1/admin/exchange-rates"


def _currency() -> str:
    """Q..: codes no other test sets a rate of (those of the demo tenant are X.., USD)."""
    return "Q" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


async def _demo_has_none_of(world: World, currencies: set[str]) -> None:
    demo = await world.http.get(RATES, headers=world.demo["operator"])
    assert demo.status_code == 200, demo.text
    assert not {r["currency"] for r in demo.json()["rates"]} & currencies


async def the_demo_has_not_its_rate(world: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    await _demo_has_none_of(world, {response.json()["currency"]})


async def the_demo_has_none_of_its_rates(world: World, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    await _demo_has_none_of(world, {row["currency"] for row in response.json()["rows"]})


RATE_CASES: dict[tuple[str, str], Case] = {
    # The caller's own rates: nothing in the request can name another tenant.
    ("GET", RATES): Judged("operator", lambda w: Call(RATES), answered_ok),
    ("PUT", f"{RATES}/{{currency}}"): Judged(
        "operator",
        lambda w: Call(f"{RATES}/{_currency()}", json={"valid_from": _now(), "rate": "1.5"}),
        the_demo_has_not_its_rate,
    ),
    ("POST", f"{RATES}/import"): Judged(
        "operator",
        lambda w: Call(
            f"{RATES}/import",
            content=f"currency,valid_from,rate\n{_currency()},{_now()},2\n".encode(),
            headers={"Content-Type": "text/csv"},
        ),
        the_demo_has_none_of_its_rates,
    ),
}
