"""Typed settings read once from the environment at each process's composition root.

Nothing below an entrypoint reads `os.environ`; it is handed a settings object instead.
A missing required value stops the start with a message naming the variable.
"""

from __future__ import annotations

import sys
from typing import Literal, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

LogFormat = Literal["json", "console"]


class CommonSettings(BaseSettings):
    """What every process of the platform needs."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: LogFormat = "json"
    mongo_url: str = Field(min_length=1)
    redis_url: str = Field(min_length=1)
    nats_url: str = Field(min_length=1)
    # Replicas of the event stream: 1 on one machine, 3 on a JetStream cluster.
    nats_stream_replicas: int = Field(default=1, ge=1, le=5)
    # Outbound calls and transactions never wait longer than this.
    mongo_timeout_ms: int = Field(default=5000, gt=0)
    shutdown_grace_seconds: float = Field(default=10.0, gt=0)


class ServiceSettings(CommonSettings):
    """A gRPC service: where it listens and which database it owns."""

    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(gt=0, lt=65536)
    mongo_db: str = Field(min_length=1)
    # How often the outbox relay re-sweeps for rows a crash or outage left behind.
    outbox_sweep_seconds: float = Field(default=1.0, gt=0)

    @property
    def grpc_listen(self) -> str:
        return f"{self.grpc_host}:{self.grpc_port}"


S = TypeVar("S", bound=BaseSettings)


def load_settings(cls: type[S]) -> S:
    """Read `cls` from the environment, or exit with one line per bad or missing variable."""
    try:
        return cls()
    except ValidationError as exc:
        lines = [f"configuration error in {cls.__name__}:"]
        for err in exc.errors():
            name = "_".join(str(part) for part in err["loc"]).upper()
            lines.append(f"  {name}: {err['msg']}")
        sys.stderr.write("\n".join(lines) + "\n")
        raise SystemExit(2) from None
