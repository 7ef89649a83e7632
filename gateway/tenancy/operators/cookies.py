"""The console's session cookie: the token of a signed-in operator, out of the script's reach.

The cookie is `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page
sends it) and `Secure` as configured. Because a browser sends it by itself, a request it
authenticates that changes something must also come from the gateway's own origin
(`Origin` or `Referer`), else 403: a second fence against cross-site requests.
"""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from fastapi import Request

from gateway.edge.problems import ApiProblem

COOKIE_NAME = "loyalty_session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ip_address(name).is_loopback
    except ValueError:
        return False


def wants_secure(setting: str, request: Request) -> bool:
    if setting != "auto":
        return setting == "always"
    return request.url.scheme == "https" or not _is_loopback(request.url.hostname or "")


def session_cookie(token: str, max_age: int, *, secure: bool, name: str = COOKIE_NAME) -> str:
    attributes = [f"{name}={token}", "Path=/", f"Max-Age={max_age}", "HttpOnly"]
    attributes.append("SameSite=Strict")
    if secure:
        attributes.append("Secure")
    return "; ".join(attributes)


def cleared_cookie(*, secure: bool, name: str = COOKIE_NAME) -> str:
    return session_cookie("", 0, secure=secure, name=name)


def cookie_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE_NAME) or None


def check_same_origin(request: Request) -> None:
    """A cookie-authenticated request that changes something must come from our origin."""
    if request.method in SAFE_METHODS:
        return
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    if not parts.netloc or parts.netloc != request.headers.get("host"):
        raise ApiProblem(
            403, "forbidden", "a request signed in by cookie must come from the gateway's origin"
        )
