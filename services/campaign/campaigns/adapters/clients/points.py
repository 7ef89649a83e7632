"""The points service's GrantPoints, over gRPC: how campaigns pay their points rewards."""

from __future__ import annotations

import asyncio

import grpc
from grpc import aio

from libs.grpc.errors import error_code_of
from loyalty.points.v1 import points_pb2 as pb
from loyalty.points.v1.points_pb2_grpc import PointsServiceStub
from services.campaign.campaigns.domain.grants import GrantedPoints, PointsGrant

GRANT_SECONDS = 5.0
# Worth asking again later: the points service was away, slow or busy.
TRANSIENT = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.ABORTED,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.CANCELLED,
    }
)


class GrantFailed(Exception):
    """The points service did not credit the grant. The caller leaves its event to be
    redelivered: the grant key makes the next attempt credit at most once."""

    def __init__(self, grant_key: str, status: str, code: str, *, retryable: bool) -> None:
        super().__init__(f"grant {grant_key} failed: {status} {code}".rstrip())
        self.status = status
        # The points service's machine code (for example adjustment_conflict), if any.
        self.code = code
        self.retryable = retryable


def grant_request(grant: PointsGrant) -> pb.GrantPointsRequest:
    return pb.GrantPointsRequest(
        tenant_id=grant.tenant_id,
        member_id=grant.member_id,
        grant_key=grant.grant_key,
        points=grant.points,
        campaign_id=grant.campaign_id,
        campaign_version=grant.campaign_version,
        reason=grant.reason,
        order_id=grant.order_id,
        reason_code=grant.reason_code,
        reason_params=dict(grant.reason_params),
    )


class GrpcPointsGranter:
    """A `PointsGranter`; every call carries a deadline."""

    def __init__(self, channel: aio.Channel, timeout_seconds: float = GRANT_SECONDS) -> None:
        self._stub = PointsServiceStub(channel)
        self._timeout = timeout_seconds

    async def grant(self, grant: PointsGrant) -> GrantedPoints:
        try:
            # The gRPC deadline bounds the call; the outer one also bounds a slow connect.
            async with asyncio.timeout(self._timeout * 2):
                answer = await self._stub.GrantPoints(grant_request(grant), timeout=self._timeout)
        except aio.AioRpcError as exc:
            status = exc.code()
            raise GrantFailed(
                grant.grant_key,
                status.name,
                error_code_of(exc) or "",
                retryable=status in TRANSIENT,
            ) from exc
        except TimeoutError as exc:
            raise GrantFailed(grant.grant_key, "DEADLINE_EXCEEDED", "", retryable=True) from exc
        return GrantedPoints(points=answer.points, replayed=answer.replayed)
