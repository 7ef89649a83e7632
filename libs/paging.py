"""How many items one page of a list answer holds."""

from __future__ import annotations

from libs.errors import InvalidArgument

DEFAULT_PAGE = 50
MAX_PAGE = 200


def page_size(requested: int, largest: int = MAX_PAGE) -> int:
    """The caller's `limit`: the default for 0, at most `largest`."""
    if requested < 0:
        raise InvalidArgument("limit: must not be negative")
    return min(requested or DEFAULT_PAGE, largest)
