"""The holdout hash of a campaign's audience (`libs/holdout.py`), kept in memory: a league
table with a holdout campaign splits every enrolled member by it on every read, and a
sha256 a member costs about a microsecond, far more than the rest of the comparison. A
member's bucket never changes for a campaign, so each campaign keeps the buckets of the
members last asked about: the same members again cost a comparison of the lists, a few
new ones their own hashes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from libs.holdout import holdout_buckets

# Campaigns kept (about a byte and a reference a member each; the least recently asked
# about goes first).
KEPT_CAMPAIGNS = 64


class HoldoutBuckets:
    def __init__(self, kept: int = KEPT_CAMPAIGNS) -> None:
        self._kept = kept
        self._campaigns: OrderedDict[str, tuple[list[str], bytes]] = OrderedDict()

    def of(self, campaign_id: str, member_ids: Sequence[str]) -> bytes:
        asked = list(member_ids)
        known = self._campaigns.get(campaign_id)
        if known is not None and known[0] == asked:
            self._campaigns.move_to_end(campaign_id)
            return known[1]
        if known is None:
            buckets = holdout_buckets(campaign_id, asked)
        else:
            kept = dict(zip(known[0], known[1], strict=True))
            new = [m for m in asked if m not in kept]
            kept.update(zip(new, holdout_buckets(campaign_id, new), strict=True))
            buckets = bytes(map(kept.__getitem__, asked))
        self._campaigns[campaign_id] = (asked, buckets)
        self._campaigns.move_to_end(campaign_id)
        while len(self._campaigns) > self._kept:
            self._campaigns.popitem(last=False)
        return buckets
