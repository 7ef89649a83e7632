"""Merge two members into one, in one transaction, announced as `member.merged`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from libs.clock import Clock, utc_now
from libs.ids import new_id
from services.member.domain.actors import Actor
from services.member.domain.history import ConsentChange
from services.member.domain.members import Member, MemberMerged, consents_changed_event
from services.member.domain.merging import MergeOutcome, already_merged, check_pair, merge
from services.member.domain.ports import Repositories, UnitOfWork
from services.member.handlers.common import MemberView, audit, load_member, view_of


@dataclass(frozen=True)
class MergeMembers:
    tenant_id: str
    survivor_id: str
    merged_id: str
    actor: Actor


@dataclass(frozen=True)
class Merged(MemberView):
    # False when this pair was merged before and nothing changed.
    merged: bool = True


async def merge_members(cmd: MergeMembers, uow: UnitOfWork, clock: Clock = utc_now) -> Merged:
    """The survivor after the merge. Idempotent: the same pair again answers the survivor
    as it is now, with `merged` False, and publishes nothing."""
    check_pair(cmd.survivor_id, cmd.merged_id)

    async def work(repos: Repositories) -> Merged:
        survivor = await load_member(repos, cmd.tenant_id, cmd.survivor_id)
        merged = await load_member(repos, cmd.tenant_id, cmd.merged_id)
        if already_merged(survivor, merged):
            view = await view_of(repos, survivor)
            return Merged(view.member, view.tier_multiplier, merged=False)
        now = clock()
        outcome = merge(survivor, merged)
        # The merged member frees its identities before the survivor claims them.
        await repos.members.save(merged)
        await repos.members.save(survivor)
        await _record(repos, survivor, merged, outcome, actor=cmd.actor, now=now)
        view = await view_of(repos, survivor)
        return Merged(view.member, view.tier_multiplier, merged=True)

    return await uow.transaction(work)


async def _record(
    repos: Repositories,
    survivor: Member,
    merged: Member,
    outcome: MergeOutcome,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    identity_fields = sorted({f"identities.{i.type.value}" for i in outcome.identities})
    consent_fields = [f"consents.{c.purpose.value}" for c in outcome.consents]
    gained = [*identity_fields, *outcome.profile_fields, *consent_fields]
    await audit(repos, survivor, "member.merged_in", gained, actor=actor, now=now)
    lost = ["status", "merged_into", *identity_fields]
    await audit(repos, merged, "member.merged_into", lost, actor=actor, now=now)
    for consent in outcome.consents:
        change = ConsentChange(
            survivor.tenant_id,
            survivor.member_id,
            consent.purpose.value,
            consent.granted,
            consent.channel,
            "merge",
            actor,
            now,
        )
        await repos.history.add_consent(change)
    if outcome.consents:
        repos.record(consents_changed_event(survivor, new_id("ev"), now))
    repos.record(
        MemberMerged(new_id("ev"), survivor.tenant_id, survivor.member_id, merged.member_id, now)
    )
