"""NATS users of the local stack: one per process, each allowed to publish only its own
events (`loyalty.<tenant>.<its event types>.>`) and the JetStream API calls it makes.

The launcher writes them into the nats-server configuration file it starts the server
with; each process is handed its own user and password (`NATS_USER`, `NATS_PASSWORD`).
The launcher itself (and tests that read the stream) connect as `launcher`, which may do
anything. Passwords are random per launch: the file is written again at each start.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from libs.nats import STREAM_NAME

ADMIN_USER = "launcher"
OWN_EVENTS: dict[str, tuple[str, ...]] = {
    "member": ("member",),
    "points": ("points",),
    "campaign": ("campaign", "coupon"),
    # Publishes no event yet: its own subjects only, and its consumer's JetStream calls.
    "analytics": ("analytics",),
    # The gateway publishes no event; it consumes the stream for webhooks.
    "gateway": (),
}
"""Each process's user, and the first part of the event types it alone publishes."""

# What a service's JetStream client sends besides its events: the stream's info, creating
# or updating it at connect, its own consumers (create, info, next batch, delete), acks
# and flow control. Never purging the stream or deleting its messages.
JETSTREAM_API = (
    "$JS.API.INFO",
    f"$JS.API.STREAM.INFO.{STREAM_NAME}",
    f"$JS.API.STREAM.CREATE.{STREAM_NAME}",
    f"$JS.API.STREAM.UPDATE.{STREAM_NAME}",
    "$JS.API.CONSUMER.>",
    f"$JS.ACK.{STREAM_NAME}.>",
    f"$JS.FC.{STREAM_NAME}.>",
)


def without_user(url: str) -> str:
    """`url` without the user and password it may carry."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def publish_allowed(user: str) -> list[str]:
    """The subjects `user` may publish to."""
    return [*(f"loyalty.*.{kind}.>" for kind in OWN_EVENTS[user]), *JETSTREAM_API]


@dataclass(frozen=True)
class NatsUsers:
    """A password per user: one per process and the launcher's."""

    passwords: Mapping[str, str] = field(
        default_factory=lambda: {u: secrets.token_urlsafe(24) for u in [ADMIN_USER, *OWN_EVENTS]}
    )

    def credentials(self, user: str) -> tuple[str, str]:
        return user, self.passwords[user]

    def url_for(self, url: str, user: str = ADMIN_USER) -> str:
        """`url` (nats://host:port) carrying `user`'s name and password."""
        scheme, _, rest = url.partition("://")
        return f"{scheme}://{user}:{self.passwords[user]}@{rest}"

    def config(self) -> str:
        """The `authorization` block of nats-server's configuration."""
        entries = []
        for user, password in self.passwords.items():
            if user == ADMIN_USER:
                permissions: dict[str, object] = {"publish": ">", "subscribe": ">"}
            else:
                permissions = {"publish": {"allow": publish_allowed(user)}, "subscribe": ">"}
            entry = {"user": user, "password": password, "permissions": permissions}
            entries.append(json.dumps(entry))  # nats-server reads JSON objects as they are
        users = ",\n    ".join(entries)
        return f"authorization {{\n  users = [\n    {users}\n  ]\n}}\n"

    def write_config(self, path: Path) -> Path:
        """The configuration file (mode 0600, it holds the passwords)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(self.config())
        return path
