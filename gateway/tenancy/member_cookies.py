"""The member centre's session cookie: a member token out of the page's reach.

Made like the console's operator cookie (`gateway.tenancy.operators.cookies`: `HttpOnly`,
`SameSite=Strict`, `Secure` as configured, and a request it authenticates that changes
something must come from the gateway's own origin), under a name of its own, so a browser
signed in to the console and to the member centre keeps both. A request carrying both is
the operator's unless it says `X-Session-Cookie: member`, as every call of the member
centre does.
"""

from __future__ import annotations

from fastapi import Request

from gateway.tenancy.operators.cookies import cleared_cookie, cookie_token, session_cookie

MEMBER_COOKIE = "loyalty_member"
CHOICE_HEADER = "x-session-cookie"


def member_cookie(token: str, max_age: int, *, secure: bool) -> str:
    return session_cookie(token, max_age, secure=secure, name=MEMBER_COOKIE)


def cleared_member_cookie(*, secure: bool) -> str:
    return cleared_cookie(secure=secure, name=MEMBER_COOKIE)


def member_cookie_token(request: Request) -> str | None:
    return request.cookies.get(MEMBER_COOKIE) or None


def presented_cookie(request: Request) -> str | None:
    """The session the request's cookies carry: the member's when it asks for it, else the
    operator's, else the member's."""
    member = member_cookie_token(request)
    if request.headers.get(CHOICE_HEADER, "").lower() == "member":
        return member
    return cookie_token(request) or member
