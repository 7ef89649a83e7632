"""Typed settings read once from the environment at each process's composition root.

Nothing below an entrypoint reads `os.environ`; it is handed a settings object instead.
A missing required value stops the start with a message naming the variable.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, Self, TypeVar

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from libs.grpc.tls import TlsFiles

LogFormat = Literal["json", "console"]
Environment = Literal["development", "production"]


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
    # production refuses to start without mutual TLS for gRPC and a NATS user of its own.
    environment: Environment = "development"
    # PEM files for mutual TLS on every gRPC hop: the CA that signs every peer, this
    # process's certificate chain and its key. All three or none (plaintext).
    grpc_tls_ca_file: Path | None = None
    grpc_tls_cert_file: Path | None = None
    grpc_tls_key_file: Path | None = None
    # This process's own NATS user, whose permissions name the subjects it may publish.
    nats_user: str | None = Field(default=None, min_length=1)
    nats_password: SecretStr | None = None
    # Where spans go over OTLP/HTTP (e.g. http://otel-collector:4318); unset: no tracing.
    otel_exporter_otlp_endpoint: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _components_authenticate(self) -> Self:
        files = (self.grpc_tls_ca_file, self.grpc_tls_cert_file, self.grpc_tls_key_file)
        if any(files) and not all(files):
            raise ValueError(
                "GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together"
            )
        if (self.nats_user is None) != (self.nats_password is None):
            raise ValueError("NATS_USER and NATS_PASSWORD go together")
        if self.environment == "production":
            if not all(files):
                raise ValueError("production refuses plaintext gRPC: set GRPC_TLS_*_FILE")
            if self.nats_user is None:
                raise ValueError("production needs this process's own NATS_USER/NATS_PASSWORD")
        return self

    @property
    def grpc_tls(self) -> TlsFiles | None:
        """The mutual-TLS files of this process, or None for plaintext."""
        ca, cert, key = self.grpc_tls_ca_file, self.grpc_tls_cert_file, self.grpc_tls_key_file
        if ca is None or cert is None or key is None:
            return None
        return TlsFiles(ca=ca, cert=cert, key=key)

    @property
    def nats_credentials(self) -> tuple[str, str] | None:
        if self.nats_user is None or self.nats_password is None:
            return None
        return self.nats_user, self.nats_password.get_secret_value()


class ServiceSettings(CommonSettings):
    """A gRPC service: where it listens and which database it owns."""

    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(gt=0, lt=65536)
    # A plaintext port answering grpc.health.v1 only, for probes that show no certificate.
    grpc_health_port: int | None = Field(default=None, gt=0, lt=65536)
    mongo_db: str = Field(min_length=1)
    # How often the outbox relay re-sweeps for rows a crash or outage left behind.
    outbox_sweep_seconds: float = Field(default=1.0, gt=0)
    # How long published outbox rows may wait to be marked, so that one write marks all the
    # rows of that time (libs/outbox.py); 0 marks each batch at once.
    outbox_mark_seconds: float = Field(default=1.0, ge=0)
    # Where Prometheus scrapes `GET /metrics` (plain HTTP, on GRPC_HOST); None: no port.
    metrics_port: int | None = Field(default=None, ge=0, lt=65536)

    @property
    def grpc_listen(self) -> str:
        return f"{self.grpc_host}:{self.grpc_port}"

    @property
    def grpc_health_listen(self) -> str | None:
        if self.grpc_health_port is None:
            return None
        return f"{self.grpc_host}:{self.grpc_health_port}"


S = TypeVar("S", bound=BaseSettings)


def load_settings(cls: type[S]) -> S:
    """Read `cls` from the environment, or exit with one line per bad or missing variable."""
    try:
        return cls()
    except ValidationError as exc:
        lines = [f"configuration error in {cls.__name__}:"]
        for err in exc.errors():
            name = "_".join(str(part) for part in err["loc"]).upper() or "SETTINGS"
            lines.append(f"  {name}: {err['msg']}")
        sys.stderr.write("\n".join(lines) + "\n")
        raise SystemExit(2) from None
