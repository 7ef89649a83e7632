"""The points service's client: a grant that cannot be paid raises, so that the event or
job that asked for it is tried again."""

from __future__ import annotations

import pytest

from libs.grpc.client import make_channel
from libs.stack.handle import LOOPBACK
from libs.stack.servers import free_port
from services.campaign.campaigns.adapters.clients.points import GrantFailed, GrpcPointsGranter
from services.campaign.campaigns.domain.grants import PointsGrant

GRANT = PointsGrant("demo", "m1", "c1:1:ev1", 100, "c1", 1, "Welcome bonus (v1)")


async def test_a_points_service_that_is_away_fails_the_grant_as_worth_retrying() -> None:
    channel = make_channel(f"{LOOPBACK}:{free_port()}")
    try:
        with pytest.raises(GrantFailed) as caught:
            await GrpcPointsGranter(channel, timeout_seconds=1.0).grant(GRANT)
    finally:
        await channel.close(None)

    assert caught.value.retryable
    assert caught.value.status in {"UNAVAILABLE", "DEADLINE_EXCEEDED"}
