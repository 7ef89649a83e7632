"""The worker that keeps the read model's layout (handlers/layout.py) and tells the
servicer whether reports must wait: at start, then every `poll_seconds` (a rebuild run
by another replica or by `make analytics-rebuild` shows within that long)."""

from __future__ import annotations

from collections.abc import Callable

from libs.logging import get_logger
from libs.workers import WorkerLoop, holder_name
from services.analytics.domain.facts import Event
from services.analytics.domain.layout import Rebuilding, Step
from services.analytics.domain.ports import LoggedEvent, TimeZones, UnitOfWork
from services.analytics.handlers.layout import Standing, keep_layout, standing

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
    """The state at start, read before the server answers its first report."""
    return ReadModelState(await standing(uow))


class LayoutKeeper(WorkerLoop):
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
        super().__init__()
        self._uow = uow
        self._parse = parse
        self._zones = zones
        self._state = state
        self._poll = poll_seconds
        self._lease = lease_seconds
        self._holder = holder_name()

    async def run(self) -> None:
        while not self.stopping:
            try:
                await self.once()
            except Exception as exc:  # MongoDB away: look again at the next poll
                log.warning("analytics_layout_deferred", error=repr(exc))
            await self.pause(self._poll)

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
