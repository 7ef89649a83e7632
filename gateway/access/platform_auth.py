"""Who may call the platform API (`/v1/platform/...`): platform administrators only.

A platform administrator's secret is looked up here and nowhere else, so it opens no
tenant's route (there it is an unknown key: 401). Any other credential is authenticated
as the tenants' routes do, then refused by the permission matrix (403), whose platform
rows name the `platform` principal alone; a suspended tenant's is refused as suspended.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.access.admission import check_permission
from gateway.access.auth import MAX_SECRET_LENGTH, Bearer, authenticate, unauthorized
from gateway.container import get_container
from gateway.edge.audit.declared import begin_audit
from gateway.edge.idempotency.guard import begin_idempotent
from gateway.edge.problems import ApiProblem
from gateway.tenancy.keys import ApiKey
from gateway.tenancy.platform_admins import PLATFORM_TRAIL, is_platform_secret, platform_caller


async def authenticate_platform(request: Request, credentials: Bearer) -> ApiKey:
    """The platform administrator calling, as a caller of the `platform` principal whose
    audit entries go to the tenant the path names (`PLATFORM_TRAIL` when it names none)."""
    container = await get_container(request)
    secret = credentials.credentials if credentials is not None else ""
    if not is_platform_secret(secret):
        await authenticate(request, container, credentials)  # 401, or 403 on admission
        raise ApiProblem(403, "forbidden", "only a platform administrator may do this")
    admin = None
    if len(secret) <= MAX_SECRET_LENGTH:
        admin = await container.platform_admins.find_by_secret(secret)
    if admin is None:
        raise unauthorized("the platform credential is unknown or revoked")
    caller = platform_caller(admin, request.path_params.get("tenant_id") or PLATFORM_TRAIL)
    request.state.caller = caller
    check_permission(request, caller)
    await begin_idempotent(
        request,
        container.idempotency,
        principal=caller.key_id,
        wait_seconds=container.settings.idempotency_wait_seconds,
    )
    await begin_audit(request, caller)
    return caller


PlatformAdministrator = Annotated[ApiKey, Depends(authenticate_platform)]
