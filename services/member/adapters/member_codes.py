"""Member codes for the till: `<payload>.<signature>`, both base64url.

The payload is the tenant, the member id, the expiry (Unix seconds) and a random nonce;
the signature is an HMAC-SHA256 (truncated to 128 bits) under a key derived from the
master key for this purpose only. A code of one tenant does not resolve in another: the
tenant is signed. The nonce makes every code issued a new one, even two in one second: the
gateway lets each code resolve once (gateway/members/code_uses.py). Codes issued before
the nonce (three fields) still read until they expire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from services.member.adapters.crypto import MasterKey
from services.member.domain.ports import MemberCode

SIGNATURE_BYTES = 16
MAX_CODE_LENGTH = 256


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HmacMemberCodes:
    def __init__(self, master: MasterKey) -> None:
        self._key = master.derive("member-code")

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:SIGNATURE_BYTES]

    def issue(self, code: MemberCode) -> str:
        expires = int(code.expires_at.timestamp())
        nonce = secrets.token_urlsafe(6)
        payload = f"{code.tenant_id}\n{code.member_id}\n{expires}\n{nonce}".encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def read(self, tenant_id: str, text: str) -> MemberCode | None:
        if len(text) > MAX_CODE_LENGTH or text.count(".") != 1:
            return None
        encoded, signature = text.split(".")
        try:
            payload, given = _unb64(encoded), _unb64(signature)
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(given, self._sign(payload)):
            return None
        try:
            tenant, member_id, expires = payload.decode().split("\n")[:3]
            expires_at = datetime.fromtimestamp(int(expires), UTC)
        except (UnicodeDecodeError, ValueError, OverflowError):
            return None
        if tenant != tenant_id:
            return None
        return MemberCode(tenant, member_id, expires_at)
