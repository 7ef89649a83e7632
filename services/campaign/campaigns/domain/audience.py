"""Who a campaign may reach: the members of its segment and, for contacting campaigns,
only those who consented to marketing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from services.campaign.campaigns.domain.facts import Purchase
from services.campaign.campaigns.domain.rules import Campaign, EffectType


@dataclass(frozen=True)
class MemberAudience:
    segments: frozenset[str] = frozenset()
    marketing_consent: bool = False


class AudienceLookup(Protocol):
    async def member_audience(
        self, tenant_id: str, member_id: str, segment_ids: frozenset[str], consent: bool
    ) -> MemberAudience:
        """Which of `segment_ids` hold the member and, when `consent` is asked, whether
        the member consented to marketing."""
        ...


class NoAudience:
    """Knows no segment and no consent: audience campaigns and coupons reach nobody."""

    async def member_audience(
        self, tenant_id: str, member_id: str, segment_ids: frozenset[str], consent: bool
    ) -> MemberAudience:
        return MemberAudience()


def audience_needs(campaigns: Iterable[Campaign]) -> tuple[frozenset[str], bool]:
    """The segments the campaigns name, and whether any of them contacts the member."""
    campaigns = list(campaigns)
    segments = frozenset(c.conditions.segment_id for c in campaigns if c.conditions.segment_id)
    return segments, any(c.effect.type is EffectType.COUPON for c in campaigns)


async def with_audience(
    lookup: AudienceLookup,
    tenant_id: str,
    needs: tuple[frozenset[str], bool],
    purchase: Purchase,
) -> Purchase:
    """The purchase with what the campaigns' `audience_needs` ask about its member."""
    segments, consent = needs
    if not segments and not consent:
        return purchase
    known = await lookup.member_audience(tenant_id, purchase.member.member_id, segments, consent)
    member = replace(
        purchase.member, segments=known.segments, marketing_consent=known.marketing_consent
    )
    return replace(purchase, member=member)
