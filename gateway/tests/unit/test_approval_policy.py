"""Which requests a tenant's approval policy holds (pure), and what a run keeps."""

from __future__ import annotations

import json

from gateway.access.approvals.policy import (
    OFF,
    ApprovalPolicy,
    activation_needs_approval,
    adjustment_needs_approval,
    policy_from_doc,
)
from gateway.approvals.gates import GATES
from gateway.approvals.run import kept_result, still_running
from gateway.matrix import MATRIX
from gateway.tests.unit.test_audit_trail import _app


def test_a_tenant_without_a_policy_holds_nothing() -> None:
    assert policy_from_doc(None) == OFF
    assert not adjustment_needs_approval(OFF, 10**9)
    assert not activation_needs_approval(OFF, None)


def test_an_adjustment_is_held_above_its_threshold_either_way() -> None:
    policy = ApprovalPolicy(adjustment_points_above=1000)

    assert not adjustment_needs_approval(policy, 1000)
    assert adjustment_needs_approval(policy, 1001)
    assert adjustment_needs_approval(policy, -1001)
    assert not adjustment_needs_approval(policy, "1001")  # the route answers 422 itself


def test_an_activation_is_held_above_its_budget_or_without_one() -> None:
    policy = ApprovalPolicy(campaign_budget_above=50_000)

    assert not activation_needs_approval(policy, 50_000)
    assert activation_needs_approval(policy, 50_001)
    assert activation_needs_approval(policy, None)


def test_a_stored_policy_with_unknown_fields_keeps_the_known_ones() -> None:
    assert policy_from_doc({"merges": True, "retired": 1}) == ApprovalPolicy(merges=True)


def test_a_run_keeps_neither_personal_data_nor_a_secret() -> None:
    answer = {
        "member_id": "m1",
        "identities": [{"type": "phone", "value": "+8613800000001"}],
        "profile": {"name": "Li Lei"},
        "secret": "lk_operator_x",
        "member": {"member_id": "m2", "profile": {"name": "Han"}},
    }

    kept = kept_result(json.dumps(answer).encode())

    assert kept == {"member_id": "m1", "member": {"member_id": "m2"}}


def test_every_route_a_policy_may_hold_documents_its_202_and_is_a_route_of_the_matrix() -> None:
    document = _app().openapi()

    for method, path in GATES:
        assert (method, path) in MATRIX
        assert "202" in document["paths"][path][method.lower()]["responses"]


def test_only_an_idempotency_key_still_in_progress_leaves_a_run_unfinished() -> None:
    in_progress = json.dumps({"code": "idempotency_in_progress"}).encode()
    other_conflict = json.dumps({"code": "adjustment_conflict"}).encode()

    assert still_running(409, in_progress)
    assert not still_running(409, other_conflict)
    assert not still_running(201, in_progress)
    assert not still_running(409, b"not json")
