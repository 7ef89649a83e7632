"""A backtest run by the gateway's operation runner (gateway/shared/operation_runner.py):
one step, the replay; nothing is granted, so running it again after a gateway stopped
changes nothing."""

from __future__ import annotations

from typing import Any

from gateway.campaigns.audience_translate import backtest_out
from gateway.shared.operation_runner import Running
from loyalty.campaign.v1 import campaign_audience_pb2 as pb

KIND = "backtest"
# A replay of many days reads every order of them: more than one ordinary call.
BACKTEST_TIMEOUT_SECONDS = 120.0


def backtest_input(campaign_id: str, days: int, time_zone: str) -> dict[str, Any]:
    return {"campaign_id": campaign_id, "days": days, "time_zone": time_zone}


def backtest_request(tenant_id: str, *, work: dict[str, Any]) -> pb.BacktestCampaignRequest:
    return pb.BacktestCampaignRequest(
        tenant_id=tenant_id,
        campaign_id=work["campaign_id"],
        days=int(work["days"]),
        time_zone=work["time_zone"],
    )


async def run_backtest(running: Running) -> None:
    work = running.input
    rpc = backtest_request(running.op["tenant_id"], work=work)
    reply = await running.container.campaign.BacktestCampaign(rpc, timeout=BACKTEST_TIMEOUT_SECONDS)
    await running.step(1, backtest_out(reply, int(work["days"])).model_dump(mode="json"))
