"""The capacity model's arithmetic, from a benchmark result."""

from __future__ import annotations

from typing import Any

import pytest

from bench.capacity import (
    Inputs,
    database_ops,
    per_pod,
    pods,
    service_pods,
    shards_for_rate,
    stored_bytes,
    worksheet,
)


def result() -> dict[str, Any]:
    cpu = {"cpu:gateway": 0.002, "cpu:member": 0.001, "cpu:points": 0.004, "cpu:campaign": 0.001}
    return {
        "members": 1000,
        "dataset": {
            "documents": {"loyalty_points.ledger_entries": 10, "loyalty_points.wallets": 5},
            "bson_bytes": {"loyalty_points.ledger_entries": 4000, "loyalty_points.wallets": 3000},
        },
        "documents_per_purchase": {
            "loyalty_points.ledger_entries": 2.0,
            "loyalty_points.outbox": 1.0,
        },
        "scenarios": {
            "1 purchase": {"per_request": {**cpu, "mongo ops": 30.0}},
            "2 balance read": {"per_request": {"cpu:gateway": 0.001, "mongo ops": 2.0}},
            "direct PyMongo tx": {
                "best": {"throughput_per_s": 100.0},
                "per_request": {"mongo ops": 6.0},
            },
        },
    }


def test_a_pod_sustains_its_cpu_limit_divided_by_the_cpu_a_request_takes() -> None:
    assert per_pod(0.005) == pytest.approx(100.0)  # 500m of CPU, 5 ms a request


def test_pods_cover_the_load_at_the_hpa_target_plus_one_spare() -> None:
    # 100/s x 5 ms = 0.5 cores; a pod gives 0.5 x 0.7 = 0.35; 2 pods, and the spare
    assert pods([(100, 0.005)]) == 3
    assert pods([(0, 0.005)]) == 1


def test_inputs_come_from_the_purchase_read_and_direct_transaction_scenarios() -> None:
    inputs = Inputs.from_result(result())
    assert inputs.purchase_cpu["points"] == 0.004
    assert inputs.read_cpu["member"] == 0.0
    assert inputs.shard_ops_per_s == 600.0
    assert inputs.bytes_per_member == 7.0
    assert inputs.kept_bytes_per_purchase == 800.0  # two entries of 400 bytes; outbox aside
    assert inputs.hot_bytes_per_member == 3.0


def test_reads_are_counted_at_two_a_purchase() -> None:
    inputs = Inputs.from_result(result())
    assert database_ops(inputs, 100) == 100 * 30 + 200 * 2
    # gateway: 100 x 2 ms + 200 x 1 ms = 0.4 cores over 0.35 a pod: 2, and the spare
    assert service_pods(inputs, 100)["gateway"] == 3


def test_shards_for_a_rate_run_each_at_half_what_one_node_sustained() -> None:
    assert shards_for_rate(3400, 600) == 12
    assert shards_for_rate(1, 600) == 1


def test_stored_data_grows_with_members_and_the_years_of_purchases_kept() -> None:
    inputs = Inputs.from_result(result())
    assert stored_bytes(inputs, 2_000_000) > 2 * stored_bytes(inputs, 1_000_000) * 0.99
    assert stored_bytes(inputs, 1_000_000) > 1_000_000 * inputs.bytes_per_member


def test_the_worksheet_has_a_row_per_purchase_rate_and_per_member_count() -> None:
    sheet = worksheet(Inputs.from_result(result()))
    assert "| 10,000 (20,000) |" in sheet
    assert "| 100,000,000 |" in sheet


def test_rows_kept_for_a_window_count_for_that_window_at_their_measured_size() -> None:
    measured = {**result(), "document_bytes": {"loyalty_points.outbox": 200.0}}
    inputs = Inputs.from_result(measured)
    assert inputs.window_bytes_per_purchase == 1.0 * 200.0 * 7 * 24 * 3600
    assert inputs.kept_bytes_per_purchase == 800.0
