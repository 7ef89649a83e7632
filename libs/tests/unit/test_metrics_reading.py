from __future__ import annotations

from libs.metrics.process import ProcessMetrics
from libs.metrics.reading import Samples


def test_a_rendered_registry_reads_back_as_the_figures_it_holds() -> None:
    figures = ProcessMetrics()
    figures.outbox_backlog.set((), 42)
    figures.consumer_pending.set(("member-tiers",), 3)
    figures.consumer_pending.set(("campaign-history",), 0)
    figures.record_reconciliation("t-1", 0, 1_700_000_000.5)

    samples = Samples(figures.registry.render())

    assert samples.value("outbox_backlog_events") == 42
    assert samples.by_label("event_consumer_pending_messages", "durable") == {
        "member-tiers": 3,
        "campaign-history": 0,
    }
    assert samples.value("loyalty_reconciliation_last_run_timestamp_seconds", tenant="t-1") == (
        1_700_000_000.5
    )
    assert samples.value("outbox_backlog_events", tenant="t-1") is None


def test_lines_out_of_the_grammar_are_skipped_not_fatal() -> None:
    samples = Samples('# HELP x\nbroken line here\nup{job="a"} NaN\nup{job="b"} 1\nlonely\n')

    assert samples.by_label("up", "job") == {"b": 1}
