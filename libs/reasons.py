"""Ledger reasons as a code with parameters, rendered in the reader's language at read
time, so that one entry reads "Double points on shoes (v2)" and "鞋类双倍积分 (v2)".

The writer (the campaign service, the points service) stores the code and its parameters
beside the reason's text in the tenant's default language; the reader (the gateway)
renders them from `TEXTS`, the platform's own words for every code in every platform
language. An entry without a code, or with a code this version does not know, or without
the parameters its text needs, reads as its stored text. An operator's free-text reason
(an adjustment's, a transfer's) is a parameter shown as typed, never translated."""

# The Chinese texts use Chinese punctuation (full-width colons and parentheses).
# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Callable, Mapping

from libs.languages import PLATFORM_LANGUAGES, Translations

Params = dict[str, str]

CAMPAIGN_BONUS = "campaign_bonus"
EARNING_RATE = "earning_rate"
PURCHASE = "purchase"
TIER_BONUS = "tier_bonus"
RETURN = "return"
REDEEMED = "redeemed"
REDEEM_CANCELLED = "redeem_cancelled"
EXPIRED = "expired"
ADJUSTMENT = "adjustment"
TRANSFER_OUT = "transfer_out"
TRANSFER_IN = "transfer_in"
MERGE_OUT = "merge_out"
MERGE_IN = "merge_in"

TIMES = "\N{MULTIPLICATION SIGN}"

# The platform's words, by text key then language. A code's text may be built of several
# keys (`return` and `return.not_taken_back`); English reads as the stored text does.
TEXTS: dict[str, dict[str, str]] = {
    EARNING_RATE: {
        "en": "{rate} {unit} per {currency} 1",
        "zh-CN": "每 {currency} 1 元积 {rate} 分",
    },
    "purchase.at_store": {
        "en": "{rate} {unit} per {currency} 1 at store {store_id}",
        "zh-CN": "订单 {order_id}：每 {currency} 1 元积 {rate} 分（门店 {store_id}）",
    },
    "purchase.on_channel": {
        "en": "{rate} {unit} per {currency} 1 on {channel}",
        "zh-CN": "订单 {order_id}：每 {currency} 1 元积 {rate} 分（{channel}）",
    },
    "unit.one": {"en": "point", "zh-CN": "分"},
    "unit.many": {"en": "points", "zh-CN": "分"},
    TIER_BONUS: {
        "en": "{tier} tier " + TIMES + "{multiplier}",
        "zh-CN": "{tier}等级 " + TIMES + "{multiplier}",
    },
    "return.amount": {
        "en": "returned {currency} {amount}",
        "zh-CN": "订单 {order_id} 退货 {currency} {amount}",
    },
    "return.items": {
        "en": "returned {items}",
        "zh-CN": "订单 {order_id} 退货 {items}",
    },
    "return.not_taken_back": {
        "en": " ({not_taken_back} points already spent, not taken back)",
        "zh-CN": "（{not_taken_back} 积分已使用，未扣回）",
    },
    REDEEMED: {"en": "redeemed", "zh-CN": "积分兑换"},
    "redeemed.on_order": {"en": " on order {order_id}", "zh-CN": "（订单 {order_id}）"},
    "redeemed.at_store": {"en": " at store {store_id}", "zh-CN": "（门店 {store_id}）"},
    REDEEM_CANCELLED: {"en": "cancelled: ", "zh-CN": "已取消："},
    EXPIRED: {"en": "expired: earned {earned_on}", "zh-CN": "积分过期：{earned_on} 获得"},
    "expired.on_order": {"en": " on order {order_id}", "zh-CN": "（订单 {order_id}）"},
    ADJUSTMENT: {"en": "adjusted by an operator: {text}", "zh-CN": "人工调整：{text}"},
    TRANSFER_OUT: {
        "en": "transferred to member {member_id}: {text}",
        "zh-CN": "转出至会员 {member_id}：{text}",
    },
    TRANSFER_IN: {
        "en": "transferred from member {member_id}: {text}",
        "zh-CN": "由会员 {member_id} 转入：{text}",
    },
    MERGE_OUT: {"en": "merged into member {member_id}", "zh-CN": "合并至会员 {member_id}"},
    MERGE_IN: {"en": "merged from member {member_id}", "zh-CN": "由会员 {member_id} 合并"},
}


def campaign_bonus(
    campaign_id: str, version: int, name: str, names: Mapping[str, str] | None = None
) -> Params:
    """A campaign's grant: its name as typed and in other languages (`name.<locale>`), as
    they were when it granted."""
    params = {"campaign_id": campaign_id, "version": str(version), "name": name}
    params.update({f"name.{locale}": text for locale, text in (names or {}).items() if text})
    return params


def translated_names(t: Translations) -> dict[str, str]:
    """A name (a campaign's, a tier's) in each language it is translated into."""
    return {locale: fields["name"] for locale, fields in t.by_locale().items() if "name" in fields}


def earning_rate(rate: str, currency: str) -> Params:
    """An order's base line in its breakdown: the earning rate ("1 point per CNY 1")."""
    return {"rate": rate, "currency": currency}


def purchase(
    order_id: str, rate: str, currency: str, *, store_id: str = "", channel: str = ""
) -> Params:
    """An order's base points: the earning rate ("1 point per CNY 1") and where."""
    where = {"store_id": store_id} if store_id else {"channel": channel}
    return {"order_id": order_id, "rate": rate, "currency": currency, **where}


def tier_bonus(tier: str, multiplier: str, names: Mapping[str, str] | None = None) -> Params:
    """An order's tier extra: the tier's name as typed and in other languages
    (`tier.<locale>`), as they were when the order was credited."""
    params = {"tier": tier, "multiplier": multiplier}
    params.update({f"tier.{locale}": text for locale, text in (names or {}).items() if text})
    return params


def returned(
    order_id: str,
    *,
    currency: str = "",
    amount: str = "",
    items: str = "",
    not_taken_back: int = 0,
) -> Params:
    """A return's share of an order: an amount of money, or its items, as listed."""
    share = {"currency": currency, "amount": amount} if amount else {"items": items}
    params = {"order_id": order_id, **share}
    if not_taken_back:
        params["not_taken_back"] = str(not_taken_back)
    return params


def redeemed(order_id: str = "", store_id: str = "") -> Params:
    return {key: value for key, value in (("order_id", order_id), ("store_id", store_id)) if value}


def expired(earned_on: str, order_id: str = "") -> Params:
    return {"earned_on": earned_on, **({"order_id": order_id} if order_id else {})}


def operator_text(text: str, member_id: str = "") -> Params:
    """An adjustment's or transfer's reason as the operator typed it (and the other member
    of a transfer)."""
    return {"text": text, **({"member_id": member_id} if member_id else {})}


def merged(member_id: str) -> Params:
    return {"member_id": member_id}


def _text(key: str, locale: str, params: Mapping[str, str]) -> str:
    texts = TEXTS[key]
    return texts.get(locale, texts["en"]).format_map(params)


def _language(locale: str) -> str:
    """The platform language closest to `locale` (`zh-Hans-CN`, `zh` → `zh-CN`)."""
    primary = locale.split("-", maxsplit=1)[0].lower()
    for language in PLATFORM_LANGUAGES:
        if language.split("-", maxsplit=1)[0] == primary:
            return language
    return "en"


def _campaign_bonus(params: Mapping[str, str], locale: str) -> str:
    name = _translated(params, "name").text("name", locale, params["name"])
    version = params.get("version", "")
    return f"{name} (v{version})" if version else name


def _tier_bonus(params: Mapping[str, str], locale: str) -> str:
    tier = _translated(params, "tier").text("tier", locale, params["tier"])
    return _text(TIER_BONUS, _language(locale), {**params, "tier": tier})


def _unit(params: Mapping[str, str], locale: str) -> str:
    return _text("unit.one" if params["rate"] == "1" else "unit.many", locale, params)


def _earning_rate(params: Mapping[str, str], locale: str) -> str:
    return _text(EARNING_RATE, locale, {**params, "unit": _unit(params, locale)})


def _purchase(params: Mapping[str, str], locale: str) -> str:
    key = "purchase.at_store" if "store_id" in params else "purchase.on_channel"
    return _text(key, locale, {**params, "unit": _unit(params, locale)})


def _return(params: Mapping[str, str], locale: str) -> str:
    text = _text("return.amount" if "amount" in params else "return.items", locale, params)
    if "not_taken_back" in params:
        text += _text("return.not_taken_back", locale, params)
    return text


def _redeemed(params: Mapping[str, str], locale: str) -> str:
    text = _text(REDEEMED, locale, params)
    if "order_id" in params:
        text += _text("redeemed.on_order", locale, params)
    if "store_id" in params:
        text += _text("redeemed.at_store", locale, params)
    return text


def _expired(params: Mapping[str, str], locale: str) -> str:
    text = _text(EXPIRED, locale, params)
    if "order_id" in params:
        text += _text("expired.on_order", locale, params)
    return text


def _plain(code: str) -> Callable[[Mapping[str, str], str], str]:
    return lambda params, locale: _text(code, locale, params)


RENDERERS: dict[str, Callable[[Mapping[str, str], str], str]] = {
    CAMPAIGN_BONUS: _campaign_bonus,
    EARNING_RATE: _earning_rate,
    PURCHASE: _purchase,
    TIER_BONUS: _tier_bonus,
    RETURN: _return,
    REDEEMED: _redeemed,
    REDEEM_CANCELLED: lambda params, locale: (
        _text(REDEEM_CANCELLED, locale, params) + _redeemed(params, locale)
    ),
    EXPIRED: _expired,
    ADJUSTMENT: _plain(ADJUSTMENT),
    TRANSFER_OUT: _plain(TRANSFER_OUT),
    TRANSFER_IN: _plain(TRANSFER_IN),
    MERGE_OUT: _plain(MERGE_OUT),
    MERGE_IN: _plain(MERGE_IN),
}
CODES = frozenset(RENDERERS)
# The codes that carry a name the tenant typed and translated (rendered in `locale` itself).
OWN_NAMES = frozenset({CAMPAIGN_BONUS, TIER_BONUS})


def _translated(params: Mapping[str, str], field: str) -> Translations:
    prefix = f"{field}."
    return Translations.of(
        {
            key[len(prefix) :]: {field: text}
            for key, text in params.items()
            if key.startswith(prefix)
        }
    )


def render(code: str, params: Mapping[str, str], stored: str, locale: str) -> str:
    """The reason in `locale`: a known code rendered from its parameters, else `stored`.
    A campaign's or a tier's name follows `locale` itself (its tenant's languages); the
    platform's own words follow the closest platform language."""
    renderer = RENDERERS.get(code)
    if renderer is None:
        return stored
    try:
        if code in OWN_NAMES:
            return renderer(params, locale)
        return renderer(params, _language(locale))
    except KeyError:
        return stored
