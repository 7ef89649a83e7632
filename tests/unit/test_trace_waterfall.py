from __future__ import annotations

from pathlib import Path

from tests.support.otlp_receiver import ReceivedSpan
from tests.trace_waterfall import MARKERS, waterfall, write_into

MS = 1_000_000


def a_span(name: str, kind: str, ids: str, start: int, end: int) -> ReceivedSpan:
    """`ids` is the span's id and its parent's, as "child<parent"."""
    span_id, parent = ids.split("<")
    return ReceivedSpan("svc", name, kind, "t1", span_id, parent, start * MS, end * MS)


def test_the_purchase_is_drawn_parents_first_children_by_start_without_internal_spans() -> None:
    spans = [
        a_span("consume member-tiers", "consumer", "e<d", 1160, 1190),
        a_span("POST /v1/orders", "server", "a<", 1000, 1250),
        a_span("POST /v1/orders http send", "internal", "x<a", 1240, 1241),
        a_span("/loyalty.points.v1.PointsService/AccrueOrder", "client", "b<a", 1010, 1200),
        a_span("/loyalty.points.v1.PointsService/AccrueOrder", "server", "c<b", 1012, 1198),
        a_span("publish points.earned", "producer", "d<c", 1150, 1152),
        ReceivedSpan("svc", "POST /v1/orders", "server", "t2", "z", "", 5000 * MS, 5001 * MS),
    ]

    lines = waterfall(spans)

    assert [line.split(" [")[0] for line in lines] == [
        "POST /v1/orders",
        "  PointsService/AccrueOrder",
        "    PointsService/AccrueOrder",
        "      publish points.earned",
        "        consume member-tiers",
    ]
    assert lines[0].split()[-4:] == ["+0.0", "ms", "250.0", "ms"]
    assert lines[4].split()[-4:] == ["+160.0", "ms", "30.0", "ms"]


def test_the_trace_replaces_the_one_between_the_markers(tmp_path: Path) -> None:
    document = tmp_path / "operations.md"
    document.write_text(
        f"before\n{MARKERS[0]} --write x -->\n```text\nold\n```\n{MARKERS[1]}\nafter\n"
    )

    write_into(document, ["new line"])

    assert document.read_text() == (
        f"before\n{MARKERS[0]} --write x -->\n```text\nnew line\n```\n{MARKERS[1]}\nafter\n"
    )
