"""The campaign service's settings, read once at start."""

from __future__ import annotations

from pydantic import Field

from libs.settings import ServiceSettings


class CampaignSettings(ServiceSettings):
    grpc_port: int = Field(default=50053, gt=0, lt=65536)
    mongo_db: str = Field(default="loyalty_campaign", min_length=1)
    # host:port of the points service, which credits the campaigns' points rewards.
    points_addr: str = Field(min_length=1)
    # host:port of the member service: tenants' time zones and birthdays, by member id.
    member_addr: str = Field(min_length=1)
    # How often the birthday job looks for a tenant's new local day.
    birthday_job_seconds: float = Field(default=300.0, gt=0)
    # How long a replica may answer from its active campaigns in memory when it hears of no
    # change: campaign.changed refreshes them at once, this bounds a missed announcement.
    active_campaigns_max_age_seconds: float = Field(default=30.0, gt=0)
    # How long a campaign's hold for an order waits to be settled before the sweep gives
    # its budget back (its order's service crashed, or its answer was lost).
    reservation_ttl_seconds: float = Field(default=900.0, gt=0)
    # How long a process spends from one budget lease (a slice of a campaign's budget held
    # in memory) before it gives back what is left and takes another. A lease of a process
    # that died comes back reservation_ttl_seconds after its window.
    budget_lease_seconds: float = Field(default=10.0, gt=0)
