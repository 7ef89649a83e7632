"""The credentials file the seed writes: one API key per tenant and channel, and the
demo operators' passwords.

`{"tenants": {"demo": {"pos": "lk_pos_...", ...}, ...}, "gateway_url": "http://...",
"operators": [{"tenant_id": "demo", "email": "...", "role": "admin", "password": "..."}]}`,
readable by its owner only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from gateway.tenancy.keys import CHANNELS, KeyStore

# tenant id -> channel -> secret
Secrets = dict[str, dict[str, str]]
# one operator login: tenant_id, email, role and password
OperatorLogin = dict[str, str]


def read_secrets(path: Path) -> Secrets | None:
    """The secrets in the file, or None when it is missing or not in the expected shape."""
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    tenants = document.get("tenants") if isinstance(document, dict) else None
    if not isinstance(tenants, dict):
        return None
    secrets: Secrets = {}
    for tenant_id, keys in tenants.items():
        if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
            return None
        secrets[str(tenant_id)] = {str(channel): secret for channel, secret in keys.items()}
    return secrets


async def all_still_valid(keys: KeyStore, secrets: Secrets, tenant_ids: Iterable[str]) -> bool:
    """Every tenant has a live key for every channel, each of that tenant and channel."""
    for tenant_id in tenant_ids:
        by_channel = secrets.get(tenant_id, {})
        for channel in CHANNELS:
            secret = by_channel.get(channel)
            key = await keys.find_by_secret(secret) if secret else None
            if key is None or key.tenant_id != tenant_id or key.channel != channel:
                return False
    return True


def read_operator_logins(path: Path) -> list[OperatorLogin]:
    """The operators' logins in the file; none when it is missing or malformed."""
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    logins = document.get("operators") if isinstance(document, dict) else None
    if not isinstance(logins, list):
        return []
    return [
        {str(k): v for k, v in login.items()}
        for login in logins
        if isinstance(login, dict) and all(isinstance(v, str) for v in login.values())
    ]


def write_secrets(
    path: Path,
    secrets: Mapping[str, Mapping[str, str]],
    gateway_url: str,
    operators: Sequence[OperatorLogin] = (),
) -> None:
    """Replace the file atomically, mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document: dict[str, object] = {"tenants": secrets, "gateway_url": gateway_url}
    if operators:
        document["operators"] = list(operators)
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
