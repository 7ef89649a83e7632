"""The analytics service's errors, each carrying its gRPC status and machine code."""

from __future__ import annotations

from libs.errors import InvalidArgument


class BadRange(InvalidArgument):
    code = "invalid_range"


class BadPointValue(InvalidArgument):
    code = "invalid_point_value"


class BadPageToken(InvalidArgument):
    code = "invalid_page_token"
