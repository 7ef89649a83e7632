"""The analytics reports' latency in the bench: which reports are asked, with what, and
how their p50/p95 are judged against 200 ms."""

from __future__ import annotations

from datetime import date

import httpx

from bench.analytics_reports import (
    ReportLatency,
    format_report_latencies,
    measure_reports,
    report_queries,
    summarize,
)


def test_every_report_is_asked_for_a_year_where_a_range_applies() -> None:
    queries = report_queries(date(2026, 12, 7))

    assert list(queries) == [
        *("overview", "liability", "sales", "sales S001", "sales S001 member"),
        *("retention", "rfm", "churn", "league table"),
    ]
    assert queries["rfm"] == (
        "/v1/admin/analytics/rfm",
        {"from": "2025-12-08", "to": "2026-12-07"},
    )
    assert queries["churn"][1] == {"to": "2026-12-07"}
    assert queries["liability"][1] == {}
    assert queries["sales S001 member"][1] == {
        **queries["sales"][1],
        "store_id": "S001",
        "tier": "member",
    }


def test_p50_and_p95_are_nearest_rank_in_milliseconds_and_judge_the_p95() -> None:
    fast = summarize("sales", [0.010, 0.020, 0.030, 0.040, 0.150], errors=0)
    slow = summarize("rfm", [0.050, 0.250], errors=1)

    assert (fast.p50_ms, fast.p95_ms, fast.met) == (30.0, 150.0, True)
    assert (slow.calls, slow.errors, slow.p95_ms, slow.met) == (3, 1, 250.0, False)


def test_a_report_that_never_answered_is_not_measured() -> None:
    failed = summarize("churn", [], errors=5)

    assert (failed.calls, failed.p50_ms, failed.met) == (5, None, None)


async def test_each_report_is_called_the_rounds_asked_with_the_operators_key() -> None:
    asked: list[tuple[str, str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(
            (request.url.path, request.url.params.get("to", ""), request.headers["authorization"])
        )
        status = 503 if request.url.path.endswith("/churn") else 200
        return httpx.Response(status, json={})

    transport = httpx.MockTransport(answer)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        found = await measure_reports(http, "secret", date(2026, 12, 7), rounds=3)

    assert len(asked) == 27
    assert {key for _, _, key in asked} == {"Bearer secret"}
    by_report = {r.report: r for r in found}
    assert (by_report["sales"].calls, by_report["sales"].errors) == (3, 0)
    assert by_report["sales"].p95_ms is not None
    assert (by_report["churn"].errors, by_report["churn"].p95_ms) == (3, None)


def test_the_table_has_a_line_per_report_with_its_verdict() -> None:
    rows = [
        ReportLatency("overview", 5, 0, 12.5, 40.0),
        ReportLatency("rfm", 5, 0, 180.0, 260.4),
        ReportLatency("churn", 5, 5, None, None),
    ]

    lines = format_report_latencies(rows).splitlines()

    assert "p95 ms" in lines[0]
    assert lines[2].split()[:4] == ["overview", "5", "12.5", "40.0"]
    assert lines[2].endswith("yes (p95 ≤ 200)")
    assert lines[3].endswith("NO (p95 > 200)")
    assert lines[4].split()[:5] == ["churn", "5", "-", "-", "5"]
