"""Swagger UI is served by the gateway itself under a strict policy, never from a CDN, and not
at all with API_DOCS_UI=false (docs/security.md, item 9)."""

from __future__ import annotations

import hashlib
import re

from gateway.openapi.docs_ui import HERE, PACKAGED, locked_sums, packaged_file
from gateway.tests.integration.support import Gateway, SettingsFactory, running_gateway


async def test_the_docs_page_loads_only_the_gateways_own_files_under_a_strict_policy(
    gateway: Gateway,
) -> None:
    page = await gateway.client.get("/docs")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    files = [await gateway.client.get(source) for source in sources]
    policy = page.headers["content-security-policy"]

    assert page.status_code == 200
    assert len(sources) == 3
    assert all(source.startswith("/docs/static/") for source in sources)
    assert [f.status_code for f in files] == [200] * len(files)
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in page.text
    assert "cdn" not in page.text.lower()


async def test_redoc_and_the_oauth_redirect_are_not_served(gateway: Gateway) -> None:
    answers = [await gateway.client.get(p) for p in ("/redoc", "/docs/oauth2-redirect")]

    assert [a.status_code for a in answers] == [404, 404]


async def test_production_settings_serve_no_docs_ui_but_the_document(
    make_settings: SettingsFactory,
) -> None:
    async with running_gateway(make_settings(api_docs_ui=False)) as gateway:
        page = await gateway.client.get("/docs")
        bundle = await gateway.client.get("/docs/static/swagger-ui-bundle.js")
        document = await gateway.client.get("/openapi.json")

    assert (page.status_code, bundle.status_code) == (404, 404)
    assert document.status_code == 200


def test_the_served_swagger_files_match_their_locked_checksums() -> None:
    sums = locked_sums()

    assert sorted(sums) == sorted(PACKAGED)
    for name in PACKAGED:
        assert hashlib.sha256(packaged_file(name)).hexdigest() == sums[name], name
    assert (HERE / "init.js").is_file()
