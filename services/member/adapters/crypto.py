"""Envelope encryption of personal data, and keyed hashes to find it without reading it.

Each member's personal data is sealed with AES-256-GCM under the member's own data key.
The data key is stored wrapped (AES-256-GCM) under a key derived from the master key
(`MEMBER_PII_KEY`), so destroying the wrapped data key makes every copy of that member's
ciphertext unreadable at once. Identity values are found through an HMAC-SHA256 of the
normalised value under a key derived per tenant, so equal values in two tenants do not
match and the index reveals nothing without the master key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
_CONTEXT = b"loyalty.member.v1/"


class UnreadableData(Exception):
    """Ciphertext that does not open under the key given: tampered, moved or mis-keyed."""


class MasterKey:
    """The root secret. Only derived keys are used, each for one purpose."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError(f"the master key must be {KEY_BYTES} bytes")
        self._raw = raw

    @classmethod
    def from_base64(cls, text: str) -> MasterKey:
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the master key must be base64") from None
        return cls(raw)

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(os.urandom(KEY_BYTES))

    def to_base64(self) -> str:
        return base64.b64encode(self._raw).decode()

    def derive(self, purpose: str) -> bytes:
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_CONTEXT + purpose.encode()
        )
        return hkdf.derive(self._raw)

    @property
    def key_id(self) -> str:
        """Names the master key in stored rows (for rotation), revealing nothing of it."""
        return self.derive("key-id")[:8].hex()

    def __repr__(self) -> str:
        return f"MasterKey(id={self.key_id})"


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        raise UnreadableData("the data does not open under this key") from None


def member_aad(tenant_id: str, member_id: str) -> bytes:
    """Binds ciphertext to its member: a sealed blob copied onto another member won't open."""
    return f"{tenant_id}\x00{member_id}".encode()


class Vault:
    """Data keys (new, wrapped, unwrapped), sealing, and the identity index."""

    def __init__(self, master: MasterKey) -> None:
        self._wrapping_key = master.derive("data-key-wrapping")
        self._index_root = master.derive("identity-index")
        self._index_keys: dict[str, bytes] = {}
        self.key_id = master.key_id

    def new_data_key(self) -> bytes:
        return AESGCM.generate_key(bit_length=KEY_BYTES * 8)

    def wrap(self, data_key: bytes, aad: bytes) -> bytes:
        return _seal(self._wrapping_key, data_key, aad)

    def unwrap(self, wrapped: bytes, aad: bytes) -> bytes:
        return _open(self._wrapping_key, wrapped, aad)

    @staticmethod
    def seal(data_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
        return _seal(data_key, plaintext, aad)

    @staticmethod
    def open(data_key: bytes, sealed: bytes, aad: bytes) -> bytes:
        return _open(data_key, sealed, aad)

    def index(self, tenant_id: str, kind: str, value: str) -> str:
        """The keyed hash of a normalised identity value, per tenant."""
        key = self._index_keys.get(tenant_id)
        if key is None:
            key = hmac.new(self._index_root, tenant_id.encode(), hashlib.sha256).digest()
            self._index_keys[tenant_id] = key
        digest = hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
