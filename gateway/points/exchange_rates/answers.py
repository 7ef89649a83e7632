"""What the exchange rate routes answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gateway.edge.fields import Timestamp


class ExchangeRateOut(BaseModel):
    currency: str = Field(examples=["USD"])
    valid_from: Timestamp
    rate: str = Field(examples=["7.1234"])
    set_by: str = Field(description="The operator's key that set it (`key:<key id>`)")
    set_at: Timestamp | None


class ExchangeRatesOut(BaseModel):
    base_currency: str = Field(
        examples=["CNY"], description="The tenant's earning currency (its points settings)"
    )
    rates: list[ExchangeRateOut] = Field(description="By currency, the newest first")


Outcome = Literal["created", "replaced", "unchanged"]


class SetRateOut(ExchangeRateOut):
    outcome: Outcome = Field(
        description="created; replaced (another rate of that currency and valid_from was "
        "there); unchanged (the same rate was there)"
    )


class ImportedRowOut(SetRateOut):
    row: int = Field(description="The row's number, 1 for the first after the header")


class ImportOut(BaseModel):
    base_currency: str
    rows: list[ImportedRowOut]
