"""`/v1/admin/analytics/ratings`: members' average rating by store and day, from the
gateway's feedback (docs/contact-history.md; the feedback is the gateway's own, so its
report is read there rather than from the analytics service)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gateway.access.auth import OperatorKey
from gateway.access.store_scope import scoped_to_stores
from gateway.analytics.answers import Range
from gateway.analytics.bodies import FromDay, StoreFilter, ToDay
from gateway.analytics.routes import _range, _stores, _tenant_zone
from gateway.clients import AppContainer
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.shared.ratings import MAX_DAYS, RatingRow, by_store_and_day, ratings_given, window

router = APIRouter(prefix="/v1/admin/analytics", tags=["admin: analytics"])


class RatingRowOut(BaseModel):
    day: str | None = Field(default=None, description="YYYY-MM-DD, the tenant's; none on totals")
    store_id: str
    ratings: int
    average: str = Field(description="The mean rating, 1.00 to 5.00, a decimal string")

    @classmethod
    def of(cls, row: RatingRow) -> RatingRowOut:
        return cls(
            day=row.day or None, store_id=row.store_id, ratings=row.ratings, average=row.average
        )


class RatingsOut(BaseModel):
    range: Range
    days: list[RatingRowOut] = Field(description="Each store's ratings per day it had any")
    stores: list[RatingRowOut] = Field(description="Each store's ratings over the range")


def _days(asked: Range) -> tuple[date, date]:
    try:
        first, last = date.fromisoformat(asked.from_day), date.fromisoformat(asked.to_day)
    except ValueError:
        raise ApiProblem(422, "invalid_range", "from, to: days, YYYY-MM-DD") from None
    if last < first or (last - first).days >= MAX_DAYS:
        raise ApiProblem(
            422, "invalid_range", f"from must not be after to; at most {MAX_DAYS} days"
        )
    return first, last


@router.get(
    "/ratings",
    response_model=RatingsOut,
    response_model_exclude_none=True,
    summary="Members' average rating by store and day",
    description=(
        "The ratings (1 to 5) members gave store visits and orders, by the store and the "
        "day (the tenant's time zone) they were given, with each store's average over the "
        f"range (at most {MAX_DAYS} days; by default the 30 ending today). `store_id` "
        "narrows it to one store; a store manager sees their own stores only (none: an empty "
        "report). Complaints "
        "are not ratings and are not counted."
    ),
    responses=problem_responses(401, 403, 422),
)
async def ratings_report(
    caller: OperatorKey,
    container: AppContainer,
    from_day: FromDay = None,
    to_day: ToDay = None,
    store_id: StoreFilter = None,
) -> RatingsOut:
    zone, _ = await _tenant_zone(container, caller.tenant_id)
    asked = _range(zone, from_day, to_day)
    start, end = window(zone, *_days(asked))
    if scoped_to_stores(caller) and not caller.bound_stores:
        return RatingsOut(range=asked, days=[], stores=[])  # a manager of no store yet
    scope = _stores(caller, store_id)
    given = await ratings_given(container.db, caller.tenant_id, start, end, scope)
    days, stores = by_store_and_day(given, zone)
    return RatingsOut(
        range=asked,
        days=[RatingRowOut.of(r) for r in days],
        stores=[RatingRowOut.of(r) for r in stores],
    )
