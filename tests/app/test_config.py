"""Configuration from the environment."""

import pytest

from hytu_events import config, create_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"TESTING": False, "DEBUG": False})


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
