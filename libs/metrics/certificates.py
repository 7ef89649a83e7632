"""When this process's certificate expires, read from its file at each scrape: cert-manager
renews the Secret in place, and the next scrape shows the new date."""

from __future__ import annotations

import asyncio
from pathlib import Path

from cryptography import x509

from libs.metrics.process import METRICS
from libs.metrics.server import Collector


def certificate_expiry(path: Path) -> Collector:
    async def collect() -> None:
        pem = await asyncio.to_thread(path.read_bytes)
        expires = x509.load_pem_x509_certificate(pem).not_valid_after_utc
        METRICS.certificate_expiry.set(value=expires.timestamp())

    return collect
