"""The CampaignService gRPC servicer, composed of its parts in one place."""

from __future__ import annotations

from libs.grpc.compose import compose
from loyalty.campaign.v1.campaign_pb2_grpc import CampaignServiceServicer
from services.campaign.campaigns.entrypoints.servicer.admin import CampaignAdminRpcs
from services.campaign.campaigns.entrypoints.servicer.audience import AudienceRpcs
from services.campaign.campaigns.entrypoints.servicer.orders import OrderRpcs


def campaign_servicer(
    orders: OrderRpcs, admin: CampaignAdminRpcs, audience: AudienceRpcs
) -> CampaignServiceServicer:
    # The stub marks the generated class abstract; compose fills in every one of its RPCs.
    return compose(CampaignServiceServicer, orders, admin, audience)  # type: ignore[type-abstract]
