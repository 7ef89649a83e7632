"""Where the children's output goes: one shared sink, a coloured name before each line."""

from __future__ import annotations

import threading
from typing import TextIO

PREFIX_WIDTH = 8
_PALETTE = ("36", "33", "35", "32", "34", "91", "96", "93", "95", "92")
_colours: dict[str, str] = {}
_sink_lock = threading.Lock()


def line_prefix(name: str, *, colour: bool) -> str:
    """The fixed-width prefix (`mongo    | `) put before every line a child writes."""
    label = f"{name:<{PREFIX_WIDTH}} | "
    if not colour:
        return label
    with _sink_lock:
        code = _colours.setdefault(name, _PALETTE[len(_colours) % len(_PALETTE)])
    return f"\x1b[{code}m{label}\x1b[0m"


def write_to(sink: TextIO, text: str) -> None:
    """Write whole lines to a sink the children's output also goes to, unbroken."""
    with _sink_lock:
        sink.write(text)
        sink.flush()


def is_tty(sink: TextIO | None) -> bool:
    isatty = getattr(sink, "isatty", None)
    return bool(isatty and isatty())
