"""Settings: defaults, the reference's variable names, and one clear line for bad values."""

from __future__ import annotations

import pytest

from cicero.settings import ConfigError, Settings, load_settings, require
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "TZ_BUSINESS", "ADMIN_WHATSAPP", "WA_TRANSPORT",
                 "JWT_SECRET", "SMTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_run_embedded_in_jakarta() -> None:
    settings = load_settings()
    assert settings.embedded
    assert settings.tz_business == "Asia/Jakarta"
    assert settings.wa_transport == "sandbox"
    assert settings.home.name == ".cicero"


def test_reference_names_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_WHATSAPP", "6281111111111, 6282222222222;6283333333333")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/cicero")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    settings = load_settings()
    assert settings.admin_whatsapp == ["6281111111111", "6282222222222", "6283333333333"]
    assert not settings.embedded


def test_dotenv_file_is_read(tmp_path) -> None:
    (tmp_path / ".env").write_text("TZ_BUSINESS=Asia/Makassar\n")
    assert load_settings().tz_business == "Asia/Makassar"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TZ_BUSINESS", "Mars/Olympus"),
        ("WA_TRANSPORT", "carrier-pigeon"),
        ("DATABASE_URL", "mysql://root@localhost/cicero"),
        ("REDIS_URL", "memcached://localhost"),
        ("SMTP_PORT", "not-a-number"),
    ],
)
def test_malformed_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert name in message
    assert "\n" not in message


def test_required_value_for_a_command_is_named() -> None:
    with pytest.raises(ConfigError, match="JWT_SECRET"):
        require(Settings(), "JWT_SECRET")


def test_cli_stops_with_one_line_on_a_bad_setting(cli_env) -> None:
    result = run_cli("db", "upgrade", env={**cli_env, "TZ_BUSINESS": "Mars/Olympus"})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "TZ_BUSINESS" in lines[0]
