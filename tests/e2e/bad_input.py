"""The bad input tried against the gateway, and what each gets: one table, two readers.

`test_bad_input_through_gateway.py` sends every case to the running platform and checks
its answer; `python -m tests.e2e.bad_input --write docs/reliability.md` writes the same
table into the document (between its markers), and a test fails when the two differ.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from gateway.settings import GatewaySettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
BEGIN = "<!-- bad-input table: python -m tests.e2e.bad_input --write docs/reliability.md -->"
END = "<!-- end of the bad-input table -->"
MAX_BODY_BYTES: int = GatewaySettings.model_fields["max_body_bytes"].default


@dataclass(frozen=True)
class World:
    """What the cases refer to: the caller's member, another tenant's, keys gone bad."""

    member_id: str
    other_tenant_member_id: str
    other_tenant_redemption_id: str
    revoked_key: str
    retired_key: str


Body = Callable[[World], Any]


def order(w: World, **changes: Any) -> dict[str, Any]:
    """A valid 100.00 purchase of the caller's member, with `changes` applied."""
    body: dict[str, Any] = {
        "order_id": f"BAD-{uuid4().hex}",
        "member_id": w.member_id,
        "store_id": "S001",
        "occurred_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "currency": "CNY",
        "total": "100.00",
        "lines": line(),
    }
    return body | changes


def line(**changes: Any) -> list[dict[str, Any]]:
    return [
        {"sku": "TEE-1", "category": "apparel", "quantity": 1, "unit_price": "100.00"} | changes
    ]


def hold(w: World, **changes: Any) -> dict[str, Any]:
    return {"member_id": w.member_id, "points": 10, "store_id": "S001"} | changes


def enrolment(**changes: Any) -> dict[str, Any]:
    return {"store_id": "S001", "identities": [{"type": "phone", "value": "+8613900000000"}]} | (
        changes
    )


def phone(value: str) -> dict[str, Any]:
    return enrolment(identities=[{"type": "phone", "value": value}])


def in_an_hour() -> str:
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Case:
    topic: str
    tried: str
    method: str
    path: str  # `{member}`, `{other_member}`, `{other_redemption}` are filled from the World
    status: int
    code: str
    body: Body | None = None
    raw: bytes | None = None  # sent as is, instead of a JSON body
    key: str = "pos"  # pos, operator, none, unknown, revoked, retired
    headers: dict[str, str] = field(default_factory=dict)

    def url(self, w: World) -> str:
        return self.path.format(
            member=w.member_id,
            other_member=w.other_tenant_member_id,
            other_redemption=w.other_tenant_redemption_id,
        )

    @property
    def request(self) -> str:
        return f"`{self.method} {self.path}`"


BIG = b'{"order_id": "' + b"x" * (MAX_BODY_BYTES + 1) + b'"}'
o, r = "/v1/orders", "/v1/redemptions"  # short, so that most cases fit on a line or two
# fmt: off
CASES: tuple[Case, ...] = (
    Case("size", "a body one byte over 64 KiB", "POST", o, 413, "payload_too_large", raw=BIG),
    Case("size", "201 order lines (at most 200)", "POST", o, 422, "validation_error",
         body=lambda w: order(w, lines=line() * 201)),
    Case("size", "an order id of 129 characters", "POST", o, 422, "validation_error",
         body=lambda w: order(w, order_id="O" * 129)),
    Case("types", "no JSON at all", "POST", o, 422, "validation_error", raw=b"order=1"),
    Case("types", "a JSON array instead of an object", "POST", o, 422, "validation_error",
         body=lambda w: [order(w)]),
    Case("types", "`total` as a JSON number (398.0)", "POST", o, 422, "validation_error",
         body=lambda w: order(w, total=100.0)),
    Case("types", "`points` as a string", "POST", r, 422, "validation_error",
         body=lambda w: hold(w, points="10")),
    Case("types", "`points` as a fraction (10.5)", "POST", r, 422, "validation_error",
         body=lambda w: hold(w, points=10.5)),
    Case("types", "`quantity` as a string", "POST", o, 422, "validation_error",
         body=lambda w: order(w, lines=line(quantity="1"))),
    Case("types", "`capture` as 1 instead of true", "POST", r, 422, "validation_error",
         body=lambda w: hold(w, capture=1)),
    Case("types", "an `Idempotency-Key` of 300 characters", "POST", o, 422, "validation_error",
         body=order, headers={"Idempotency-Key": "k" * 300}),
    Case("types", "a missing `member_id` (and no identity)", "POST", r, 422,
         "validation_error", body=lambda w: {"points": 10, "store_id": "S001"}),
    Case("unknown fields", "an unknown top-level field", "POST", o, 422, "validation_error",
         body=lambda w: order(w, discount="10.00")),
    Case("unknown fields", "an unknown field in a line", "POST", o, 422, "validation_error",
         body=lambda w: order(w, lines=line(colour="red"))),
    Case("unknown fields", "a `tenant_id` in the body", "POST", "/v1/members", 422,
         "validation_error", body=lambda w: enrolment(tenant_id="demo")),
    Case("points", "a hold of 0 points", "POST", r, 422, "validation_error",
         body=lambda w: hold(w, points=0)),
    Case("points", "a hold of -10 points", "POST", r, 422, "validation_error",
         body=lambda w: hold(w, points=-10)),
    Case("points", "a hold of 2^63 points (beyond int64)", "POST", r, 422,
         "validation_error", body=lambda w: hold(w, points=2**63)),
    Case("points", "a hold of 10^12 + 1 points (at most 10^12)", "POST", r, 422,
         "validation_error", body=lambda w: hold(w, points=10**12 + 1)),
    Case("points", "a hold of 10^9 points, more than the member has", "POST", r, 409,
         "insufficient_points", body=lambda w: hold(w, points=10**9)),
    Case("points", "a negative total", "POST", o, 422, "validation_error",
         body=lambda w: order(w, total="-100.00")),
    Case("points", "a total of 10^16 CNY", "POST", o, 422, "validation_error",
         body=lambda w: order(w, total="10000000000000000.00")),
    Case("points", "a total with three decimals", "POST", o, 422, "validation_error",
         body=lambda w: order(w, total="100.001")),
    Case("points", "a quantity of 0", "POST", o, 422, "validation_error",
         body=lambda w: order(w, lines=line(quantity=0))),
    Case("points", "a currency that is no ISO 4217 code (`usd`)", "POST", o, 422,
         "validation_error", body=lambda w: order(w, currency="usd")),
    Case("points", "a currency the tenant has no exchange rate for (`ZZZ`)", "POST", o, 422,
         "no_exchange_rate", body=lambda w: order(w, currency="ZZZ")),
    Case("phones and dates", "a phone of letters", "POST", "/v1/members", 422,
         "validation_error", body=lambda w: phone("call-me-maybe")),
    Case("phones and dates", "a phone too short to be a number (`12345`)", "POST",
         "/v1/members", 422, "validation_error", body=lambda w: phone("12345")),
    Case("phones and dates", "a phone with a country code that does not exist (+999)",
         "POST", "/v1/members", 422, "validation_error", body=lambda w: phone("+9991234567")),
    Case("phones and dates", "an e-mail without an `@`", "POST", "/v1/members", 422,
         "validation_error",
         body=lambda w: enrolment(identities=[{"type": "email", "value": "li.example.com"}])),
    Case("phones and dates", "a birthday on 30 February", "POST", "/v1/members", 422,
         "validation_error",
         body=lambda w: enrolment(profile={"birthday": "1990-02-30"})),
    Case("phones and dates", "`occurred_at` that is not a date", "POST", o, 422,
         "validation_error", body=lambda w: order(w, occurred_at="yesterday")),
    Case("phones and dates", "`occurred_at` without a UTC offset", "POST", o, 422,
         "validation_error", body=lambda w: order(w, occurred_at="2026-11-25T10:15:00")),
    Case("phones and dates", "`occurred_at` an hour in the future", "POST", o, 422,
         "validation_error", body=lambda w: order(w, occurred_at=in_an_hour())),
    Case("phones and dates", "`occurred_at` in the year 1900", "POST", o, 422,
         "validation_error", body=lambda w: order(w, occurred_at="1900-01-01T00:00:00Z")),
    Case("other tenants", "a member id that exists nowhere", "GET", "/v1/members/m0nosuchmember",
         404, "member_not_found"),
    Case("other tenants", "another tenant's member, read", "GET", "/v1/members/{other_member}",
         404, "member_not_found"),
    Case("other tenants", "another tenant's member's points", "GET",
         "/v1/members/{other_member}/points", 404, "member_not_found"),
    Case("other tenants", "an order for another tenant's member", "POST", o, 404,
         "member_not_found", body=lambda w: order(w, member_id=w.other_tenant_member_id)),
    Case("other tenants", "capturing another tenant's hold", "POST",
         "/v1/redemptions/{other_redemption}/capture", 404, "redemption_not_found"),
    Case("keys", "no `Authorization` header", "GET", "/v1/members/{member}", 401,
         "unauthorized", key="none"),
    Case("keys", "a key that was never issued", "GET", "/v1/members/{member}", 401,
         "unauthorized", key="unknown"),
    Case("keys", "a revoked key", "GET", "/v1/members/{member}", 401, "unauthorized",
         key="revoked"),
    Case("keys", "a key's old secret after a rotation without grace", "GET",
         "/v1/members/{member}", 401, "unauthorized", key="retired"),
    Case("keys", "a till's key on an operator route", "GET", "/v1/admin/keys", 403,
         "forbidden"),
)
# fmt: on
TOPICS = {
    "size": "Oversized bodies",
    "types": "Wrong types and shapes",
    "unknown fields": "Unknown fields",
    "points": "Negative, zero and huge amounts",
    "phones and dates": "Malformed phones and dates",
    "other tenants": "Other tenants' ids, and ids that exist nowhere",
    "keys": "Missing, unknown, revoked and expired keys",
}


def markdown_table() -> str:
    rows = ["| what was tried | request | answer |", "|---|---|---|"]
    for topic, title in TOPICS.items():
        rows.append(f"| **{title}** | | |")
        rows += [
            f"| {c.tried} | {c.request} | {c.status} `{c.code}` |"
            for c in CASES
            if c.topic == topic
        ]
    return "\n".join(rows) + "\n"


def with_table(document: str) -> str:
    """The document with the text between its markers replaced by the table."""
    head, begin, rest = document.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the document lacks the markers {BEGIN!r} ... {END!r}")
    return f"{head}{BEGIN}\n{markdown_table()}{END}{tail}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.bad_input", description=__doc__)
    parser.add_argument("--write", type=Path, help="rewrite the table in this document")
    args = parser.parse_args(argv)
    if args.write is None:
        sys.stdout.write(markdown_table())
        return
    args.write.write_text(with_table(args.write.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
