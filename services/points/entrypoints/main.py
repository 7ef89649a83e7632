"""Composition root of the points service."""

from __future__ import annotations

from libs.grpc.server import Servicer
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from libs.unit_of_work import MongoUnitOfWork
from loyalty.points.v1 import points_pb2, points_pb2_grpc
from services.points.adapters.repositories import MongoRepositories
from services.points.entrypoints.grpc_servicer import PointsServicer
from services.points.settings import PointsSettings

SERVICE_NAME = points_pb2.DESCRIPTOR.services_by_name["PointsService"].full_name


async def build(runtime: Runtime) -> Assembly:
    uow: MongoUnitOfWork[MongoRepositories, object] = MongoUnitOfWork(
        runtime.mongo, runtime.db, MongoRepositories, relay=runtime.relay
    )
    servicer = Servicer(
        points_pb2_grpc.add_PointsServiceServicer_to_server, PointsServicer(uow), SERVICE_NAME
    )
    return Assembly(servicers=[servicer])


def main() -> None:
    run_service("points", load_settings(PointsSettings), build)
