"""MongoDB users of the local stack: one per process, `readWrite` on its own database only,
and the launcher's own `root`.

The embedded server runs with `--auth` (SCRAM-SHA-256): a connection without a user may
only say hello and ping, and each process's user is refused every command on another
process's database, reads and writes alike. Its transactions and change streams on its
own database work as before; server-wide commands (`serverStatus`, `listDatabases`) are
the launcher's alone, which the tests, the bench and the fault suite use to look into
every database (`stack.urls["mongo"]` carries it).

Passwords are made on the first start and kept in `<var>/mongo-users.json` (mode 0600),
since the users live in the server's own data: later starts reuse them. A data directory
the users were never created in (the first start, or after `make clean`) is provisioned
first: the server is started once without `--auth`, on loopback only, the users created
(or their passwords and roles set again, when the file was lost), then stopped and
started with `--auth`.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pymongo import MongoClient

ADMIN_USER = "launcher"
AUTH_DATABASE = "admin"
USERS_FILE = "mongo-users.json"
OWN_DATABASES: dict[str, str] = {
    "member": "loyalty_member",
    "points": "loyalty_points",
    "campaign": "loyalty_campaign",
    "analytics": "loyalty_analytics",
    "gateway": "loyalty_gateway",
}
"""Each process's user and the one database it may read and write (its MONGO_DB)."""
USERS = (ADMIN_USER, *OWN_DATABASES)
PROVISION_TIMEOUT_MS = 10_000


def roles(user: str) -> list[dict[str, str]]:
    """The roles `user` is given: `root` for the launcher, else `readWrite` on its database."""
    if user == ADMIN_USER:
        return [{"role": "root", "db": AUTH_DATABASE}]
    return [{"role": "readWrite", "db": OWN_DATABASES[user]}]


def with_user(url: str, user: str, password: str) -> str:
    """`url` (mongodb://host:port/?...) carrying `user` and `password`, any other removed.

    With no database in its path the driver authenticates against `admin`, where the
    users are kept.
    """
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@{rest.rpartition('@')[2]}"


def _read(path: Path) -> dict[str, str]:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {user: value for user, value in stored.items() if isinstance(value, str) and value}


@dataclass(frozen=True)
class MongoUsers:
    """A password per user (the launcher's and one per process), kept in `path`.

    `fresh` says the passwords were made now, not read back: the server's users, if it
    has any, must be given them.
    """

    path: Path
    passwords: Mapping[str, str]
    fresh: bool = False

    @classmethod
    def kept(cls, path: Path) -> MongoUsers:
        """The passwords kept in `path`, or new ones where it holds none (nothing written)."""
        stored = _read(path)
        passwords = {user: stored.get(user) or secrets.token_urlsafe(24) for user in USERS}
        return cls(path, passwords, fresh=any(user not in stored for user in USERS))

    def url_for(self, url: str, user: str = ADMIN_USER) -> str:
        return with_user(url, user, self.passwords[user])

    def provision(self, url: str) -> None:
        """Create every user on the server at `url`, or give it its password and roles again."""
        client: MongoClient[dict[str, object]] = MongoClient(
            url, serverSelectionTimeoutMS=PROVISION_TIMEOUT_MS
        )
        with client:
            admin = client[AUTH_DATABASE]
            existing = {str(u["user"]) for u in admin.command("usersInfo", 1)["users"]}
            for user, password in self.passwords.items():
                command = "updateUser" if user in existing else "createUser"
                admin.command(command, user, pwd=password, roles=roles(user))

    def keep(self) -> None:
        """Write the passwords to `path` (mode 0600, it holds them)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(dict(self.passwords), file, indent=2)
            file.write("\n")
