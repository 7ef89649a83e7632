"""The HTTP side of languages: the `translations` object every resource with
operator-entered texts accepts and answers (`{"zh-CN": {"name": "…"}}`), and the headers
of an answer that follows `Accept-Language`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Response
from pydantic import BaseModel, StringConstraints

LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$", max_length=35),
]
TRANSLATIONS_DESCRIPTION = (
    "The texts in other languages than the tenant's default, by language tag: "
    '`{"zh-CN": {"name": "鞋类双倍积分"}}`. A field left out reads as typed.'
)


class LocalizedOut(BaseModel):
    """The texts in the answer's `Content-Language`: a translation, or as typed."""

    name: str
    description: str = ""


def content_language(response: Response, locale: str) -> None:
    """Say which language the answer's localized texts are in, and that it depends on
    the request's `Accept-Language` (for caches)."""
    response.headers["Content-Language"] = locale
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
