"""What an event is on a member's timeline: plain rules, no I/O.

Each event of the stream that concerns a member becomes at most one entry: its kind, the
channel and store it happened at, and a few figures (points, an order, a tier). Nothing
personal is taken: the stream's JSON form already drops free text an operator typed
(gateway/webhooks/catalogue.py), and no identity value, name or contact is copied here.
Support notes and feedback are the gateway's own, and carry their text until erasure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Kind = Literal[
    "enrolment",
    "purchase",
    "return",
    "redemption",
    "coupon_issued",
    "coupon_used",
    "campaign_reward",
    "tier_change",
    "consent_change",
    "adjustment",
    "expiry",
    "merge",
    "note",
    "feedback",
]
KINDS: tuple[str, ...] = get_args(Kind)
# Kinds that happen at a store: a store manager sees those of their own stores only, as
# they see only their stores' orders of a member (docs/permissions.md).
STORE_KINDS = frozenset({"purchase", "return", "redemption", "coupon_used", "feedback"})


@dataclass(frozen=True)
class Entry:
    """One line of a member's timeline, taken from an event."""

    member_id: str
    kind: str
    channel: str = ""
    store_id: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


Data = Mapping[str, Any]


def _pick(data: Data, *names: str) -> dict[str, Any]:
    return {name: data[name] for name in names if data.get(name) not in (None, "", [], {})}


def _at_store(kind: str, *names: str) -> Callable[[Data], Entry]:
    def make(data: Data) -> Entry:
        return Entry(
            str(data.get("member_id", "")),
            kind,
            str(data.get("channel", "")),
            str(data.get("store_id", "")),
            _pick(data, *names),
        )

    return make


def _anywhere(kind: str, *names: str) -> Callable[[Data], Entry]:
    def make(data: Data) -> Entry:
        return Entry(str(data.get("member_id", "")), kind, details=_pick(data, *names))

    return make


def _merged(data: Data) -> Entry:
    return Entry(str(data.get("survivor_id", "")), "merge", details=_pick(data, "merged_id"))


def _granted(data: Data) -> Entry | None:
    if not data.get("campaign_id"):
        return None  # a grant of no campaign is an operator's adjustment, recorded as such
    return _anywhere("campaign_reward", "campaign_id", "points", "order_id")(data)


_RULES: dict[str, Callable[[Data], Entry | None]] = {
    "member.enrolled": _at_store("enrolment", "tier_code", "identity_types"),
    "points.earned": _at_store(
        "purchase", "order_id", "total", "currency", "points", "bonus_pending"
    ),
    "points.reversed": _at_store("return", "order_id", "return_id", "amount", "currency", "points"),
    "points.redeemed": _at_store("redemption", "redemption_id", "order_id", "points"),
    "coupon.issued": _anywhere("coupon_issued", "coupon_id", "template_id", "campaign_id", "kind"),
    "coupon.redeemed": _at_store("coupon_used", "coupon_id", "template_id", "order_id"),
    "points.granted": _granted,
    "member.tier_changed": _anywhere("tier_change", "from_tier", "to_tier", "reason"),
    "member.consents_changed": _anywhere("consent_change", "consents"),
    "points.adjusted": _anywhere("adjustment", "adjustment_id", "points"),
    "points.expired": _anywhere("expiry", "points"),
    "member.merged": _merged,
}
EVENT_TYPES = frozenset(_RULES)


def entry_of(event_type: str, data: Data) -> Entry | None:
    """The event's timeline entry; None for an event that is not on a member's timeline."""
    rule = _RULES.get(event_type)
    made = rule(data) if rule is not None else None
    return made if made is not None and made.member_id else None
