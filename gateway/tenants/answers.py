"""What the branding routes answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gateway.tenants.bodies import EXAMPLE_LOGO


class BrandingOut(BaseModel):
    """What the member centre shows of the tenant: no personal data, nothing secret."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "tenant_id": "demo",
                    "display_name": "Demo Brand",
                    "colour": "#0B6E4F",
                    "logo": EXAMPLE_LOGO,
                }
            ]
        }
    )

    tenant_id: str
    display_name: str = Field(description="The branding's name, else the tenant's name")
    colour: str | None = Field(description="#RRGGBB, or null for the platform's own")
    logo: str | None = Field(description="A PNG or SVG `data:` URL, or null")


class BrandingSettingsOut(BaseModel):
    """The branding as set: each field null where it is unset."""

    tenant_id: str
    display_name: str | None
    colour: str | None
    logo: str | None
