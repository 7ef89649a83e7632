"""Stored answers keep no personal data: what they leave out comes back on replay.

An idempotency record outlives nothing it should not: a member's erasure must leave no
readable copy of their data (docs/security.md, "Erasure and export"). So before an
answer is stored

- every top-level text field that only echoes the request body (a points adjustment's
  `reason`, say) is left out: the replayed request carries the same body (the fingerprint
  proves it), so the field is copied back from it;
- on routes that answer a member object, the member's personal fields (identities,
  profile, consents) are left out and read again from the member service on replay, which
  answers whatever the member is now (nothing personal once they are erased).

Nothing personal is ever written, so no crash between an erasure and a clean-up can leave
a copy behind. Pure functions: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request

JsonObject = dict[str, Any]
# Fills the personal fields of a stored answer back in, from their owning service.
Reread = Callable[[Request, JsonObject], Awaitable[JsonObject]]


@dataclass(frozen=True)
class PersonalAnswer:
    """A route whose answer carries personal fields, and how to read them again."""

    fields: tuple[str, ...]
    reread: Reread


# (method, route template) -> how its answer is stored; set on app.state at start.
PersonalAnswers = Mapping[tuple[str, str], PersonalAnswer]


@dataclass(frozen=True)
class Omitted:
    """What a stored answer left out: echoed request fields, and whether to read again."""

    echoed: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()

    def to_document(self) -> dict[str, list[str]]:
        return {"echoed": list(self.echoed), "personal": list(self.personal)}

    @classmethod
    def from_document(cls, doc: Mapping[str, Any] | None) -> Omitted:
        doc = doc or {}
        return cls(tuple(doc.get("echoed", ())), tuple(doc.get("personal", ())))


NOTHING_OMITTED = Omitted()


def _json_object(raw: bytes) -> JsonObject | None:
    try:
        document = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None
    return document if isinstance(document, dict) else None


def _dumps(document: JsonObject) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def without_personal(
    answer_body: bytes, request_body: bytes, personal: tuple[str, ...] = ()
) -> tuple[bytes, Omitted]:
    """The answer as it may be stored, and what it left out."""
    answer = _json_object(answer_body)
    if answer is None:
        return answer_body, NOTHING_OMITTED
    asked = _json_object(request_body) or {}
    echoed = tuple(
        name
        for name, value in answer.items()
        if isinstance(value, str) and value and asked.get(name) == value
    )
    kept_personal = tuple(name for name in personal if name in answer)
    for name in (*echoed, *kept_personal):
        answer[name] = None  # keeps its place, so the replay's bytes are the first's
    if not (echoed or kept_personal):
        return answer_body, NOTHING_OMITTED
    return _dumps(answer), Omitted(echoed, kept_personal)


def with_echoes(stored_body: bytes, request_body: bytes, echoed: tuple[str, ...]) -> JsonObject:
    """The stored answer with the echoed fields copied back from the replayed request."""
    answer = _json_object(stored_body) or {}
    asked = _json_object(request_body) or {}
    return answer | {name: asked[name] for name in echoed if name in asked}


def answer_body(document: JsonObject) -> bytes:
    return _dumps(document)
