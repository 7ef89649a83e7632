"""Which route answered a request, as its full path template (`/v1/members/{member_id}`)."""

from __future__ import annotations

from starlette.types import Scope


def route_template(scope: Scope) -> str | None:
    """The matched route's template, once routing has run; None when nothing matched.

    FastAPI keeps the route as declared in its router (`scope["route"]`); the template
    with every `include_router` prefix is on the effective route it resolved, when there.
    """
    effective = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(effective, "path_format", None) or getattr(scope.get("route"), "path", None)
    return template if isinstance(template, str) else None
