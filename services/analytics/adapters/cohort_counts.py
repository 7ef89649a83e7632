"""The retention triangle's counts (domain/cohorts.py) in MongoDB: one document per
tenant and month of enrolment, `{"_id": "<tenant>:<YYYY-MM>", "t", "m": month, "x":
counts}`, the counts a text of `<key> <n>` lines (a few thousand at 100,000 members: as
one string they cost the server one value to read or write, as fields one each),
changed by the read model's flush with the batch's changes, each document read once and
written once (a bulk load keeps the changes, as it keeps the buckets' counts, for its
last flush). A year's triangle reads about 12 of them."""

from __future__ import annotations

from collections import defaultdict

from libs.mongo import Doc
from services.analytics.domain.cohorts import cohort_month

COHORTS = "cohorts"


class PendingCohorts:
    """The counts' changes by document, until the flush that writes them."""

    def __init__(self) -> None:
        self._changes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._places: dict[str, tuple[str, str]] = {}

    def note(self, tenant_id: str, change: dict[str, int]) -> None:
        for key, n in change.items():
            month = cohort_month(key)
            at = f"{tenant_id}:{month}"
            self._places[at] = (tenant_id, month)
            self._changes[at][key] += n

    def take(self) -> dict[str, tuple[str, str, dict[str, int]]]:
        """Each document to change: its tenant, month and the counts' changes."""
        changes, self._changes = self._changes, defaultdict(lambda: defaultdict(int))
        places, self._places = self._places, {}
        return {at: (*places[at], dict(change)) for at, change in changes.items()}


def changed_counts(stored: dict[str, int], change: dict[str, int]) -> dict[str, int]:
    """The counts with the change added, those that come to 0 left out."""
    counts = dict(stored)
    for key, n in change.items():
        counts[key] = counts.get(key, 0) + n
    return {key: n for key, n in sorted(counts.items()) if n}


def counts_of(text: str) -> dict[str, int]:
    return {key: int(n) for key, _, n in (line.partition(" ") for line in text.split("\n")) if key}


def cohort_doc(at: str, tenant_id: str, month: str, counts: dict[str, int]) -> Doc:
    text = "\n".join(f"{key} {n}" for key, n in counts.items())
    return {"_id": at, "t": tenant_id, "m": month, "x": text}
