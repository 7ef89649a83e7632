"""Composition root of the campaign service."""

from __future__ import annotations

from libs.grpc.server import Servicer
from libs.runtime import Assembly, Runtime, run_service
from libs.settings import load_settings
from loyalty.campaign.v1 import campaign_pb2, campaign_pb2_grpc
from services.campaign.adapters.purchase_campaigns import MongoPurchaseCampaigns
from services.campaign.adapters.repositories import MongoCampaignReader, ensure_indexes
from services.campaign.entrypoints.grpc_servicer import CampaignServicer
from services.campaign.settings import CampaignSettings

SERVICE_NAME = campaign_pb2.DESCRIPTOR.services_by_name["CampaignService"].full_name


async def build(runtime: Runtime) -> Assembly:
    await ensure_indexes(runtime.db)
    servicer = Servicer(
        campaign_pb2_grpc.add_CampaignServiceServicer_to_server,
        CampaignServicer(MongoCampaignReader(runtime.db), MongoPurchaseCampaigns(runtime.db)),
        SERVICE_NAME,
    )
    return Assembly(servicers=[servicer])


def main() -> None:
    run_service("campaign", load_settings(CampaignSettings), build)
