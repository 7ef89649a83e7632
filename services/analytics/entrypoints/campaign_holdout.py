"""GetCampaignHoldout's request and answer as protobuf, nothing else."""

from __future__ import annotations

from libs.errors import InvalidArgument
from libs.grpc.requests import tenant_of
from libs.timestamps import optional_datetime
from libs.uplift import Uplift
from loyalty.analytics.v1 import campaign_holdout_pb2 as pb
from services.analytics.domain.campaign_days import GroupDay, HoldoutDay
from services.analytics.domain.campaign_holdout import GroupFigures
from services.analytics.domain.reports import money
from services.analytics.handlers.campaign_holdout import HoldoutAnswer, HoldoutQuery


def holdout_query(request: pb.GetCampaignHoldoutRequest) -> HoldoutQuery:
    starts_at = optional_datetime(request, "starts_at")
    ends_at = optional_datetime(request, "ends_at")
    if starts_at is None or ends_at is None:
        raise InvalidArgument("starts_at, ends_at: required")
    return HoldoutQuery(
        tenant_of(request.tenant_id),
        request.campaign_id,
        request.holdout_percent,
        request.segment_id,
        starts_at,
        ends_at,
        request.by_day,
    )


def _group(g: GroupFigures) -> pb.HoldoutGroupFigures:
    return pb.HoldoutGroupFigures(members=g.members, orders=g.orders, spend=money(g.cents))


def _uplift(u: Uplift | None) -> dict[str, str]:
    if u is None:
        return {}
    return {"uplift": str(u.difference), "uplift_low": str(u.low), "uplift_high": str(u.high)}


def _day_group(g: GroupDay) -> pb.HoldoutDayGroup:
    return pb.HoldoutDayGroup(orders=g.orders, spend=money(g.cents))


def _day(d: HoldoutDay) -> pb.HoldoutDay:
    return pb.HoldoutDay(
        day=d.day,
        targeted=_day_group(d.targeted),
        held_out=_day_group(d.held_out),
        **_uplift(d.uplift),
    )


def holdout_message(answer: HoldoutAnswer) -> pb.GetCampaignHoldoutResponse:
    c = answer.comparison
    if c is None:
        return pb.GetCampaignHoldoutResponse(unavailable=answer.unavailable)
    return pb.GetCampaignHoldoutResponse(
        from_day=c.from_day,
        to_day=c.to_day,
        targeted=_group(c.targeted),
        held_out=_group(c.held_out),
        days=[_day(d) for d in answer.days],
        **_uplift(c.uplift),
    )
