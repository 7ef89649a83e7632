"""What the OpenAPI document promises beyond what each route declares.

Every answer the gateway's pipeline can give an operation is documented on it (so a client
generated from the document, or a fuzzer checking conformance, meets no surprise), every
operation is tagged for its audience (touchpoints, operators, or the platform itself), and
every request body carries an example.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gateway.access.permissions import TOUCHPOINTS, rule_for
from gateway.approvals.gates import GATES
from gateway.edge.problems import PROBLEM_MEDIA_TYPE, problem_responses
from gateway.matrix import MATRIX
from gateway.openapi.examples import BODY_EXAMPLES

Operation = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "patch")
AUDIENCES = {
    "Touchpoints": "Tills, the e-commerce site, the mini-program and the app, with their API keys",
    "Operators": "The brand's staff: the console, operator keys and signed-in operators",
    "Platform": "Health, readiness and metrics for the infrastructure; no key",
}
# Answers of the pipeline, by what an operation has (see docs/gateway.md, The order of checks).
AUTHENTICATED = (401, 403, 429)
UPSTREAM = (503, 504)  # a service unavailable or too slow
WITH_INPUT = (422,)  # path, query or header parameters, or a body
WITH_PATH_ID = (404,)
POSTED = (409, 422)  # an Idempotency-Key in use with another body, or malformed
WITH_BODY = (413, 422)


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Send the same key again with the same body to get the first answer again "
    "(kept at least 24 hours, per API key); another body with it is 409 idempotency_conflict.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[ -~]*[!-~][ -~]*$",
    },
    "example": "7f3c9a52-5b1e-4f8e-9a55-0c2d1e6b4a10",
}


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, Operation]]:
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def pipeline_statuses(method: str, path: str, operation: Operation) -> set[int]:
    statuses: set[int] = set()
    if operation.get("security"):
        statuses.update(AUTHENTICATED)
        statuses.update(UPSTREAM)
    if operation.get("parameters") or "requestBody" in operation:
        statuses.update(WITH_INPUT)
    if "{" in path:
        statuses.update(WITH_PATH_ID)
    if method == "POST" and operation.get("security"):
        statuses.update(POSTED)
    if "requestBody" in operation:
        statuses.update(WITH_BODY)
    return statuses


def document_idempotency_key(method: str, operation: Operation) -> None:
    if method == "POST" and operation.get("security"):
        operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)


def document_problems(method: str, path: str, operation: Operation) -> None:
    """Add the pipeline's problem answers; FastAPI's own 422 schema is not what is sent."""
    responses = operation.setdefault("responses", {})
    declared_422 = responses.get("422", {}).get("content", {})
    if declared_422 and PROBLEM_MEDIA_TYPE not in declared_422:
        del responses["422"]
    for status, answer in problem_responses(*pipeline_statuses(method, path, operation)).items():
        responses.setdefault(str(status), answer)


def audience_of(method: str, path: str) -> str:
    rule = rule_for(MATRIX, method, path)
    if rule is None or rule.public:
        return "Operators" if path.startswith("/v1/") else "Platform"
    return "Touchpoints" if rule.allowed & set(TOUCHPOINTS) else "Operators"


def tag_by_audience(method: str, path: str, operation: Operation) -> str:
    """One tag, `<audience> · <resource>`: the router's tag names the resource."""
    resource = (operation.get("tags") or ["other"])[0]
    resource = resource.removeprefix("admin: ").removeprefix("operators: ")
    tag = f"{audience_of(method, path)} · {resource}"
    operation["tags"] = [tag]
    return tag


def add_body_example(operation: Operation, schemas: dict[str, Any]) -> None:
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "example" in media or "examples" in media:
            continue
        schema = media.get("schema", {})
        name = schema.get("$ref", "").rpartition("/")[2]
        own = schemas.get(name, {}).get("examples") or schema.get("examples")
        example = own[0] if own else BODY_EXAMPLES.get(name, schema.get("example"))
        if example is not None:
            media["example"] = example


HELD = {
    "description": "Held for a second operator's approval by the tenant's policy "
    "(docs/approvals.md); `Location` names the approval",
    "headers": {"Location": {"schema": {"type": "string"}, "description": "The approval"}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HeldOut"}}},
}


def document_held(method: str, path: str, operation: Operation) -> None:
    """A route a tenant's approval policy may hold answers 202 when it does; one that also
    starts a background operation (`?async=true`) answers 202 either way, told apart by
    the body."""
    if (method.upper(), path) not in GATES:
        return
    responses = operation.setdefault("responses", {})
    started = responses.get("202")
    if started is None:
        responses["202"] = HELD
        return
    schema = started["content"]["application/json"]["schema"]
    held_schema = HELD["content"]["application/json"]["schema"]  # type: ignore[index]
    responses["202"] = {
        "description": f"{started['description']}; or {HELD['description']}",
        "headers": HELD["headers"],
        "content": {"application/json": {"schema": {"oneOf": [schema, held_schema]}}},
    }


def complete_document(document: dict[str, Any]) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    tags: dict[str, str] = {}
    for method, path, operation in operations(document):
        document_idempotency_key(method, operation)
        document_problems(method, path, operation)
        document_held(method, path, operation)
        tag = tag_by_audience(method, path, operation)
        tags[tag] = tag.partition(" · ")[0]
        add_body_example(operation, schemas)
    order = list(AUDIENCES)
    ordered = sorted(tags.items(), key=lambda item: (order.index(item[1]), item[0]))
    document["tags"] = [{"name": tag, "description": AUDIENCES[a]} for tag, a in ordered]
    document["x-tagGroups"] = [
        {"name": audience, "tags": sorted(t for t, a in tags.items() if a == audience)}
        for audience in AUDIENCES
    ]
