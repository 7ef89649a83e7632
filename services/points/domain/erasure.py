"""What erasure leaves of an operator's free text: the ledger's own words, not theirs.

An adjustment's or transfer's reason is typed by an operator and may name the member
("called Li Lei on 138…"). When the member is erased, that text goes; the points, the
entry's kind and its ids stay, so the ledger still reconciles.
"""

from __future__ import annotations

from typing import Protocol

from services.points.domain.ledger import EntryType

ERASED_REASON = "(erased)"
# Entries whose reason ends with an operator's text after the ledger's own prefix.
WITH_OPERATOR_TEXT = frozenset({EntryType.ADJUST, EntryType.TRANSFER_IN, EntryType.TRANSFER_OUT})


def redacted_reason(entry_type: EntryType, reason: str) -> str:
    """`adjusted by an operator: <text>` becomes `adjusted by an operator: (erased)`."""
    if entry_type not in WITH_OPERATOR_TEXT:
        return reason
    prefix, found, _ = reason.partition(": ")
    return f"{prefix}: {ERASED_REASON}" if found else ERASED_REASON


class FreeTextEraser(Protocol):
    """Redacts the operator text kept about a member: adjustments, transfers (both
    sides) and their ledger entries. Idempotent: a second run changes nothing."""

    async def erase(self, tenant_id: str, member_id: str) -> int: ...
