"""Several replicas behind one address setting: a gRPC peer's `*_ADDR` and `NATS_URL`
may each list them, comma-separated."""

from __future__ import annotations

from libs.grpc.client import channel_target
from libs.nats import server_urls


def test_one_grpc_address_is_the_channels_target_as_it_is() -> None:
    assert channel_target("points:50052") == ("points:50052", [])


def test_a_list_of_grpc_replicas_is_one_target_that_spreads_calls_round_robin() -> None:
    target, options = channel_target("127.0.0.1:5001, 127.0.0.1:5002")

    assert target == "ipv4:127.0.0.1:5001,127.0.0.1:5002"
    assert ("grpc.lb_policy_name", "round_robin") in options
    # the certificate is checked against the replicas' host, as for one address
    assert ("grpc.ssl_target_name_override", "127.0.0.1") in options


def test_a_nats_url_may_list_every_node_of_a_cluster() -> None:
    assert server_urls("nats://a:4222") == ["nats://a:4222"]
    assert server_urls("nats://a:4222, nats://b:4222,") == ["nats://a:4222", "nats://b:4222"]
