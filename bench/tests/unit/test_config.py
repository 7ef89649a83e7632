"""What `make bench` variables choose."""

from __future__ import annotations

import pytest

from bench.config import Config, stack_env


def test_the_default_run_loads_a_hundred_thousand_members() -> None:
    config = Config.from_env({})
    assert (config.members, config.quick) == (100_000, False)


def test_quick_mode_is_small_and_short_unless_told_the_size() -> None:
    quick = Config.from_env({"BENCH_QUICK": "1"})
    assert quick.members == 2_000
    assert quick.plan.step_seconds < Config.from_env({}).plan.step_seconds
    assert Config.from_env({"BENCH_QUICK": "1", "BENCH_MEMBERS": "500"}).members == 500


def test_a_run_of_the_reports_only_is_asked_for_by_name() -> None:
    assert Config.from_env({"BENCH_REPORTS_ONLY": "1"}).reports_only
    assert not Config.from_env({"BENCH_REPORTS_ONLY": "0"}).reports_only
    assert not Config.from_env({}).reports_only


def test_a_tenant_too_small_to_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="BENCH_MEMBERS"):
        Config.from_env({"BENCH_MEMBERS": "10"})


def test_the_stack_ignores_servers_named_for_other_uses_but_takes_a_bench_mongo() -> None:
    env = stack_env({"MONGO_URL": "mongodb://prod", "REDIS_URL": "redis://x", "HOME": "/h"})
    assert "REDIS_URL" not in env
    assert "MONGO_URL" not in env
    assert env["HOME"] == "/h"
    assert env["RATE_LIMIT_KEY_PER_SECOND"] == "1000000"
    assert stack_env({"BENCH_MONGO_URL": "mongodb://scratch"})["MONGO_URL"] == "mongodb://scratch"
