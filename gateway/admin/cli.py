"""`python -m gateway.admin {keys,operators,tenants,platform} ...`; `--help` on any level
explains.

Configuration comes from the gateway's environment (MONGO_URL, MONGO_DB, ...), as for
`python -m gateway.seed`. Answers are JSON on stdout; a secret (a new key's, a rotated
key's, a platform administrator's) is printed this once and stored only as a hash. An
operator's password is asked for twice on a terminal, or read from stdin's first line with
--password-stdin; only its argon2 hash is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from gateway.admin.commands import COMMANDS, CommandError, execute
from gateway.settings import GatewaySettings
from gateway.tenancy.keys import CHANNELS, OPERATOR_SCOPES, ROLES
from libs.logging import configure_logging
from libs.settings import load_settings


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _keys(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = commands.add_parser("keys", help="API keys of a tenant").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="create a key and print its secret once")
    create.add_argument("--tenant", required=True)
    create.add_argument("--channel", required=True, choices=CHANNELS)
    create.add_argument("--store", help="bind a pos key to this store")
    create.add_argument(
        "--scopes", type=_csv, help=f"comma-separated, of: {', '.join(OPERATOR_SCOPES)}"
    )
    create.add_argument("--role", choices=ROLES, help="an operator key's role (default: admin)")
    listing = keys.add_parser("list", help="the tenant's keys (never their secrets)")
    listing.add_argument("--tenant", required=True)
    rotate = keys.add_parser("rotate", help="a new secret; the old one works for a grace period")
    rotate.add_argument("--tenant", required=True)
    rotate.add_argument("key_id")
    rotate.add_argument("--grace-hours", type=float, default=24.0)
    revoke = keys.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("--tenant", required=True)
    revoke.add_argument("key_id")


def _operators(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    operators = commands.add_parser("operators", help="console users").add_subparsers(
        dest="action", required=True
    )
    create = operators.add_parser(
        "create", help="create an operator; the password is asked for (or read from stdin)"
    )
    create.add_argument("--tenant", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--stores", type=_csv, default=[], help="a store_manager's stores")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    listing = operators.add_parser("list", help="the tenant's operators")
    listing.add_argument("--tenant", required=True)
    for action, explained in (
        ("disable", "disable an operator: their sessions end and they cannot sign in"),
        ("enable", "let a disabled operator sign in again"),
        ("end-sessions", "end every session of an operator at once"),
    ):
        each = operators.add_parser(action, help=explained)
        each.add_argument("--tenant", required=True)
        each.add_argument("operator_id")


def _tenants(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tenants = commands.add_parser("tenants", help="tenant settings").add_subparsers(
        dest="action", required=True
    )
    configure = tenants.add_parser(
        "configure", help="rate limits, web origins (CORS), member sessions and branding"
    )
    configure.add_argument("--tenant", required=True)
    configure.add_argument(
        "--cors-origin", action="append", dest="cors_origins", help="repeat; replaces the list"
    )
    for level in ("key", "tenant"):
        configure.add_argument(f"--{level}-per-second", type=float)
        configure.add_argument(f"--{level}-burst", type=int)
    configure.add_argument("--member-token-seconds", type=int, help="default 3600")
    configure.add_argument("--member-code-seconds", type=int, help="default 300")
    configure.add_argument(
        "--member-handoff-seconds", type=int, help="a member-centre hand-off code; default 60"
    )
    configure.add_argument(
        "--legacy-member-key-access",
        choices=("on", "off"),
        help="let app and mini-program keys act for any member without a member token "
        "(the contract before member sessions; off unless turned on)",
    )
    configure.add_argument("--brand-name", help="the name the member centre shows")
    configure.add_argument("--brand-colour", help="the brand colour, #RRGGBB")
    configure.add_argument("--brand-logo", help="a small .png or .svg file (at most 24 KiB)")
    configure.add_argument("--clear-brand-logo", action="store_true", help="show no logo")
    create = tenants.add_parser(
        "create", help="a new tenant with its settings and starter programme at every service"
    )
    create.add_argument("--tenant", required=True, help="its id, lower case, kept forever")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--store", action="append", dest="stores", help="repeat; STORE or STORE=Time/Zone"
    )
    create.add_argument("--region", required=True, help="ISO 3166 alpha-2, e.g. CN")
    create.add_argument("--time-zone", required=True, help="IANA, e.g. Asia/Shanghai")
    create.add_argument("--currency", required=True, help="the base currency, kept forever")
    create.add_argument(
        "--language", action="append", dest="languages", help="repeat; en, zh-CN; default first"
    )
    create.add_argument("--point-value", help="what one point is worth, e.g. 0.01")
    for action, explained in (
        ("suspend", "refuse the tenant's keys, sessions and member tokens from the next request"),
        ("resume", "let a suspended tenant's credentials in again"),
    ):
        tenants.add_parser(action, help=explained).add_argument("--tenant", required=True)


def _platform(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    platform = commands.add_parser(
        "platform", help="platform administrators (the platform API's credentials)"
    ).add_subparsers(dest="action", required=True)
    create = platform.add_parser(
        "create-admin", help="create a platform administrator and print their secret once"
    )
    create.add_argument("--name", required=True, help="who holds it, for the audit trail")
    platform.add_parser("list-admins", help="the platform administrators (never their secrets)")
    revoke = platform.add_parser("revoke-admin", help="refuse an administrator's secret at once")
    revoke.add_argument("admin_id")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m gateway.admin", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    _keys(commands)
    _operators(commands)
    _tenants(commands)
    _platform(commands)
    return root


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    assert (args.command, args.action) in COMMANDS
    settings = load_settings(GatewaySettings)
    configure_logging("gateway-admin", "WARNING", settings.log_format)
    try:
        asyncio.run(execute(args, settings, sys.stdout, sys.stdin))
    except CommandError as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None
