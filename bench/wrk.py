"""A cross-check of the bare endpoint with `wrk` (Debian's HTTP load tool, written in C).

The benchmark's own generator is Python: if it were the bound, every ratio against the
bare endpoint would flatter the platform. wrk runs closed-loop on one thread with a few
dozen connections, so its rate is close to the most the bare endpoint can answer; the
table shows it beside the generator's sustained rate. `make bench-tools` installs wrk.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from typing import Any

from bench.measure import Plan

CONNECTIONS = 32
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_PERCENTILE = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)


def parse(output: str) -> dict[str, float]:
    """Requests per second and the latency percentiles (ms) of `wrk --latency`."""
    found: dict[str, float] = {}
    if rate := _RATE.search(output):
        found["requests_per_s"] = float(rate.group(1))
    for percent, value, unit in _PERCENTILE.findall(output):
        found[f"p{percent}_ms"] = round(float(value) * _UNITS[unit], 3)
    return found


async def cross_check(url: str, plan: Plan) -> dict[str, Any]:
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (make bench-tools)"}
    seconds = max(3, round(plan.step_seconds))
    process = await asyncio.create_subprocess_exec(
        wrk,
        "-t1",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    text = out.decode("utf-8", "replace")
    found = parse(text)
    if process.returncode != 0 or "requests_per_s" not in found:
        return {"skipped": f"wrk failed: {text.strip()[-200:]}"}
    return {"tool": "wrk", "connections": CONNECTIONS, "seconds": seconds, **found}
