"""A coupon unit of work over a fresh database, and templates to issue from."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from libs.mongo import Database, MongoClient
from libs.unit_of_work import MongoUnitOfWork
from services.campaign.coupons.adapters.events import coupon_to_outbox
from services.campaign.coupons.adapters.repositories import (
    MongoCouponRepositories,
    ensure_coupon_indexes,
)
from services.campaign.coupons.domain.events import CouponEvent
from services.campaign.coupons.domain.templates import (
    CouponTemplate,
    Discount,
    DiscountKind,
    TemplateDefinition,
    Validity,
    create,
)

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
CouponUow = MongoUnitOfWork[MongoCouponRepositories, CouponEvent]


async def coupon_uow(client: MongoClient) -> tuple[Database, CouponUow]:
    db = client[f"coupons_{uuid4().hex[:8]}"]
    await ensure_coupon_indexes(db)
    return db, MongoUnitOfWork(client, db, MongoCouponRepositories, coupon_to_outbox)


def ten_off(tenant_id: str, max_redemptions: int = 1) -> CouponTemplate:
    definition = TemplateDefinition(
        "CNY 10 off",
        Discount(DiscountKind.AMOUNT_OFF, Decimal("10.00"), "CNY"),
        Validity(days=30),
        min_total=Decimal("50.00"),
        max_redemptions=max_redemptions,
    )
    return create(f"ctp_{uuid4().hex[:10]}", tenant_id, definition, NOW)


async def stored_template(uow: CouponUow, template: CouponTemplate) -> CouponTemplate:
    await uow.transaction(lambda repos: repos.templates.add(template))
    return template
