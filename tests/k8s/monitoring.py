"""What the monitoring checks read: the alert rules, the dashboard, and what is wrong with
them (a promtool-style check of each rule, a schema and query check of each panel)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml  # type: ignore[import-untyped]

from tests.k8s.manifests import DEPLOY
from tests.k8s.promql import Exported, problems

MONITORING = DEPLOY / "components" / "monitoring"
RULES = MONITORING / "alerts.yaml"
DASHBOARD = MONITORING / "dashboard.json"
SCHEMA = Path(__file__).with_name("grafana-dashboard.schema.json")
OPERATIONS = DEPLOY.parents[1] / "docs" / "operations.md"
SEVERITIES = {"page", "ticket"}
DURATION = re.compile(r"(?:\d+[smhdwy])+")
ALERT_NAME = re.compile(r"Loyalty[A-Z][A-Za-z0-9]+")


def load_rules() -> dict[str, Any]:
    rules: dict[str, Any] = yaml.safe_load(RULES.read_text())
    return rules


def load_dashboard() -> dict[str, Any]:
    dashboard: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return dashboard


def runbook_anchors() -> set[str]:
    """The anchors of docs/operations.md's headings, as GitHub makes them."""
    headings = re.findall(r"^#+ (.+)$", OPERATIONS.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^a-z0-9 _-]", "", h.lower()).replace(" ", "-") for h in headings}


def rule_problems(rules: dict[str, Any], exported: Exported, anchors: set[str]) -> list[str]:
    found: list[str] = []
    groups = rules.get("groups") or []
    names = [g.get("name") for g in groups]
    if not groups or len(set(names)) != len(names) or not all(names):
        found.append(f"groups must be named, once each: {names}")
    alerts = [r.get("alert") for g in groups for r in g.get("rules", [])]
    if len(set(alerts)) != len(alerts):
        found.append("an alert name is used twice")
    for rule in (r for g in groups for r in g.get("rules", [])):
        name = rule.get("alert", "?")
        if not ALERT_NAME.fullmatch(name):
            found.append(f"{name}: alert names are Loyalty + CamelCase")
        found += [f"{name}: {p}" for p in problems(rule.get("expr", ""), exported)]
        if not DURATION.fullmatch(str(rule.get("for", ""))):
            found.append(f"{name}: no `for` duration")
        if rule.get("labels", {}).get("severity") not in SEVERITIES:
            found.append(f"{name}: severity is not one of {sorted(SEVERITIES)}")
        annotations = rule.get("annotations", {})
        for key in ("summary", "description", "runbook_url"):
            if not annotations.get(key):
                found.append(f"{name}: no {key}")
        page, _, anchor = str(annotations.get("runbook_url", "")).partition("#")
        if page != "docs/operations.md" or anchor not in anchors:
            found.append(f"{name}: runbook {annotations.get('runbook_url')} is no section")
    return found


def dashboard_problems(dashboard: dict[str, Any], exported: Exported) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    found = [f"schema: {e.json_path}: {e.message}" for e in validator.iter_errors(dashboard)]
    panels = dashboard.get("panels", [])
    ids = [p.get("id") for p in panels]
    if len(set(ids)) != len(ids):
        found.append("two panels share an id")
    for panel in panels:
        targets = panel.get("targets", [])
        if len({t.get("refId") for t in targets}) != len(targets):
            found.append(f"{panel.get('title')}: two queries share a refId")
        for target in targets:
            found += [
                f"{panel.get('title')}: {p}" for p in problems(target.get("expr", ""), exported)
            ]
    return found
