import pytest

from libs.stack.policy import RestartHistory, RestartPolicy


def test_the_delay_doubles_with_each_recent_failure_up_to_its_cap() -> None:
    policy = RestartPolicy(first_delay_seconds=0.5, max_delay_seconds=3.0, factor=2.0)

    assert [policy.delay_after(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_a_part_that_fails_five_times_within_a_minute_is_given_up_on_at_the_fifth() -> None:
    history = RestartHistory(RestartPolicy(max_failures=5, window_seconds=60.0))

    decisions = [history.record_failure(now) for now in (0.0, 5.0, 10.0, 20.0, 59.0)]

    assert decisions[:4] == [0.5, 1.0, 2.0, 4.0]
    assert decisions[4] is None


def test_failures_further_apart_than_the_window_never_add_up_to_a_give_up() -> None:
    history = RestartHistory(RestartPolicy(max_failures=3, window_seconds=60.0))

    decisions = [history.record_failure(61.0 * n) for n in range(10)]

    assert decisions == [0.5] * 10
    assert history.recent_failures == 1


def test_the_backoff_starts_again_once_the_part_stayed_up_longer_than_the_window() -> None:
    history = RestartHistory(RestartPolicy(max_failures=5, window_seconds=60.0))
    for now in (0.0, 1.0, 2.0):
        history.record_failure(now)

    assert history.record_failure(3.0) == 4.0
    assert history.record_failure(200.0) == 0.5


def test_a_policy_of_one_failure_gives_up_at_the_first_death() -> None:
    assert RestartHistory(RestartPolicy(max_failures=1)).record_failure(0.0) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"max_failures": 0},
        {"window_seconds": 0.0},
        {"first_delay_seconds": -1.0},
        {"factor": 0.5},
    ],
)
def test_a_policy_that_could_never_restart_sensibly_is_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        RestartPolicy(**bad)  # type: ignore[arg-type]
