"""The points service's settings, read once at start."""

from __future__ import annotations

from pydantic import Field

from libs.settings import ServiceSettings


class PointsSettings(ServiceSettings):
    grpc_port: int = Field(default=50052, gt=0, lt=65536)
    mongo_db: str = Field(default="loyalty_points", min_length=1)
    # host:port of the campaign service, asked for each order's bonus.
    campaign_addr: str = Field(min_length=1)
    # Past this deadline the order is credited without its bonus, which is settled later.
    campaign_timeout_ms: int = Field(default=50, gt=0)
    # How often holds past their time are looked for.
    hold_expiry_seconds: float = Field(default=1.0, gt=0)
    # How often pending points are released and due lots expired.
    lot_sweep_seconds: float = Field(default=30.0, gt=0)
    # The balance read model in Redis (libs/balance_view.py): past this a write gives up
    # (the entry is dropped, and reads ask GetBalance).
    balance_view_timeout_seconds: float = Field(default=0.25, gt=0)
