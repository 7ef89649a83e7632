"""MongoDB documents of the read model ↔ domain values."""

from __future__ import annotations

from datetime import datetime

from libs.mongo import Doc
from services.analytics.domain.activity import Buy
from services.analytics.domain.buckets import Increment, MemberState
from services.analytics.domain.facts import CampaignInfo, Lot, Wallet
from services.analytics.domain.ports import Scope

BUCKET_DIMS = ("store_id", "channel", "tier", "category", "sku")


def member_key(tenant_id: str, member_id: str) -> str:
    return f"{tenant_id}:{member_id}"


def bucket_key(tenant_id: str, inc: Increment) -> str:
    dims = "|".join(f"{name}={value}" for name, value in inc.dims)
    return f"{tenant_id}|{inc.kind.value}|{inc.day}|{dims}"


def bucket_fields(tenant_id: str, inc: Increment) -> Doc:
    """What a new bucket is set to: its tenant, kind, day and dimensions."""
    return {"t": tenant_id, "k": inc.kind.value, "d": inc.day, **dict(inc.dims)}


def member_state(doc: Doc) -> MemberState:
    return MemberState(
        member_id=doc["m"],
        tier=doc.get("tier", ""),
        merged_into=doc.get("merged_into", ""),
        erased=doc.get("erased", False),
        enrolled=doc.get("enrolled", False),
        since=doc.get("since", ""),
        refuses_profiling=doc.get("no_profiling", False),
        buys=frozenset(Buy(b["d"], b.get("s", ""), b.get("c", "")) for b in doc.get("buys") or []),
        wallet=wallet_of(doc),
    )


def wallet_of(doc: Doc) -> Wallet | None:
    """The wallet a member's document keeps (None: no points event named it yet)."""
    if "available" not in doc:
        return None
    lots = tuple(map(lot_of, doc.get("lots") or []))
    return Wallet(
        int(doc["available"] or 0), int(doc.get("held") or 0), int(doc.get("pending") or 0), lots
    )


def wallet_fields(wallet: Wallet) -> Doc:
    return {
        "available": wallet.available,
        "held": wallet.held,
        "pending": wallet.pending,
        "lots": [{"p": lot.points, "at": lot.expires_at} for lot in wallet.lots],
    }


def lot_of(doc: Doc) -> Lot:
    at: datetime = doc["at"]
    return Lot(doc["p"], at)


def campaign_fields(campaign: CampaignInfo) -> Doc:
    return {
        "c": campaign.campaign_id,
        "trigger": campaign.trigger,
        "holdout": campaign.holdout_percent,
        "segment": campaign.segment_id,
        "starts": campaign.starts_at,
        "ends": campaign.ends_at,
    }


def campaign_of(doc: Doc) -> CampaignInfo:
    return CampaignInfo(
        doc["c"],
        doc.get("trigger", ""),
        int(doc.get("holdout") or 0),
        doc.get("segment", ""),
        doc.get("starts"),
        doc.get("ends"),
    )


def last_purchase(doc: Doc, scope: Scope, after_day: str, to_day: str) -> str:
    """A member's last purchase day after `after_day` and by `to_day` at the scope's stores
    and channel (a `buys` entry is a day, store and channel); "" for none."""
    return max(
        (
            b["d"]
            for b in doc.get("buys", [])
            if after_day < b["d"] <= to_day
            and (not scope.store_ids or b.get("s") in scope.store_ids)
            and (not scope.channel or b.get("c") == scope.channel)
        ),
        default="",
    )
