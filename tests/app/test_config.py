"""Configuration from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hytu_events import config, create_app


@pytest.fixture
def production(monkeypatch, tmp_path):
    """No SECRET_KEY, no debug, and an instance folder of the test's own (empty)."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setattr(config, "INSTANCE_PATH", tmp_path)
    return tmp_path


def test_production_refuses_to_start_without_a_secret_key(production):
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"TESTING": False, "DEBUG": False})
    assert not (production / "secret_key").exists()  # nor does it make one up


def test_the_key_make_run_stored_is_used_without_debug(production):
    """`make run` stores a random key readable by its owner only; commands run later without
    FLASK_DEBUG (as the README writes them) sign with the same key instead of refusing."""
    (production / "secret_key").write_text("stored-" + "s" * 48 + "\n")
    app = create_app({"TESTING": False, "DEBUG": False, "HYTU_SINGLE_PROCESS": True})
    assert app.secret_key == "stored-" + "s" * 48


def test_the_environment_wins_over_the_stored_key(production, monkeypatch):
    (production / "secret_key").write_text("stored-" + "s" * 48)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "e" * 32)
    app = create_app({"TESTING": False, "DEBUG": False, "HYTU_SINGLE_PROCESS": True})
    assert app.secret_key.startswith("from-the-env")


def test_a_command_without_a_secret_key_refuses_in_one_line(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "FLASK_DEBUG", "FLASK_APP"}
    }
    env["HYTU_INSTANCE_PATH"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "hytu_events", "users", "list"],
        cwd=config.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: SECRET_KEY is not set and there is no key in ")
    assert "Traceback" not in result.stdout + result.stderr


def test_development_secret_is_generated_once(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_PATH", tmp_path)
    first = config.development_secret_key()
    assert len(first) >= 40
    assert config.development_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/hytu")
    monkeypatch.setenv("BASE_URL", "https://tapahtumat.example.fi/")
    monkeypatch.setenv("HYTU_TIMEZONE", "Europe/Stockholm")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.fi")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    settings = config.from_environment()
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/hytu"
    assert settings["BASE_URL"] == "https://tapahtumat.example.fi"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["BABEL_DEFAULT_TIMEZONE"] == "Europe/Stockholm"
    assert settings["MAIL_PORT"] == 587 and settings["MAIL_USE_TLS"] is True


def test_default_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.from_environment()["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert "instance" in config.from_environment()["SQLALCHEMY_DATABASE_URI"]


def test_a_copy_of_the_package_without_its_checkout_says_how_to_install(monkeypatch, tmp_path):
    """`pip install .` copies the package alone; the app must say so, not fail page by page."""
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path)
    (tmp_path / "static").mkdir()
    with pytest.raises(RuntimeError, match=r"templates, migrations not found .*pip install -e \."):
        create_app({"TESTING": True})


PRODUCTION = {"TESTING": False, "DEBUG": False, "SECRET_KEY": "production-secret-" + "x" * 32}


@pytest.fixture
def production_environment(monkeypatch):
    for name in (
        "FLASK_DEBUG",
        "FLASK_RUN_FROM_CLI",
        "RATELIMIT_STORAGE_URI",
        "RATELIMIT_ENABLED",
        "HYTU_SINGLE_PROCESS",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_refuses_rate_limit_counters_in_each_process(production_environment):
    with pytest.raises(RuntimeError) as refused:
        create_app(PRODUCTION)
    message = str(refused.value)
    assert message.startswith("RATELIMIT_STORAGE_URI is memory://")
    assert "Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379" in message
    assert "HYTU_SINGLE_PROCESS=1" in message and "RATELIMIT_ENABLED=false" in message


@pytest.mark.parametrize(
    "environment",
    [
        {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"},
        {"HYTU_SINGLE_PROCESS": "1"},
        {"RATELIMIT_ENABLED": "false"},
        {"FLASK_DEBUG": "1"},
        # `flask db upgrade`, `flask mail worker`...: no requests, or `flask run`, one process.
        {"FLASK_RUN_FROM_CLI": "true"},
    ],
    ids=["redis", "single-process", "limits-off", "debug", "flask-command"],
)
def test_production_starts_when_the_limits_hold(production_environment, environment):
    for name, value in environment.items():
        production_environment.setenv(name, value)
    config = dict(PRODUCTION, DEBUG=environment.get("FLASK_DEBUG") == "1")
    app = create_app(config)
    assert app.config["RATELIMIT_KEY_PREFIX"] == ""


def test_flask_commands_run_in_production_without_redis(tmp_path):
    """`flask db upgrade` (and the mail worker) need no Redis: the real command line, no debug."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "RATELIMIT_", "HYTU_SINGLE"))
    }
    env.update(SECRET_KEY="production-secret-" + "x" * 32, DATABASE_URL=f"sqlite:///{tmp_path}/db")
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(flask), "--app", "hytu_events", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db").stat().st_size > 0
