"""Errors of the member domain, each with its machine code."""

from __future__ import annotations

from libs.errors import AlreadyExists, NotFound
from services.member.domain.identities import Identity


class MemberNotFound(NotFound):
    code = "member_not_found"

    def __init__(self, member_id: str = "") -> None:
        super().__init__(f"no member {member_id}" if member_id else "no such member")


class IdentityTaken(AlreadyExists):
    code = "identity_taken"

    def __init__(self, identity: Identity) -> None:
        super().__init__(f"{identity.type.value} is already held by another member")
        self.identity = identity


class IdentityNotHeld(NotFound):
    code = "identity_not_found"

    def __init__(self, identity: Identity) -> None:
        super().__init__(f"the member holds no such {identity.type.value}")
        self.identity = identity


class MemberCodeInvalid(NotFound):
    """Forged, of another tenant, malformed or expired: the till asks for a fresh code."""

    code = "member_not_found"

    def __init__(self) -> None:
        super().__init__("no member for that code; codes last 60 seconds, ask for a new one")
