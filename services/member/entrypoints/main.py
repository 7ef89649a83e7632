"""Composition root of the member service."""

from __future__ import annotations

from libs.grpc.server import Servicer
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from libs.unit_of_work import MongoUnitOfWork
from loyalty.member.v1 import member_pb2, member_pb2_grpc
from services.member.adapters.events import to_outbox
from services.member.adapters.repositories import MongoRepositories, ensure_indexes
from services.member.entrypoints.grpc_servicer import MemberServicer
from services.member.settings import MemberSettings

SERVICE_NAME = member_pb2.DESCRIPTOR.services_by_name["MemberService"].full_name


async def build(runtime: Runtime) -> Assembly:
    await ensure_indexes(runtime.db)
    uow = MongoUnitOfWork(runtime.mongo, runtime.db, MongoRepositories, to_outbox, runtime.relay)
    servicer = Servicer(
        member_pb2_grpc.add_MemberServiceServicer_to_server, MemberServicer(uow), SERVICE_NAME
    )
    return Assembly(servicers=[servicer])


def main() -> None:
    run_service("member", load_settings(MemberSettings), build)
