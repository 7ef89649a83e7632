"""The worker that keeps the read model's layout (handlers/layout.py) and tells the
servicer whether reports must wait: at start, then every `poll_seconds` (a rebuild run
by another replica or by `make analytics-rebuild` shows within that long)."""

from __future__ import annotations

from collections.abc import Callable

from libs.logging import get_logger
from libs.workers import Sweeper, holder_name
from services.analytics.domain.facts import Event
from services.analytics.domain.layout import Rebuilding, Step
from services.analytics.domain.ports import LoggedEvent, TimeZones, UnitOfWork
from services.analytics.handlers.layout import Standing, keep_layout, record_layout, standing

log = get_logger(__name__)


class ReadModelState:
    """Whether reports may read the read model now; `check` refuses them while not."""

    def __init__(self, first: Standing) -> None:
        self.standing = first

    def check(self) -> None:
        if self.standing.reports_wait:
            raise Rebuilding(
                "the analytics read model is being rebuilt; try again in a few minutes"
            )


async def first_standing(uow: UnitOfWork) -> ReadModelState:
    """The state at start, read before the server answers its first report and before its
    consumer takes an event: a new deployment's layout is recorded now, while nothing is
    logged (a first look after the consumer had logged events would take the read model
    for one from before layouts were recorded, and rebuild it)."""
    first = await standing(uow)
    if first.step is Step.RECORD:
        first = await record_layout(uow)
    return ReadModelState(first)


class LayoutKeeper(Sweeper):
    """Every `poll_seconds`: keep the layout (a rebuild runs within one sweep) and say
    where the read model stands; a failure (MongoDB away) is logged and the next sweep
    looks again."""

    def __init__(
        self,
        uow: UnitOfWork,
        parse: Callable[[LoggedEvent], Event | None],
        zones: TimeZones,
        state: ReadModelState,
        *,
        poll_seconds: float,
        lease_seconds: float,
    ) -> None:
        super().__init__("analytics_layout", self._sweep, poll_seconds)
        self._uow = uow
        self._parse = parse
        self._zones = zones
        self._state = state
        self._lease = lease_seconds
        self._holder = holder_name()

    async def _sweep(self) -> int:
        await self.once()
        return 0

    async def once(self) -> None:
        before = self._state.standing
        if before.step is Step.REBUILD or before.abandoned:
            log.info("analytics_rebuild_starting", step=before.step.value)
            self._state.standing = Standing(before.step, rebuilding=True)
        now = await keep_layout(
            self._uow, self._parse, self._zones, holder=self._holder, lease_seconds=self._lease
        )
        if now.step is Step.NEWER and before.step is not Step.NEWER:
            log.warning("analytics_layout_newer", detail="a newer release wrote the read model")
        if before.reports_wait and not now.reports_wait:
            log.info("analytics_read_model_ready")
        self._state.standing = now
