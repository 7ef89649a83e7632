"""Adjustments from an operator's file: row by row, each row once per file id.

Rows are applied in transactions of `CHUNK` rows, so a large file neither holds one
transaction open for long nor loses what it applied when a later chunk fails: sending the
file again applies only the rows not applied yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, stored_now, utc_now
from services.points.domain.adjustments import AdjustmentRecord
from services.points.domain.bulk import (
    BulkReport,
    BulkRow,
    Rejection,
    RowAdjustment,
    parse_file_id,
    parse_rows,
)
from services.points.domain.earning import EarningRule
from services.points.domain.errors import AlreadySeen, InsufficientPoints, NoEarningRule
from services.points.domain.ports import Repositories, UnitOfWork
from services.points.domain.wallet import Wallet
from services.points.handlers.adjustments import apply, refused

CHUNK = 100
# A chunk that meets rows another upload of the same file applied first is read again.
CHUNK_ATTEMPTS = 3


@dataclass(frozen=True)
class BulkAdjust:
    tenant_id: str
    file_id: str
    rows: Sequence[BulkRow]
    actor: str = ""


async def bulk_adjust(cmd: BulkAdjust, uow: UnitOfWork, clock: Clock = utc_now) -> BulkReport:
    file_id = parse_file_id(cmd.file_id)
    valid, rejected = parse_rows(file_id, cmd.rows)
    report = BulkReport(rejected=rejected)
    now = stored_now(clock)
    for start in range(0, len(valid), CHUNK):
        chunk = Chunk(cmd.tenant_id, cmd.actor, tuple(valid[start : start + CHUNK]), now)
        report.merge(await _apply_chunk(uow, chunk))
    report.rejected.sort(key=lambda rejection: rejection.row)
    return report


async def _apply_chunk(uow: UnitOfWork, chunk: Chunk) -> BulkReport:
    for _ in range(CHUNK_ATTEMPTS - 1):
        try:
            return await uow.transaction(chunk.run)
        except AlreadySeen:
            continue
    return await uow.transaction(chunk.run)


@dataclass(frozen=True)
class Chunk:
    """One transaction's rows. It may run more than once, so it keeps no state between
    runs: what it found goes into the report it returns."""

    tenant_id: str
    actor: str
    rows: tuple[RowAdjustment, ...]
    now: datetime

    async def run(self, repos: Repositories) -> BulkReport:
        rule = await repos.rules.get_rule(self.tenant_id)
        if rule is None:
            raise NoEarningRule()
        ids = [r.adjustment.adjustment_id for r in self.rows]
        seen = {r.adjustment_id: r for r in await repos.adjustments.get_many(self.tenant_id, ids)}
        report = BulkReport()
        wallets: dict[str, Wallet] = {}
        for row in self.rows:
            earlier = seen.get(row.adjustment.adjustment_id)
            if earlier is not None:
                _replay(report, row, earlier)
                continue
            member_id = row.adjustment.member_id
            wallet = wallets.get(member_id) or await self._wallet(repos, member_id)
            record = await self._apply(repos, wallet, rule, row, report)
            await repos.adjustments.add(record)
            if not record.refusal_code:
                wallets[member_id] = wallet
        for wallet in wallets.values():
            await repos.wallets.save(wallet)
        return report

    async def _wallet(self, repos: Repositories, member_id: str) -> Wallet:
        wallet = await repos.wallets.get(self.tenant_id, member_id)
        return wallet or Wallet(self.tenant_id, member_id)

    async def _apply(
        self,
        repos: Repositories,
        wallet: Wallet,
        rule: EarningRule,
        row: RowAdjustment,
        report: BulkReport,
    ) -> AdjustmentRecord:
        """The row applied, or refused: its record either way, and its line in the report."""
        adjustment = row.adjustment
        try:
            record = await apply(
                repos, wallet, rule=rule, adjustment=adjustment, actor=self.actor, now=self.now
            )
        except InsufficientPoints as exc:
            report.rejected.append(Rejection(row.row, adjustment.member_id, exc.message, exc.code))
            return refused(wallet, adjustment, exc, actor=self.actor, now=self.now)
        report.accepted += 1
        return record


def _replay(report: BulkReport, row: RowAdjustment, earlier: AdjustmentRecord) -> None:
    """A row seen before answers as it did: applied, or refused for the same reason."""
    member_id = row.adjustment.member_id
    if earlier.fingerprint != row.adjustment.fingerprint():
        reason = "this row of this file was applied before with another member, points or reason"
        report.rejected.append(Rejection(row.row, member_id, reason, "adjustment_conflict"))
    elif earlier.refusal_code:
        report.rejected.append(Rejection(row.row, member_id, earlier.refusal, earlier.refusal_code))
    else:
        report.already_applied += 1
