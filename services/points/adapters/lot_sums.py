"""What the entries and redemptions that name each lot say it holds, read from MongoDB."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from libs.mongo import Database, Doc
from services.points.adapters.repositories import ENTRIES, REDEMPTIONS
from services.points.domain.redemptions import RedemptionStatus

LotKey = tuple[str, str]  # (tenant id, lot id)
RELEASED = [RedemptionStatus.RELEASED.value, RedemptionStatus.EXPIRED.value]


@dataclass
class NamedLot:
    points: int = 0
    members: set[str] = field(default_factory=set)


async def _add(
    found: dict[LotKey, NamedLot],
    db: Database,
    collection: str,
    match: Doc,
    *,
    moves: str,
    sign: int,
) -> None:
    pipeline: list[Doc] = [
        {"$match": match},
        {"$unwind": f"${moves}"},
        {
            "$group": {
                "_id": {"tenant_id": "$tenant_id", "lot_id": f"${moves}.lot_id"},
                "points": {"$sum": f"${moves}.points"},
                "members": {"$addToSet": "$member_id"},
            }
        },
    ]
    async for row in await db[collection].aggregate(pipeline):
        named = found[(row["_id"]["tenant_id"], row["_id"]["lot_id"])]
        named.points += sign * row["points"]
        named.members.update(row["members"])


async def named_lots(db: Database, tenant: Doc) -> dict[LotKey, NamedLot]:
    """Per lot: the moves its entries wrote, less what open holds took from it and what
    released holds paid of a debt from it. `tenant` narrows it to one tenant, or is {}."""
    found: dict[LotKey, NamedLot] = defaultdict(NamedLot)
    await _add(found, db, ENTRIES, tenant, moves="lots", sign=1)
    held = {**tenant, "status": RedemptionStatus.HELD.value}
    await _add(found, db, REDEMPTIONS, held, moves="takes", sign=-1)
    released = {**tenant, "status": {"$in": RELEASED}}
    await _add(found, db, REDEMPTIONS, released, moves="debt_paid", sign=-1)
    return found
