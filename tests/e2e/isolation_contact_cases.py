"""Tenant-isolation cases of members' timelines, support notes and feedback (see
`isolation_cases`)."""

from __future__ import annotations

from tests.e2e.isolation_kinds import Case, Foreign, Judged, M, member, shows_no_demo_figures
from tests.e2e.isolation_world import Call, lists_no_demo_feedback

F = "/v1/admin/feedback/{feedback_id}"


def _feedback(suffix: str = "", json: object = None) -> Foreign:
    return Foreign(
        "operator", lambda w: Call(f"/v1/admin/feedback/{w.feedback_id}{suffix}", json=json)
    )


CONTACT_CASES: dict[tuple[str, str], Case] = {
    ("GET", "/v1/admin/members/{member_id}/timeline"): Foreign(
        "operator", lambda w: Call(f"/v1/admin/members/{w.member_id}/timeline")
    ),
    ("POST", "/v1/admin/members/{member_id}/notes"): Foreign(
        "operator",
        lambda w: Call(f"/v1/admin/members/{w.member_id}/notes", json={"text": "isolation"}),
    ),
    ("GET", f"{M}/feedback"): Foreign("member", member("/feedback")),
    ("POST", f"{M}/feedback"): Foreign(
        "member", member("/feedback", {"kind": "rating", "rating": 1, "comment": "x"})
    ),
    ("GET", "/v1/admin/feedback"): Judged(
        "operator", lambda w: Call("/v1/admin/feedback"), lists_no_demo_feedback
    ),
    ("GET", F): _feedback(),
    ("POST", f"{F}/assign"): _feedback("/assign", {}),
    ("POST", f"{F}/answer"): _feedback("/answer", {"text": "isolation"}),
    ("POST", f"{F}/close"): _feedback("/close"),
    ("GET", "/v1/admin/analytics/ratings"): Judged(
        "operator", lambda w: Call("/v1/admin/analytics/ratings"), shows_no_demo_figures
    ),
}
