"""The console's message tables: English and Simplified Chinese complete, and every key
the page or a script uses is in both."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from pydantic import BaseModel

from gateway.access.key_bodies import Scope
from gateway.analytics.league import CampaignRowOut
from gateway.campaigns.answers import ResultsOut
from gateway.campaigns.bodies import Trigger
from gateway.console.assets import PAGE_FILES, STATIC_DIR
from gateway.console.i18n import LOCALES, PLACEHOLDER, load_messages, negotiate, render_page
from gateway.contact.feedback.rules import ACTIONS, CATEGORIES, STATUSES
from gateway.contact.timeline.kinds import KINDS
from gateway.edge.fields import ConsentPurpose, IdentityType
from gateway.points.admin_settings import ExpiryPolicy
from gateway.tenancy.keys import CHANNELS, ROLES

pytestmark = pytest.mark.unit

TABLES = load_messages()
KEY_LITERAL = re.compile(r'"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"')
# Where a script names a message: the first argument of t(…), the message of the sign-in
# panel. Each page's title is nav.<its id>.
KEY_PLACES = re.compile(r'\bt\(\s*([^,)]*)|showSignedOut\(("[^"]*")')


def reasons(answer: type[BaseModel], field: str) -> tuple[str, ...]:
    """The values an answer's field that is a literal or null may take."""
    literal, _ = get_args(answer.model_fields[field].annotation)
    return get_args(literal)


# Keys a script builds from a value the API gives: each value needs its text.
LEDGER_TYPES = (
    *("earn", "bonus", "redeem", "redeem_cancel", "reverse", "expire", "adjust"),
    *("transfer_in", "transfer_out", "merge_in", "merge_out"),
)
FAMILIES: dict[str, tuple[str, ...]] = {
    "role": ROLES,
    "channel": CHANNELS,
    "consent": get_args(ConsentPurpose),
    "identity": get_args(IdentityType),
    "ledger.type": LEDGER_TYPES,
    "member.status": ("active", "merged", "erased"),
    "campaign.status": ("draft", "active", "paused", "ended"),
    "campaign.trigger": get_args(Trigger),
    "tier.metric": ("points_earned", "spend"),
    "builder.effect": ("multiplier", "bonus_points"),
    "points": ("available", "held", "pending", "lifetime_earned"),
    "home.status": ("gateway", "mongo", "member", "points", "campaign"),
    "scope": get_args(Scope),
    "nav": tuple(re.findall(r'page\("(\w+)"', (STATIC_DIR / "console.js").read_text("utf-8"))),
    "coupons_admin": ("pause", "resume"),
    "analytics.points": ("issued", "redeemed", "expired", "reversed"),
    "analytics": ("sales_by_channel", "sales_by_store"),
    "gender": ("female", "male", "other", "undisclosed"),
    "coupons_admin.status": ("active", "paused"),
    "tiers": ("code", "name", "threshold", "multiplier"),
    "tiers.downgrade": ("never", "period_end", "one_tier"),
    "settings": ("floor", "half_up", "ceiling", *get_args(ExpiryPolicy)),
    "till.earn": ("base", "tier", "campaign"),
    "till.shopper.error": ("member_not_found", "forbidden"),
    "till.coupon.reason": (
        *("coupon_used_up", "coupon_member_limit_reached", "coupon_expired"),
        *("coupon_wrong_member", "coupon_min_total_not_met", "coupon_currency_mismatch"),
        *("coupon_not_yet_valid", "coupon_template_paused", "coupon_member_required"),
    ),
    "timeline.kind": KINDS,
    "feedback.status": STATUSES,
    "feedback.category": CATEGORIES,
    "feedback.done": ACTIONS,
    "centre.feedback.kind": ("rating", "complaint"),
    "results.holdout_unavailable": reasons(ResultsOut, "holdout_unavailable"),
    "league.holdout_unavailable": reasons(CampaignRowOut, "holdout_unavailable"),
    "settings.field": (
        *("points_per_unit", "rounding", "expiry_policy", "expiry_days", "expiry_months"),
        *("pending_days", "transfer_limit_per_day"),
    ),
}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for page in (STATIC_DIR / name for name in PAGE_FILES):  # the console's and the till's
        text = page.read_text(encoding="utf-8")
        keys |= {key for key in PLACEHOLDER.findall(text) if key != "lang"}
        keys |= set(re.findall(r'data-i18n(?:-label)?="([^"]+)"', text))
    for script in STATIC_DIR.glob("*.js"):
        for place in KEY_PLACES.findall(script.read_text(encoding="utf-8")):
            keys |= set(KEY_LITERAL.findall(" ".join(place)))
    for family, values in FAMILIES.items():
        keys |= {f"{family}.{value}" for value in values}
    return keys


def test_english_and_chinese_have_the_same_keys() -> None:
    english, chinese = (set(TABLES[locale]) for locale in LOCALES)

    assert sorted(english - chinese) == []
    assert sorted(chinese - english) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_key_the_console_uses_has_a_text(locale: str) -> None:
    table = TABLES[locale]
    missing = sorted(
        key
        for key in used_keys()
        if not (table.get(key, "").strip() or table.get(f"{key}.other", "").strip())
    )

    assert missing == []


def test_a_text_that_depends_on_a_number_has_both_english_forms() -> None:
    table = TABLES["en"]
    ones = {key.removesuffix(".one") for key in table if key.endswith(".one")}
    others = {key.removesuffix(".other") for key in table if key.endswith(".other")}

    assert ones <= others  # gender.other and feedback.category.other are words, not plurals
    assert others - ones == {"gender", "feedback.category"}


@pytest.mark.parametrize("key", sorted(TABLES["en"]))
def test_a_text_has_the_same_parameters_in_every_language(key: str) -> None:
    parameters = [sorted(re.findall(r"\{(\w+)\}", TABLES[locale][key])) for locale in LOCALES]

    assert all(found == parameters[0] for found in parameters)


def test_the_chinese_table_is_in_chinese() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    english_too = [k for k, text in TABLES["zh-CN"].items() if not han.search(text)]

    # Only names that stay the same in Chinese (App, WeChat ids) may lack Chinese characters.
    assert sorted(english_too) == ["channel.app"]


@pytest.mark.parametrize(
    ("requested", "header", "expected"),
    [
        (None, None, "en"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        (None, "zh-TW", "zh-CN"),
        (None, "fr-FR, en;q=0.5, zh;q=0.7", "zh-CN"),
        (None, "de, fr", "en"),
        (None, "en;q=bad, zh", "zh-CN"),
        ("en", "zh-CN", "en"),
        ("zh-cn", None, "zh-CN"),
        ("xx", "zh", "zh-CN"),
    ],
)
def test_the_page_language_is_the_asked_one_else_the_browsers_else_english(
    requested: str | None, header: str | None, expected: str
) -> None:
    assert negotiate(requested, header) == expected


def test_the_page_is_rendered_in_the_language_with_texts_escaped() -> None:
    template = '<html lang="{{lang}}"><h1 data-i18n="app.title">{{app.title}}</h1>'

    page = render_page(template, "zh-CN", {"app.title": "<b>会员</b>"}).decode("utf-8")

    assert page == '<html lang="zh-CN"><h1 data-i18n="app.title">&lt;b&gt;会员&lt;/b&gt;</h1>'
