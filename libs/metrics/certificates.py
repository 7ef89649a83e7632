"""When the certificate this process serves and shows expires. A process reads its
certificate once, at start (libs/grpc/tls.py), so this is read then too: a certificate
cert-manager renewed in the Secret does not move the figure until the process restarts
and uses it, which is what the expiry alert has to see."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from libs.metrics.process import METRICS


def record_certificate_expiry(path: Path) -> None:
    expires = x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc
    METRICS.certificate_expiry.set(value=expires.timestamp())
