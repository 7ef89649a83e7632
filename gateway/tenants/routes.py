"""A tenant's branding: read by anyone (the member centre, before sign-in), set by its admin.

`GET /v1/tenants/{tenant_id}/branding` is public, like the member centre's sign-in, and
answers only what every member of the brand sees anyway. `GET` and `PUT
/v1/admin/branding` are the caller's own tenant's (`python -m gateway.admin tenants
configure --brand-...` does the same from a terminal).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from gateway.access.auth import OperatorKey
from gateway.clients import AppContainer
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.tenancy.branding import Branding
from gateway.tenants.answers import BrandingOut, BrandingSettingsOut
from gateway.tenants.bodies import BrandingBody

router = APIRouter(tags=["tenants"])
TenantId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
PUBLIC_CACHE = {"Cache-Control": "public, max-age=60"}


@router.get(
    "/v1/tenants/{tenant_id}/branding",
    response_model=BrandingOut,
    summary="A brand's name, colour and logo, for its member-facing pages",
    description=(
        "No key: the member centre shows the brand before anyone signs in. Answers the "
        "display name (the tenant's name where none is set), the colour (`#RRGGBB`) and the "
        "logo (a PNG or SVG `data:` URL), nothing else; each may be null. Cached for a "
        "minute. 404 `tenant_not_found` for a tenant the platform does not have."
    ),
    responses=problem_responses(404, 422),
)
async def public_branding(tenant_id: TenantId, container: AppContainer) -> JSONResponse:
    look = await container.branding.look(tenant_id)
    if look is None:
        raise ApiProblem(404, "tenant_not_found", "no such tenant")
    answer = BrandingOut(
        tenant_id=look.tenant_id,
        display_name=look.branding.display_name or look.name,
        colour=look.branding.colour,
        logo=look.branding.logo,
    )
    return JSONResponse(answer.model_dump(mode="json"), headers=PUBLIC_CACHE)


def _settings_out(tenant_id: str, branding: Branding) -> BrandingSettingsOut:
    return BrandingSettingsOut(
        tenant_id=tenant_id,
        display_name=branding.display_name,
        colour=branding.colour,
        logo=branding.logo,
    )


@router.get(
    "/v1/admin/branding",
    response_model=BrandingSettingsOut,
    summary="The caller's tenant's branding, as set",
    description=(
        "Every operator role reads it; each field is null where it is unset (the public "
        "read, `GET /v1/tenants/{tenant_id}/branding`, then falls back to the tenant's name)."
    ),
    responses=problem_responses(401, 403),
)
async def branding_settings(caller: OperatorKey, container: AppContainer) -> BrandingSettingsOut:
    look = await container.branding.look(caller.tenant_id)
    return _settings_out(caller.tenant_id, look.branding if look else Branding())


@router.put(
    "/v1/admin/branding",
    response_model=BrandingSettingsOut,
    summary="Set the caller's tenant's branding (name, colour, logo)",
    description=(
        "Replaces the branding: a field left out or null is unset (the member centre then "
        "shows the tenant's name, the platform's colour, no logo). The colour is `#RRGGBB`; "
        "the logo a base64 `data:image/png` or `data:image/svg+xml` URL of at most 32 KiB. "
        "The member centre shows a change within a minute."
    ),
    responses=problem_responses(401, 403, 413, 422),
    openapi_extra=json_body(BrandingBody),
)
async def set_branding(
    request: Request, caller: OperatorKey, container: AppContainer
) -> BrandingSettingsOut:
    body = parse_body(BrandingBody, await read_json(request))
    branding = Branding(display_name=body.display_name, colour=body.colour, logo=body.logo)
    await container.branding.put(caller.tenant_id, branding)
    return _settings_out(caller.tenant_id, branding)
