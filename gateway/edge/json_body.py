"""Reading a JSON body by hand, after authentication and permission have been checked.

FastAPI validates declared bodies before a route runs, and answers 422 for malformed
JSON before any dependency; docs/api.md wants 401, then 403, then 422. Routes with a body
therefore take the `Request` and parse it here once they know who is calling.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from gateway.edge.json_depth import MAX_DEPTH, too_deep
from gateway.edge.problems import ApiProblem, validation_problem

M = TypeVar("M", bound=BaseModel)


def _invalid_body(message: str) -> ApiProblem:
    return validation_problem([{"loc": ("body",), "msg": message}])


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise _invalid_body("a JSON body is required")
    if too_deep(raw):
        raise _invalid_body(f"nests deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _invalid_body(f"not valid JSON ({exc})") from None


def top_level_str(document: Any, field: str) -> str | None:
    """`document[field]` when the document is an object and that field a string."""
    if isinstance(document, dict):
        value = document.get(field)
        if isinstance(value, str):
            return value
    return None


def parse_body(model: type[M], document: Any) -> M:
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        errors = [
            {**err, "loc": ("body", *err["loc"])}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise validation_problem(errors) from None


REF_TEMPLATE = "#/components/schemas/{model}"


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route that parses `model` from its body by hand."""
    schema = {"$ref": REF_TEMPLATE.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
