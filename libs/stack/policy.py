"""When to start a part that died again, and when to give up on it.

Pure rules over a clock the caller passes in, so they are tested without waiting.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RestartPolicy:
    """Restart with exponential backoff; give up after `max_failures` within `window_seconds`.

    The delay before a restart doubles with each failure still inside the window, from
    `first_delay_seconds` up to `max_delay_seconds`; a part that stayed up longer than the
    window starts again from the first delay.
    """

    max_failures: int = 5
    window_seconds: float = 60.0
    first_delay_seconds: float = 0.5
    max_delay_seconds: float = 10.0
    factor: float = 2.0

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if self.window_seconds <= 0 or self.first_delay_seconds < 0 or self.factor < 1:
            raise ValueError("the window must be positive, delays non-negative, factor >= 1")

    def delay_after(self, failures: int) -> float:
        """The wait before the restart that follows the `failures`-th recent failure."""
        grown = self.first_delay_seconds * self.factor ** max(0, failures - 1)
        return min(grown, self.max_delay_seconds)


@dataclass
class RestartHistory:
    """One part's recent failures under a policy: each answers "restart after" or "give up"."""

    policy: RestartPolicy
    restarts: int = 0
    _failures: deque[float] = field(default_factory=deque)

    def record_failure(self, now: float) -> float | None:
        """Note a failure at `now`; the delay before restarting, or None to give up."""
        self._failures.append(now)
        while self._failures and self._failures[0] <= now - self.policy.window_seconds:
            self._failures.popleft()
        recent = len(self._failures)
        if recent >= self.policy.max_failures:
            return None
        return self.policy.delay_after(recent)

    @property
    def recent_failures(self) -> int:
        return len(self._failures)
