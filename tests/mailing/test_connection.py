"""How the sender connects: TLS from the start (MAIL_USE_SSL) or after STARTTLS (MAIL_USE_TLS),
the server's certificate checked (HYTU_MAIL_CA_FILE for a private CA), the login
(MAIL_USERNAME with MAIL_PASSWORD), the network timeout, and a server that hangs up before QUIT.

Each server here is real, on loopback: aiosmtpd with a certificate of the test's own CA
(trustme), or a plain socket that never answers or hangs up early (tests/mailing/smtp.py).
"""

from __future__ import annotations

import gc
import time
import warnings

import pytest

from hytu_events.mailing.models import MessageStatus
from hytu_events.mailing.sender import deliver_due
from tests.helpers import make_event

from .helpers import outbox, register_person
from .smtp import Certificates, Logins, ScriptedServer, SilentServer, SMTPServer, free_port

LOGIN = "hytu-mailer"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def implicit_tls_server(certificates):
    """Like port 465: TLS from the first byte, nothing in the clear."""
    server = SMTPServer(ssl_context=certificates.server_context())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def submission_logins() -> Logins:
    return Logins(LOGIN, PASSWORD)


@pytest.fixture
def logins(submission_logins) -> Logins:
    """The login attempts the submission server saw during this test."""
    submission_logins.attempts.clear()
    return submission_logins


@pytest.fixture(scope="module")
def submission_server(certificates, submission_logins):
    """Like port 587: STARTTLS before anything else, then a login, then mail."""
    server = SMTPServer(
        tls_context=certificates.server_context(),
        require_starttls=True,
        authenticator=submission_logins,
        auth_required=True,  # and AUTH only over TLS (aiosmtpd's auth_require_tls)
        # PLAIN only: smtplib tries each mechanism offered, so here a login is one attempt.
        auth_exclude_mechanism=["LOGIN"],
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def implicit_tls(implicit_tls_server):
    implicit_tls_server.mailbox.clear()
    return implicit_tls_server


@pytest.fixture
def submission(submission_server, logins):
    submission_server.mailbox.clear()
    return submission_server


@pytest.fixture
def app_config(certificates) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": free_port(),  # nothing listens here: each test names its server
        "MAIL_DEFAULT_SENDER": "HYTU-verkosto <hytu@hytu.test>",
        "HYTU_ORGANIZER_EMAIL": "hytu-kalenteri@hytu.test",
        "HYTU_ORGANIZER_NAME": "HYTU-verkosto",
        "HYTU_MAIL_MAX_ATTEMPTS": 2,
        "HYTU_MAIL_SMTP_TIMEOUT_SECONDS": 10,
        "HYTU_MAIL_CA_FILE": str(certificates.ca_file),
        "RATELIMIT_ENABLED": False,
    }


def _one_message():
    register_person(make_event(), 1)
    [row] = outbox()
    return row


# --- MAIL_USE_SSL: TLS from the start


def test_with_mail_use_ssl_a_tls_only_server_gets_the_message(app, implicit_tls):
    _one_message()
    app.config.update(MAIL_PORT=implicit_tls.port, MAIL_USE_SSL=True)
    assert deliver_due().sent == 1
    [row] = outbox()
    assert row.status is MessageStatus.SENT
    [message] = implicit_tls.mailbox.messages()
    assert message["Message-ID"] == row.message_id
    assert implicit_tls.mailbox.encrypted == [True]


def test_without_mail_use_ssl_a_tls_only_server_gets_nothing_and_the_message_waits(
    app, implicit_tls
):
    _one_message()
    # A plain client waits for the greeting while the server waits for the TLS handshake.
    app.config.update(
        MAIL_PORT=implicit_tls.port, MAIL_USE_SSL=False, HYTU_MAIL_SMTP_TIMEOUT_SECONDS=1
    )
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED and row.attempts == 1
    assert "timed out" in row.last_error
    assert implicit_tls.mailbox.received == []

    # Once the setting is right the message goes at its next try.
    app.config["MAIL_USE_SSL"] = True
    assert deliver_due(now=row.next_attempt_at).sent == 1
    assert len(implicit_tls.mailbox.received) == 1


# --- MAIL_USE_TLS (STARTTLS) and the login


def test_starttls_then_the_login_then_the_message(app, submission, logins):
    _one_message()
    app.config.update(
        MAIL_PORT=submission.port, MAIL_USE_TLS=True, MAIL_USERNAME=LOGIN, MAIL_PASSWORD=PASSWORD
    )
    assert deliver_due().sent == 1
    [row] = outbox()
    assert row.status is MessageStatus.SENT
    assert logins.attempts == [(LOGIN, PASSWORD, True)]  # the password went over TLS only
    assert submission.mailbox.encrypted == [True]
    [message] = submission.mailbox.messages()
    assert message["Message-ID"] == row.message_id


def test_without_mail_use_tls_the_password_is_not_sent_in_the_clear(app, submission, logins):
    _one_message()
    app.config.update(
        MAIL_PORT=submission.port, MAIL_USE_TLS=False, MAIL_USERNAME=LOGIN, MAIL_PASSWORD=PASSWORD
    )
    assert deliver_due().retrying == 1
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED
    # Before STARTTLS this server offers no AUTH, so smtplib does not try.
    assert "AUTH" in row.last_error
    assert logins.attempts == []
    assert submission.mailbox.received == []


@pytest.mark.parametrize(
    "answer",
    ["454 4.7.0 TLS not available due to temporary reason", "554 5.7.3 TLS not available"],
    ids=["454", "554"],
)
def test_a_refused_starttls_stops_the_run_and_the_mail_waits(app, answer):
    register_person(make_event(), 1)
    register_person(make_event(title="HYTU-klinikka: Sodankylä"), 2)
    server = ScriptedServer(answers={"STARTTLS": answer}, extensions=("STARTTLS",))
    app.config.update(MAIL_PORT=server.port, MAIL_USE_TLS=True)
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always", ResourceWarning)
            report = deliver_due()
            gc.collect()
    finally:
        server.close()
    # The worker closed the connection itself (it tries again every few seconds), rather than
    # leaving the socket to the garbage collector, which warns about it.
    assert [w for w in warned if issubclass(w.category, ResourceWarning)] == []
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    first, second = outbox()
    assert first.status is MessageStatus.QUEUED and first.last_error == answer
    assert second.attempts == 0  # untouched: it waits for the next run
    assert server.connections == 1 and server.received == []


@pytest.mark.parametrize(
    ("username", "password"), [(LOGIN, None), (None, PASSWORD)], ids=["username", "password"]
)
def test_one_of_username_and_password_alone_does_not_log_in(
    app, submission, logins, username, password
):
    _one_message()
    app.config.update(
        MAIL_PORT=submission.port, MAIL_USE_TLS=True, MAIL_USERNAME=username, MAIL_PASSWORD=password
    )
    assert deliver_due().retrying == 1
    assert logins.attempts == []  # no AUTH at all, not one with an empty or "None" half
    [row] = outbox()
    assert row.last_error == "530 5.7.0 Authentication required"  # this server wants a login
    assert submission.mailbox.received == []


REFUSED_LOGIN = (
    f"The mail server refused the login as {LOGIN} (check MAIL_USERNAME and MAIL_PASSWORD): "
    "535 5.7.8 Authentication credentials invalid"
)


def test_a_refused_login_stops_the_run_and_the_mail_waits(app, submission, logins):
    register_person(make_event(), 1)
    register_person(make_event(title="HYTU-klinikka: Sodankylä"), 2)
    app.config.update(
        MAIL_PORT=submission.port, MAIL_USE_TLS=True, MAIL_USERNAME=LOGIN, MAIL_PASSWORD="wrong"
    )
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    first, second = outbox()
    assert first.status is MessageStatus.QUEUED and first.last_error == REFUSED_LOGIN
    assert second.attempts == 0  # untouched: it waits for the next run
    assert logins.attempts == [(LOGIN, "wrong", True)]  # one try, not one per message
    assert submission.mailbox.received == []


def test_a_refused_login_never_fails_the_message(app, submission, logins):
    row = _one_message()
    app.config.update(
        MAIL_PORT=submission.port, MAIL_USE_TLS=True, MAIL_USERNAME=LOGIN, MAIL_PASSWORD="wrong"
    )
    now = row.next_attempt_at
    for attempt in range(1, 4):  # past HYTU_MAIL_MAX_ATTEMPTS (2): the message is not to blame
        assert deliver_due(now=now).retrying == 1
        [row] = outbox()
        assert row.status is MessageStatus.QUEUED and row.attempts == attempt
        assert row.last_error == REFUSED_LOGIN
        now = row.next_attempt_at

    # Once the password is right the message goes at its next try.
    app.config["MAIL_PASSWORD"] = PASSWORD
    assert deliver_due(now=now).sent == 1
    assert len(submission.mailbox.received) == 1


# --- The server's certificate (HYTU_MAIL_CA_FILE)

#: The server fixture and the settings for each way of encrypting.
ENCRYPTED = {
    "ssl": ("implicit_tls", {"MAIL_USE_SSL": True}),
    "starttls": (
        "submission",
        {"MAIL_USE_TLS": True, "MAIL_USERNAME": LOGIN, "MAIL_PASSWORD": PASSWORD},
    ),
}


@pytest.mark.parametrize("way", ENCRYPTED)
def test_a_certificate_from_an_authority_not_trusted_is_refused(
    app, request, certificates, logins, way
):
    fixture, settings = ENCRYPTED[way]
    server = request.getfixturevalue(fixture)
    _one_message()
    # The system's CAs only: they do not know the test's CA.
    app.config.update(MAIL_PORT=server.port, HYTU_MAIL_CA_FILE="", **settings)
    assert deliver_due().retrying == 1
    [row] = outbox()
    assert row.status is MessageStatus.QUEUED
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
    assert server.mailbox.received == []
    assert logins.attempts == []  # no password for a server that may be an impostor

    # Once the operator names the CA, the message goes at its next try.
    app.config["HYTU_MAIL_CA_FILE"] = str(certificates.ca_file)
    assert deliver_due(now=row.next_attempt_at).sent == 1
    assert len(server.mailbox.received) == 1


@pytest.mark.parametrize("way", ENCRYPTED)
def test_a_certificate_for_another_name_is_refused(app, request, logins, way):
    fixture, settings = ENCRYPTED[way]
    server = request.getfixturevalue(fixture)
    _one_message()
    # The same server and a trusted CA, but its certificate names 127.0.0.1, not localhost.
    app.config.update(MAIL_SERVER="localhost", MAIL_PORT=server.port, **settings)
    assert deliver_due().retrying == 1
    [row] = outbox()
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error and "localhost" in row.last_error
    assert server.mailbox.received == []
    assert logins.attempts == []


# --- HYTU_MAIL_SMTP_TIMEOUT_SECONDS


@pytest.mark.parametrize("use_ssl", [False, True], ids=["greeting", "tls-handshake"])
def test_a_server_that_never_answers_times_out_and_the_mail_waits(app, use_ssl):
    register_person(make_event(), 1)
    register_person(make_event(title="HYTU-klinikka: Sodankylä"), 2)
    silent = SilentServer(hold=30)  # then it hangs up, so a sender without a timeout fails
    app.config.update(MAIL_PORT=silent.port, MAIL_USE_SSL=use_ssl, HYTU_MAIL_SMTP_TIMEOUT_SECONDS=1)
    started = time.monotonic()
    try:
        report = deliver_due()
    finally:
        silent.close()
    assert time.monotonic() - started < 20  # a guard against hanging, not a benchmark
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    first, second = outbox()
    assert first.status is MessageStatus.QUEUED and first.attempts == 1
    assert "timed out" in first.last_error
    assert second.attempts == 0  # untouched: it waits for the next run


# --- Closing: QUIT to a server that already hung up


def test_a_server_that_hangs_up_before_quit_leaves_the_batch_sent(app):
    register_person(make_event(), 1)
    register_person(make_event(title="HYTU-klinikka: Sodankylä"), 2)
    server = ScriptedServer(hang_up_after=2)
    app.config["MAIL_PORT"] = server.port
    try:
        report = deliver_due()  # raises nothing: the QUIT's failure is no delivery's
    finally:
        server.close()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    assert [row.status for row in outbox()] == [MessageStatus.SENT, MessageStatus.SENT]
    assert server.connections == 1 and len(server.received) == 2
    assert deliver_due().attempted == 0
