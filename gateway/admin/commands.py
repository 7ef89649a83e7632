"""What each admin command does, against the gateway's own database."""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TextIO

from gateway.access.key_answers import IssuedKeyOut, KeyOut
from gateway.admin.audited import cli_change
from gateway.admin.branding import BrandingError, configure_branding, wanted
from gateway.admin.operators import ERRORS as OPERATOR_ERRORS
from gateway.admin.operators import (
    create_operator,
    disable_operator,
    enable_operator,
    end_sessions,
    list_operators,
)
from gateway.admin.platform import (
    PlatformError,
    create_admin,
    create_tenant,
    list_admins,
    resume_tenant,
    revoke_admin,
    suspend_tenant,
)
from gateway.container import Stores, open_stores
from gateway.settings import GatewaySettings
from gateway.tenancy.branding import TenantBranding
from gateway.tenancy.key_admin import KeyAdmin, KeyRequestError
from gateway.tenancy.policies import TenantPolicies, default_limits


class CommandError(Exception):
    """The command cannot do what was asked; the message says why."""


Command = Callable[[argparse.Namespace, Stores, GatewaySettings, TextIO], Awaitable[Any]]


def _admin(stores: Stores) -> KeyAdmin:
    return KeyAdmin(stores.keys, stores.db["api_keys"])


async def create_key(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    try:
        issued = await _admin(stores).create(
            args.tenant, args.channel, store_id=args.store, scopes=args.scopes, role=args.role
        )
    except KeyRequestError as exc:
        raise CommandError(str(exc)) from None
    return IssuedKeyOut(key=KeyOut.of(issued.key), secret=issued.secret)


async def list_keys(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    return {"keys": [KeyOut.of(key) for key in await _admin(stores).list(args.tenant)]}


async def rotate_key(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    try:
        grace = timedelta(hours=args.grace_hours)
        issued = await _admin(stores).rotate(args.tenant, args.key_id, grace)
    except KeyRequestError as exc:
        raise CommandError(str(exc)) from None
    if issued is None:
        raise CommandError(f"no live key {args.key_id} in tenant {args.tenant}")
    return IssuedKeyOut(key=KeyOut.of(issued.key), secret=issued.secret)


async def revoke_key(
    args: argparse.Namespace, stores: Stores, _: GatewaySettings, __: TextIO
) -> Any:
    key = await _admin(stores).revoke(args.tenant, args.key_id)
    if key is None:
        raise CommandError(f"no key {args.key_id} in tenant {args.tenant}")
    return KeyOut.of(key)


def _bucket(per_second: float | None, burst: int | None) -> dict[str, Any]:
    given = {"per_second": per_second, "burst": burst}
    return {name: value for name, value in given.items() if value is not None}


async def configure_tenant(
    args: argparse.Namespace, stores: Stores, settings: GatewaySettings, _: TextIO
) -> Any:
    policies = TenantPolicies(stores.db["tenants"], default_limits(settings), cache_seconds=0)
    limits = {
        "per_key": _bucket(args.key_per_second, args.key_burst),
        "per_tenant": _bucket(args.tenant_per_second, args.tenant_burst),
    }
    limits = {level: bucket for level, bucket in limits.items() if bucket}
    current = await stores.db["tenants"].find_one({"_id": args.tenant}) or {}
    merged = {**current.get("rate_limits", {}), **limits} if limits else None
    sessions = _member_sessions(args)
    if sessions:
        sessions = {**current.get("member_sessions", {}), **sessions}
    try:
        await policies.configure(
            args.tenant,
            rate_limits=merged,
            cors_origins=args.cors_origins,
            member_sessions=sessions or None,
        )
        branding = None
        if wanted(args):
            tenants = TenantBranding(stores.db["tenants"], cache_seconds=0)
            branding = await configure_branding(tenants, args.tenant, args)
    except (ValueError, BrandingError, OSError) as exc:
        raise CommandError(str(exc)) from None
    policy = await policies.policy(args.tenant)
    answer = {
        "tenant_id": args.tenant,
        "rate_limits": policy.rate_limits,
        "cors_origins": sorted(policy.cors_origins),
        "member_sessions": policy.member_sessions,
    }
    return answer if branding is None else {**answer, "branding": branding}


def _member_sessions(args: argparse.Namespace) -> dict[str, Any]:
    given = {
        "token_seconds": args.member_token_seconds,
        "code_seconds": args.member_code_seconds,
        "handoff_seconds": args.member_handoff_seconds,
        "legacy_key_access": None
        if args.legacy_member_key_access is None
        else args.legacy_member_key_access == "on",
    }
    return {name: value for name, value in given.items() if value is not None}


COMMANDS: dict[tuple[str, str], Command] = {
    ("keys", "create"): create_key,
    ("keys", "list"): list_keys,
    ("keys", "rotate"): rotate_key,
    ("keys", "revoke"): revoke_key,
    ("operators", "create"): create_operator,
    ("operators", "list"): list_operators,
    ("operators", "disable"): disable_operator,
    ("operators", "enable"): enable_operator,
    ("operators", "end-sessions"): end_sessions,
    ("tenants", "configure"): configure_tenant,
    ("tenants", "create"): create_tenant,
    ("tenants", "suspend"): suspend_tenant,
    ("tenants", "resume"): resume_tenant,
    ("platform", "create-admin"): create_admin,
    ("platform", "list-admins"): list_admins,
    ("platform", "revoke-admin"): revoke_admin,
}


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


async def execute(
    args: argparse.Namespace, settings: GatewaySettings, out: TextIO, stdin: TextIO
) -> None:
    command = COMMANDS[(args.command, args.action)]
    stores = open_stores(settings, key_cache_seconds=0)
    change = cli_change(stores, args)
    try:
        await stores.ensure_indexes()
        if change is not None:
            await change.read_before()
        answer = await command(args, stores, settings, stdin)
        if change is not None:
            await change.record(_plain(answer))
    except (*OPERATOR_ERRORS, PlatformError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        await stores.mongo.close()
    out.write(json.dumps(_plain(answer), indent=2, default=str) + "\n")
