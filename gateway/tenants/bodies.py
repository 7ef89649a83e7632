"""The body that sets a tenant's branding, as a strict model (the admin CLI reads it too)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from gateway.edge.fields import Strict
from gateway.tenancy.branding import COLOUR_PATTERN, LOGO_PATTERN, MAX_LOGO_CHARS, MAX_NAME_CHARS

# A 1-by-1 transparent PNG: the smallest logo there is.
EXAMPLE_LOGO = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
    "YAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class BrandingBody(Strict):
    """Every field, each optional: a field left out (or null) is unset."""

    model_config = Strict.model_config | {
        "json_schema_extra": {
            "examples": [{"display_name": "Demo Brand", "colour": "#0B6E4F", "logo": EXAMPLE_LOGO}]
        }
    }

    display_name: Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)] | None = Field(
        default=None, description="The name members see; the tenant's name when unset"
    )
    colour: Annotated[str, Field(pattern=COLOUR_PATTERN)] | None = Field(
        default=None, description="The brand colour as #RRGGBB (text on it is white)"
    )
    logo: Annotated[str, Field(pattern=LOGO_PATTERN, max_length=MAX_LOGO_CHARS)] | None = Field(
        default=None, description="A small PNG or SVG logo as a base64 `data:` URL"
    )


BODY_MODELS = (BrandingBody,)
