"""Liveness and readiness; neither needs a key."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from grpc import aio
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway.clients import AppContainer
from gateway.edge.problems import ApiProblem, problem_responses
from libs.logging import get_logger
from libs.mongo import ping
from libs.process_status import read_status

router = APIRouter(tags=["health"])
log = get_logger(__name__)
CHECK_TIMEOUT_SECONDS = 1.0


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def mongo_ready(container: AppContainer) -> bool:
    try:
        await asyncio.wait_for(ping(container.mongo), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # any failure means not ready
        log.warning("readiness_check_failed", dependency="mongo", error=repr(exc))
        return False
    return True


async def channel_serving(channel: aio.Channel, peer: str) -> bool:
    """Whether the service behind `channel` answers its health check with SERVING."""
    request = health_pb2.HealthCheckRequest(service="")
    try:
        reply = await health_pb2_grpc.HealthStub(channel).Check(
            request, timeout=CHECK_TIMEOUT_SECONDS
        )
    except Exception as exc:  # any failure means not ready
        log.warning("readiness_check_failed", dependency=peer, error=repr(exc))
        return False
    return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)


async def _processes(container: AppContainer) -> dict[str, dict[str, object]]:
    """The launcher's account of its processes (state, restarts), if a launcher runs us."""
    path = container.settings.stack_status_file
    if path is None:
        return {}
    found = await asyncio.to_thread(read_status, path)
    return {name: {"state": s.state, "restarts": s.restarts} for name, s in found.items()}


@router.get(
    "/readyz",
    summary="The gateway's database and the three services answer",
    description="Under the launcher, `processes` gives each process's state and restarts.",
    responses=problem_responses(503),
)
async def readyz(container: AppContainer) -> dict[str, object]:
    peers = list(container.channels)
    results = await asyncio.gather(
        mongo_ready(container), *(channel_serving(container.channels[peer], peer) for peer in peers)
    )
    down = [name for name, ok in zip(["mongo", *peers], results, strict=True) if not ok]
    processes = await _processes(container)
    detail = {"processes": processes} if processes else {}
    if down:
        raise ApiProblem(
            503,
            "service_unavailable",
            f"not ready: {', '.join(down)} unreachable",
            headers={"Retry-After": "1"},
            extra={"down": down, **detail},
        )
    return {"status": "ok", **detail}
