"""Known events, as the member and points services publish them, for the read model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from google.protobuf.message import Message
from nats.js import JetStreamContext

from libs.ids import new_id
from libs.nats import event_subject
from libs.timestamps import timestamp
from loyalty.common.v1.common_pb2 import EventMeta
from loyalty.member.v1 import events_pb2 as member_pb
from loyalty.points.v1 import events_pb2 as points_pb
from loyalty.points.v1 import merge_events_pb2 as merge_pb
from loyalty.points.v1 import points_pb2

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: str, hour: int) -> datetime:
    """`hour` o'clock on `day` in Shanghai."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def balance(
    available: int, *lots: tuple[int, datetime], held: int = 0, pending: int = 0
) -> points_pb2.Balance:
    return points_pb2.Balance(
        available=available,
        held=held,
        pending=pending,
        lots=[points_pb2.ExpiringPoints(points=p, expires_at=timestamp(at)) for p, at in lots],
    )


def line(sku: str, category: str, quantity: int, amount: str) -> points_pb.EarnedLine:
    return points_pb.EarnedLine(sku=sku, category=category, quantity=quantity, amount=amount)


@dataclass
class Feed:
    """Publishes events of one tenant on the stream, each under its own event id."""

    js: JetStreamContext
    tenant: str

    def meta(self, kind: str, at: datetime) -> EventMeta:
        return EventMeta(
            event_id=new_id("ev"), tenant_id=self.tenant, type=kind, occurred_at=timestamp(at)
        )

    async def publish(self, kind: str, message: Message, msg_id: str = "") -> None:
        meta = getattr(message, "meta")  # noqa: B009  # every event's field 1
        headers = {"Nats-Msg-Id": msg_id or meta.event_id, "Loyalty-Event-Type": kind}
        data = message.SerializeToString()
        await self.js.publish(event_subject(self.tenant, kind), data, headers=headers)

    async def enrolled(
        self,
        member: str,
        at: datetime,
        channel: str,
        store: str,
        consents: dict[str, bool] | None = None,
    ) -> None:
        kind = "member.enrolled"
        message = member_pb.MemberEnrolled(
            meta=self.meta(kind, at),
            member_id=member,
            channel=channel,
            store_id=store,
            tier_code="member",
            consents=consents or {},
        )
        await self.publish(kind, message)

    async def consents_changed(self, member: str, at: datetime, consents: dict[str, bool]) -> None:
        kind = "member.consents_changed"
        message = member_pb.MemberConsentsChanged(
            meta=self.meta(kind, at), member_id=member, consents=consents
        )
        await self.publish(kind, message)

    async def bought(self, member: str, at: datetime, order: str, total: str = "10.00") -> None:
        """A purchase at the till of S1, one line, its points all available."""
        points = int(float(total))
        line_ = line("A", "shoes", 1, total)
        await self.earned(
            member,
            at,
            order,
            where=("pos", "S1"),
            total=total,
            lines=[line_],
            after=balance(points),
        )

    async def earned(
        self,
        member: str,
        at: datetime,
        order: str,
        *,
        where: tuple[str, str],
        total: str,
        lines: list[points_pb.EarnedLine],
        after: points_pb2.Balance,
    ) -> points_pb.PointsEarned:
        kind = "points.earned"
        message = points_pb.PointsEarned(
            meta=self.meta(kind, at),
            member_id=member,
            order_id=order,
            channel=where[0],
            store_id=where[1],
            order_occurred_at=timestamp(at),
            currency="CNY",
            total=total,
            lines=lines,
            points=after.available,
            tier_code="member",
            balance=after,
        )
        await self.publish(kind, message)
        return message

    async def returned(
        self,
        member: str,
        at: datetime,
        order: str,
        *,
        where: tuple[str, str],
        points: int,
        amount: str,
        lines: list[points_pb.EarnedLine],
        after: points_pb2.Balance,
    ) -> None:
        kind = "points.reversed"
        message = points_pb.PointsReversed(
            meta=self.meta(kind, at),
            member_id=member,
            order_id=order,
            return_id=new_id("r"),
            points=points,
            balance=after,
            channel=where[0],
            store_id=where[1],
            currency="CNY",
            amount=amount,
            lines=lines,
        )
        await self.publish(kind, message)

    async def tier_changed(self, member: str, at: datetime, to_tier: str) -> None:
        kind = "member.tier_changed"
        message = member_pb.MemberTierChanged(
            meta=self.meta(kind, at), member_id=member, from_tier="member", to_tier=to_tier
        )
        await self.publish(kind, message)

    async def merged(
        self, survivor: str, gone: str, at: datetime, after: points_pb2.Balance
    ) -> None:
        kind = "member.merged"
        merge = member_pb.MemberMerged(
            meta=self.meta(kind, at), survivor_id=survivor, merged_id=gone
        )
        await self.publish(kind, merge)
        kind = "points.merged"
        moved = merge_pb.PointsMerged(
            meta=self.meta(kind, at + timedelta(seconds=1)),
            member_id=survivor,
            merged_id=gone,
            member_merged_event_id=merge.meta.event_id,
            balance=after,
        )
        await self.publish(kind, moved)

    async def erased(self, member: str, at: datetime) -> None:
        kind = "member.erased"
        await self.publish(kind, member_pb.MemberErased(meta=self.meta(kind, at), member_id=member))

    async def held(self, member: str, at: datetime, points: int, after: points_pb2.Balance) -> None:
        kind = "points.held"
        message = points_pb.PointsHeld(
            meta=self.meta(kind, at),
            member_id=member,
            redemption_id=new_id("rd"),
            points=points,
            balance=after,
        )
        await self.publish(kind, message)

    async def transferred(
        self,
        member: str,
        to_member: str,
        at: datetime,
        points: int,
        after: tuple[points_pb2.Balance, points_pb2.Balance],
    ) -> None:
        kind = "points.transferred"
        message = points_pb.PointsTransferred(
            meta=self.meta(kind, at),
            member_id=member,
            transfer_id=new_id("tr"),
            to_member_id=to_member,
            points=points,
            balance=after[0],
            to_balance=after[1],
        )
        await self.publish(kind, message)

    async def expired(
        self, member: str, at: datetime, points: int, after: points_pb2.Balance
    ) -> None:
        kind = "points.expired"
        message = points_pb.PointsExpired(
            meta=self.meta(kind, at), member_id=member, points=points, balance=after
        )
        await self.publish(kind, message)
