from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.edge.idempotency.fingerprint import record_id, request_fingerprint
from gateway.edge.idempotency.store import Claim, StoredAnswer
from gateway.tests.integration.fakes import FakeServices
from gateway.tests.integration.support import (
    Gateway,
    SettingsFactory,
    new_phone,
    new_tenant,
    running_gateway,
    unused_address,
)
from libs.ids import new_id
from tests.support.polling import eventually

REPLAYED = "idempotency-replayed"


def enrolment() -> dict[str, Any]:
    return {
        "identities": [{"type": "phone", "value": new_phone()}],
        "consents": {"marketing": True},
    }


def with_key(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def test_a_retry_with_the_same_key_gets_the_first_answer_and_reaches_the_service_once(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    body = enrolment()
    before = len(services.member.enrolments)

    first = await gateway.client.post("/v1/members", json=body, headers=headers)
    again = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert REPLAYED not in first.headers
    assert again.headers[REPLAYED] == "true"
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert len(services.member.enrolments) == before + 1


async def test_the_same_body_formatted_differently_is_the_same_request(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    body = enrolment()
    compact = json.dumps(body, separators=(",", ":"))
    spaced = json.dumps(dict(reversed(list(body.items()))), indent=4)
    json_headers = {**headers, "Content-Type": "application/json"}

    first = await gateway.client.post("/v1/members", content=compact, headers=json_headers)
    again = await gateway.client.post("/v1/members", content=spaced, headers=json_headers)

    assert again.headers[REPLAYED] == "true"
    assert again.json() == first.json()


async def test_the_same_key_with_another_body_is_an_idempotency_conflict(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    await gateway.client.post("/v1/members", json=enrolment(), headers=headers)
    before = len(services.member.enrolments)

    other = await gateway.client.post("/v1/members", json=enrolment(), headers=headers)

    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_conflict"
    assert len(services.member.enrolments) == before


async def test_keys_are_scoped_to_the_api_key_that_sent_them(
    gateway: Gateway, services: FakeServices
) -> None:
    tenant, key = new_tenant(), new_id()
    body = enrolment()
    before = len(services.member.enrolments)

    first = await gateway.client.post(
        "/v1/members", json=body, headers=with_key(await gateway.key(tenant, "app"), key)
    )
    second = await gateway.client.post(
        "/v1/members", json=body, headers=with_key(await gateway.key(tenant, "app"), key)
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert REPLAYED not in second.headers
    assert len(services.member.enrolments) == before + 2


async def test_a_4xx_answer_is_kept_and_given_again(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    body = {"identities": [{"type": "phone", "value": new_phone()}], "unknown": 1}

    first = await gateway.client.post("/v1/members", json=body, headers=headers)
    again = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert first.status_code == again.status_code == 422
    assert again.headers[REPLAYED] == "true"
    assert again.json() == first.json()
    assert again.headers["content-type"] == "application/problem+json"


async def test_a_5xx_answer_is_not_kept_so_a_retry_runs_again(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(member_addr=unused_address())
    async with running_gateway(settings) as gateway:
        headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
        body = enrolment()

        first = await gateway.client.post("/v1/members", json=body, headers=headers)
        again = await gateway.client.post("/v1/members", json=body, headers=headers)
        records = await gateway.container.db["idempotency"].count_documents({})

    assert first.status_code == again.status_code == 503
    assert REPLAYED not in again.headers
    assert records == 0


async def test_concurrent_requests_with_one_key_run_once_and_all_get_its_answer(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    body = enrolment()
    before = len(services.member.enrolments)

    answers = await asyncio.gather(
        *(gateway.client.post("/v1/members", json=body, headers=headers) for _ in range(8))
    )

    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert sum(REPLAYED not in a.headers for a in answers) == 1
    assert len(services.member.enrolments) == before + 1


async def _claim_by_hand(gateway: Gateway, key: str, body: Any) -> tuple[Claim, dict[str, str]]:
    """Claim `key` as a request that is still running would; the headers to send it again."""
    issued = await gateway.container.keys.create_key(new_tenant(), "app")
    fingerprint = request_fingerprint("POST", "/v1/members", json.dumps(body).encode())
    claim = await gateway.container.idempotency.begin(
        record_id(issued.key.key_id, key), fingerprint, wait_seconds=0
    )
    assert isinstance(claim, Claim)
    return claim, {"Authorization": f"Bearer {issued.secret}", "Idempotency-Key": key}


async def test_a_request_whose_key_is_still_running_waits_then_gets_409_in_progress(
    make_settings: SettingsFactory, services: FakeServices
) -> None:
    async with running_gateway(make_settings(idempotency_wait_seconds=0.2)) as gateway:
        key, body = new_id(), enrolment()
        _, headers = await _claim_by_hand(gateway, key, body)
        before = len(services.member.enrolments)

        response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert response.headers["retry-after"] == "1"
    assert len(services.member.enrolments) == before


async def test_a_waiting_request_gets_the_first_answer_when_it_arrives(
    gateway: Gateway, services: FakeServices
) -> None:
    key, body = new_id(), enrolment()
    claim, headers = await _claim_by_hand(gateway, key, body)
    answer = StoredAnswer(201, (("content-type", "application/json"),), b'{"first": true}')

    store = gateway.container.idempotency
    waited = store.waits

    async def finish_soon() -> None:
        await eventually(lambda: store.waits > waited)  # the request is waiting
        await store.complete(claim, answer)

    finisher = asyncio.create_task(finish_soon())
    response = await gateway.client.post("/v1/members", json=body, headers=headers)
    await finisher

    assert response.status_code == 201
    assert response.json() == {"first": True}
    assert response.headers[REPLAYED] == "true"


async def test_a_claim_whose_process_died_is_taken_over_after_its_lease(
    gateway: Gateway, services: FakeServices
) -> None:
    key, body = new_id(), enrolment()
    claim, headers = await _claim_by_hand(gateway, key, body)
    past = datetime.now(UTC) - timedelta(seconds=1)
    await gateway.container.db["idempotency"].update_one(
        {"_id": claim.record_id}, {"$set": {"locked_until": past}}
    )

    response = await gateway.client.post("/v1/members", json=body, headers=headers)

    assert response.status_code == 201
    assert REPLAYED not in response.headers


async def test_records_are_kept_at_least_24_hours_under_a_ttl_index(gateway: Gateway) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    await gateway.client.post("/v1/members", json=enrolment(), headers=headers)
    collection = gateway.container.db["idempotency"]

    record = await collection.find_one({})
    indexes = await collection.index_information()

    assert record is not None
    assert record["state"] == "done"
    kept = record["expires_at"].replace(tzinfo=UTC) - datetime.now(UTC)
    assert kept > timedelta(hours=23, minutes=59)
    ttl = [ix for ix in indexes.values() if ix["key"] == [("expires_at", 1)]]
    assert ttl
    assert ttl[0]["expireAfterSeconds"] == 0


@pytest.mark.parametrize("key", ["k" * 256, "tab\tkey", ""])
async def test_a_malformed_idempotency_key_is_422_and_reaches_no_service(
    gateway: Gateway, services: FakeServices, key: str
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), key)
    before = len(services.member.enrolments)

    response = await gateway.client.post("/v1/members", json=enrolment(), headers=headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "header.Idempotency-Key"
    assert len(services.member.enrolments) == before


async def test_an_unknown_api_key_is_401_before_the_idempotency_key_is_looked_at(
    gateway: Gateway,
) -> None:
    headers = {"Authorization": "Bearer lk_app_nope", "Idempotency-Key": "k" * 300}

    response = await gateway.client.post("/v1/members", json=enrolment(), headers=headers)

    assert response.status_code == 401


async def test_the_same_key_with_another_query_string_is_a_conflict_not_a_replay(
    gateway: Gateway, services: FakeServices
) -> None:
    headers = with_key(await gateway.key(new_tenant(), "app"), new_id())
    body = enrolment()

    first = await gateway.client.post("/v1/members", json=body, headers=headers)
    other = await gateway.client.post("/v1/members?dry_run=true", json=body, headers=headers)

    assert first.status_code == 201
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert REPLAYED not in other.headers
