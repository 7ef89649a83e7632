"""The stream's events (protobuf) as the read model's facts. An event the read model does
not follow, or one that cannot apply, is None."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

from libs.timestamps import aware, optional_datetime
from loyalty.campaign.v1 import campaign_events_pb2 as campaign_pb
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from loyalty.points.v1 import merge_events_pb2 as merge_pb
from loyalty.points.v1 import points_pb2
from services.analytics.domain.facts import (
    CampaignInfo,
    CampaignSeen,
    ConsentsChanged,
    Enrolled,
    Erased,
    Event,
    Fact,
    Lot,
    Merged,
    Movement,
    PointsMoved,
    Purchased,
    Returned,
    Rewarded,
    SoldLine,
    TierChanged,
    Wallet,
    WalletSeen,
)
from services.analytics.domain.ports import LoggedEvent

Parse = Callable[[bytes], tuple[str, str, tuple[Fact, ...]]]


def _amount(raw: str) -> Decimal:
    try:
        value = Decimal(raw or "0")
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def wallet(balance: points_pb2.Balance) -> Wallet:
    lots = tuple(Lot(lot.points, aware(lot.expires_at)) for lot in balance.lots)
    return Wallet(balance.available, balance.held, balance.pending, lots)


def _lines(lines: Iterable[points_pb.EarnedLine]) -> tuple[SoldLine, ...]:
    return tuple(SoldLine(x.sku, x.category, x.quantity, _amount(x.amount)) for x in lines)


PROFILING = "profiling"


def _refuses_profiling(consents: Mapping[str, bool]) -> bool:
    """A consent given as false; one never asked for is no refusal."""
    return consents.get(PROFILING) is False


def _enrolled(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = member_pb.MemberEnrolled.FromString(data)
    at = aware(e.meta.occurred_at)
    refuses = _refuses_profiling(e.consents)
    fact = Enrolled(e.meta.tenant_id, e.member_id, at, e.channel, e.store_id, e.tier_code, refuses)
    return e.meta.event_id, e.meta.tenant_id, (fact,)


def _consents_changed(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    c = member_pb.MemberConsentsChanged.FromString(data)
    at, refuses = aware(c.meta.occurred_at), _refuses_profiling(c.consents)
    return (
        c.meta.event_id,
        c.meta.tenant_id,
        (ConsentsChanged(c.meta.tenant_id, c.member_id, at, refuses),),
    )


def _tier_changed(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    t = member_pb.MemberTierChanged.FromString(data)
    fact = TierChanged(
        t.meta.tenant_id, t.member_id, aware(t.meta.occurred_at), t.from_tier, t.to_tier
    )
    return t.meta.event_id, t.meta.tenant_id, (fact,)


def _merged(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    m = member_pb.MemberMerged.FromString(data)
    if not m.survivor_id or m.survivor_id == m.merged_id:
        return m.meta.event_id, m.meta.tenant_id, ()
    fact = Merged(m.meta.tenant_id, m.survivor_id, aware(m.meta.occurred_at), m.merged_id)
    return m.meta.event_id, m.meta.tenant_id, (fact,)


def _erased(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    x = member_pb.MemberErased.FromString(data)
    return (
        x.meta.event_id,
        x.meta.tenant_id,
        (Erased(x.meta.tenant_id, x.member_id, aware(x.meta.occurred_at)),),
    )


def _earned(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = points_pb.PointsEarned.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    sold_at = optional_datetime(e, "order_occurred_at") or at
    facts: tuple[Fact, ...] = (
        Purchased(
            tenant,
            e.member_id,
            sold_at,
            e.order_id,
            e.channel,
            e.store_id,
            e.tier_code,
            _amount(e.total),
            _lines(e.lines),
            e.points,
        ),
        PointsMoved(tenant, e.member_id, at, Movement.ISSUED, e.points, e.channel, e.store_id),
        WalletSeen(tenant, e.member_id, at, wallet(e.balance)),
        *(
            Rewarded(tenant, e.member_id, at, line.campaign_id, line.points)
            for line in e.breakdown
            if line.campaign_id and line.points
        ),
    )
    return e.meta.event_id, tenant, facts


def _moved(
    message: type[points_pb.PointsGranted]
    | type[points_pb.PointsExpired]
    | type[points_pb.PointsAdjusted],
    movement: Movement,
) -> Parse:
    def parse(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
        e = message.FromString(data)
        tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
        moved = PointsMoved(tenant, e.member_id, at, movement, e.points)
        return (
            e.meta.event_id,
            tenant,
            (moved, WalletSeen(tenant, e.member_id, at, wallet(e.balance))),
        )

    return parse


def _redeemed(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = points_pb.PointsRedeemed.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    moved = PointsMoved(tenant, e.member_id, at, Movement.REDEEMED, e.points, e.channel, e.store_id)
    return e.meta.event_id, tenant, (moved, WalletSeen(tenant, e.member_id, at, wallet(e.balance)))


def _held(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = points_pb.PointsHeld.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    return e.meta.event_id, tenant, (WalletSeen(tenant, e.member_id, at, wallet(e.balance)),)


def _released(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = points_pb.PointsReleased.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    facts: list[Fact] = [WalletSeen(tenant, e.member_id, at, wallet(e.balance))]
    if e.status == "reversed":  # a captured redemption cancelled: redeemed no more
        facts.insert(0, PointsMoved(tenant, e.member_id, at, Movement.REDEEMED, -e.points))
    return e.meta.event_id, tenant, tuple(facts)


def _reversed(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = points_pb.PointsReversed.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    returned = Returned(
        tenant,
        e.member_id,
        at,
        e.order_id,
        e.channel,
        e.store_id,
        e.points,
        _amount(e.amount),
        _lines(e.lines),
    )
    return (
        e.meta.event_id,
        tenant,
        (returned, WalletSeen(tenant, e.member_id, at, wallet(e.balance))),
    )


def _balance_only(
    message: type[points_pb.PointsConfirmed] | type[points_pb.PointsExpiring],
) -> Parse:
    def parse(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
        e = message.FromString(data)
        tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
        return e.meta.event_id, tenant, (WalletSeen(tenant, e.member_id, at, wallet(e.balance)),)

    return parse


def _transferred(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = points_pb.PointsTransferred.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    facts = (
        WalletSeen(tenant, e.member_id, at, wallet(e.balance)),
        WalletSeen(tenant, e.to_member_id, at, wallet(e.to_balance)),
    )
    return e.meta.event_id, tenant, facts


def _points_merged(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    e = merge_pb.PointsMerged.FromString(data)
    tenant, at = e.meta.tenant_id, aware(e.meta.occurred_at)
    facts = (
        WalletSeen(tenant, e.merged_id, at, Wallet()),
        WalletSeen(tenant, e.member_id, at, wallet(e.balance)),
    )
    return e.meta.event_id, tenant, facts


def _granted(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    """Points moved and the wallet, and the campaign that granted them (win-back)."""
    event_id, tenant, facts = _moved(points_pb.PointsGranted, Movement.ISSUED)(data)
    g = points_pb.PointsGranted.FromString(data)
    if g.campaign_id:
        at = aware(g.meta.occurred_at)
        facts = (*facts, Rewarded(tenant, g.member_id, at, g.campaign_id, g.points))
    return event_id, tenant, facts


def _campaign_changed(data: bytes) -> tuple[str, str, tuple[Fact, ...]]:
    c = campaign_pb.CampaignChanged.FromString(data)
    tenant, at = c.meta.tenant_id, aware(c.meta.occurred_at)
    campaign = CampaignInfo(
        c.campaign_id,
        c.trigger,
        c.holdout_percent,
        c.segment_id,
        optional_datetime(c, "starts_at"),
        optional_datetime(c, "ends_at"),
    )
    return c.meta.event_id, tenant, (CampaignSeen(tenant, "", at, campaign),)


PARSERS: dict[str, Parse] = {
    "member.enrolled": _enrolled,
    "member.tier_changed": _tier_changed,
    "member.merged": _merged,
    "member.erased": _erased,
    "member.consents_changed": _consents_changed,
    "points.earned": _earned,
    "points.granted": _granted,
    "points.expired": _moved(points_pb.PointsExpired, Movement.EXPIRED),
    "points.adjusted": _moved(points_pb.PointsAdjusted, Movement.ADJUSTED),
    "points.redeemed": _redeemed,
    "points.held": _held,
    "points.released": _released,
    "points.reversed": _reversed,
    "points.confirmed": _balance_only(points_pb.PointsConfirmed),
    "points.expiring": _balance_only(points_pb.PointsExpiring),
    "points.transferred": _transferred,
    "points.merged": _points_merged,
    "campaign.changed": _campaign_changed,
}


def event_type(subject: str) -> str:
    """`loyalty.<tenant>.<service>.<event>` → `<service>.<event>`."""
    parts = subject.split(".")
    return ".".join(parts[2:]) if len(parts) >= 4 else ""


def follows(subject: str) -> bool:
    return event_type(subject) in PARSERS


def parse_logged(logged: LoggedEvent) -> Event | None:
    """The facts of a logged event; None when it states none the read model follows. A
    payload that does not decode raises DecodeError."""
    parse = PARSERS.get(event_type(logged.subject))
    if parse is None:
        return None
    event_id, tenant_id, facts = parse(logged.data)
    if not event_id or not tenant_id or not facts:
        return None
    return Event(event_id, tenant_id, facts)
