"""Scaled out, for real: Debian's nginx in front of two gunicorn instances and two mail workers
(`flask mail worker`), sharing PostgreSQL and Redis, all on loopback. What must hold across
instances is checked through nginx: seats, rate limits, confirmations, readiness.

Clients connect from addresses of their own (127.0.0.0/8 is all loopback), so that what the
app counts per client address shows which address it saw: nginx's own would be 127.0.0.1."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import re
import secrets
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
import sqlalchemy as sa

from hytu_events import create_app
from hytu_events.config import PROJECT_ROOT
from hytu_events.extensions import db
from hytu_events.partners.seed import seed_reference_data
from hytu_events.registrations.models import Registration, RegistrationStatus
from tests.conftest import _test_config, _with_database, unavailable
from tests.helpers import csrf_token, make_event, organisation
from tests.mailing.smtp import SMTPServer
from tests.serving.test_nginx_smoke import (
    NGINX,
    SECRET,
    _certificate,
    _free_port,
    _gunicorn,
    _nginx_conf,
    _site,
    _wait,
)

pytestmark = pytest.mark.postgres_only

REDIS = "redis://127.0.0.1:6379/0"
SEATS, PEOPLE = 10, 40
#: Low, so that the test reaches it; counted in Redis, so across both instances.
LINK_LIMIT = 3


class Cuttable:
    """A TCP proxy to PostgreSQL that can be cut (listener and live connections closed) and
    restored on the same port: the database "stops" without stopping the machine's server."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = _free_port()
        self._live: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self._listener.close()
        with self._lock:
            for connection in self._live:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._live.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._live.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._live.discard(source)
                self._live.discard(sink)
            source.close()  # the other direction's thread closes `sink`


@dataclass
class Browser:
    """One client at its own loopback address, keeping its cookies (session, CSRF)."""

    https_port: int
    context: ssl.SSLContext
    address: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None, **headers):
        connection = http.client.HTTPSConnection(
            "localhost",
            self.https_port,
            context=self.context,
            source_address=(self.address, 0),
            timeout=60,
        )
        headers = {"Accept-Encoding": "gzip", **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Over https Flask-WTF wants a same-origin Referer. The app sees nginx's $host,
            # without this run's port: what a browser sends when nginx listens on 443.
            headers.setdefault("Referer", f"https://localhost{path}")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        response.text = raw.decode(errors="replace")
        return response

    def get(self, path: str, **headers):
        return self.request("GET", path, **headers)

    def post_form(self, path: str, data: dict, **headers):
        """GET the form for its CSRF token (and the session holding it), then POST."""
        page = self.get(path)
        assert page.status == 200, (page.status, page.text[:300])
        return self.request("POST", path, {"csrf_token": csrf_token(page.text), **data}, **headers)


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(f"the scaled-out smoke test needs Redis at {REDIS}: {error}")
    return client


@pytest.fixture
def own_database(postgres_server_url):
    """A migrated database of this test's own, dropped afterwards (the suite's shared one
    is wiped by other tests' fixtures; this one is written by other processes)."""
    from flask_migrate import upgrade

    name = f"hytu_smoke_{secrets.token_hex(4)}"
    admin = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = _with_database(postgres_server_url, name)
    try:
        app = create_app(_test_config(url))
        with app.app_context():
            upgrade()
            seed_reference_data()
            db.session.commit()
            db.engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def scaled_out(tmp_path, own_database):
    if not Path(NGINX).exists():
        unavailable("the nginx smoke test needs Debian's nginx (apt-get install nginx)")
    store = _redis_or_skip()
    prefix = f"hytu-smoke-{secrets.token_hex(4)}"
    database = sa.make_url(own_database)
    proxy = Cuttable((database.host or "127.0.0.1", database.port or 5432))
    through_proxy = database.set(host="127.0.0.1", port=proxy.port)
    mail = SMTPServer()
    mail.start()
    settings = {
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": REDIS,
        "HYTU_FEED_CACHE_URI": REDIS,
        "RATELIMIT_KEY_PREFIX": prefix,
        "HYTU_LINK_RATE_LIMIT": f"{LINK_LIMIT} per 10 minutes",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail.port),
        "HYTU_MAIL_POLL_SECONDS": "0.5",
        "HYTU_MAIL_BATCH_SIZE": "4",  # small rounds: both workers get their share
        "PYTHONUNBUFFERED": "1",  # the workers' "Sent: N" lines, as they happen
        "GUNICORN_WORKERS": "2",
    }
    _certificate(tmp_path)
    app_ports, https_port = (_free_port(), _free_port()), _free_port()
    url = through_proxy.render_as_string(hide_password=False)
    instances = [_gunicorn(port, url, **settings) for port in app_ports]
    worker_env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": own_database,  # straight to PostgreSQL: the cut is the web's
        "SECRET_KEY": SECRET,
        "BASE_URL": "https://localhost",
        **settings,
    }
    worker_logs = [tmp_path / f"worker-{n}.log" for n in range(2)]
    log_files = [log.open("w") for log in worker_logs]
    workers = [
        subprocess.Popen(
            [str(Path(sys.executable).parent / "flask"), "--app", "hytu_events", "mail", "worker"],
            cwd=PROJECT_ROOT,
            env=worker_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        for log_file in log_files
    ]
    (tmp_path / "site.conf").write_text(_site(tmp_path, https_port, app_ports))
    (tmp_path / "nginx.conf").write_text(_nginx_conf(tmp_path))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    app = create_app(_test_config(own_database))
    try:
        for port, instance in zip(app_ports, instances, strict=True):
            _wait(port, instance, "gunicorn")
        _wait(https_port, nginx, "nginx")
        context = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))

        def browser(n: int) -> Browser:
            return Browser(https_port, context, f"127.0.{n // 250}.{n % 250 + 2}")

        def app_logs() -> list[list[dict]]:
            """Each instance's JSON lines, once it has stopped."""
            for instance in instances:
                instance.terminate()
            return [
                [json.loads(line) for line in instance.communicate(timeout=30)[1].splitlines()]
                for instance in instances
            ]

        with app.app_context():
            yield browser, app, mail.mailbox, proxy, app_logs, worker_logs
    finally:
        for process in (nginx, *instances, *workers):
            process.terminate()
        for process in (nginx, *instances, *workers):
            process.communicate(timeout=30)
        for log_file in log_files:
            log_file.close()
        mail.stop()
        proxy.cut()
        with app.app_context():
            db.engine.dispose()
        keys = list(store.scan_iter(f"{prefix}*"))
        if keys:
            store.delete(*keys)
        store.close()


def _form(n: int) -> dict:
    return {
        "name": f"Osallistuja {n}",
        "email": f"osallistuja{n}@example.fi",
        "organisation": str(organisation("lapin-poliisilaitos").id),
        "municipality": "",
        "language": "en",
        "consent": "y",
    }


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"{what} within {seconds:g} s"
            return result
        time.sleep(0.2)


def test_two_instances_and_two_workers_behind_nginx(scaled_out):
    browser, app, mailbox, proxy, app_logs, worker_logs = scaled_out
    event = make_event(capacity=SEATS, title="HYTU-klinikka: Kemi")
    event_id = event.id

    # Pages and feeds, compressed; https and the host as nginx saw them (HYTU_PROXY_FIX):
    # gunicorn itself is spoken to in plain http.
    visitor = browser(0)
    page = visitor.get(f"/events/{event_id}")
    assert page.status == 200 and page.getheader("Content-Encoding") == "gzip"
    assert "HYTU-klinikka: Kemi" in page.text
    feed = visitor.get("/calendar.ics")
    assert feed.status == 200 and feed.getheader("Content-Encoding") == "gzip"
    assert "BEGIN:VCALENDAR" in feed.text and "HYTU-klinikka: Kemi" in feed.text
    listing = visitor.get("/api/v1/events", Accept="application/json")
    assert listing.status == 200
    assert f'"https://localhost/events/{event_id}"' in listing.text
    redirect = visitor.get(f"/events/{event_id}/registered")
    assert redirect.status in (302, 303)
    assert not redirect.getheader("Location").startswith("http:")

    # Capacity: 40 people at once, each from an address of their own (the registration
    # limit counts per address), spread by nginx over both instances.
    people = [browser(10 + n) for n in range(PEOPLE)]
    url = f"/events/{event_id}/register?lang=en"
    forms = [_form(n) for n in range(PEOPLE)]
    pages = [person.get(url) for person in people]
    assert {page.status for page in pages} == {200}
    start = threading.Barrier(PEOPLE)

    def register(n: int) -> int:
        data = {"csrf_token": csrf_token(pages[n].text), **forms[n]}
        start.wait(timeout=30)
        return people[n].request("POST", url, data).status

    with ThreadPoolExecutor(PEOPLE) as pool:
        statuses = list(pool.map(register, range(PEOPLE)))
    assert statuses == [303] * PEOPLE
    db.session.expire_all()
    told = Counter(
        db.session.scalars(sa.select(Registration.status).where(Registration.event_id == event_id))
    )
    assert told == {RegistrationStatus.CONFIRMED: SEATS, RegistrationStatus.WAITLISTED: 30}

    # The link-again form's limit is counted once for both instances, per client address:
    # nginx alternates instances, and the request after the limit is refused, whichever
    # instance takes it. An address the client writes itself is not believed.
    asker = browser(1)
    link_url = "/r/?lang=en"
    token = csrf_token(asker.get(link_url).text)  # one GET: the posts alone alternate
    ask = {"csrf_token": token, "email": "nobody@example.fi"}
    for _ in range(LINK_LIMIT):
        assert asker.request("POST", link_url, ask).status == 200
    refused = asker.request("POST", link_url, ask, **{"X-Forwarded-For": "198.51.100.7"})
    assert refused.status == 429
    assert browser(2).post_form(link_url, {"email": "nobody@example.fi"}).status == 200

    # Every confirmation and waiting-list notice, exactly once, by two workers.
    addresses = {form["email"] for form in forms}

    def delivered() -> Counter:
        counts = Counter()
        for _sender, recipients in list(mailbox.envelopes):
            counts.update(r for r in recipients if r in addresses)
        return counts

    _wait_for(lambda: len(delivered()) == PEOPLE, 30, "every registrant got mail")
    time.sleep(1.5)  # three more worker rounds: a second send would show by now
    assert delivered() == dict.fromkeys(addresses, 1)
    # Both workers sent, and together they sent each message the sink received once.
    sent = [
        sum(int(n) for n in re.findall(r"^Sent: (\d+),", log.read_text(), re.M))
        for log in worker_logs
    ]
    assert all(sent), sent
    assert sum(sent) == len(mailbox.envelopes)

    # The database goes away: unready with the reason, through nginx; back when it returns.
    proxy.cut()
    unready = _wait_for(
        lambda: (r := visitor.get("/readyz")).status == 503 and r, 15, "/readyz said 503"
    )
    assert "database" in json.loads(unready.text)["reason"]
    proxy.restore()
    _wait_for(lambda: visitor.get("/readyz").status == 200, 15, "/readyz said 200 again")

    # nginx sent the registrations and limited forms to both instances.
    for lines in app_logs():
        endpoints = Counter(line.get("endpoint") for line in lines if line.get("method") == "POST")
        assert endpoints["registrations.register_form"] > 0, endpoints
        assert endpoints["self_service.request_link"] >= LINK_LIMIT // 2, endpoints
