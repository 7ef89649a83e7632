"""The PointsService's reads of a member's orders and redemptions, page by page: translate,
call the handler, translate back (a part of `PointsServicer`)."""

from __future__ import annotations

from libs.grpc.requests import Context, tenant_of
from loyalty.points.v1 import points_pb2 as pb
from services.points.domain.ports import UnitOfWork
from services.points.entrypoints.translators import orders
from services.points.entrypoints.translators.order_view import order_view_response
from services.points.handlers import member_history


class MemberHistoryRpcs:
    _uow: UnitOfWork

    async def ListMemberOrders(
        self, request: pb.ListMemberOrdersRequest, context: Context
    ) -> pb.ListMemberOrdersResponse:
        found = await member_history.member_orders(
            tenant_of(request.tenant_id),
            request.member_id,
            request.limit,
            request.cursor,
            uow=self._uow,
            store_ids=frozenset(request.store_ids),
        )
        return pb.ListMemberOrdersResponse(
            orders=[order_view_response(view) for view in found.orders],
            next_cursor=found.next_cursor,
        )

    async def ListMemberRedemptions(
        self, request: pb.ListMemberRedemptionsRequest, context: Context
    ) -> pb.ListMemberRedemptionsResponse:
        found = await member_history.member_redemptions(
            tenant_of(request.tenant_id),
            request.member_id,
            request.limit,
            request.cursor,
            uow=self._uow,
            store_ids=frozenset(request.store_ids),
        )
        return pb.ListMemberRedemptionsResponse(
            redemptions=[orders.redemption_message(r) for r in found.redemptions],
            next_cursor=found.next_cursor,
        )
