"""An order's conversion into the base currency as MongoDB keeps it on the order."""

from __future__ import annotations

from decimal import Decimal

from libs.mongo import Doc
from services.points.domain.exchange import Conversion


def conversion_to_doc(conversion: Conversion | None) -> Doc | None:
    if conversion is None:
        return None
    return {
        "currency": conversion.currency,
        "total": str(conversion.total),
        "base_currency": conversion.base_currency,
        "base_total": str(conversion.base_total),
        "rate": str(conversion.rate),
        "valid_from": conversion.valid_from,
    }


def conversion_from_doc(doc: Doc | None) -> Conversion | None:
    """None for an order in the base currency, and for orders recorded before rates."""
    if not doc:
        return None
    return Conversion(
        currency=doc["currency"],
        total=Decimal(doc["total"]),
        base_currency=doc["base_currency"],
        base_total=Decimal(doc["base_total"]),
        rate=Decimal(doc["rate"]),
        valid_from=doc["valid_from"],
    )
