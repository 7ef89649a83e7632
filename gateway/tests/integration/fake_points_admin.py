"""The points stand-in's answers to the operators' calls: adjustments one by one and from
files, and transfers, with the real service's codes (adjustment_conflict,
transfer_conflict, insufficient_points)."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio
from typing_extensions import override

from libs.errors import Conflict, FailedPrecondition
from libs.ids import new_id
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1 import points_pb2_grpc

if TYPE_CHECKING:
    from gateway.tests.integration.fake_points import Wallet

Context = aio.ServicerContext[Any, Any]
Key = tuple[str, str]  # (tenant_id, id)


def _now() -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(datetime.now(UTC))
    return stamp


@dataclass
class PointsAdminRpcs(points_pb2_grpc.PointsServiceServicer):
    adjustments: dict[Key, tuple[pb.AdjustPointsRequest, pb.AdjustPointsResponse]] = field(
        default_factory=dict
    )
    bulk_requests: list[pb.BulkAdjustPointsRequest] = field(default_factory=list)
    expiring_asked: list[pb.GetExpiringPointsRequest] = field(default_factory=list)
    # What ReconcilePoints answers, by tenant: none drifting unless a test says so.
    drifting: dict[str, list[pb.DriftingMember]] = field(default_factory=dict)
    transfers: dict[Key, tuple[pb.TransferPointsRequest, pb.TransferPointsResponse]] = field(
        default_factory=dict
    )
    bulk_rows: set[Key] = field(default_factory=set)

    @abstractmethod
    def wallet(self, tenant_id: str, member_id: str) -> Wallet:
        """The member's wallet, kept by the fake that mixes these RPCs in."""

    @override
    async def AdjustPoints(
        self, request: pb.AdjustPointsRequest, context: Context
    ) -> pb.AdjustPointsResponse:
        key = (request.tenant_id, request.adjustment_id)
        if key in self.adjustments:
            first_request, first_answer = self.adjustments[key]
            if first_request != request:
                raise Conflict("another body", code="adjustment_conflict")
            replay = pb.AdjustPointsResponse()
            replay.CopyFrom(first_answer)
            replay.replayed = True
            return replay
        wallet = self.wallet(request.tenant_id, request.member_id)
        if wallet.available + request.points < 0:
            raise FailedPrecondition("not enough points", code="insufficient_points")
        wallet.available += request.points
        wallet.record("adjust", request.points, request.reason)
        entry = wallet.entries[-1]
        answer = pb.AdjustPointsResponse(
            adjustment=pb.Adjustment(
                adjustment_id=request.adjustment_id,
                member_id=request.member_id,
                points=request.points,
                reason=request.reason,
                actor=request.actor,
                entry_id=entry.entry_id or new_id("ent_"),
                created_at=_now(),
            ),
            balance=wallet.balance(),
        )
        self.adjustments[key] = (request, answer)
        return answer

    @override
    async def BulkAdjustPoints(
        self, request: pb.BulkAdjustPointsRequest, context: Context
    ) -> pb.BulkAdjustPointsResponse:
        self.bulk_requests.append(request)
        answer = pb.BulkAdjustPointsResponse()
        for row in request.rows:
            key = (request.tenant_id, f"{request.file_id}#{row.row}")
            wallet = self.wallet(request.tenant_id, row.member_id)
            if key in self.bulk_rows:
                answer.already_applied += 1
            elif wallet.available + row.points < 0:
                answer.rejected.append(
                    pb.RejectedRow(
                        row=row.row,
                        member_id=row.member_id,
                        reason="not enough points",
                        code="insufficient_points",
                    )
                )
            else:
                self.bulk_rows.add(key)
                wallet.available += row.points
                wallet.record("adjust", row.points, row.reason)
                answer.accepted += 1
        return answer

    @override
    async def TransferPoints(
        self, request: pb.TransferPointsRequest, context: Context
    ) -> pb.TransferPointsResponse:
        key = (request.tenant_id, request.transfer_id)
        if key in self.transfers:
            first_request, first_answer = self.transfers[key]
            if first_request != request:
                raise Conflict("another body", code="transfer_conflict")
            replay = pb.TransferPointsResponse()
            replay.CopyFrom(first_answer)
            replay.replayed = True
            return replay
        sender = self.wallet(request.tenant_id, request.from_member_id)
        receiver = self.wallet(request.tenant_id, request.to_member_id)
        if sender.available < request.points:
            raise FailedPrecondition("not enough points", code="insufficient_points")
        sender.available -= request.points
        receiver.available += request.points
        sender.record("transfer_out", -request.points, request.reason)
        receiver.record("transfer_in", request.points, request.reason)
        answer = pb.TransferPointsResponse(
            transfer=pb.Transfer(
                transfer_id=request.transfer_id,
                from_member_id=request.from_member_id,
                to_member_id=request.to_member_id,
                points=request.points,
                reason=request.reason or "points transfer",
                actor=request.actor,
                out_entry_id=sender.entries[-1].entry_id,
                in_entry_id=receiver.entries[-1].entry_id,
                created_at=_now(),
            ),
            from_balance=sender.balance(),
            to_balance=receiver.balance(),
        )
        self.transfers[key] = (request, answer)
        return answer

    @override
    async def GetExpiringPoints(
        self, request: pb.GetExpiringPointsRequest, context: Context
    ) -> pb.GetExpiringPointsResponse:
        """Whatever the member has expires at the end of the year, in Shanghai."""
        self.expiring_asked.append(request)
        available = self.wallet(request.tenant_id, request.member_id).available
        expires_at = Timestamp()
        expires_at.FromDatetime(datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC))
        expiring = [pb.ExpiringPoints(points=available, expires_at=expires_at)] if available else []
        return pb.GetExpiringPointsResponse(
            points=available, expiring=expiring, days=request.days or 30
        )

    @override
    async def ReconcilePoints(
        self, request: pb.ReconcilePointsRequest, context: Context
    ) -> pb.ReconcilePointsResponse:
        return pb.ReconcilePointsResponse(drifting=self.drifting.get(request.tenant_id, []))
