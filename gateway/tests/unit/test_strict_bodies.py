"""Every request body the gateway documents rejects fields it does not know (issue 6)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from gateway.app import create_app
from gateway.settings import GatewaySettings

UNUSED = "127.0.0.1:1"


def _open_objects(schema: dict[str, Any], schemas: dict[str, Any], seen: set[str]) -> list[str]:
    """The names of object schemas under `schema` that accept unknown properties."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return [f"{name}.{o}" if o else name for o in _open_objects(schemas[name], schemas, seen)]
    found = []
    if "properties" in schema and schema.get("additionalProperties") is not False:
        found.append("")
    children = list(schema.get("properties", {}).values())
    children += [
        schema[k] for k in ("items", "additionalProperties") if isinstance(schema.get(k), dict)
    ]
    children += [v for k in ("anyOf", "oneOf", "allOf") for v in schema.get(k, [])]
    for child in children:
        found += _open_objects(child, schemas, seen)
    return found


def test_every_documented_request_body_rejects_unknown_fields() -> None:
    app: FastAPI = create_app(
        GatewaySettings(
            mongo_url=f"mongodb://{UNUSED}",
            redis_url=f"redis://{UNUSED}",
            nats_url=f"nats://{UNUSED}",
            member_addr=UNUSED,
            points_addr=UNUSED,
            campaign_addr=UNUSED,
        )
    )
    document = app.openapi()
    schemas = document["components"]["schemas"]
    bodies = [
        (f"{method.upper()} {path}", content["schema"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for content in operation.get("requestBody", {}).get("content", {}).values()
    ]

    open_bodies = {
        route: found for route, schema in bodies if (found := _open_objects(schema, schemas, set()))
    }

    assert len(bodies) >= 10
    assert open_bodies == {}
