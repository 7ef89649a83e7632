"""What `make run` tells a newcomer once the platform is up: where to go, which keys."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from libs.stack.readiness import redact

CHANNELS = ("pos", "ecommerce", "miniprogram", "app", "operator")
SERVER_LABELS = {"mongo": "MongoDB", "redis": "Redis", "nats": "NATS"}
EXAMPLE_ENROLMENT = {
    "channel": "pos",
    "store_id": "S001",
    "identities": [{"type": "phone", "value": "+8613800000001"}],
}


def api_key(credential: object) -> str:
    """A channel's key, whether the credentials file holds it bare or in an object."""
    if isinstance(credential, str):
        return credential
    if isinstance(credential, Mapping):
        for field in ("api_key", "key", "token"):
            if isinstance(value := credential.get(field), str):
                return value
    return json.dumps(credential)


def _key_lines(credentials: Mapping[str, Any]) -> list[str]:
    tenants = credentials.get("tenants")
    if not isinstance(tenants, Mapping) or not tenants:
        return ["    (no tenants in the credentials file)"]
    lines = []
    for tenant, keys in tenants.items():
        if not isinstance(keys, Mapping):
            continue
        ordered = [c for c in CHANNELS if c in keys] + [c for c in keys if c not in CHANNELS]
        for index, channel in enumerate(ordered):
            label = tenant if index == 0 else ""
            lines.append(f"    {label:<9}{channel:<13}{api_key(keys[channel])}")
    return lines


def _example(gateway_url: str, credentials: Mapping[str, Any]) -> list[str]:
    tenants = credentials.get("tenants")
    demo = tenants.get("demo") if isinstance(tenants, Mapping) else None
    if not isinstance(demo, Mapping) or "pos" not in demo:
        return []
    key = api_key(demo["pos"])
    body = json.dumps(EXAMPLE_ENROLMENT, separators=(",", ":"))
    return [
        "",
        "  Enrol a member with the demo POS key, then read it back:",
        f"    curl -s -X POST {gateway_url}/v1/members \\",
        f"      -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\",
        f"      -d '{body}'",
        f"    curl -s '{gateway_url}/v1/members/lookup?type=phone&value=%2B8613800000001' \\",
        f"      -H 'Authorization: Bearer {key}'",
        f"    (or GET {gateway_url}/v1/members/<member_id from the first answer>)",
        *_member_session_example(gateway_url, demo),
    ]


def _member_session_example(gateway_url: str, demo: Mapping[str, Any]) -> list[str]:
    """The app's way: its backend mints a member token; the app sends the token, never the key."""
    if "app" not in demo:
        return []
    return [
        "",
        "  The member's app acts with a member token its backend mints with the app key:",
        f"    curl -s -X POST {gateway_url}/v1/members/<member_id>/sessions \\",
        f"      -H 'Authorization: Bearer {api_key(demo['app'])}'",
        f"    curl -s {gateway_url}/v1/members/<member_id>/points \\",
        "      -H 'Authorization: Bearer <token from the first answer>'",
        "    (sign-in codes for the web member centre: the console's Sign-in codes page)",
    ]


def _console_lines(credentials: Mapping[str, Any]) -> list[str]:
    """How to sign in to the console: brand (tenant), e-mail and password."""
    logins = credentials.get("operators")
    if not isinstance(logins, list):
        return []
    return [
        f"    sign in as  {login.get('tenant_id')} / {login.get('email')} / {login.get('password')}"
        for login in logins
        if isinstance(login, Mapping)
    ]


def platform_summary(
    gateway_url: str,
    credentials: Mapping[str, Any],
    credentials_path: Path,
    server_urls: Mapping[str, str],
) -> str:
    lines = [
        "",
        "The loyalty platform is up.",
        "",
        f"  Gateway       {gateway_url}",
        f"  API docs      {gateway_url}/docs",
        f"  OpenAPI       {gateway_url}/openapi.json",
        f"  Console       {gateway_url}/console",
        *_console_lines(credentials),
        f"  Till          {gateway_url}/till  (a POS key below, or a store manager)",
        f"  Member centre {gateway_url}/m?tenant=demo  (codes: the console's Sign-in codes)",
        "",
        f"  API keys (from {credentials_path}):",
        *_key_lines(credentials),
        "",
        *servers_lines(server_urls),
        *_example(gateway_url, credentials),
        "",
        "Ctrl-C stops everything.",
        "",
    ]
    return "\n".join(lines)


def servers_lines(server_urls: Mapping[str, str]) -> list[str]:
    lines = ["  Backing servers:"]
    lines += [f"    {SERVER_LABELS.get(n, n):<9}{redact(url)}" for n, url in server_urls.items()]
    return lines
