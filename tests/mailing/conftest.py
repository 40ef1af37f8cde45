"""Every mail test talks SMTP to a real server on loopback, one per test module."""

from __future__ import annotations

import pytest

from .smtp import SMTPServer


@pytest.fixture(scope="module")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    if not smtp_server.running:
        smtp_server.start()
    smtp_server.mailbox.clear()
    yield smtp_server.mailbox
    smtp_server.mailbox.clear()


@pytest.fixture
def app_config(smtp_server) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_DEFAULT_SENDER": "HYTU-verkosto <hytu@hytu.test>",
        "HYTU_ORGANIZER_EMAIL": "hytu-kalenteri@hytu.test",
        "HYTU_ORGANIZER_NAME": "HYTU-verkosto",
        "HYTU_MAIL_MAX_ATTEMPTS": 2,
        "HYTU_MAIL_SMTP_TIMEOUT_SECONDS": 10,
        "RATELIMIT_ENABLED": False,
    }
