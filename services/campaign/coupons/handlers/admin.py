"""Operators' coupon use cases: templates, bulk codes and public codes."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.errors import InvalidArgument, NotFound
from libs.ids import new_id
from libs.paging import page_size
from services.campaign.coupons.domain import templates as coupon_templates
from services.campaign.coupons.domain.batches import KeyedBatch, checked_request_id, empty_places
from services.campaign.coupons.domain.codes import custom_code, new_codes, normalise
from services.campaign.coupons.domain.coupons import (
    Coupon,
    CouponKind,
    issued_coupon,
)
from services.campaign.coupons.domain.errors import CodeInUse, CouponNotFound
from services.campaign.coupons.domain.events import CouponIssued
from services.campaign.coupons.domain.ports import CodeTaken, CouponRepositories, CouponUnitOfWork
from services.campaign.coupons.domain.templates import (
    CouponTemplate,
    TemplateDefinition,
    TemplateStatus,
    TemplateUsage,
    usable_for_issue,
)
from services.campaign.coupons.handlers.issue import add_with_fresh_code, template_of

MAX_BATCH = 100_000
# One insert_many of this many codes keeps each round trip short on a slow server.
INSERT_CHUNK = 2_500
# A few chunks in flight at once: the server stores one while the next is encoded.
PARALLEL_CHUNKS = 4
MAX_BATCH_PAGE = 1_000


@dataclass(frozen=True)
class PublicCode:
    tenant_id: str
    template_id: str
    code: str
    usage_limit: int
    per_member_limit: int | None


async def create_template(
    tenant_id: str, definition: TemplateDefinition, uow: CouponUnitOfWork, clock: Clock = utc_now
) -> CouponTemplate:
    template = coupon_templates.create(new_id("ctp"), tenant_id, definition, clock())
    await uow.transaction(lambda repos: repos.templates.add(template))
    return template


async def get_template(tenant_id: str, template_id: str, uow: CouponUnitOfWork) -> CouponTemplate:
    return await uow.read(lambda repos: template_of(repos, tenant_id, template_id))


async def find_coupon(
    tenant_id: str, code: str, uow: CouponUnitOfWork
) -> tuple[Coupon, CouponTemplate]:
    async def work(repos: CouponRepositories) -> tuple[Coupon, CouponTemplate]:
        coupon = await repos.coupons.by_code(tenant_id, normalise(code))
        if coupon is None:
            raise CouponNotFound()
        return coupon, await template_of(repos, tenant_id, coupon.template_id)

    return await uow.read(work)


async def list_templates(tenant_id: str, limit: int, uow: CouponUnitOfWork) -> list[CouponTemplate]:
    return await uow.read(lambda repos: repos.templates.list(tenant_id, page_size(limit)))


async def template_usage(
    tenant_id: str, template_ids: Sequence[str], uow: CouponUnitOfWork
) -> list[TemplateUsage]:
    """How much each template's coupons have been used, in the order asked."""
    if not template_ids:
        return []
    return await uow.read(lambda repos: repos.coupons.usage(tenant_id, template_ids))


async def set_template_status(
    tenant_id: str,
    template_id: str,
    status: TemplateStatus,
    uow: CouponUnitOfWork,
    clock: Clock = utc_now,
) -> CouponTemplate:
    async def work(repos: CouponRepositories) -> CouponTemplate:
        current = await template_of(repos, tenant_id, template_id)
        changed = coupon_templates.set_status(current, status, clock())
        if changed is not current:
            await repos.templates.save(changed)
        return changed

    return await uow.transaction(work)


async def generate_coupons(
    tenant_id: str,
    template_id: str,
    count: int,
    uow: CouponUnitOfWork,
    clock: Clock = utc_now,
    *,
    request_id: str = "",
) -> tuple[str, int]:
    """`count` bearer codes of the template as one batch: its id and size.

    With a request id the batch is generated once: the same id again (at the same time
    too) answers the batch claimed first and fills whatever of it is still missing."""
    if not 1 <= count <= MAX_BATCH:
        raise InvalidArgument(f"count: from 1 to {MAX_BATCH}")
    request_id = checked_request_id(request_id)
    template = await get_template(tenant_id, template_id, uow)
    now = clock()
    usable_for_issue(template, now)
    if request_id:
        claimed = KeyedBatch(tenant_id, template_id, request_id, new_id("cb"), count, now)
        batch = await uow.read(lambda repos: repos.coupons.claim_batch(claimed))
        await _fill_keyed_batch(template, batch, uow, now)
        return batch.batch_id, batch.count
    batch_id = new_id("cb")

    def bearer(code: str) -> Coupon:
        return _bearer(template, code, batch_id, None, now)

    left = count
    while left:
        sizes = [min(INSERT_CHUNK, left - i) for i in range(0, left, INSERT_CHUNK)]
        chunks = [[bearer(code) for code in new_codes(n)] for n in sizes[:PARALLEL_CHUNKS]]
        taken = await asyncio.gather(*(_insert(uow, chunk) for chunk in chunks))
        left -= sum(len(chunk) - len(t) for chunk, t in zip(chunks, taken, strict=True))
    return batch_id, count


def _bearer(
    template: CouponTemplate, code: str, batch_id: str, place: int | None, now: datetime
) -> Coupon:
    return issued_coupon(
        template,
        coupon_id=new_id("cpn"),
        code=code,
        kind=CouponKind.BEARER,
        member_id="",
        now=now,
        batch_id=batch_id,
        batch_slot=place,
    )


async def _insert(uow: CouponUnitOfWork, chunk: list[Coupon]) -> list[Coupon]:
    # Outside a transaction: a batch is too large for one, and a code that was taken is
    # simply drawn again.
    return await uow.read(lambda repos: repos.coupons.add_many(chunk))


async def _fill_keyed_batch(
    template: CouponTemplate, batch: KeyedBatch, uow: CouponUnitOfWork, now: datetime
) -> None:
    """Give every empty place of the batch a code. A code refused (its code taken, or its
    place filled by another call meanwhile) is found out by reading the places again."""
    while True:
        filled = await uow.read(
            lambda repos: repos.coupons.batch_places(batch.tenant_id, batch.batch_id)
        )
        places = empty_places(batch.count, filled)
        if not places:
            return
        for start in range(0, len(places), INSERT_CHUNK * PARALLEL_CHUNKS):
            round_places = places[start : start + INSERT_CHUNK * PARALLEL_CHUNKS]
            codes = new_codes(len(round_places))
            coupons = [
                _bearer(template, code, batch.batch_id, place, now)
                for code, place in zip(codes, round_places, strict=True)
            ]
            chunks = [coupons[i : i + INSERT_CHUNK] for i in range(0, len(coupons), INSERT_CHUNK)]
            await asyncio.gather(*(_insert(uow, chunk) for chunk in chunks))


async def batch_coupons(
    tenant_id: str, batch_id: str, after: str, limit: int, uow: CouponUnitOfWork
) -> list[Coupon]:
    """A page of the batch's codes. A batch has a code or more, so a first page with none
    is a batch the tenant does not have (another tenant's is no different)."""
    size = page_size(limit, MAX_BATCH_PAGE)
    page = await uow.read(lambda repos: repos.coupons.of_batch(tenant_id, batch_id, after, size))
    if not page and not after:
        raise NotFound(f"no coupon batch {batch_id}", code="batch_not_found")
    return page


async def create_public_code(
    cmd: PublicCode, uow: CouponUnitOfWork, clock: Clock = utc_now
) -> Coupon:
    if cmd.usage_limit < 1:
        raise InvalidArgument("usage_limit: 1 or more")
    if cmd.per_member_limit is not None and cmd.per_member_limit < 1:
        raise InvalidArgument("per_member_limit: 1 or more")
    template = await get_template(cmd.tenant_id, cmd.template_id, uow)
    now = clock()
    usable_for_issue(template, now)

    def public(code: str) -> Coupon:
        return issued_coupon(
            template,
            coupon_id=new_id("cpn"),
            code=code,
            kind=CouponKind.PUBLIC,
            member_id="",
            now=now,
            max_redemptions=cmd.usage_limit,
            per_member_limit=cmd.per_member_limit,
        )

    if not cmd.code:
        return await add_with_fresh_code(uow, public)
    coupon = public(custom_code(cmd.code))

    async def work(repos: CouponRepositories) -> Coupon:
        await repos.coupons.add(coupon)
        repos.record(CouponIssued(new_id("ev"), coupon, now))
        return coupon

    try:
        return await uow.transaction(work)
    except CodeTaken:
        raise CodeInUse(coupon.code) from None
