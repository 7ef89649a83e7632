"""Which language a reader gets: `Accept-Language` (q-values honoured) against the
tenant's languages, else the tenant's default (docs/api.md, Languages)."""

from __future__ import annotations

from fastapi import Request, Response

from gateway.container import get_container
from gateway.edge.languages import content_language
from libs.languages import negotiate


async def reader_and_default_language(request: Request, tenant_id: str) -> tuple[str, str]:
    """The reader's language and the tenant's default (the language texts are typed in)."""
    container = await get_container(request)
    offered = await container.languages.offered(tenant_id)
    return negotiate(request.headers.get("accept-language"), offered, offered[0]), offered[0]


async def reader_language(request: Request, tenant_id: str) -> str:
    locale, _ = await reader_and_default_language(request, tenant_id)
    return locale


async def answer_language(request: Request, response: Response, tenant_id: str) -> str:
    """The reader's language, also said in the answer's `Content-Language`."""
    locale = await reader_language(request, tenant_id)
    content_language(response, locale)
    return locale
