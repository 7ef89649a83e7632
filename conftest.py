"""Wiring shared by every test suite: a marker per test folder, real servers on free ports.

Servers start lazily: a session that asks for none of these fixtures starts nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from libs.stack.handle import ServerHandle
from libs.stack.platform import Stack
from libs.stack.servers import Servers
from tests.support.environ import hermetic_environ

MARKERS_BY_FOLDER = {
    "/tests/unit/": pytest.mark.unit,
    "/tests/integration/": pytest.mark.integration,
    "/tests/e2e/": pytest.mark.e2e,
    "/tests/k8s/": pytest.mark.k8s,
    "/tests/faults/": pytest.mark.faults,
    "/tests/scale/": pytest.mark.scale,
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by its folder, before `-m` selects among them."""
    for item in items:
        try:
            path = "/" + item.path.relative_to(config.rootpath).as_posix()
        except ValueError:
            path = item.path.as_posix()
        for folder, marker in MARKERS_BY_FOLDER.items():
            if folder in path:
                item.add_marker(marker)


@pytest.fixture(scope="session")
def backing_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """MongoDB-protocol, Redis and NATS servers on free ports, for the whole session.

    Their output goes to `servers.log` in the session's temporary directory.
    """
    root = tmp_path_factory.mktemp("servers")
    with (
        (root / "servers.log").open("w", encoding="utf-8") as log,
        Servers(root, free_ports=True, log_sink=log) as servers,
    ):
        yield servers


@pytest.fixture(scope="session")
def mongo_url(backing_servers: Servers) -> str:
    return backing_servers.mongo.url


@pytest.fixture(scope="session")
def redis_url(backing_servers: Servers) -> str:
    return backing_servers.redis.url


@pytest.fixture(scope="session")
def nats_url(backing_servers: Servers) -> str:
    return backing_servers.nats.url


@pytest.fixture
def nats_server(backing_servers: Servers) -> Iterator[ServerHandle]:
    """The session's NATS server, which a test may stop and start again.

    It is running when the test starts, and is brought back if the test leaves it down.
    """
    handle = backing_servers.nats
    handle.start()
    yield handle
    handle.start()


@pytest.fixture(scope="session")
def platform_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole platform (servers, services, gateway, seeded tenants) on free ports.

    Its output goes to `stack.log` in the session's temporary directory.
    """
    root = tmp_path_factory.mktemp("stack")
    with (
        (root / "stack.log").open("w", encoding="utf-8") as log,
        Stack(root, free_ports=True, env=hermetic_environ(), log_sink=log) as stack,
    ):
        yield stack
