"""Where a webhook may point (pure): HTTPS to a public address, so an endpoint cannot
make the platform call into its own network (SSRF).

Plain `http://` to a loopback address is allowed only where the gateway runs in
development on a loopback address itself (`make run`, the tests' local receivers), the
same rule as the development code sender's. The host's addresses are checked again at
every delivery (`refused_address`), since a name may resolve elsewhere later.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

MAX_URL_CHARS = 2048
LOOPBACK_NAMES = ("localhost",)


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def refused_address(address: str, *, loopback_allowed: bool) -> bool:
    """Whether a resolved address is one the platform never calls."""
    ip = _literal(address)
    if ip is None:
        return True
    if ip.is_loopback:
        return not loopback_allowed
    return not ip.is_global or ip.is_multicast


def url_refusal(url: str, *, loopback_allowed: bool) -> str | None:
    """Why `url` cannot be a webhook endpoint; None when it can."""
    if len(url) > MAX_URL_CHARS:
        return "is longer than 2048 characters"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "is not a URL"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user or password"
    if not host:
        return "has no host"
    return _host_refusal(parts.scheme, host, loopback_allowed=loopback_allowed)


def _host_refusal(scheme: str, host: str, *, loopback_allowed: bool) -> str | None:
    ip = _literal(host)
    loopback = host in LOOPBACK_NAMES or (ip is not None and ip.is_loopback)
    if scheme != "https" and not (scheme == "http" and loopback and loopback_allowed):
        return "must use https"
    if loopback:
        return None if loopback_allowed else "points at this machine"
    if host.endswith((".localhost", ".local", ".internal")):
        return "points at a private network"
    if ip is not None and refused_address(host, loopback_allowed=False):
        return "points at a private, link-local or reserved address"
    return None
