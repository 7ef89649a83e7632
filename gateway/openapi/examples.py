"""A request example for every body the API takes, by the name of its schema.

`gateway.openapi_contract` puts each into the OpenAPI document next to its body (a model
may also carry its own `examples`, which win). A unit test fails when a body has neither,
or when an example does not fit its schema; the fuzz run sends each of them.
"""

from __future__ import annotations

from typing import Any

_ORDER_LINES = [
    {"sku": "SHOE-1", "category": "shoes", "quantity": 1, "unit_price": "299.00"},
    {"sku": "SOCK-2", "category": "accessories", "quantity": 1, "unit_price": "99.00"},
]
_CAMPAIGN = {
    "name": "Double points on shoes",
    "description": "Twice the points on every pair",
    "translations": {"zh-CN": {"name": "鞋类双倍积分", "description": "每双鞋双倍积分"}},
    "trigger": "purchase",
    "starts_at": "2026-11-25T00:00:00+08:00",
    "ends_at": "2026-12-01T00:00:00+08:00",
    "conditions": {"channels": ["pos"], "store_ids": ["S001"], "categories": ["shoes"]},
    "effect": {"type": "multiplier", "factor": "2"},
    "budget": {"points": 100000},
    "limits": {"per_member": 3},
}

BODY_EXAMPLES: dict[str, Any] = {
    "AnalyticsSettingsBody": {"point_value": "0.01"},
    "EnrollMemberBody": {
        "channel": "pos",
        "store_id": "S001",
        "identities": [
            {"type": "phone", "value": "+8613800000001"},
            {"type": "wechat_unionid", "value": "oU_abc"},
        ],
        "profile": {"name": "Li Lei", "birthday": "1990-05-01", "email": "li@example.com"},
        "consents": {"marketing": True},
    },
    "Identity": {"type": "email", "value": "li@example.com"},
    "ProfilePatchBody": {"name": "Li Lei", "preferred_store_id": "S001"},
    "ConsentsBody": {"consents": {"marketing": False}, "source": "till.s001"},
    "MergeMembersBody": {"survivor_id": "mem_01SURVIVOR", "merged_id": "mem_01DUPLICATE"},
    "OrderBody": {
        "order_id": "POS-S001-000123",
        "member_id": "mem_01EXAMPLE",
        "channel": "pos",
        "store_id": "S001",
        "occurred_at": "2026-11-25T10:15:00+08:00",
        "currency": "CNY",
        "total": "398.00",
        "lines": _ORDER_LINES,
    },
    "ReturnBody": {"return_id": "RET-S001-000045", "lines": [{"sku": "SOCK-2", "quantity": 1}]},
    "RedemptionBody": {
        "member_id": "mem_01EXAMPLE",
        "points": 500,
        "order_id": "POS-S001-000124",
        "channel": "pos",
        "store_id": "S001",
        "hold_seconds": 900,
    },
    "MemberTransferBody": {
        "transfer_id": "GIFT-000001",
        "to_member_id": "mem_01FRIEND",
        "points": 200,
        "reason": "birthday gift",
    },
    "TransferBody": {
        "transfer_id": "SUPPORT-000001",
        "from_member_id": "mem_01DUPLICATE",
        "to_member_id": "mem_01SURVIVOR",
        "points": 300,
        "reason": "moved to the member's main account",
    },
    "AttributeSchemaBody": {"attributes": {"shoe_size": "int", "newsletter": "bool"}},
    "TierProgramBody": {
        "tiers": [
            {"code": "member", "name": "Member", "threshold": 0},
            {"code": "silver", "name": "Silver", "threshold": 1000, "multiplier": "1.25"},
            {"code": "gold", "name": "Gold", "threshold": 5000, "multiplier": "1.5"},
        ],
        "qualifying_metric": "points_earned",
        "window_days": 365,
        "downgrade_policy": "period_end",
        "downgrade_grace_days": 30,
    },
    "ManualTierBody": {
        "tier": "gold",
        "reason": "service recovery after a lost parcel",
        "until": "2027-06-30T23:59:59+08:00",
    },
    "AdjustmentBody": {"adjustment_id": "ADJ-000001", "points": 500, "reason": "welcome gift"},
    "PointsSettingsBody": {
        "currency": "CNY",
        "points_per_unit": "1",
        "rounding": "floor",
        "expiry_policy": "months_after_earning",
        "expiry_months": 24,
        "time_zone": "Asia/Shanghai",
    },
    "CampaignBody": _CAMPAIGN,
}
