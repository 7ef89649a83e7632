"""The read model's layout: the shape of its documents, by version. A release that stores
the read model differently raises `READ_MODEL_LAYOUT`; a service that starts on a read
model of an older layout rebuilds it from the log (handlers/layout.py) and refuses to
answer reports until that is done, so nobody reads a figure from documents the code no
longer understands.

Version 1: buckets as day and month documents, the liability kept at ingest, member pages
and retention counts (a read model that records no version predates it).
Version 2: the lines' opening balances per month and entries, their channel and tier
roll-ups, the members kept in each set of stores; member pages keep beside their lines
sums by month, churn headings, the enrolled members and the lines of rewarded and marked
members (adapters/page_sections.py).
Version 3: the lines' roll-ups by channel and tier, by store and channel, and by every
dimension, each combination of the values filtered by apart (adapters/buckets.py), for
the sales report filtered by two or three of store, channel and tier at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from libs.errors import DomainError, Status

READ_MODEL_LAYOUT = 3


class Step(Enum):
    """What a service starting on a read model does about its layout."""

    CURRENT = "current"  # the layout this code writes: nothing to do
    RECORD = "record"  # nothing logged yet (a new deployment): record the layout
    REBUILD = "rebuild"  # an older layout, or none recorded over logged events
    NEWER = "newer"  # written by a newer release: this one must not read or write it


@dataclass(frozen=True)
class Control:
    """The read model's control record: a rebuild running (and who holds it until when)
    and the layout recorded by the last rebuild."""

    running: bool = False
    holder: str = ""
    lease_until: datetime | None = None
    layout: int | None = None

    def live(self, now: datetime) -> bool:
        """Whether a rebuild holds the read model at `now` (one whose lease lapsed, or that
        died before leases existed, holds nothing: its work is to be done again)."""
        return self.running and self.lease_until is not None and self.lease_until > now


def next_step(recorded: int | None, logged_any: bool, current: int = READ_MODEL_LAYOUT) -> Step:
    if recorded is None:
        return Step.REBUILD if logged_any else Step.RECORD
    if recorded < current:
        return Step.REBUILD
    return Step.NEWER if recorded > current else Step.CURRENT


class Rebuilding(DomainError):
    """Reports wait while the read model is rebuilt: its figures are partial meanwhile."""

    status = Status.UNAVAILABLE
    code = "analytics_rebuilding"


class NewerLayout(DomainError):
    """This release is older than the read model's layout: it leaves the read model alone
    (its events go to a replica of the newer release)."""

    status = Status.UNAVAILABLE
    code = "analytics_layout_newer"


class RebuildHeld(DomainError):
    """Another rebuild holds the read model."""

    status = Status.FAILED_PRECONDITION
    code = "analytics_rebuild_running"
