"""What a service starting on a read model does about its layout, and when a rebuild
holds the read model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.analytics.domain.layout import READ_MODEL_LAYOUT, Control, Step, next_step

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("recorded", "logged_any", "step"),
    [
        (None, False, Step.RECORD),  # a new deployment
        (None, True, Step.REBUILD),  # a release from before layouts were recorded
        (READ_MODEL_LAYOUT - 1, True, Step.REBUILD),
        (READ_MODEL_LAYOUT - 1, False, Step.REBUILD),
        (READ_MODEL_LAYOUT, True, Step.CURRENT),
        (READ_MODEL_LAYOUT + 1, True, Step.NEWER),
    ],
)
def test_the_step_follows_the_recorded_layout(
    recorded: int | None, logged_any: bool, step: Step
) -> None:
    assert next_step(recorded, logged_any) is step


def test_a_rebuild_holds_the_read_model_only_within_its_lease() -> None:
    held = Control(running=True, holder="a", lease_until=NOW + timedelta(seconds=1))

    assert held.live(NOW)
    assert not held.live(NOW + timedelta(seconds=1))
    assert not Control(running=True, holder="a", lease_until=None).live(NOW)  # died, unleased
    assert not Control(running=False, lease_until=NOW + timedelta(seconds=1)).live(NOW)
