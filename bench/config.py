"""What one benchmark run does, from `make bench` variables (BENCH_MEMBERS, BENCH_QUICK,
BENCH_REPORTS_ONLY)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import Plan
from libs.stack.apps import REPO_ROOT
from libs.stack.servers import URL_VARIABLES

FULL_MEMBERS = 100_000
QUICK_MEMBERS = 2_000
ACTIVE_CAMPAIGNS = 20
ENGINE_CAMPAIGNS = 100

# The stack under test: rate limits out of the way (they are per key, and the benchmark is
# one key); logs at WARNING (a log line per request would be measured too); the points lot
# sweep and the member tier jobs held back, as bulk-loaded history would otherwise keep
# them busy from the first second (the mixed day turns the lot sweep on).
STACK_ENV = {
    "RATE_LIMIT_KEY_PER_SECOND": "1000000",
    "RATE_LIMIT_KEY_BURST": "1000000",
    "RATE_LIMIT_TENANT_PER_SECOND": "1000000",
    "RATE_LIMIT_TENANT_BURST": "1000000",
    "LOG_LEVEL": "WARNING",
    "LOT_SWEEP_SECONDS": "86400",
    "TIER_JOB_SECONDS": "86400",
}


@dataclass(frozen=True)
class Config:
    members: int
    quick: bool
    plan: Plan
    out_dir: Path
    stamp: str
    reports_only: bool = False

    @property
    def var_dir(self) -> Path:
        return self.out_dir / f"stack-{self.stamp}"

    @classmethod
    def from_env(cls, env: Mapping[str, str], now: datetime | None = None) -> Config:
        quick = _flag(env, "BENCH_QUICK")
        members = int(env.get("BENCH_MEMBERS") or (QUICK_MEMBERS if quick else FULL_MEMBERS))
        if members < 100:
            raise ValueError("BENCH_MEMBERS: at least 100")
        plan = (
            Plan(step_seconds=4, max_steps=12, warmup_seconds=2)
            if quick
            else Plan(step_seconds=12, max_steps=12, warmup_seconds=5)
        )
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        out_dir = Path(env.get("BENCH_OUT") or REPO_ROOT / "var" / "bench")
        return cls(members, quick, plan, out_dir, stamp, _flag(env, "BENCH_REPORTS_ONLY"))


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "") not in ("", "0")


def stack_env(env: Mapping[str, str]) -> dict[str, str]:
    """The launcher's environment with the benchmark's settings: embedded servers, except
    a MongoDB named by BENCH_MONGO_URL (a scratch server: the run writes its tenant there
    and drops and refills the database `bench_baseline`)."""
    pointed = {variable for variable, _ in URL_VARIABLES.values()} | {"GATEWAY_PORT"}
    chosen = {**{k: v for k, v in env.items() if k not in pointed}, **STACK_ENV}
    if mongo := env.get("BENCH_MONGO_URL"):
        chosen["MONGO_URL"] = mongo
    return chosen
