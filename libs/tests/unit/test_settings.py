"""Settings are read from the environment once, typed, and refuse to start incomplete."""

from __future__ import annotations

import pytest

from libs.settings import ServiceSettings, load_settings

COMPLETE = {
    "MONGO_URL": "mongodb://127.0.0.1:27017",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "NATS_URL": "nats://127.0.0.1:4222",
    "GRPC_PORT": "50051",
    "MONGO_DB": "points",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment holding exactly the complete set of required variables."""
    for name in ServiceSettings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_a_complete_environment_loads_typed_settings(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("SHUTDOWN_GRACE_SECONDS", "2.5")

    settings = load_settings(ServiceSettings)

    assert settings.grpc_port == 50051
    assert settings.grpc_listen == "127.0.0.1:50051"
    assert settings.shutdown_grace_seconds == 2.5
    assert settings.log_format == "json"


@pytest.mark.parametrize("missing", sorted(COMPLETE))
def test_a_missing_variable_stops_the_start_with_a_message_naming_it(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], missing: str
) -> None:
    environment.delenv(missing)

    with pytest.raises(SystemExit) as exit_:
        load_settings(ServiceSettings)

    assert exit_.value.code == 2
    message = capsys.readouterr().err
    assert "configuration error in ServiceSettings" in message
    assert f"  {missing}: Field required" in message


def test_every_bad_value_is_named_at_once(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("GRPC_PORT", "70000")
    environment.setenv("LOG_FORMAT", "xml")

    with pytest.raises(SystemExit):
        load_settings(ServiceSettings)

    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["LOG_FORMAT", "GRPC_PORT"]
