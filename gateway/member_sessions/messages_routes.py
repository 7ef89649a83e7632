"""`GET /v1/admin/member-code-messages`: what the development sender "sent" in this tenant."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.access.auth import OperatorKey
from gateway.clients import AppContainer
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.member_sessions.answers import CodeMessageOut, CodeMessagesOut
from gateway.member_sessions.senders import DevelopmentSender

router = APIRouter(prefix="/v1/admin", tags=["member sessions"])


@router.get(
    "/member-code-messages",
    response_model=CodeMessagesOut,
    summary="The sign-in codes the development sender kept (make run only)",
    description=(
        "Under `make run` no SMS leaves the machine: the development sender keeps the "
        "tenant's last 50 messages for 15 minutes, newest first, for its admins and support "
        "to read. 404 `code_messages_unavailable` where a real sender is configured (never "
        "in production)."
    ),
    responses=problem_responses(401, 403, 404),
)
async def code_messages(caller: OperatorKey, container: AppContainer) -> CodeMessagesOut:
    if container.settings.member_code_sender != "development":
        raise ApiProblem(404, "code_messages_unavailable", "no development sender runs here")
    kept = await DevelopmentSender(container.redis).messages(caller.tenant_id)
    return CodeMessagesOut(
        messages=[CodeMessageOut(to=m.to, text=m.text, sent_at=m.sent_at) for m in kept]
    )
