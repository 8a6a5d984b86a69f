"""Settings: defaults, the reference's variable names, and one clear line for bad values."""

from __future__ import annotations

import secrets

import pytest

from cicero.settings import ConfigError, Settings, load_settings, require
from tests.conftest import PROJECT_ROOT, run_cli


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


# --- JWT_SECRET in production -----------------------------------------------------------------

PRODUCTION = {"DATABASE_URL": "postgresql://u:p@db:5432/cicero", "REDIS_URL": "redis://cache:6379/0"}
GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


@pytest.mark.parametrize("secret", [
    "x",  # one byte
    "change-me",  # the README's old production example
    "change-me-please-to-something-long-and-random",  # still the placeholder
    "a" * 64,
    "change-me-change-me-change-me-change-me",
    "passwordpasswordpasswordpassword",
    "12345678901234567890123456789012",
])
def test_cli_refuses_a_weak_jwt_secret_in_production(cli_env, secret: str) -> None:
    result = run_cli("web", env={**cli_env, "JWT_SECRET": secret}, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Gagal: Konfigurasi JWT_SECRET tidak valid: ")
    assert lines[0].endswith(GENERATE)
    assert secret not in lines[0].removesuffix(GENERATE)  # never echoed back


@pytest.mark.parametrize("secret", [secrets.token_urlsafe(48), secrets.token_hex(16),
                                    secrets.token_hex(32)],
                         ids=["token_urlsafe(48)", "token_hex(16)", "token_hex(32)"])
def test_random_jwt_secrets_are_accepted_in_production(monkeypatch: pytest.MonkeyPatch,
                                                       secret: str) -> None:
    for name, value in {**PRODUCTION, "JWT_SECRET": secret}.items():
        monkeypatch.setenv(name, value)
    assert load_settings().jwt_secret == secret


def test_the_embedded_mode_keeps_accepting_a_chosen_secret(monkeypatch) -> None:
    monkeypatch.setenv("JWT_SECRET", "dev")
    assert load_settings().jwt_secret == "dev"


def test_the_production_examples_generate_the_secret() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "JWT_SECRET=change-me" not in readme
    assert "secrets.token_urlsafe(48)" in readme
    compose = (PROJECT_ROOT / "docker-compose.yml").read_text()
    assert "JWT_SECRET: ${JWT_SECRET:?" in compose  # required, no default
