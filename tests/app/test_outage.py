"""A database that cannot be reached: pages answer 503 with Retry-After, commands one line.

The outage is simulated, never caused: the running app's pooled connections are dropped and
every new one is sent to an address where nothing answers (a closed port; an SQLite file in
a directory that does not exist), so the driver raises its real error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from hytu_events.config import PROJECT_ROOT
from hytu_events.extensions import db
from hytu_events.models import EventStatus, Role
from tests.accounts.helpers import log_in, make_user
from tests.helpers import make_event, page_text

PASSWORD = "hunter2-salasana"
UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-hytu-directory/hytu.sqlite3",
    "postgresql": f"postgresql+psycopg://postgres:{PASSWORD}@127.0.0.1:1/hytu",
}


@pytest.fixture
def app_config():
    # As in production: an error nobody handles becomes the 500 page instead of reaching the test.
    return {"PROPAGATE_EXCEPTIONS": False}


@contextmanager
def database_down(app):
    """Until the block ends, the app's database is gone; yields the count of connect attempts."""
    engine = db.engine
    nowhere = make_url(UNREACHABLE[engine.dialect.name])
    attempts = []

    def connect_nowhere(dialect, connection_record, cargs, cparams):
        attempts.append(1)
        new_args, new_params = dialect.create_connect_args(nowhere)
        cargs[:] = new_args
        cparams.clear()
        cparams.update(new_params)

    db.session.remove()
    engine.dispose()  # the pooled connections die with the server
    sa.event.listen(engine, "do_connect", connect_nowhere)
    try:
        yield attempts
    finally:
        sa.event.remove(engine, "do_connect", connect_nowhere)


def assert_unavailable_page(response, title: str, explanation: str) -> None:
    assert response.status_code == 503, response.text[:300]
    assert response.headers["Retry-After"].isdigit()
    text = page_text(response.text)
    assert title in text and explanation in text, text
    assert "Traceback" not in response.text and PASSWORD not in response.text


def test_public_pages_feeds_and_the_back_office_answer_503(app, client):
    event_url = f"/events/{make_event(status=EventStatus.PUBLISHED).id}"
    log_in(client, make_user(Role.COORDINATOR))
    with database_down(app) as attempts:
        for url in ("/?lang=en", event_url, "/calendar.ics", "/admin/"):
            attempts.clear()
            response = client.get(url)
            assert_unavailable_page(
                response,
                "The service is temporarily unavailable",
                "We cannot reach our database at the moment. Please try again in a few minutes.",
            )
            # The page itself asked nothing more of the database (who is logged in, above all)
            # than the one try that failed: a database that times out costs one wait, not two.
            assert len(attempts) == 1, url


def test_the_page_speaks_the_readers_language(app, client):
    with database_down(app):
        assert_unavailable_page(
            client.get("/?lang=fi"),
            "Palvelu ei ole tilapäisesti käytettävissä",
            "Yritä uudelleen muutaman minuutin kuluttua.",
        )
        browser = app.test_client()  # a new visitor, whose browser prefers Swedish
        assert_unavailable_page(
            browser.get("/calendar.ics", headers={"Accept-Language": "sv"}),
            "Tjänsten är tillfälligt otillgänglig",
            "Försök igen om några minuter.",
        )


def test_when_the_database_is_back_everything_works_and_nobody_was_logged_out(app, client):
    log_in(client, make_user(Role.COORDINATOR))
    with database_down(app):
        assert client.get("/admin/").status_code == 503
        assert client.get("/").status_code == 503
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200  # still logged in: no redirect to /login


def test_a_wrong_statement_is_still_a_500_not_an_outage(app, client):
    @app.get("/broken-query")
    def broken_query():
        # SQLite calls this an OperationalError too, like a refused connection.
        db.session.execute(sa.text("SELECT * FROM no_such_table"))
        return "unreachable"

    response = client.get("/broken-query?lang=en")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert "Something went wrong on our side" in page_text(response.text)


def _flask(*args: str, database_url: str, tmp_path, input: str | None = None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FLASK_DEBUG", "FLASK_APP", "DATABASE_URL"}
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="outage-test-" + "k" * 40,
        HYTU_INSTANCE_PATH=str(tmp_path / "instance"),
    )
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "hytu_events", *args],
        cwd=PROJECT_ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["db", "upgrade"],
        ["seed"],
        ["users", "list"],
        ["mail", "send"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize(
    ("database_url", "shown"),
    [
        (
            f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/x",
            "postgresql://postgres:***@127.0.0.1:1/x: connection refused",
        ),
        (
            "sqlite:////nonexistent-hytu-directory/hytu.sqlite3",
            "sqlite:////nonexistent-hytu-directory/hytu.sqlite3: unable to open database file",
        ),
    ],
    ids=["postgresql", "sqlite"],
)
def test_a_command_says_in_one_line_that_the_database_is_down(
    command, database_url, shown, tmp_path
):
    result = _flask(*command, database_url=database_url, tmp_path=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [f"Error: cannot reach the database at {shown}"], (
        result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_the_mail_worker_keeps_trying_with_one_line_a_round(tmp_path):
    """A service beside gunicorn outlives an outage, and says so briefly, not in tracebacks."""
    env = {key: value for key, value in os.environ.items() if key != "FLASK_DEBUG"}
    env.update(
        DATABASE_URL=f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/x",
        SECRET_KEY="outage-test-" + "k" * 40,
        HYTU_INSTANCE_PATH=str(tmp_path / "instance"),
    )
    command = [sys.executable, "-m", "flask", "--app", "hytu_events", "mail", "worker"]
    worker = subprocess.Popen(
        [*command, "--interval", "0.2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, worker.kill)
    watchdog.start()
    try:
        warnings = []
        while len(warnings) < 2 and (line := worker.stderr.readline()):
            warnings.append(line)
        worker.send_signal(signal.SIGTERM)
        stdout, rest = worker.communicate()
    finally:
        watchdog.cancel()
    assert worker.returncode == 0, rest
    assert "Mail worker stopped." in stdout
    for line in [*warnings, *rest.splitlines()]:
        assert "cannot reach the database at postgresql://postgres:***@127.0.0.1:1/x" in line
    assert "Traceback" not in "".join(warnings) + rest
    assert PASSWORD not in "".join(warnings) + rest + stdout
