"""The member service's settings, read once at start."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from libs.settings import ServiceSettings
from services.member.adapters.crypto import MasterKey


class MemberSettings(ServiceSettings):
    grpc_port: int = Field(default=50051, gt=0, lt=65536)
    mongo_db: str = Field(default="loyalty_member", min_length=1)
    # Base64 of 32 random bytes: wraps every member's data key and keys the identity index
    # and member codes. Losing it makes all personal data unreadable; required.
    member_pii_key: SecretStr
    # How often the tier jobs run: expired manual tiers revert, ended periods are judged.
    tier_job_seconds: float = Field(default=30.0, gt=0)

    @field_validator("member_pii_key")
    @classmethod
    def _a_32_byte_key(cls, value: SecretStr) -> SecretStr:
        MasterKey.from_base64(value.get_secret_value())
        return value

    @property
    def master_key(self) -> MasterKey:
        return MasterKey.from_base64(self.member_pii_key.get_secret_value())
