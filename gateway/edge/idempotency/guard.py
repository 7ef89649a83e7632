"""The idempotency check of a request, once its caller is known (after 401 and 403)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from fastapi import Request

from gateway.edge.idempotency.fingerprint import HEADER, key_problem, record_id, request_fingerprint
from gateway.edge.idempotency.personal import PersonalAnswers, without_personal
from gateway.edge.idempotency.store import (
    Claim,
    Conflict,
    IdempotencyStore,
    InProgress,
    Replay,
    StoredAnswer,
)
from gateway.edge.problems import ApiProblem, validation_problem
from gateway.edge.routing import route_template
from libs.logging import get_logger

log = get_logger(__name__)
STATE_KEY = "idempotency"
# Answers that carry a secret shown once: never stored, so the key is accepted and ignored.
NOT_STORED: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/v1/admin/keys"),
        ("POST", "/v1/admin/keys/{key_id}/rotate"),
        ("POST", "/v1/members/{member_id}/sessions"),
        ("POST", "/v1/members/{member_id}/session-handoffs"),
        ("POST", "/v1/admin/webhooks"),
        ("POST", "/v1/admin/webhooks/{endpoint_id}/rotate"),
    }
)


class IdempotentReplay(Exception):
    """Answer with the first request's stored answer."""

    def __init__(self, answer: StoredAnswer) -> None:
        super().__init__("idempotent replay")
        self.answer = answer


@dataclass
class PendingAnswer:
    """A claimed key, waiting for this request's answer."""

    store: IdempotencyStore
    claim: Claim
    request_body: bytes = b""
    # The route's personal fields, left out of the stored answer and read again on replay.
    personal: tuple[str, ...] = ()
    finished: bool = field(default=False)

    async def finish(self, answer: StoredAnswer | None) -> None:
        """Keep the answer (any status below 500) without personal data; forget the claim
        otherwise."""
        if self.finished:
            return
        self.finished = True
        try:
            if answer is not None and answer.status < 500:
                body, omitted = without_personal(answer.body, self.request_body, self.personal)
                await self.store.complete(self.claim, replace(answer, body=body, omitted=omitted))
            else:
                await self.store.release(self.claim)
        except Exception as exc:  # the answer still goes out; the lease frees the key later
            log.warning("idempotency_record_failed", error=repr(exc))


def personal_answers(request: Request) -> PersonalAnswers:
    """The routes whose answers carry personal fields (set by the app at start)."""
    answers: PersonalAnswers = getattr(request.app.state, "personal_answers", {})
    return answers


async def begin_idempotent(
    request: Request, store: IdempotencyStore, *, principal: str, wait_seconds: float
) -> None:
    """Claim the request's Idempotency-Key, or raise what an earlier use of it decided."""
    if request.method != "POST":
        return
    value = request.headers.get(HEADER)
    if value is None:
        return
    route = (request.method, route_template(request.scope) or request.url.path)
    if route in NOT_STORED:
        return
    problem = key_problem(value)
    if problem is not None:
        raise validation_problem([{"loc": ("header", HEADER), "msg": problem}])
    raw = await request.body()
    fingerprint = request_fingerprint(request.method, request.url.path, raw, request.url.query)
    outcome = await store.begin(record_id(principal, value), fingerprint, wait_seconds=wait_seconds)
    if isinstance(outcome, Claim):
        shape = personal_answers(request).get(route)
        personal = shape.fields if shape is not None else ()
        request.state.idempotency = PendingAnswer(store, outcome, raw, personal)
    elif isinstance(outcome, Replay):
        raise IdempotentReplay(outcome.answer)
    elif isinstance(outcome, Conflict):
        raise ApiProblem(
            409,
            "idempotency_conflict",
            f"this {HEADER} was already used for a different request",
        )
    else:
        assert isinstance(outcome, InProgress)
        raise ApiProblem(
            409,
            "idempotency_in_progress",
            f"a request with this {HEADER} is still running; retry shortly",
            headers={"Retry-After": "1"},
        )
