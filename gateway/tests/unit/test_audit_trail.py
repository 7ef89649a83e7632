"""The audit trail's pure rules: what a change records, and that nothing but the recorder
writes the trail."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from gateway.app import create_app
from gateway.audit.csv_export import csv_lines, safe_cell
from gateway.audit.declarations import DECLARATIONS
from gateway.edge.audit.store import AuditStore
from gateway.edge.audit.trail import (
    TOO_LONG,
    Actor,
    AuditEntry,
    Change,
    Origin,
    Resource,
    actor_of,
    changes_between,
    resources_from_path,
)
from gateway.matrix import MATRIX
from gateway.settings import GatewaySettings
from gateway.tests.routes import app_routes

GATEWAY = Path(__file__).resolve().parents[2]


def test_a_change_names_the_fields_that_differ_with_their_values_before_and_after() -> None:
    before = {"role": "support", "stores": [], "disabled": False, "limits": {"per_day": 5}}
    after = {"role": "store_manager", "stores": ["S002"], "disabled": False, "limits": {}}

    changes = changes_between(before, after)

    assert changes == (
        Change("limits", None, {}),
        Change("limits.per_day", 5, None),
        Change("role", "support", "store_manager"),
        Change("stores", [], ["S002"]),
    )


def test_a_personal_field_is_named_and_its_values_are_never_kept() -> None:
    before = {"profile": {"name": "Li Lei", "birthday": "1990-05-01"}, "email": "li@x.example"}
    after = {"profile": {"name": "Han Meimei", "birthday": "1990-05-01"}, "email": "h@x.example"}

    changes = changes_between(before, after, frozenset({"profile", "email"}))

    assert changes == (
        Change("email", personal=True),
        Change("profile.name", personal=True),
    )
    assert "Li Lei" not in repr(changes)
    assert "li@x.example" not in repr(changes)


def test_a_creation_has_no_before_and_a_long_value_is_replaced_by_a_marker() -> None:
    changes = changes_between(None, {"name": "Shoes", "rules": "x" * 5000})

    assert changes == (Change("name", None, "Shoes"), Change("rules", None, TOO_LONG))


def test_only_path_parameters_naming_an_id_are_resources_never_an_identity_s_value() -> None:
    params = {"member_id": "m1", "type": "phone", "value": "+8613800000001"}

    assert resources_from_path(params) == [Resource("member", "m1")]


def test_a_session_is_recorded_as_its_operator_and_a_key_as_a_key() -> None:
    assert actor_of("op_123", "support") == Actor("operator", "op_123", "support")
    assert actor_of("key_9", None) == Actor("key", "key_9", "admin")


def test_a_csv_cell_a_spreadsheet_would_run_starts_with_a_quote() -> None:
    entry = AuditEntry(
        entry_id="au_1",
        tenant_id="t",
        at=datetime(2026, 12, 7, tzinfo=UTC),
        actor=Actor("key", "key_1", "admin"),
        origin=Origin("127.0.0.1", "=HYPERLINK(1)", "r1"),
        method="PUT",
        route="/v1/admin/tier-program",
        status=200,
        changes=(Change("profile.name", personal=True),),
    )

    text = csv_lines([entry], header=True)

    assert safe_cell("-1") == "'-1"
    assert safe_cell("ok") == "ok"
    assert "'=HYPERLINK(1)" in text
    assert '""field"": ""profile.name"", ""personal"": true' in text


def _calls_of(method: str) -> list[Path]:
    """The gateway's modules (tests aside) that call `<something>.<method>(...)`."""
    found = []
    for path in GATEWAY.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == method
                and "audit" in ast.unparse(node.func.value)
            ):
                found.append(path.relative_to(GATEWAY))
    return found


def test_only_the_recorder_and_the_admin_cli_write_the_trail_and_nothing_changes_an_entry() -> None:
    writers = _calls_of("append")
    changers = [
        m for m in dir(AuditStore) if any(w in m for w in ("update", "delete", "replace", "remove"))
    ]

    assert sorted(writers) == [Path("admin/audited.py"), Path("edge/audit/recorder.py")]
    assert changers == []


def _app() -> FastAPI:
    unused = "127.0.0.1:1"
    return create_app(
        GatewaySettings(
            mongo_url=f"mongodb://{unused}",
            redis_url=f"redis://{unused}",
            nats_url=f"nats://{unused}",
            member_addr=unused,
            points_addr=unused,
            campaign_addr=unused,
        )
    )


def test_no_route_of_the_platform_writes_the_trail() -> None:
    audit_routes = [(m, p) for m, p in app_routes(_app()) if p.startswith("/v1/admin/audit")]

    assert sorted(audit_routes) == [
        ("GET", "/v1/admin/audit"),
        ("GET", "/v1/admin/audit/export"),
    ]


def test_every_declaration_names_a_route_of_the_matrix() -> None:
    assert sorted(set(DECLARATIONS) - set(MATRIX)) == []
