"""The stack's MongoDB-protocol server requires a user, and each process's user may read
and write its own database only; the launcher's user may look into every database. The
users outlive a restart on the same data, with the passwords kept beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from pymongo import MongoClient
from pymongo.errors import OperationFailure

from libs.stack.handle import ServerHandle
from libs.stack.mongo_auth import OWN_DATABASES, USERS_FILE, MongoUsers
from libs.stack.nats_auth import without_user
from libs.stack.servers import free_port, mongo_server, needs_provisioning, provision_mongo

UNAUTHORIZED = 13
AUTHENTICATION_FAILED = 18
Client = MongoClient[dict[str, Any]]


def provisioned_server(root: Path) -> tuple[ServerHandle, MongoUsers]:
    users = MongoUsers.kept(root / USERS_FILE)
    port = free_port()
    if needs_provisioning(root / "mongo", users):
        provision_mongo(root / "mongo", port, users, sink=None, timeout=30)
    handle = mongo_server(root / "mongo", port, sink=None, timeout=30, users=users)
    handle.start()
    return handle, users


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerHandle, MongoUsers]]:
    handle, users = provisioned_server(tmp_path_factory.mktemp("mongo-users"))
    try:
        yield handle, users
    finally:
        handle.stop()


def connect(url: str) -> Client:
    return MongoClient(url, serverSelectionTimeoutMS=5000)


def client_as(server: tuple[ServerHandle, MongoUsers], user: str | None) -> Client:
    handle, users = server
    bare = without_user(handle.url)
    return connect(bare if user is None else users.url_for(bare, user))


@pytest.mark.parametrize("process", sorted(OWN_DATABASES))
def test_each_process_reads_and_writes_its_own_database_in_a_transaction(
    server: tuple[ServerHandle, MongoUsers], process: str
) -> None:
    row = {"_id": uuid4().hex}
    with client_as(server, process) as client:
        rows = client[OWN_DATABASES[process]].auth_probe
        with client.start_session() as session, session.start_transaction():
            rows.insert_one(row, session=session)
        assert rows.find_one({"_id": row["_id"]}) == row


@pytest.mark.parametrize(
    ("process", "other"), [("member", "points"), ("gateway", "member"), ("campaign", "points")]
)
def test_a_processs_credential_is_refused_on_another_processs_database(
    server: tuple[ServerHandle, MongoUsers], process: str, other: str
) -> None:
    row_id = uuid4().hex
    with client_as(server, process) as client:
        rows = client[OWN_DATABASES[other]].auth_probe
        with pytest.raises(OperationFailure) as read:
            rows.find_one()
        with pytest.raises(OperationFailure) as write:
            rows.insert_one({"_id": row_id})
    assert read.value.code == write.value.code == UNAUTHORIZED
    with client_as(server, "launcher") as launcher:
        assert launcher[OWN_DATABASES[other]].auth_probe.find_one({"_id": row_id}) is None


def test_a_connection_without_credentials_is_refused_reads_and_writes(
    server: tuple[ServerHandle, MongoUsers],
) -> None:
    with client_as(server, None) as client:
        rows = client[OWN_DATABASES["points"]].auth_probe
        with pytest.raises(OperationFailure) as read:
            rows.find_one()
        with pytest.raises(OperationFailure) as write:
            rows.insert_one({"_id": uuid4().hex})
    assert read.value.code == write.value.code == UNAUTHORIZED


def test_a_wrong_password_is_refused(server: tuple[ServerHandle, MongoUsers]) -> None:
    handle, _ = server
    url = MongoUsers(Path("unused"), {"points": "guessed"}).url_for(
        without_user(handle.url), "points"
    )
    with (
        connect(url) as client,
        pytest.raises(OperationFailure) as refusal,
    ):
        client.loyalty_points.auth_probe.find_one()
    assert refusal.value.code == AUTHENTICATION_FAILED


def test_the_launchers_user_sees_every_database_and_the_servers_status(
    server: tuple[ServerHandle, MongoUsers],
) -> None:
    handle, _ = server
    with connect(handle.url) as client:
        assert "opcounters" in client.admin.command("serverStatus")
        client.loyalty_points.auth_probe.insert_one({"_id": uuid4().hex})
        assert "loyalty_points" in client.list_database_names()
    with client_as(server, "points") as points, pytest.raises(OperationFailure):
        points.admin.command("serverStatus")


def test_a_restart_on_the_same_data_reuses_the_kept_passwords_without_provisioning(
    tmp_path: Path,
) -> None:
    handle, users = provisioned_server(tmp_path)
    row = {"_id": uuid4().hex}
    try:
        with connect(users.url_for(without_user(handle.url), "member")) as client:
            client.loyalty_member.auth_probe.insert_one(row)
    finally:
        handle.stop()

    again = MongoUsers.kept(tmp_path / USERS_FILE)
    assert again.passwords == users.passwords
    assert not needs_provisioning(tmp_path / "mongo", again)
    handle, _ = provisioned_server(tmp_path)
    try:
        with connect(again.url_for(without_user(handle.url), "member")) as client:
            assert client.loyalty_member.auth_probe.find_one({"_id": row["_id"]}) == row
    finally:
        handle.stop()


def test_losing_the_passwords_file_gives_every_user_a_new_password_on_the_next_start(
    tmp_path: Path,
) -> None:
    handle, old = provisioned_server(tmp_path)
    handle.stop()
    (tmp_path / USERS_FILE).unlink()

    handle, new = provisioned_server(tmp_path)
    try:
        assert new.passwords["member"] != old.passwords["member"]
        with connect(new.url_for(without_user(handle.url), "member")) as client:
            assert client.loyalty_member.auth_probe.find_one() is None
        stale = old.url_for(without_user(handle.url), "member")
        with (
            connect(stale) as client,
            pytest.raises(OperationFailure),
        ):
            client.loyalty_member.auth_probe.find_one()
    finally:
        handle.stop()
