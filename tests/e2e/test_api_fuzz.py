"""A bounded fuzz run of every documented operation against the running platform.

Schemathesis reads `/openapi.json` and sends requests that follow it and requests that
break it (wrong types, values out of range, missing fields, odd strings), a few per
operation, with the same examples on every run (derandomized). Every answer must be
documented: no 5xx, a status code the operation lists, a content type and a body that
fit the schema given for that status.

Each body example the document gives is sent too. The run has its own tenant, so
settings it changes touch no other test; its keys are real ones (an operator key, a pos
key, an app key, and member tokens the app key minted), picked per operation by the
permission matrix, and its rate limits are
high enough not to throttle it. Half of the requests naming a member name a real one, so
they reach past the lookup.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from schemathesis import APIOperation, BaseSchema, Case, GenerationMode, checks

from gateway.access.permissions import rule_for
from gateway.app import create_app
from gateway.matrix import MATRIX
from gateway.openapi.contract import operations
from gateway.settings import GatewaySettings
from gateway.tenancy.platform_admins import PLATFORM
from libs.stack.platform import Stack
from tests.e2e.gateway_support import admin_cli, bearer

EXAMPLES_PER_OPERATION = 20
MIN_EXAMPLES = 5  # for an operation that takes input: fewer means it was hardly fuzzed
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def new_key(stack: Stack, tenant: str, channel: str, *extra: str) -> str:
    issued = admin_cli(stack, "keys", "create", "--tenant", tenant, "--channel", channel, *extra)
    secret: str = issued["secret"]
    return secret


@pytest.fixture(scope="module")
def fuzz_tenant(platform_stack: Stack) -> dict[str, Any]:
    """A tenant of its own with a key per principal the run acts as, and one member."""
    tenant = f"fuzz{uuid4().hex[:10]}"
    admin_cli(
        platform_stack, "tenants", "configure", "--tenant", tenant,
        "--key-per-second", "10000", "--key-burst", "10000",
        "--tenant-per-second", "10000", "--tenant-burst", "10000",
    )  # fmt: skip
    keys = {
        "operator": new_key(platform_stack, tenant, "operator"),
        "pos": new_key(platform_stack, tenant, "pos", "--store", "S001"),
        "app": new_key(platform_stack, tenant, "app"),
        "platform": admin_cli(platform_stack, "platform", "create-admin", "--name", "fuzz")[
            "secret"
        ],
    }
    with httpx.Client(base_url=platform_stack.gateway_url, timeout=30) as http:
        body = {"identities": [{"type": "email", "value": f"{tenant}@fuzz.example"}]}
        enrolled = http.post("/v1/members", json=body, headers=bearer(keys["pos"]))
        assert enrolled.status_code == 201, enrolled.text
        member_id = enrolled.json()["member_id"]
        for name in ("member", "member_to_end"):
            opened = http.post(f"/v1/members/{member_id}/sessions", headers=bearer(keys["app"]))
            assert opened.status_code == 201, opened.text
            keys[name] = opened.json()["token"]
    return {"keys": keys, "member_id": member_id}


@pytest.fixture(scope="module")
def api_schema(platform_stack: Stack) -> BaseSchema:
    return schemathesis.openapi.from_url(f"{platform_stack.gateway_url}/openapi.json")


def documented_operations() -> list[tuple[str, str]]:
    """Every operation of the gateway's OpenAPI document, read from the app itself."""
    settings = GatewaySettings(
        mongo_url="mongodb://127.0.0.1:1",
        redis_url="redis://127.0.0.1:1",
        nats_url="nats://127.0.0.1:1",
        member_addr="127.0.0.1:1",
        points_addr="127.0.0.1:1",
        campaign_addr="127.0.0.1:1",
    )
    return [(method, path) for method, path, _ in operations(create_app(settings).openapi())]


def caller_for(method: str, path: str, keys: dict[str, str]) -> dict[str, str]:
    """The key the matrix lets call the operation: a till's, else the member's own token
    (one of its own for ending a session), else the app's, else the administrator's; a
    platform administrator's for the platform API; none for public operations."""
    rule = rule_for(MATRIX, method, path)
    if rule is None or rule.public:
        return {}
    if (method, path) == ("DELETE", "/v1/member-sessions/current"):
        return bearer(keys["member_to_end"])
    if PLATFORM in rule.allowed:  # the platform API's, which no tenant's key opens
        return bearer(keys["platform"])
    for principal in ("pos", "member", "app"):
        if principal in rule.allowed:
            return bearer(keys[principal])
    return bearer(keys["operator"])


def generated(operation: APIOperation[Any, Any, Any, Any]) -> SearchStrategy[Case[Any]]:
    """Requests that follow the schema and requests that break it."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


@pytest.mark.parametrize(("method", "path"), documented_operations())
def test_every_operation_answers_fuzzed_requests_as_documented(
    api_schema: BaseSchema, fuzz_tenant: dict[str, Any], method: str, path: str
) -> None:
    operation = api_schema[path][method]
    headers = caller_for(method, path, fuzz_tenant["keys"])

    @given(case=generated(operation))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: Case[Any]) -> None:
        sent.append(case)
        parameters = case.path_parameters or {}
        if (
            "member_id" in parameters
            and not path.endswith("/erase")  # the member must live on for the other operations
            and len(str(parameters["member_id"])) % 2 == 0
        ):
            parameters["member_id"] = fuzz_tenant["member_id"]
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

    sent: list[Case[Any]] = []
    for case in documented_examples(operation, fuzz_tenant["member_id"]):
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)
    answers_as_documented()

    raw = operation.definition.raw
    least = MIN_EXAMPLES if raw.get("parameters") or raw.get("requestBody") else 1
    assert len(sent) >= least, f"only {len(sent)} requests could be generated"


def documented_examples(
    operation: APIOperation[Any, Any, Any, Any], member_id: str
) -> list[Case[Any]]:
    """The operation called with each body example its documentation gives."""
    found = operation.definition.raw.get("requestBody", {}).get("content", {})
    parameters = {
        p["name"]: member_id if p["name"] == "member_id" else "unknown-id"
        for p in operation.definition.raw.get("parameters", [])
        if p["in"] == "path"
    }
    return [
        operation.Case(body=media["example"], media_type=media_type, path_parameters=parameters)
        for media_type, media in found.items()
        if "example" in media
    ]
