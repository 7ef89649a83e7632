"""In-memory tier progress books, for the tier consumer's unit tests."""

from __future__ import annotations

from services.member.domain.tier_book import QualifyingBook

Books = dict[tuple[str, str], QualifyingBook]


class FakeQualifying:
    def __init__(self, books: Books) -> None:
        self._books = books

    async def books(self, tenant_id: str, member_ids: list[str]) -> list[QualifyingBook]:
        return [self._books.get((tenant_id, m)) or QualifyingBook(tenant_id, m) for m in member_ids]

    async def save(self, book: QualifyingBook) -> None:
        self._books[(book.tenant_id, book.member_id)] = book
