"""The demo operators of `python -m gateway.seed`, with random passwords.

A password already in the credentials file is kept while it still signs in; otherwise a
new random one is set (and the operator created if missing), so the file always holds a
working login and the database only its argon2 hash.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from gateway.seed.data import OPERATORS
from gateway.tenancy.credentials import OperatorLogin, read_operator_logins
from gateway.tenancy.operators.store import OperatorStore


async def _still_valid(operators: OperatorStore, login: OperatorLogin | None) -> bool:
    if login is None:
        return False
    found = await operators.check_password(login["tenant_id"], login["email"], login["password"])
    return found is not None and found.role == login.get("role")


async def ensure_operators(operators: OperatorStore, credentials: Path) -> list[OperatorLogin]:
    known = {
        (login.get("tenant_id"), login.get("email")): login
        for login in read_operator_logins(credentials)
    }
    logins: list[OperatorLogin] = []
    for tenant_id, email, role in OPERATORS:
        login = known.get((tenant_id, email))
        if login is None or not await _still_valid(operators, login):
            password = secrets.token_urlsafe(18)
            existing = await operators.find(tenant_id, email)
            if existing is None:
                await operators.create(tenant_id, email, role, password)
            else:
                await operators.set_password(existing.operator_id, password)
            login = {"tenant_id": tenant_id, "email": email, "role": role, "password": password}
        logins.append(login)
    return logins
