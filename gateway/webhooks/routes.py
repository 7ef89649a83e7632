"""`/v1/admin/webhooks`: a tenant's webhook endpoints, managed by its administrators
(docs/webhooks.md). The delivery log and replays are in `delivery_routes`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse

from gateway.access.auth import OperatorKey
from gateway.clients import AppContainer
from gateway.edge.json_body import json_body, parse_body, read_json
from gateway.edge.problems import ApiProblem, problem_responses
from gateway.webhooks.addresses import url_refusal
from gateway.webhooks.answers import IssuedWebhookOut, WebhookListOut, WebhookOut
from gateway.webhooks.bodies import CreateWebhookBody, UpdateWebhookBody
from gateway.webhooks.catalogue import EVENT_TYPES
from gateway.webhooks.endpoints import (
    MAX_ENDPOINTS_PER_TENANT,
    Endpoint,
    EndpointStore,
    TooManyEndpoints,
)
from gateway.webhooks.worker import delivery_store, endpoint_store

router = APIRouter(prefix="/v1/admin/webhooks", tags=["admin: webhooks"])
EndpointId = Annotated[str, Path(min_length=1, max_length=64)]


async def _endpoints(container: AppContainer) -> EndpointStore:
    return endpoint_store(container.db)


Endpoints = Annotated[EndpointStore, Depends(_endpoints)]


def unknown_webhook(endpoint_id: str) -> ApiProblem:
    return ApiProblem(404, "webhook_not_found", f"no webhook {endpoint_id} in this tenant")


def checked_url(url: str, container: Any) -> str:
    refusal = url_refusal(url, loopback_allowed=container.settings.webhook_loopback_allowed)
    if refusal is not None:
        raise ApiProblem(
            422,
            "webhook_url_refused",
            f"the url {refusal}",
            extra={"errors": [{"location": "body.url", "message": refusal, "code": "not_allowed"}]},
        )
    return url


async def found(endpoints: EndpointStore, tenant_id: str, endpoint_id: str) -> Endpoint:
    endpoint = await endpoints.get(tenant_id, endpoint_id)
    if endpoint is None:
        raise unknown_webhook(endpoint_id)
    return endpoint


def _issued(endpoint: Endpoint, status: int) -> JSONResponse:
    body = IssuedWebhookOut(webhook=WebhookOut.of(endpoint), secret=endpoint.secret)
    return JSONResponse(body.model_dump(mode="json"), status_code=status)


@router.post(
    "",
    status_code=201,
    response_model=IssuedWebhookOut,
    summary="Subscribe an endpoint to event types; its signing secret is in this answer only",
    description=(
        "Every event of the listed types that occurs from now on is POSTed to the URL as "
        "JSON, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, "
        "`webhook-signature`). The URL must be https on a public address: a private, "
        "link-local or loopback address is 422 `webhook_url_refused` (a development gateway "
        f"on loopback also takes `http://127.0.0.1`). At most {MAX_ENDPOINTS_PER_TENANT} "
        "endpoints per tenant (409 `webhook_limit_reached`)."
    ),
    responses=problem_responses(401, 403, 409, 413, 422),
    openapi_extra=json_body(CreateWebhookBody),
)
async def create_webhook(
    request: Request, caller: OperatorKey, endpoints: Endpoints, container: AppContainer
) -> JSONResponse:
    body = parse_body(CreateWebhookBody, await read_json(request))
    url = checked_url(body.url, container)
    try:
        endpoint = await endpoints.create(caller.tenant_id, url, list(body.event_types))
    except TooManyEndpoints:
        raise ApiProblem(
            409, "webhook_limit_reached", f"at most {MAX_ENDPOINTS_PER_TENANT} webhooks"
        ) from None
    return _issued(endpoint, 201)


@router.get(
    "",
    response_model=WebhookListOut,
    summary="The tenant's webhook endpoints, newest first, and the event types there are",
    responses=problem_responses(401, 403),
)
async def list_webhooks(caller: OperatorKey, endpoints: Endpoints) -> WebhookListOut:
    return WebhookListOut(
        webhooks=[WebhookOut.of(e) for e in await endpoints.of_tenant(caller.tenant_id)],
        event_types=list(EVENT_TYPES),
    )


@router.get(
    "/{endpoint_id}",
    response_model=WebhookOut,
    summary="One webhook endpoint",
    responses=problem_responses(401, 403, 404),
)
async def get_webhook(
    caller: OperatorKey, endpoints: Endpoints, endpoint_id: EndpointId
) -> WebhookOut:
    return WebhookOut.of(await found(endpoints, caller.tenant_id, endpoint_id))


@router.patch(
    "/{endpoint_id}",
    response_model=WebhookOut,
    summary="Change an endpoint's URL, event types or whether it is enabled",
    description=(
        "A field left out stays as it is. A disabled endpoint gets no new deliveries, and "
        "its pending ones are failed (`endpoint_disabled`); replay them after enabling it."
    ),
    responses=problem_responses(401, 403, 404, 413, 422),
    openapi_extra=json_body(UpdateWebhookBody),
)
async def update_webhook(
    request: Request,
    caller: OperatorKey,
    endpoints: Endpoints,
    container: AppContainer,
    endpoint_id: EndpointId,
) -> WebhookOut:
    body = parse_body(UpdateWebhookBody, await read_json(request))
    fields = body.model_dump(exclude_none=True)
    if "url" in fields:
        checked_url(fields["url"], container)
    if "event_types" in fields:
        fields["event_types"] = list(fields["event_types"])
    endpoint = await endpoints.update(caller.tenant_id, endpoint_id, **fields)
    if endpoint is None:
        raise unknown_webhook(endpoint_id)
    return WebhookOut.of(endpoint)


async def _set_enabled(
    endpoints: EndpointStore, tenant_id: str, endpoint_id: str, on: bool
) -> WebhookOut:
    endpoint = await endpoints.update(tenant_id, endpoint_id, enabled=on)
    if endpoint is None:
        raise unknown_webhook(endpoint_id)
    return WebhookOut.of(endpoint)


@router.post(
    "/{endpoint_id}/disable",
    response_model=WebhookOut,
    summary="Stop delivering to an endpoint (again: the same answer)",
    responses=problem_responses(401, 403, 404),
)
async def disable_webhook(
    caller: OperatorKey, endpoints: Endpoints, endpoint_id: EndpointId
) -> WebhookOut:
    return await _set_enabled(endpoints, caller.tenant_id, endpoint_id, False)


@router.post(
    "/{endpoint_id}/enable",
    response_model=WebhookOut,
    summary="Deliver to an endpoint again (events from now on; replay for earlier ones)",
    responses=problem_responses(401, 403, 404),
)
async def enable_webhook(
    caller: OperatorKey, endpoints: Endpoints, endpoint_id: EndpointId
) -> WebhookOut:
    return await _set_enabled(endpoints, caller.tenant_id, endpoint_id, True)


@router.post(
    "/{endpoint_id}/rotate",
    response_model=IssuedWebhookOut,
    summary="A new signing secret; the previous one also signs for 24 hours",
    description=(
        "Shown in this answer only. For 24 hours `webhook-signature` carries two "
        "signatures (new secret, previous secret), so the receiver can switch at leisure."
    ),
    responses=problem_responses(401, 403, 404),
)
async def rotate_webhook_secret(
    caller: OperatorKey, endpoints: Endpoints, endpoint_id: EndpointId
) -> JSONResponse:
    endpoint = await endpoints.rotate(caller.tenant_id, endpoint_id)
    if endpoint is None:
        raise unknown_webhook(endpoint_id)
    return _issued(endpoint, 200)


@router.delete(
    "/{endpoint_id}",
    status_code=204,
    summary="Delete an endpoint and its delivery log",
    responses=problem_responses(401, 403, 404),
)
async def delete_webhook(
    caller: OperatorKey, endpoints: Endpoints, container: AppContainer, endpoint_id: EndpointId
) -> Response:
    if not await endpoints.delete(caller.tenant_id, endpoint_id):
        raise unknown_webhook(endpoint_id)
    await delivery_store(container.db).forget_endpoint(caller.tenant_id, endpoint_id)
    return Response(status_code=204)
