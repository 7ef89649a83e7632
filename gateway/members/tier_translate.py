"""Tier programs between their JSON and MemberService messages."""

from __future__ import annotations

from gateway.members.tier_answers import TierProgramOut
from gateway.members.tier_bodies import TierBody, TierProgramBody, TierTextsBody
from libs.languages import Translations
from libs.languages_wire import fill_translations, translations_from_pb
from loyalty.member.v1 import member_pb2


def _texts(by_locale: dict[str, TierTextsBody]) -> Translations:
    return Translations.of({locale: t.model_dump() for locale, t in by_locale.items()})


def _tier(t: TierBody) -> member_pb2.Tier:
    tier = member_pb2.Tier(code=t.code, name=t.name, threshold=t.threshold, multiplier=t.multiplier)
    fill_translations(tier.translations, _texts(t.translations))
    return tier


def _tier_out(t: member_pb2.Tier, locale: str) -> TierBody:
    texts = translations_from_pb(t.translations)
    return TierBody(
        code=t.code,
        name=t.name,
        threshold=t.threshold,
        multiplier=t.multiplier,
        translations={
            loc: TierTextsBody(name=fields["name"])
            for loc, fields in texts.by_locale().items()
            if "name" in fields
        },
        localized=TierTextsBody(name=texts.text("name", locale, t.name)),
    )


def program_to_proto(body: TierProgramBody) -> member_pb2.TierProgram:
    return member_pb2.TierProgram(
        tiers=[_tier(t) for t in body.tiers],
        qualifying_metric=body.qualifying_metric,
        window_days=body.window_days,
        downgrade_policy=body.downgrade_policy,
        downgrade_grace_days=body.downgrade_grace_days,
    )


def program_from_proto(program: member_pb2.TierProgram, locale: str) -> TierProgramOut:
    return TierProgramOut.model_validate(
        {
            "tiers": [_tier_out(t, locale) for t in program.tiers],
            "qualifying_metric": program.qualifying_metric,
            "window_days": program.window_days,
            "downgrade_policy": program.downgrade_policy or "period_end",
            "downgrade_grace_days": program.downgrade_grace_days,
            "version": program.version,
        }
    )
