"""Composition root of the member service."""

from __future__ import annotations

from libs.grpc.server import Servicer, Worker
from libs.inbox import has_claims
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from libs.unit_of_work import MongoUnitOfWork
from libs.workers import Sweeper
from loyalty.member.v1 import member_pb2, member_pb2_grpc
from services.member.adapters.crypto import Vault
from services.member.adapters.events import to_outbox
from services.member.adapters.member_codes import HmacMemberCodes
from services.member.adapters.repositories import ensure_indexes, repositories_factory
from services.member.adapters.repositories.program_cache import ProgramCache
from services.member.entrypoints.consumers import points_event_consumer
from services.member.entrypoints.servicer import member_servicer
from services.member.handlers.qualifying import CONSUMER as TIERS_CONSUMER
from services.member.handlers.tier_review import review_tiers
from services.member.handlers.tiers import expire_manual_tiers
from services.member.settings import MemberSettings

SERVICE_NAME = member_pb2.DESCRIPTOR.services_by_name["MemberService"].full_name


async def build(runtime: Runtime) -> Assembly:
    settings = runtime.settings
    assert isinstance(settings, MemberSettings)
    await ensure_indexes(runtime.db)
    master = settings.master_key
    make_repositories = repositories_factory(Vault(master), ProgramCache())
    uow = MongoUnitOfWork(runtime.mongo, runtime.db, make_repositories, to_outbox, runtime.relay)
    servicer = Servicer(
        member_pb2_grpc.add_MemberServiceServicer_to_server,
        member_servicer(uow, HmacMemberCodes(master)),
        SERVICE_NAME,
    )
    workers: list[Worker] = [
        Sweeper("manual_tiers", lambda: expire_manual_tiers(uow), settings.tier_job_seconds, 100),
        Sweeper("tier_review", lambda: review_tiers(uow), settings.tier_job_seconds, 100),
        points_event_consumer(
            runtime.nats, uow, legacy_claims=await has_claims(runtime.db, TIERS_CONSUMER)
        ),
    ]
    return Assembly(servicers=[servicer], workers=workers)


def main() -> None:
    run_service("member", load_settings(MemberSettings), build)
