from __future__ import annotations

import pytest
from pymongo.errors import DuplicateKeyError

from gateway.tenancy.key_admin import KeyAdmin
from gateway.tenancy.keys import KeyStore, hash_secret
from gateway.tests.integration.support import Gateway, new_tenant


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_key_is_stored_only_as_a_hash(gateway: Gateway) -> None:
    issued = await gateway.container.keys.create_key(new_tenant(), "pos", store_id="S001")

    doc = await gateway.container.db["api_keys"].find_one({"key_id": issued.key.key_id})

    assert doc is not None
    assert issued.secret.startswith("lk_pos_")
    assert doc["key_hash"] == hash_secret(issued.secret)
    assert issued.secret not in str(doc)
    assert (doc["channel"], doc["store_id"], doc["revoked_at"]) == ("pos", "S001", None)


async def test_a_key_finds_its_tenant_channel_store_and_scopes(gateway: Gateway) -> None:
    tenant = new_tenant()
    issued = await gateway.container.keys.create_key(tenant, "operator")

    key = await gateway.container.keys.find_by_secret(issued.secret)

    assert key is not None
    assert (key.tenant_id, key.channel, key.store_id) == (tenant, "operator", None)
    assert key.allows("admin")
    assert key.allows("members:write")


async def test_two_keys_never_share_a_hash(gateway: Gateway) -> None:
    collection = gateway.container.db["api_keys"]
    issued = await gateway.container.keys.create_key(new_tenant(), "app")
    duplicate = {"key_hash": hash_secret(issued.secret), "key_id": "key_duplicate"}

    with pytest.raises(DuplicateKeyError):
        await collection.insert_one(duplicate)


async def test_a_revoked_key_stops_working_in_other_processes_after_the_cache_ttl(
    gateway: Gateway,
) -> None:
    collection = gateway.container.db["api_keys"]
    clock = FakeClock()
    other_process = KeyStore(collection, cache_seconds=5.0, clock=clock)
    issued = await gateway.container.keys.create_key(new_tenant(), "app")
    assert await other_process.find_by_secret(issued.secret) is not None

    assert await gateway.container.keys.revoke(issued.key.key_id)
    still_cached = await other_process.find_by_secret(issued.secret)
    clock.now += 5.1
    after_ttl = await other_process.find_by_secret(issued.secret)

    assert still_cached is not None
    assert after_ttl is None


async def test_the_revoking_process_forgets_the_key_at_once(gateway: Gateway) -> None:
    keys = gateway.container.keys
    issued = await keys.create_key(new_tenant(), "app")
    assert await keys.find_by_secret(issued.secret) is not None

    await keys.revoke(issued.key.key_id)

    assert await keys.find_by_secret(issued.secret) is None
    assert await keys.revoke(issued.key.key_id) is False


async def test_revoking_a_rotated_key_ends_its_previous_secret_at_once_too(
    gateway: Gateway,
) -> None:
    keys = gateway.container.keys
    tenant_id = new_tenant()
    issued = await keys.create_key(tenant_id, "pos")
    admin = KeyAdmin(keys, gateway.container.db["api_keys"])
    rotated = await admin.rotate(tenant_id, issued.key.key_id)
    assert rotated is not None
    assert await keys.find_by_secret(issued.secret) is not None  # in its grace period

    await keys.revoke(issued.key.key_id)

    assert await keys.find_by_secret(issued.secret) is None
    assert await keys.find_by_secret(rotated.secret) is None
