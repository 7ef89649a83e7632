"""`/console`: the operator console's page and its static files; no key, no API operation.

The page holds no data: an operator signs in with e-mail and password
(`POST /v1/auth/sessions` with `"cookie": true`), the gateway keeps the session in an
HttpOnly cookie, and the page calls the public API with it, as any client does
(`/v1/admin/whoami` says which pages the role gets, `DELETE /v1/auth/sessions/current`
signs out). The page comes in the language of `?lang=` or else of the browser.

`/till`: the virtual till, for store staff and POS vendors testing an integration, built
the same way from the same files and message tables; it signs in with a POS key (kept in
the tab's memory, sent as `Authorization: Bearer`) or as a store operator (the cookie).

`/m`: the member centre, for shoppers on a phone, likewise; the member signs in with a
one-time code or arrives from the brand's app with a hand-off code, and the member
session lives in its own HttpOnly cookie (docs/member-centre.md).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from gateway.console.assets import (
    CENTRE_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
    load_console,
)
from gateway.console.i18n import LOCALES, load_messages, negotiate, render_page
from gateway.edge.problems import ApiProblem

router = APIRouter(include_in_schema=False)

FILES = load_console()
MESSAGES = load_messages()
PAGES = {locale: render_page(FILES.template, locale, MESSAGES[locale]) for locale in LOCALES}
TILL_PAGES = {
    locale: render_page(FILES.till_template, locale, MESSAGES[locale]) for locale in LOCALES
}
CENTRE_PAGES = {
    locale: render_page(FILES.centre_template, locale, MESSAGES[locale]) for locale in LOCALES
}
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PAGE_CACHE = "no-cache"  # always revalidated, so a new page (and new asset versions) shows
ASSET_CACHE = "public, max-age=31536000, immutable"  # asset URLs carry their content hash


def _page(
    pages: dict[str, bytes],
    lang: str | None,
    accept_language: str | None,
    policy: str = CONTENT_SECURITY_POLICY,
) -> Response:
    locale = negotiate(lang, accept_language)
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": policy,
        "Cache-Control": PAGE_CACHE,
        "Content-Language": locale,
        "Vary": "Accept-Language",
    }
    return Response(pages[locale], media_type="text/html", headers=headers)


@router.get("/console")
async def console_page(
    lang: Annotated[str | None, Query(max_length=16)] = None,
    accept_language: Annotated[str | None, Header(max_length=512)] = None,
) -> Response:
    return _page(PAGES, lang, accept_language)


@router.get("/till")
async def till_page(
    lang: Annotated[str | None, Query(max_length=16)] = None,
    accept_language: Annotated[str | None, Header(max_length=512)] = None,
) -> Response:
    return _page(TILL_PAGES, lang, accept_language)


@router.get("/m")
async def member_centre_page(
    lang: Annotated[str | None, Query(max_length=16)] = None,
    accept_language: Annotated[str | None, Header(max_length=512)] = None,
) -> Response:
    return _page(CENTRE_PAGES, lang, accept_language, CENTRE_CONTENT_SECURITY_POLICY)


@router.get("/console/static/{name}")
async def console_asset(name: str) -> Response:
    asset = FILES.assets.get(name)  # an allow-list: no path ever reaches the file system
    if asset is None:
        raise ApiProblem(404, "not_found", f"nothing at /console/static/{name}")
    headers = {**SECURITY_HEADERS, "Cache-Control": ASSET_CACHE}
    return Response(asset.body, media_type=asset.media_type, headers=headers)
