"""Member pages: every member's profile (domain/profiles.py) as one line of text, many
members' lines to a page document, so the profiling reports read a tenant's members in
`PAGES_A_TENANT` documents instead of one document per member.

A page is `{"_id": "<tenant>:<n>", "t": tenant, "n": n, "x": lines}`: the lines sorted by
member, joined by newlines. A line is the member's fields separated by tabs (`FIELDS`), a
list's items by spaces, and the text of ids, tiers and stores escaped (`escaped`) so that
none holds a tab, newline or space: a report splits the lines it needs with `str.split`
(several times faster than a JSON decoder) and checks the heading (flags, enrolment day,
purchase days, first and last purchase day, rewards) against what it wants before it
splits the rest. One string a page costs the server one value to read or write, where a
list of members would cost it one each. A member's page is fixed by its id (`page_of`).
The read model's flush writes the pages of the members whose profile the batch changed,
in the same transaction as the members (`PendingPages`): each such page read once and
written once, whole."""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable

from libs.mongo import Doc
from services.analytics.domain.profiles import EVERYONE, MemberProfile, Wanted

PAGES = "pages"
# At 100,000 members a page holds about 1,000 of them (some 100 KB of text).
PAGES_A_TENANT = 100

ENROLLED, ERASED, REFUSES_PROFILING, MERGED = 1, 2, 4, 8
FIELDS = (
    # the heading
    "member_id",
    "flags",
    "since",
    "purchase_day_count",
    "first_purchase_day",
    "last_purchase_day",
    "reward_count",
    # the rest
    "tier",
    "merged_into",
    "last_store",
    "purchase_days",
    "spend_days",
    "orders",
    "gross",
    "return_days",
    "returned",
    "reward_campaigns",
    "reward_days",
)
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", " ": "\\s"}
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "s": " ", "e": ""}
EMPTY = "\\e"  # an empty text in a list (which an empty item would shift)
_ESCAPED = re.compile(r"[\\\t\n ]")
_ESCAPE = re.compile(r"\\(.)")


def escaped(value: str) -> str:
    """`value` with no tab, newline or space (nor a lone backslash)."""
    if _ESCAPED.search(value) is None:
        return value
    return _ESCAPED.sub(lambda m: _ESCAPES[m.group(0)], value)


def unescaped(value: str) -> str:
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: _UNESCAPES[m.group(1)], value)


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
    bought = tuple(sorted(stores))
    orders, gross = dict(doc.get("o") or {}), dict(doc.get("g") or {})
    spend_days = tuple(sorted(orders.keys() | gross.keys()))
    returns = sorted((d, int(n)) for d, n in dict(doc.get("r") or {}).items())
    rewards = doc.get("rw", [])
    return MemberProfile(
        member_id=doc["m"],
        tier=doc.get("tier", ""),
        since=doc.get("since", ""),
        merged_into=doc.get("merged_into", "") or "",
        enrolled=bool(doc.get("enrolled", False)),
        erased=bool(doc.get("erased", False)),
        refuses_profiling=bool(doc.get("no_profiling", False)),
        purchase_days=bought,
        last_store=stores[bought[-1]] if bought else "",
        spend_days=spend_days,
        orders=tuple(int(orders.get(d, 0)) for d in spend_days),
        gross=tuple(int(gross.get(d, 0)) for d in spend_days),
        return_days=tuple(d for d, _ in returns),
        returned=tuple(n for _, n in returns),
        reward_campaigns=tuple(str(r["c"]) for r in rewards),
        reward_days=tuple(str(r["d"]) for r in rewards),
    )


def _items(values: Iterable[object]) -> str:
    return " ".join(map(str, values))


def line_of(profile: MemberProfile) -> str:
    """The member's fields (`FIELDS`), separated by tabs."""
    flags = (
        ENROLLED * profile.enrolled
        + ERASED * profile.erased
        + REFUSES_PROFILING * profile.refuses_profiling
        + MERGED * profile.merged
    )
    bought = profile.purchase_days
    return "\t".join(
        (
            escaped(profile.member_id),
            str(flags),
            profile.since,
            str(len(bought)),
            bought[0] if bought else "",
            bought[-1] if bought else "",
            str(len(profile.reward_days)),
            escaped(profile.tier),
            escaped(profile.merged_into),
            escaped(profile.last_store),
            _items(bought),
            _items(profile.spend_days),
            _items(profile.orders),
            _items(profile.gross),
            _items(profile.return_days),
            _items(profile.returned),
            _items(escaped(c) or EMPTY for c in profile.reward_campaigns),
            _items(profile.reward_days),
        )
    )


def _profile(fields: list[str]) -> MemberProfile:
    (member_id, flags, since, _, _, _, _, tier, merged_into, last_store) = fields[:10]
    (bought, spend_days, orders, gross, return_days, returned, campaigns, reward_days) = fields[10:]
    marks = int(flags)
    return MemberProfile(
        unescaped(member_id),
        unescaped(tier),
        since,
        unescaped(merged_into),
        bool(marks & ENROLLED),
        bool(marks & ERASED),
        bool(marks & REFUSES_PROFILING),
        tuple(bought.split()),
        unescaped(last_store),
        tuple(spend_days.split()),
        tuple(map(int, orders.split())),
        tuple(map(int, gross.split())),
        tuple(return_days.split()),
        tuple(map(int, returned.split())),
        tuple(map(unescaped, campaigns.split())),
        tuple(reward_days.split()),
    )


def profile_of_line(line: str) -> MemberProfile:
    return _profile(line.split("\t"))


def _wanted(wanted: Wanted, heading: list[str]) -> bool:
    """Whether a line's heading (flags, enrolment day, purchase days, first and last
    purchase day, rewards) meets `wanted`."""
    flags, _, bought, first, last, rewards = heading
    bought_within = wanted.bought_within
    marks = int(flags)
    left_out = (
        (wanted.profiled and marks & (MERGED | REFUSES_PROFILING))
        or (wanted.unmerged and marks & MERGED)
        or (wanted.enrolled and not marks & ENROLLED)
        or (wanted.marked and not marks & (MERGED | REFUSES_PROFILING))
        or (wanted.rewarded and rewards == "0")
        or int(bought) < wanted.min_purchase_days
        or (
            bought_within is not None
            and not (first and first <= bought_within[1] and last >= bought_within[0])
        )
    )
    return not left_out


def profiles_of(text: str, wanted: Wanted = EVERYONE) -> list[MemberProfile]:
    """The profiles of a page's members that `wanted` may take; only their lines split
    past the heading."""
    found: list[MemberProfile] = []
    for line in text.split("\n"):
        if not line:
            continue
        heading = line.split("\t", 7)
        if _wanted(wanted, heading[1:7]):
            found.append(_profile(line.split("\t")))
    return found


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
        self._lines: dict[str, dict[str, tuple[str | None, str]]] = defaultdict(dict)
        self._tenants: dict[str, tuple[str, int]] = {}

    def note(self, tenant_id: str, before: str | None, after: str) -> None:
        """A member changed by the batch: its line as it was (None: no document before)
        and as it is; a line the batch left as it was costs no write. Noted again before
        the flush, the member keeps the line it had first (the page's)."""
        if before == after:
            return
        key = after.partition("\t")[0]
        page = page_of(unescaped(key))
        at = page_key(tenant_id, page)
        self._tenants[at] = (tenant_id, page)
        noted = self._lines[at].get(key)
        self._lines[at][key] = (before if noted is None else noted[0], after)

    def take(self) -> dict[str, tuple[str, int, dict[str, tuple[str | None, str]]]]:
        """Each page to write: its tenant, number and changed lines (by member key, as
        they were and are); forgotten here."""
        lines, self._lines = self._lines, defaultdict(dict)
        tenants, self._tenants = self._tenants, {}
        return {at: (*tenants[at], new) for at, new in lines.items()}


def page_doc(at: str, tenant_id: str, page: int, text: str) -> Doc:
    return {"_id": at, "t": tenant_id, "n": page, "x": text}


def tenant_profiles(texts: Iterable[str], wanted: Wanted = EVERYONE) -> list[MemberProfile]:
    return [p for text in texts for p in profiles_of(text, wanted)]
