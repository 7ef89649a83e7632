"""Merging members and reading tier progress, as MemberService RPCs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from libs.errors import InvalidArgument
from libs.grpc.requests import Context, tenant_of
from libs.timestamps import timestamp
from loyalty.member.v1 import member_pb2 as pb
from services.member.domain.ports import UnitOfWork
from services.member.domain.qualifying import Cart, TierProgress
from services.member.entrypoints.translators.admin import program_tier_message
from services.member.entrypoints.translators.members import (
    actor_from,
    member_message,
    tier_message,
)
from services.member.handlers.merge import MergeMembers, merge_members
from services.member.handlers.tier_progress import get_tier_progress


def progress_message(progress: TierProgress) -> pb.TierProgress:
    message = pb.TierProgress(
        member_id=progress.member_id,
        tier=tier_message(progress.tier, ""),
        qualifying_metric=progress.metric,
        window_days=progress.window_days,
        qualifying_amount=progress.amount,
        still_needed=progress.still_needed,
        counted_since=timestamp(progress.counted_since),
    )
    if progress.next_tier is not None:
        tier = progress.next_tier
        message.next_tier.CopyFrom(program_tier_message(tier))
    if progress.needed_by is not None:
        message.needed_by.CopyFrom(timestamp(progress.needed_by))
    if progress.held_until is not None:
        message.tier_held_until.CopyFrom(timestamp(progress.held_until))
    if progress.still_needed_after_cart is not None:
        message.still_needed_after_cart = progress.still_needed_after_cart
    return message


def cart_from(request: pb.GetTierProgressRequest) -> Cart | None:
    """The cart the request names, if any: points and spend, neither negative."""
    if not request.cart_points and not request.cart_spend:
        return None
    try:
        spend = Decimal(request.cart_spend or "0")
    except InvalidOperation:
        raise InvalidArgument("cart_spend: a decimal amount") from None
    if not spend.is_finite() or spend < 0 or request.cart_points < 0:
        raise InvalidArgument("cart_points and cart_spend: not negative")
    return Cart(request.cart_points, spend)


class MergeRpcs:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def MergeMembers(
        self, request: pb.MergeMembersRequest, context: Context
    ) -> pb.MergeMembersResponse:
        command = MergeMembers(
            tenant_id=tenant_of(request.tenant_id),
            survivor_id=request.survivor_id,
            merged_id=request.merged_id,
            actor=actor_from(request.actor),
        )
        result = await merge_members(command, self._uow)
        return pb.MergeMembersResponse(survivor=member_message(result), merged=result.merged)

    async def GetTierProgress(
        self, request: pb.GetTierProgressRequest, context: Context
    ) -> pb.GetTierProgressResponse:
        progress = await get_tier_progress(
            tenant_of(request.tenant_id), request.member_id, self._uow, cart=cart_from(request)
        )
        return pb.GetTierProgressResponse(progress=progress_message(progress))
