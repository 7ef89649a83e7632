"""`python -m services.points.reconcile`: print every member whose points drift.

Checks each wallet against its ledger (available + held == sum of entries), its open
holds, its lots (none below zero or above what it earned; each holding what the entries
and redemptions that name it say: see `domain/lot_moves.py`) and its pending lots. Prints
the drifting members, one a line, and exits 1 if there are any; then each tenant's wallets
summed (what the analytics liability report must equal) and a summary line, and exits 0
when everything agrees.
"""

from __future__ import annotations

import asyncio
import sys

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from libs.mongo import make_client
from libs.settings import load_settings
from services.points.adapters.reconciliation import drifting_wallets, wallet_totals


class ReconcileSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # The local stack's MongoDB unless told otherwise; reconciliation only reads.
    mongo_url: str = Field(default="mongodb://127.0.0.1:27017/?directConnection=true")
    mongo_db: str = Field(default="loyalty_points", min_length=1)
    mongo_timeout_ms: int = Field(default=5000, gt=0)


async def reconcile(settings: ReconcileSettings) -> int:
    client = make_client(
        settings.mongo_url, app_name="points-reconcile", timeout_ms=settings.mongo_timeout_ms
    )
    drifting = 0
    try:
        async for drift in drifting_wallets(client[settings.mongo_db]):
            drifting += 1
            sys.stdout.write(f"{drift.tenant_id} {drift.member_id}: {'; '.join(drift.problems)}\n")
        for tenant, t in sorted((await wallet_totals(client[settings.mongo_db])).items()):
            sys.stdout.write(
                f"{tenant}: {t.wallets} wallet(s) hold {t.available} available, "
                f"{t.held} held, {t.pending} pending\n"
            )
    finally:
        await client.close()
    sys.stdout.write(f"{drifting} drifting member(s) in {settings.mongo_db}\n")
    return 1 if drifting else 0


def main() -> None:
    raise SystemExit(asyncio.run(reconcile(load_settings(ReconcileSettings))))


if __name__ == "__main__":
    main()
