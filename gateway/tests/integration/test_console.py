from __future__ import annotations

import re

import pytest

from gateway.console.assets import load_console
from gateway.tenancy.keys import Channel
from gateway.tenancy.tenants import Tenant
from gateway.tests.integration.support import Gateway, new_tenant

pytestmark = pytest.mark.integration

ONE_YEAR = "max-age=31536000"


def directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


async def test_the_console_page_is_html_served_without_a_key_that_loads_its_script(
    gateway: Gateway,
) -> None:
    response = await gateway.client.get("/console")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    script = re.search(
        r'<script type="module" src="/console/static/console\.js\?v=(\w+)">', response.text
    )
    assert script is not None
    assert script.group(1) == load_console().assets["console.js"].version
    assert 'href="/console/static/console.css?v=' in response.text
    assert '<html lang="en">' in response.text
    assert response.headers["content-language"] == "en"


@pytest.mark.parametrize(
    ("query", "accept_language", "lang", "title"),
    [
        ("", "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", "会员忠诚度管理台"),
        ("?lang=en", "zh-CN", "en", "Loyalty console"),
        ("?lang=zh-CN", "en-GB", "zh-CN", "会员忠诚度管理台"),
    ],
)
async def test_the_console_page_comes_in_the_asked_or_the_browsers_language(
    gateway: Gateway, query: str, accept_language: str, lang: str, title: str
) -> None:
    response = await gateway.client.get(
        f"/console{query}", headers={"Accept-Language": accept_language}
    )

    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert f'<title data-i18n="app.title">{title}</title>' in response.text
    assert "{{" not in response.text
    assert response.headers["content-language"] == lang
    assert "accept-language" in response.headers["vary"].lower()


async def test_the_console_page_carries_a_strict_content_security_policy(
    gateway: Gateway,
) -> None:
    response = await gateway.client.get("/console")

    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("accept_language", "lang", "title"),
    [("zh-CN,zh;q=0.9", "zh-CN", "虚拟收银台"), ("en-GB", "en", "Virtual till")],
)
async def test_the_till_page_comes_in_the_browsers_language_with_the_consoles_policy(
    gateway: Gateway, accept_language: str, lang: str, title: str
) -> None:
    response = await gateway.client.get("/till", headers={"Accept-Language": accept_language})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<html lang="{lang}">' in response.text
    assert f'<title data-i18n="till.title">{title}</title>' in response.text
    assert "{{" not in response.text
    version = load_console().assets["till.js"].version
    assert f'<script type="module" src="/console/static/till.js?v={version}">' in response.text
    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["form-action"] == ["'none'"]
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_till_page_is_absent_from_openapi(gateway: Gateway) -> None:
    response = await gateway.client.get("/openapi.json")

    assert "/till" not in response.json()["paths"]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("console.js", "text/javascript; charset=utf-8"),
        ("console.css", "text/css; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
        ("messages.zh-CN.json", "application/json"),
        ("i18n.js", "text/javascript; charset=utf-8"),
        ("till.js", "text/javascript; charset=utf-8"),
        ("till.css", "text/css; charset=utf-8"),
    ],
)
async def test_the_console_assets_are_served_with_their_content_type_and_a_long_cache(
    gateway: Gateway, name: str, content_type: str
) -> None:
    asset = load_console().assets[name]

    response = await gateway.client.get(f"/console/static/{name}{asset.url_suffix}")

    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.content == asset.body
    cache = response.headers["cache-control"]
    assert ONE_YEAR in cache
    assert "immutable" in cache
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/console/static/..%2Fassets.py",
        "/console/static/%2e%2e%2f%2e%2e%2fapp.py",
        "/console/static/..%5C..%5Capp.py",
        "/console/static/%2e%2e",
        "/console/static/index.html",
        "/console/static/till.html",
        "/console/static/",
        "/console/static/" + "x" * 300,
    ],
)
async def test_a_path_traversal_or_unknown_file_under_console_static_is_a_404_problem(
    gateway: Gateway, path: str
) -> None:
    response = await gateway.client.get(path)

    assert response.request.url.raw_path == path.encode()  # reached the app as sent
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    assert "import" not in response.text


async def test_whoami_answers_an_operator_key_with_its_tenant_name_and_stores(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    tenant = Tenant(tenant_id, "Acme <b>Shoes</b>", ("S001", "S002"), "CN", "Asia/Shanghai", "CNY")
    await gateway.container.tenants.upsert(tenant)
    issued = await gateway.container.keys.create_key(tenant_id, "operator")
    headers = {"Authorization": f"Bearer {issued.secret}"}

    response = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert response.status_code == 200
    answer = response.json()
    may = {(route["method"], route["path"]) for route in answer.pop("may")}
    assert answer == {
        "tenant_id": tenant_id,
        "channel": "operator",
        "key_id": issued.key.key_id,
        "tenant": {
            "name": "Acme <b>Shoes</b>",
            "stores": ["S001", "S002"],
            "time_zone": "Asia/Shanghai",
            "currency": "CNY",
        },
        "role": "admin",
        "stores": [],
    }
    assert {("POST", "/v1/admin/keys"), ("GET", "/v1/admin/whoami")} <= may


async def test_whoami_names_no_tenant_when_the_tenant_has_no_record(gateway: Gateway) -> None:
    tenant_id = new_tenant()
    headers = await gateway.key(tenant_id, "operator")

    response = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert response.status_code == 200
    assert (response.json()["tenant_id"], response.json()["tenant"]) == (tenant_id, None)


async def test_whoami_names_no_tenant_when_its_document_holds_only_policies(
    gateway: Gateway,
) -> None:
    tenant_id = new_tenant()
    policies = {"_id": tenant_id, "rate_limits": {"per_key": {"per_second": 100}}}
    await gateway.container.db["tenants"].insert_one(policies)
    headers = await gateway.key(tenant_id, "operator")

    response = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["tenant"] is None


@pytest.mark.parametrize("channel", ["pos", "ecommerce", "miniprogram", "app"])
async def test_whoami_refuses_a_touchpoint_key_with_403_forbidden(
    gateway: Gateway, channel: Channel
) -> None:
    store_id = "S001" if channel == "pos" else None
    headers = await gateway.key(new_tenant(), channel, store_id=store_id)

    response = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer lk_operator_unknown"}])
async def test_whoami_without_a_valid_key_is_401(gateway: Gateway, headers: dict[str, str]) -> None:
    response = await gateway.client.get("/v1/admin/whoami", headers=headers)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_the_console_is_absent_from_openapi_while_whoami_is_documented(
    gateway: Gateway,
) -> None:
    document = (await gateway.client.get("/openapi.json")).json()

    paths = document["paths"]
    assert not [path for path in paths if path.startswith("/console")]
    whoami = paths["/v1/admin/whoami"]["get"]
    ok = whoami["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/WhoAmI"}
    assert {"401", "403"} <= set(whoami["responses"])
    schema = document["components"]["schemas"]["WhoAmI"]
    assert set(schema["required"]) == {
        "tenant_id", "channel", "key_id", "tenant", "role", "stores", "may"
    }  # fmt: skip
