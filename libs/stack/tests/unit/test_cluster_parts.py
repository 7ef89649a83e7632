"""The cluster's parts as the launcher would start them: nodes routed to each other, and
each replica calling every replica of its peers."""

from __future__ import annotations

from pathlib import Path

from libs.stack.apps import AppPorts, app_handles
from libs.stack.cluster import nats_cluster
from libs.stack.nats_auth import NatsUsers


def test_each_nats_node_routes_to_the_other_two_and_keeps_its_own_store(tmp_path: Path) -> None:
    nodes = nats_cluster(tmp_path, NatsUsers(), sink=None, timeout=1)

    assert list(nodes) == ["nats-1", "nats-2", "nats-3"]
    routes = {}
    for name, node in nodes.items():
        argv = node.argv
        assert argv[argv.index("--name") + 1] == name
        assert argv[argv.index("-sd") + 1] == str(tmp_path / name)
        own = argv[argv.index("--cluster") + 1]
        routes[own] = set(argv[argv.index("--routes") + 1].split(","))
    assert all(others == set(routes) - {own} for own, others in routes.items())


def test_a_second_replica_has_its_own_names_and_calls_every_replica_of_its_peers() -> None:
    first, second = AppPorts(), AppPorts(50151, 50152, 50153, 8100, 50154)
    peers = {name: f"{first.addrs[name]},{second.addrs[name]}" for name in first.addrs}

    handles = app_handles(second, {}, sink=None, timeout=1, peer_addrs=peers, suffix="-2")

    assert list(handles) == ["member-2", "campaign-2", "points-2", "analytics-2", "gateway-2"]
    assert handles["points-2"].url == "127.0.0.1:50152"
    assert (handles["points-2"].env or {})["CAMPAIGN_ADDR"] == peers["campaign"]
    assert (handles["analytics-2"].env or {})["CAMPAIGN_ADDR"] == peers["campaign"]
    assert (handles["gateway-2"].env or {})["POINTS_ADDR"] == peers["points"]
    assert (handles["gateway-2"].env or {})["GATEWAY_PORT"] == "8100"
