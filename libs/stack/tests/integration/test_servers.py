import asyncio
import os
import socket
import uuid
from pathlib import Path

import nats
import pytest
import redis
from pymongo import MongoClient

from libs.stack.errors import StackStartError
from libs.stack.handle import LOOPBACK, ServerHandle
from libs.stack.readiness import check_port
from libs.stack.servers import Servers, free_port, mongo_server, redis_server


def process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_mongo_and_redis_answer_with_what_was_written(mongo_url: str, redis_url: str) -> None:
    member_id = uuid.uuid4().hex
    mongo: MongoClient[dict[str, object]] = MongoClient(mongo_url)
    with mongo:
        members = mongo[f"stack_test_{member_id[:8]}"].members
        members.insert_one({"_id": member_id, "tier": "gold"})
        assert members.find_one({"_id": member_id}) == {"_id": member_id, "tier": "gold"}

    cache = redis.Redis.from_url(redis_url)
    with cache:
        cache.set(f"member:{member_id}", "gold")
        assert cache.get(f"member:{member_id}") == b"gold"


async def test_nats_answers_with_jetstream_enabled(nats_url: str) -> None:
    stream = f"STACK_{uuid.uuid4().hex[:12].upper()}"
    client = await nats.connect(nats_url)
    try:
        jetstream = client.jetstream()
        await jetstream.add_stream(name=stream, subjects=[f"{stream.lower()}.>"])
        ack = await jetstream.publish(f"{stream.lower()}.created", b"{}")
    finally:
        await client.close()

    assert ack.stream == stream
    assert ack.seq == 1


async def test_a_restarted_nats_comes_back_on_the_same_port_with_its_streams(
    nats_server: ServerHandle,
) -> None:
    stream = f"STACK_{uuid.uuid4().hex[:12].upper()}"
    client = await nats.connect(nats_server.url)
    try:
        jetstream = client.jetstream()
        await jetstream.add_stream(name=stream, subjects=[f"{stream.lower()}.>"])
        await jetstream.publish(f"{stream.lower()}.created", b"{}")
    finally:
        await client.close()
    port, old_pid = nats_server.port, nats_server.pid
    assert port is not None

    await asyncio.to_thread(nats_server.stop)
    assert check_port(LOOPBACK, port) is not None
    await asyncio.to_thread(nats_server.start)

    assert nats_server.port == port
    assert nats_server.pid != old_pid
    client = await nats.connect(nats_server.url)
    try:
        info = await client.jetstream().stream_info(stream)
    finally:
        await client.close()
    assert info.state.messages == 1


def test_stopping_the_servers_leaves_no_process_behind(tmp_path: Path) -> None:
    with Servers(tmp_path, free_ports=True) as servers:
        pids = {name: handle.pid for name, handle in servers.handles.items()}
        ports = [handle.port for handle in servers.handles.values()]
        assert all(pid is not None for pid in pids.values())

    assert [name for name, pid in pids.items() if pid and not process_is_gone(pid)] == []
    assert all(port and check_port(LOOPBACK, port) is not None for port in ports)


def test_a_server_given_by_url_is_used_instead_of_being_started(
    tmp_path: Path, redis_url: str
) -> None:
    with Servers(tmp_path, free_ports=True, env={"REDIS_URL": redis_url}) as servers:
        assert servers.urls["redis"] == redis_url
        assert servers.redis.external
        assert servers.redis.pid is None
        assert servers.mongo.pid is not None

    assert not (tmp_path / "redis").exists()


def test_a_busy_port_is_reported_with_the_server_name(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind((LOOPBACK, 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        handle = redis_server(tmp_path / "redis", port, sink=None, timeout=10)

        with pytest.raises(StackStartError) as failure:
            handle.start()

    assert failure.value.name == "redis"
    assert f"port {port} is already in use" in failure.value.reason
    assert handle.pid is None


def test_a_server_that_exits_at_start_is_reported_with_its_last_lines(tmp_path: Path) -> None:
    option = f"--no-such-option-{uuid.uuid4().hex[:8]}"
    handle = redis_server(tmp_path / "redis", free_port(), sink=None, timeout=30)
    handle.argv.append(option)

    with pytest.raises(StackStartError) as failure:
        handle.start()

    assert failure.value.name == "redis"
    assert failure.value.reason.startswith("exited with code")
    assert any(option.lstrip("-") in line for line in failure.value.last_log_lines)
    assert not handle.alive


def test_a_killed_server_comes_back_on_the_same_port_with_its_data(tmp_path: Path) -> None:
    handle = redis_server(tmp_path / "redis", free_port(), sink=None, timeout=30)
    handle.start()
    try:
        with redis.Redis.from_url(handle.url) as cache:
            cache.set("member:1", "gold")
            cache.save()
        old_pid = handle.pid

        assert handle.kill() == -9
        assert handle.port is not None
        assert check_port(LOOPBACK, handle.port) is not None
        handle.start()

        assert handle.pid != old_pid
        with redis.Redis.from_url(handle.url) as cache:
            assert cache.get("member:1") == b"gold"
    finally:
        handle.stop()


def test_every_transaction_the_database_acknowledged_survives_its_sigkill(tmp_path: Path) -> None:
    mongo = mongo_server(tmp_path / "mongo", free_port(), sink=None, timeout=30)
    mongo.start()
    try:
        ids = [uuid.uuid4().hex for _ in range(20)]
        client: MongoClient[dict[str, object]] = MongoClient(mongo.url)
        with client:  # closed only once the server is back: closing talks to it
            orders = client["stack_test"].orders
            for order_id in ids:
                with client.start_session() as session, session.start_transaction():
                    orders.insert_one({"_id": order_id}, session=session)
            mongo.kill()
            mongo.start()
            kept = {doc["_id"] for doc in orders.find()}
    finally:
        mongo.stop()

    assert set(ids) - kept == set()
