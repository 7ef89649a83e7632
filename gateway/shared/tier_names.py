"""A member's tier (and the next one) named in the reader's language: the tier program's
translations, looked up only when the reader reads another language than the tenant's
default (in which the names are typed)."""

from __future__ import annotations

import grpc
from fastapi import Request
from grpc import aio

from gateway.clients import MemberClient
from gateway.shared.languages import reader_and_default_language
from libs.languages_wire import translations_from_pb
from loyalty.member.v1 import member_pb2


async def tier_names(
    request: Request, tenant_id: str, members: MemberClient
) -> tuple[str, dict[str, str]]:
    """The reader's language and the tenant's tier names in it by code; a code left out
    (every code, for a reader of the default language or a tenant without a program)
    reads as typed."""
    locale, default = await reader_and_default_language(request, tenant_id)
    if locale == default:
        return locale, {}
    try:
        reply = await members.GetTierProgram(member_pb2.GetTierProgramRequest(tenant_id=tenant_id))
    except aio.AioRpcError as err:
        if err.code() != grpc.StatusCode.NOT_FOUND:
            raise
        return locale, {}
    return locale, {
        tier.code: translations_from_pb(tier.translations).text("name", locale, tier.name)
        for tier in reply.program.tiers
    }
