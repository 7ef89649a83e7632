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

# Campaigns kept, the least recently asked about let go first: each keeps its members'
# ids as one text and a byte a member (about 13 bytes a member, 1.3 MB at 100,000).
KEPT_CAMPAIGNS = 32


class HoldoutBuckets:
    def __init__(self, kept: int = KEPT_CAMPAIGNS) -> None:
        self._kept = kept
        self._campaigns: OrderedDict[str, tuple[str, bytes]] = OrderedDict()

    def of(self, campaign_id: str, member_ids: Sequence[str]) -> bytes:
        """Each member's bucket, in the order given."""
        asked = "\n".join(member_ids)
        if not member_ids or asked.count("\n") != len(member_ids) - 1:
            return holdout_buckets(campaign_id, member_ids)  # none, or an id with a newline
        known = self._campaigns.get(campaign_id)
        if known is not None and known[0] == asked:
            self._campaigns.move_to_end(campaign_id)
            return known[1]
        if known is None:
            buckets = holdout_buckets(campaign_id, member_ids)
        else:
            kept = dict(zip(known[0].split("\n"), known[1], strict=True))
            new = [m for m in member_ids if m not in kept]
            kept.update(zip(new, holdout_buckets(campaign_id, new), strict=True))
            buckets = bytes(map(kept.__getitem__, member_ids))
        self._campaigns[campaign_id] = (asked, buckets)
        self._campaigns.move_to_end(campaign_id)
        while len(self._campaigns) > self._kept:
            self._campaigns.popitem(last=False)
        return buckets
