"""What each route tells the audit trail beyond what every operator's change records.

Routes not named here are still recorded (who, when, from where, the route, its path's
`<kind>_id`s, the outcome). Named here: the reader of the fields a route changes, ids it
names in its body or its answer, and the reads of a member's personal data.
"""

from __future__ import annotations

from gateway.audit.readers import READERS
from gateway.edge.audit.declared import Audited, Declarations

_MEMBER = Audited(reader=READERS["member"])
_CAMPAIGN = Audited(reader=READERS["campaign"])
_TEMPLATE = Audited(reader=READERS["coupon_template"])
_KEY = Audited(reader=READERS["key"])
_OPERATOR = Audited(reader=READERS["operator"])
_PERSONAL_READ = Audited(personal_read=True)
_MEMBER_PATH = "/v1/members/{member_id}"
_TENANT = Audited(reader=READERS["tenant"])
_TENANTS = "/v1/platform/tenants"

DECLARATIONS: Declarations = {
    # the programme's settings
    ("PUT", "/v1/admin/tier-program"): Audited(reader=READERS["tier_program"]),
    ("PUT", "/v1/admin/points/settings"): Audited(reader=READERS["points_settings"]),
    ("PUT", "/v1/admin/exchange-rates/{currency}"): Audited(reader=READERS["exchange_rates"]),
    ("POST", "/v1/admin/exchange-rates/import"): Audited(reader=READERS["exchange_rates"]),
    ("PUT", "/v1/admin/member-attributes"): Audited(reader=READERS["attribute_schema"]),
    ("PUT", "/v1/admin/approval-policy"): Audited(reader=READERS["approval_policy"]),
    ("PUT", "/v1/admin/branding"): Audited(reader=READERS["branding"]),
    ("PUT", "/v1/admin/analytics/settings"): Audited(reader=READERS["analytics_settings"]),
    ("POST", "/v1/admin/approvals/{approval_id}/approve"): Audited(reader=READERS["approval"]),
    ("POST", "/v1/admin/approvals/{approval_id}/reject"): Audited(reader=READERS["approval"]),
    # campaigns, segments, coupon templates
    ("POST", "/v1/admin/campaigns"): Audited(
        reader=READERS["campaign"], answer_ids={"campaign_id": "campaign"}
    ),
    ("PUT", "/v1/admin/campaigns/{campaign_id}"): _CAMPAIGN,
    ("POST", "/v1/admin/campaigns/{campaign_id}/activate"): _CAMPAIGN,
    ("POST", "/v1/admin/campaigns/{campaign_id}/pause"): _CAMPAIGN,
    ("POST", "/v1/admin/segments"): Audited(
        reader=READERS["segment"], answer_ids={"segment_id": "segment"}
    ),
    ("PUT", "/v1/admin/segments/{segment_id}"): Audited(reader=READERS["segment"]),
    ("POST", "/v1/admin/analytics/rfm/segments"): Audited(
        reader=READERS["segment"], answer_ids={"segment_id": "segment"}
    ),
    ("POST", "/v1/admin/coupon-templates"): Audited(
        reader=READERS["coupon_template"], answer_ids={"template_id": "template"}
    ),
    ("POST", "/v1/admin/coupon-templates/{template_id}/pause"): _TEMPLATE,
    ("POST", "/v1/admin/coupon-templates/{template_id}/resume"): _TEMPLATE,
    ("POST", "/v1/admin/coupon-templates/{template_id}/batches"): Audited(
        answer_ids={"batch_id": "batch"}
    ),
    # keys and operators
    ("POST", "/v1/admin/keys"): Audited(reader=READERS["key"], answer_ids={"key.key_id": "key"}),
    ("POST", "/v1/admin/keys/{key_id}/rotate"): _KEY,
    ("POST", "/v1/admin/keys/{key_id}/revoke"): _KEY,
    ("POST", "/v1/admin/operators"): Audited(
        reader=READERS["operator"], answer_ids={"operator_id": "operator"}
    ),
    ("PUT", "/v1/admin/operators/{operator_id}"): _OPERATOR,
    ("POST", "/v1/admin/operators/{operator_id}/disable"): _OPERATOR,
    ("POST", "/v1/admin/operators/{operator_id}/enable"): _OPERATOR,
    # points
    ("POST", "/v1/admin/members/{member_id}/points/adjustments"): Audited(
        reader=READERS["member_balance"], body_ids={"adjustment_id": "adjustment"}
    ),
    ("POST", "/v1/admin/points/transfers"): Audited(
        body_ids={
            "from_member_id": "member",
            "to_member_id": "member",
            "transfer_id": "transfer",
        }
    ),
    # members
    ("POST", "/v1/members"): Audited(answer_ids={"member_id": "member"}),
    ("POST", "/v1/members/merge"): Audited(
        body_ids={"survivor_id": "member", "merged_id": "member"}
    ),
    ("PATCH", f"{_MEMBER_PATH}/profile"): _MEMBER,
    ("PUT", f"{_MEMBER_PATH}/consents"): _MEMBER,
    ("POST", f"{_MEMBER_PATH}/identities"): _MEMBER,
    ("DELETE", f"{_MEMBER_PATH}/identities/{{type}}/{{value}}"): _MEMBER,
    ("PUT", "/v1/admin/members/{member_id}/tier"): _MEMBER,
    ("POST", f"{_MEMBER_PATH}/erase"): _MEMBER,
    ("POST", "/v1/admin/members/{member_id}/notes"): Audited(answer_ids={"note_id": "note"}),
    ("POST", "/v1/orders"): Audited(body_ids={"member_id": "member", "order_id": "order"}),
    ("POST", "/v1/redemptions"): Audited(
        body_ids={"member_id": "member"}, answer_ids={"redemption_id": "redemption"}
    ),
    # reads of a member's personal data
    ("GET", _MEMBER_PATH): _PERSONAL_READ,
    ("GET", "/v1/members/lookup"): Audited(personal_read=True, answer_ids={"member_id": "member"}),
    ("GET", f"{_MEMBER_PATH}/export"): _PERSONAL_READ,
    ("GET", "/v1/admin/members"): _PERSONAL_READ,
    ("GET", "/v1/admin/member-code-messages"): _PERSONAL_READ,
    # the platform API: in the trail of the tenant it changes (`actor.kind` `platform`)
    ("POST", _TENANTS): Audited(reader=READERS["tenant"], body_ids={"tenant_id": "tenant"}),
    ("PATCH", f"{_TENANTS}/{{tenant_id}}"): _TENANT,
    ("POST", f"{_TENANTS}/{{tenant_id}}/suspend"): _TENANT,
    ("POST", f"{_TENANTS}/{{tenant_id}}/resume"): _TENANT,
    ("POST", f"{_TENANTS}/{{tenant_id}}/operators"): Audited(
        reader=READERS["operator"], answer_ids={"operator_id": "operator"}
    ),
    # notes and feedback are what a member or support wrote
    ("GET", "/v1/admin/members/{member_id}/timeline"): _PERSONAL_READ,
    ("GET", "/v1/admin/feedback"): _PERSONAL_READ,
    ("GET", "/v1/admin/feedback/{feedback_id}"): _PERSONAL_READ,
    # and the trail's own export
    ("GET", "/v1/admin/audit/export"): _PERSONAL_READ,
}
