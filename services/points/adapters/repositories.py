"""The points service's repositories over its own MongoDB database."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from libs.mongo import Database, Doc, Session
from services.points.domain.balances import Balance, ExpiringPoints
from services.points.domain.earning import EarningRule

EARNING_RULES = "earning_rules"
# One projection document per member, keyed "<tenant>:<member>".
BALANCES = "balances"


def balance_key(tenant_id: str, member_id: str) -> str:
    return f"{tenant_id}:{member_id}"


def rule_to_doc(rule: EarningRule) -> Doc:
    return {
        "currency": rule.currency,
        "points_per_unit": str(rule.points_per_unit),
        "rounding": rule.rounding,
        "excluded_categories": sorted(rule.excluded_categories),
        "excluded_skus": sorted(rule.excluded_skus),
        "expiry_months": rule.expiry_months,
        "pending_days": rule.pending_days,
        "version": rule.version,
    }


def rule_from_doc(doc: Doc) -> EarningRule:
    return EarningRule(
        currency=doc["currency"],
        points_per_unit=Decimal(doc["points_per_unit"]),
        rounding=doc["rounding"],
        excluded_categories=frozenset(doc["excluded_categories"]),
        excluded_skus=frozenset(doc["excluded_skus"]),
        expiry_months=doc["expiry_months"],
        pending_days=doc["pending_days"],
        version=doc["version"],
    )


class MongoRuleRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    async def get_rule(self, tenant_id: str) -> EarningRule | None:
        doc = await self._db[EARNING_RULES].find_one({"_id": tenant_id}, session=self._session)
        return rule_from_doc(doc) if doc else None

    async def put_rule(self, tenant_id: str, rule: EarningRule) -> EarningRule:
        current = await self.get_rule(tenant_id)
        stored = dataclasses.replace(rule, version=(current.version if current else 0) + 1)
        await self._db[EARNING_RULES].replace_one(
            {"_id": tenant_id}, rule_to_doc(stored), upsert=True, session=self._session
        )
        return stored


class MongoBalanceRepository:
    def __init__(self, db: Database, session: Session | None) -> None:
        self._db = db
        self._session = session

    async def get_balance(self, tenant_id: str, member_id: str) -> Balance | None:
        doc = await self._db[BALANCES].find_one(
            {"_id": balance_key(tenant_id, member_id)}, session=self._session
        )
        if doc is None:
            return None
        return Balance(
            available=doc["available"],
            held=doc["held"],
            pending=doc.get("pending", 0),
            lifetime_earned=doc.get("lifetime_earned", 0),
            expiring=tuple(
                ExpiringPoints(e["points"], e["expires_at"]) for e in doc.get("expiring", [])
            ),
        )


class MongoRepositories:
    def __init__(self, db: Database, session: Session | None) -> None:
        self.rules = MongoRuleRepository(db, session)
        self.balances = MongoBalanceRepository(db, session)
        self.events: list[object] = []
