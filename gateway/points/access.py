"""The scopes of the points endpoints, as dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from gateway.access.auth import RequireScope
from gateway.tenancy.keys import ApiKey

READ_POINTS = RequireScope("points:read")
PointsReader = Annotated[ApiKey, Depends(READ_POINTS)]
PointsWriter = Annotated[ApiKey, Depends(RequireScope("points:write"))]
