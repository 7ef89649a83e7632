"""Composition root of the campaign service."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from libs.grpc.server import Servicer
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from loyalty.campaign.v1 import campaign_pb2, campaign_pb2_grpc
from services.campaign.adapters.campaign_store import MongoCampaignStore
from services.campaign.adapters.purchase_campaigns import MongoPurchaseCampaigns
from services.campaign.adapters.repositories import MongoCampaignReader, ensure_indexes
from services.campaign.adapters.results import MongoResults
from services.campaign.entrypoints.grpc_servicer import CampaignServicer
from services.campaign.handlers.admin import Admin
from services.campaign.settings import CampaignSettings


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_campaign_id() -> str:
    return f"cmp_{uuid4().hex}"


SERVICE_NAME = campaign_pb2.DESCRIPTOR.services_by_name["CampaignService"].full_name


async def build(runtime: Runtime) -> Assembly:
    await ensure_indexes(runtime.db)
    db = runtime.db
    admin = Admin(MongoCampaignStore(db), MongoResults(db), clock=utc_now, new_id=new_campaign_id)
    servicer = Servicer(
        campaign_pb2_grpc.add_CampaignServiceServicer_to_server,
        CampaignServicer(MongoCampaignReader(db), MongoPurchaseCampaigns(db), admin),
        SERVICE_NAME,
    )
    return Assembly(servicers=[servicer])


def main() -> None:
    run_service("campaign", load_settings(CampaignSettings), build)
