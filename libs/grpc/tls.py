"""Mutual TLS between the platform's processes: each side shows a certificate the other
checks against the platform's CA.

A process is given three PEM files (its settings name them): the CA that signs every
peer, its own certificate chain and its private key. A server built with them refuses a
client that shows no certificate signed by that CA; a channel built with them checks the
server's certificate against it and shows its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc


@dataclass(frozen=True)
class TlsFiles:
    """The PEM files of one process: the CA it trusts, its certificate and its key."""

    ca: Path
    cert: Path
    key: Path

    def read(self) -> tuple[bytes, bytes, bytes]:
        return self.ca.read_bytes(), self.cert.read_bytes(), self.key.read_bytes()


def server_credentials(files: TlsFiles) -> grpc.ServerCredentials:
    """A server's side: its certificate, and a client certificate the CA signed required."""
    ca, cert, key = files.read()
    return grpc.ssl_server_credentials(
        [(key, cert)], root_certificates=ca, require_client_auth=True
    )


def channel_credentials(files: TlsFiles) -> grpc.ChannelCredentials:
    """A client's side: the server's certificate checked against the CA, its own shown."""
    ca, cert, key = files.read()
    return grpc.ssl_channel_credentials(
        root_certificates=ca, private_key=key, certificate_chain=cert
    )
