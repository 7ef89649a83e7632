"""Progress lines of a run, on stderr (the results go to stdout)."""

from __future__ import annotations

import sys


def say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
