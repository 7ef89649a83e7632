"""The tenants' earning rules in MongoDB."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from libs.mongo import Database, Doc, Session
from services.points.domain.earning import EarningRule

EARNING_RULES = "earning_rules"


def rule_to_doc(rule: EarningRule) -> Doc:
    return {
        "currency": rule.currency,
        "points_per_unit": str(rule.points_per_unit),
        "rounding": rule.rounding,
        "excluded_categories": sorted(rule.excluded_categories),
        "excluded_skus": sorted(rule.excluded_skus),
        "expiry_months": rule.expiry_months,
        "pending_days": rule.pending_days,
        "allow_adjustment_debt": rule.allow_adjustment_debt,
        "transfer_limit_per_day": rule.transfer_limit_per_day,
        "time_zone": rule.time_zone,
        "expiry_policy": rule.expiry_policy,
        "expiry_days": rule.expiry_days,
        "return_shortfall": rule.return_shortfall,
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
        allow_adjustment_debt=doc.get("allow_adjustment_debt", False),
        transfer_limit_per_day=doc.get("transfer_limit_per_day", 0),
        time_zone=doc.get("time_zone", "UTC"),
        expiry_policy=doc.get("expiry_policy", ""),
        expiry_days=doc.get("expiry_days", 0),
        return_shortfall=doc.get("return_shortfall", "debt"),
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
