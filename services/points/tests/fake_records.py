"""In-memory stores of records kept under a natural key (return, adjustment, transfer id),
and the version check every stand-in store makes on save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from services.points.domain.errors import AlreadySeen, StaleWrite


class Keyed(Protocol):
    @property
    def tenant_id(self) -> str: ...


R = TypeVar("R", bound=Keyed)


class FakeRecords(Generic[R]):
    """Records by (tenant, the id `key_field` names); adding one twice is AlreadySeen."""

    def __init__(self, records: dict[tuple[str, str], R], key_field: str) -> None:
        self._records = records
        self._key_field = key_field

    async def get(self, tenant_id: str, record_id: str) -> R | None:
        return self._records.get((tenant_id, record_id))

    async def add(self, record: R) -> None:
        key = (record.tenant_id, getattr(record, self._key_field))
        if key in self._records:
            raise AlreadySeen(key[1])
        self._records[key] = record

    async def get_many(self, tenant_id: str, record_ids: Sequence[str]) -> list[R]:
        found = (self._records.get((tenant_id, record_id)) for record_id in record_ids)
        return [record for record in found if record is not None]


def check_version(current: int | None, expected: int, what: str) -> None:
    if current is not None and current != expected:
        raise StaleWrite(what)
