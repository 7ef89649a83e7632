"""Member pages: every member's profile (domain/profiles.py) as one line of text, many
members' lines to a page document, so the profiling reports read a tenant's members in
`PAGES_A_TENANT` documents instead of one document per member.

A page is `{"_id": "<tenant>:<n>", "t": tenant, "n": n, "x": lines}`: the lines sorted by
member, each `<member id as JSON>\t<the rest as a JSON array>`, joined by newlines (JSON
escapes every tab and newline inside a value). One string a page costs the server one
value to read or write, where a list of members would cost it one each. A member's page
is fixed by its id (`page_of`). The read model's flush writes the pages of the members
whose profile the batch changed, in the same transaction as the members (`PendingPages`):
each such page read once and written once, whole."""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Iterable

from libs.mongo import Doc
from services.analytics.domain.profiles import Bought, MemberProfile

PAGES = "pages"
# At 100,000 members a page holds about 1,000 of them (some 100 KB of text).
PAGES_A_TENANT = 100

ENROLLED, ERASED, REFUSES_PROFILING = 1, 2, 4


def page_of(member_id: str) -> int:
    return zlib.crc32(member_id.encode()) % PAGES_A_TENANT


def page_key(tenant_id: str, page: int) -> str:
    return f"{tenant_id}:{page}"


def profile_of(doc: Doc) -> MemberProfile:
    """A member document's profile: its purchase days (`buys`: day, store, channel) with
    their orders and gross (`o.<day>`, `g.<day>`), returns (`r.<day>`) and rewards (`rw`)."""
    stores: dict[str, str] = {}
    for b in doc.get("buys", []):
        day, store = b["d"], b.get("s", "")
        stores[day] = min(store, stores.get(day, store))
    orders, gross = dict(doc.get("o") or {}), dict(doc.get("g") or {})
    days = sorted(stores.keys() | orders.keys() | gross.keys())
    return MemberProfile(
        member_id=doc["m"],
        tier=doc.get("tier", ""),
        since=doc.get("since", ""),
        merged_into=doc.get("merged_into", "") or "",
        enrolled=bool(doc.get("enrolled", False)),
        erased=bool(doc.get("erased", False)),
        refuses_profiling=bool(doc.get("no_profiling", False)),
        days=tuple(
            Bought(d, int(orders.get(d, 0)), int(gross.get(d, 0)), stores.get(d)) for d in days
        ),
        returns=tuple(sorted((d, int(n)) for d, n in dict(doc.get("r") or {}).items())),
        rewards=tuple((r["c"], r["d"]) for r in doc.get("rw", [])),
    )


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def line_of(profile: MemberProfile) -> str:
    flags = (
        ENROLLED * profile.enrolled
        + ERASED * profile.erased
        + REFUSES_PROFILING * profile.refuses_profiling
    )
    days = [x for b in profile.days for x in (b.day, b.orders, b.gross, b.store_id)]
    returns = [x for day_cents in profile.returns for x in day_cents]
    rewards = [x for campaign_day in profile.rewards for x in campaign_day]
    rest = [flags, profile.tier, profile.since, profile.merged_into, days, returns, rewards]
    return f"{_dumps(profile.member_id)}\t{_dumps(rest)}"


def _pairs(flat: list[object]) -> list[tuple[object, object]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


def profile_of_line(line: str) -> MemberProfile:
    key, _, rest = line.partition("\t")
    flags, tier, since, merged_into, days, returns, rewards = json.loads(rest)
    return MemberProfile(
        member_id=json.loads(key),
        tier=tier,
        since=since,
        merged_into=merged_into,
        enrolled=bool(flags & ENROLLED),
        erased=bool(flags & ERASED),
        refuses_profiling=bool(flags & REFUSES_PROFILING),
        days=tuple(Bought(*days[i : i + 4]) for i in range(0, len(days), 4)),
        returns=tuple((str(d), int(str(n))) for d, n in _pairs(returns)),
        rewards=tuple((str(c), str(d)) for c, d in _pairs(rewards)),
    )


def profiles_of(text: str) -> list[MemberProfile]:
    return [profile_of_line(line) for line in text.split("\n") if line]


def merged_text(text: str, lines: dict[str, str]) -> str:
    """A page's text with these lines (by member key, the line's text before its tab) put
    in place of the members' earlier ones, sorted by member key."""
    kept = {line.partition("\t")[0]: line for line in text.split("\n") if line}
    kept.update(lines)
    return "\n".join(kept[key] for key in sorted(kept))


class PendingPages:
    """The lines of members whose profile changed, by page, until the flush that writes
    them (a bulk load keeps them over many flushes, as it keeps the buckets' counts)."""

    def __init__(self) -> None:
        self._lines: dict[str, dict[str, str]] = defaultdict(dict)
        self._tenants: dict[str, tuple[str, int]] = {}

    def note(self, tenant_id: str, before: str | None, after: str) -> None:
        """A member changed by the batch: its line as it was (None: no document before)
        and as it is; a line the batch left as it was costs no write."""
        if before == after:
            return
        key = after.partition("\t")[0]
        page = page_of(json.loads(key))
        at = page_key(tenant_id, page)
        self._tenants[at] = (tenant_id, page)
        self._lines[at][key] = after

    def take(self) -> dict[str, tuple[str, int, dict[str, str]]]:
        """Each page to write: its tenant, number and new lines; forgotten here."""
        lines, self._lines = self._lines, defaultdict(dict)
        tenants, self._tenants = self._tenants, {}
        return {at: (*tenants[at], new) for at, new in lines.items()}


def page_doc(at: str, tenant_id: str, page: int, text: str) -> Doc:
    return {"_id": at, "t": tenant_id, "n": page, "x": text}


def tenant_profiles(texts: Iterable[str]) -> list[MemberProfile]:
    return [p for text in texts for p in profiles_of(text)]
