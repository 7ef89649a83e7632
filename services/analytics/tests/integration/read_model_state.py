"""The read model as the reports see it, for tests: a member gone wrong (its document, its
page's line and its retention counts with it, as a faulty flush would leave them), and
every page line held against the member document it was made from."""

from __future__ import annotations

from libs.mongo import Database, Doc
from services.analytics.adapters.cohort_counts import (
    COHORTS,
    changed_counts,
    cohort_doc,
    counts_of,
)
from services.analytics.adapters.page_sections import sections_of
from services.analytics.adapters.pages import (
    PAGES,
    line_of,
    merged_text,
    page_key,
    page_of,
    profile_of,
    profiles_of,
)
from services.analytics.adapters.read_model import MEMBERS
from services.analytics.domain.cohorts import change, cohort_month
from services.analytics.domain.profiles import MemberProfile


async def break_member(db: Database, tenant: str, member_id: str, update: Doc) -> None:
    """Change a member's document with `update`, and its page's line (and what the page
    keeps beside it) and retention counts to match."""
    was = await db[MEMBERS].find_one({"t": tenant, "m": member_id})
    await db[MEMBERS].update_one({"t": tenant, "m": member_id}, update)
    doc = await db[MEMBERS].find_one({"t": tenant, "m": member_id})
    assert was is not None
    assert doc is not None
    for key, n in change(profile_of(was), profile_of(doc)).items():
        month = cohort_month(key)
        at = f"{tenant}:{month}"
        kept = await db[COHORTS].find_one({"_id": at}) or {}
        counts = changed_counts(counts_of(str(kept.get("x") or "")), {key: n})
        await db[COHORTS].replace_one(
            {"_id": at}, cohort_doc(at, tenant, month, counts), upsert=True
        )
    line = line_of(profile_of(doc))
    at = page_key(tenant, page_of(member_id))
    page = await db[PAGES].find_one({"_id": at}) or {}
    text = merged_text(str(page.get("x") or ""), {line.partition("\t")[0]: line})
    kept = sections_of(text.split("\n"))
    await db[PAGES].update_one({"_id": at}, {"$set": {"t": tenant, "x": text, **kept}}, upsert=True)


async def paged_and_documented(
    db: Database, tenant: str
) -> tuple[dict[str, MemberProfile], dict[str, MemberProfile]]:
    """The tenant's members as its pages hold them, and as made from their documents."""
    paged: dict[str, MemberProfile] = {}
    async for page in db[PAGES].find({"t": tenant}):
        for profile in profiles_of(str(page["x"])):
            assert profile.member_id not in paged, "a member on two lines"
            assert page_key(tenant, page_of(profile.member_id)) == page["_id"]
            paged[profile.member_id] = profile
    documented = {doc["m"]: profile_of(doc) async for doc in db[MEMBERS].find({"t": tenant})}
    return paged, documented
