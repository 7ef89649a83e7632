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


TLS = {
    "GRPC_TLS_CA_FILE": "/etc/loyalty/tls/ca.crt",
    "GRPC_TLS_CERT_FILE": "/etc/loyalty/tls/tls.crt",
    "GRPC_TLS_KEY_FILE": "/etc/loyalty/tls/tls.key",
}
NATS_USER = {"NATS_USER": "points", "NATS_PASSWORD": "s3cret"}


def test_tls_files_and_a_nats_user_are_read_into_typed_settings(
    environment: pytest.MonkeyPatch,
) -> None:
    for name, value in {**TLS, **NATS_USER}.items():
        environment.setenv(name, value)

    settings = load_settings(ServiceSettings)

    assert settings.grpc_tls is not None
    assert str(settings.grpc_tls.key) == TLS["GRPC_TLS_KEY_FILE"]
    assert settings.nats_credentials == ("points", "s3cret")
    assert "s3cret" not in repr(settings)


def test_without_tls_files_a_development_process_speaks_plaintext(
    environment: pytest.MonkeyPatch,
) -> None:
    settings = load_settings(ServiceSettings)

    assert settings.grpc_tls is None
    assert settings.nats_credentials is None


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (NATS_USER, "plaintext gRPC"),
        (TLS, "NATS_USER"),
    ],
)
def test_production_refuses_to_start_without_mutual_tls_or_its_own_nats_user(
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str],
    named: str,
) -> None:
    environment.setenv("ENVIRONMENT", "production")
    for name, value in given.items():
        environment.setenv(name, value)

    with pytest.raises(SystemExit):
        load_settings(ServiceSettings)

    assert named in capsys.readouterr().err


def test_half_the_tls_files_stop_the_start(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("GRPC_TLS_CA_FILE", TLS["GRPC_TLS_CA_FILE"])

    with pytest.raises(SystemExit):
        load_settings(ServiceSettings)

    assert "go together" in capsys.readouterr().err
