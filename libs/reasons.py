"""Ledger reasons as a code with parameters, rendered in the reader's language at read
time, so that one entry reads "Double points on shoes (v2)" and "鞋类双倍积分 (v2)".

The writer (the campaign service, the points service) stores the code and its parameters
beside the reason's text in the tenant's default language; the reader (the gateway)
renders them. An entry without a code, or with a code this version does not know, reads
as its stored text; an operator's free-text reason is never translated."""

from __future__ import annotations

from collections.abc import Mapping

from libs.languages import Translations

CAMPAIGN_BONUS = "campaign_bonus"
Params = dict[str, str]


def campaign_bonus(
    campaign_id: str, version: int, name: str, names: Mapping[str, str] | None = None
) -> Params:
    """A campaign's grant: its name as typed and in other languages (`name.<locale>`), as
    they were when it granted."""
    params = {"campaign_id": campaign_id, "version": str(version), "name": name}
    params.update({f"name.{locale}": text for locale, text in (names or {}).items() if text})
    return params


def campaign_names(t: Translations) -> dict[str, str]:
    """A campaign's name in each language it is translated into."""
    return {locale: fields["name"] for locale, fields in t.by_locale().items() if "name" in fields}


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
    """The reason in `locale`: a known code rendered from its parameters, else `stored`."""
    if code == CAMPAIGN_BONUS and "name" in params:
        name = _translated(params, "name").text("name", locale, params["name"])
        version = params.get("version", "")
        return f"{name} (v{version})" if version else name
    return stored
