"""`python -m services.analytics.rebuild`: drop the analytics read model and replay the
service's own log of the event stream into it.

Runs beside a running analytics service: while it runs the consumer only logs what
arrives, reports answer `analytics_rebuilding`, and the rebuild's last page takes what
arrived meanwhile too. Refused while another rebuild holds the read model. Needs
MONGO_URL (a user who may write the analytics database, as `make reconcile` does) and
MONGO_DB.
"""

from __future__ import annotations

import asyncio
import sys

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from libs.mongo import make_client
from libs.settings import load_settings
from libs.workers import holder_name
from services.analytics.adapters.repositories import MongoUnitOfWork, ensure_indexes
from services.analytics.adapters.zones import StoredTimeZones
from services.analytics.domain.layout import RebuildHeld
from services.analytics.entrypoints.events import parse_logged
from services.analytics.handlers.rebuild import rebuild


class RebuildSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    mongo_url: str = Field(default="mongodb://127.0.0.1:27017/?directConnection=true")
    mongo_db: str = Field(default="loyalty_analytics", min_length=1)
    mongo_timeout_ms: int = Field(default=5000, gt=0)


async def run(settings: RebuildSettings) -> int:
    client = make_client(
        settings.mongo_url, app_name="analytics-rebuild", timeout_ms=settings.mongo_timeout_ms
    )
    try:
        db = client[settings.mongo_db]
        await ensure_indexes(db)
        uow = MongoUnitOfWork(client, db)
        holder = f"cli:{holder_name()}"
        try:
            replayed = await rebuild(uow, parse_logged, StoredTimeZones(db), holder=holder)
        except RebuildHeld:
            sys.stderr.write(
                f"{settings.mongo_db}: another rebuild is running (a service replica's, after an"
                " upgrade, or another run of this command); nothing was changed\n"
            )
            return 1
    finally:
        await client.close()
    sys.stdout.write(f"rebuilt {settings.mongo_db} from {replayed} logged event(s)\n")
    return 0


def main() -> None:
    raise SystemExit(asyncio.run(run(load_settings(RebuildSettings))))


if __name__ == "__main__":
    main()
