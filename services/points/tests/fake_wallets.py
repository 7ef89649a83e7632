"""Wallets in memory, each saved under a version check, read as from storage."""

from __future__ import annotations

import copy
from datetime import datetime

from services.points.domain.expiry import next_announcement
from services.points.domain.wallet import Wallet
from services.points.tests.fake_records import check_version


class FakeWallets:
    def __init__(self, wallets: dict[tuple[str, str], Wallet]) -> None:
        self._wallets = wallets

    async def get(self, tenant_id: str, member_id: str) -> Wallet | None:
        wallet = copy.deepcopy(self._wallets.get((tenant_id, member_id)))
        if wallet is not None:
            wallet.mark_lots()
        return wallet

    async def save(self, wallet: Wallet) -> None:
        key = (wallet.tenant_id, wallet.member_id)
        current = self._wallets.get(key)
        check_version(current.version if current else None, wallet.version, "wallet")
        wallet.version += 1
        self._wallets[key] = copy.deepcopy(wallet)

    async def due(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        return [key for key, w in self._wallets.items() if _due(w, now)][:limit]


def _due(wallet: Wallet, now: datetime) -> bool:
    announce_at = next_announcement(wallet)
    return (
        any(p.release_at <= now for p in wallet.pending_lots)
        or any(lot.expires_at is not None and lot.expires_at <= now for lot in wallet.lots)
        or (announce_at is not None and announce_at <= now)
    )
