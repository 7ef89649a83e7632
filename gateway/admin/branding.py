"""`tenants configure --brand-...`: a tenant's branding from a terminal, checked like the API's
`PUT /v1/admin/branding` body (the same model), keeping the fields not given."""

from __future__ import annotations

import argparse
import base64
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gateway.tenancy.branding import Branding, TenantBranding
from gateway.tenants.bodies import BrandingBody

LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}


class BrandingError(ValueError):
    """The branding asked for is not one the API would take."""


def logo_data_url(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in LOGO_TYPES:
        raise BrandingError(f"a logo is a .png or .svg file, not {path}")
    encoded = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:{LOGO_TYPES[suffix]};base64,{encoded}"


def wanted(args: argparse.Namespace) -> bool:
    given = (args.brand_name, args.brand_colour, args.brand_logo)
    return any(value is not None for value in given) or args.clear_brand_logo


async def configure_branding(
    branding: TenantBranding, tenant_id: str, args: argparse.Namespace
) -> dict[str, Any]:
    look = await branding.look(tenant_id)
    fields = asdict(look.branding) if look else asdict(Branding())
    if args.brand_name is not None:
        fields["display_name"] = args.brand_name
    if args.brand_colour is not None:
        fields["colour"] = args.brand_colour
    if args.brand_logo is not None:
        fields["logo"] = logo_data_url(args.brand_logo)
    if args.clear_brand_logo:
        fields["logo"] = None
    try:
        body = BrandingBody.model_validate(fields)
    except ValidationError as exc:
        raise BrandingError(str(exc)) from None
    chosen = Branding(display_name=body.display_name, colour=body.colour, logo=body.logo)
    await branding.put(tenant_id, chosen)
    return asdict(chosen)
