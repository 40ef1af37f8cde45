"""Every threshold, tested on each side of its edge.

An audit tripled the waiting-list cut-off and the self-service grace period and the suite still
passed: its tests used times far from the edges. Here each setting has a section of its own:

* its edge, with the value read from app.config (so the test asserts that the code honours the
  setting), at the default and, where the setting is configurable, at one other value (so code
  that ignores the setting fails too). The clock is frozen and the outcome is checked just
  inside the edge, at it and just outside, as a participant, coordinator or operator sees it;
* its default against the README's configuration table (`test_the_default_is_documented`), so
  changing a default without the docs fails as well.

The clock: the code reads it through `hytu_events.db.types.utcnow`, imported into each module,
so the `clock` fixture replaces it in every module that holds it. Rate limits count in
Flask-Limiter's memory storage, which reads `time.time()`; `limiter_clock` replaces that.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner
from limits import parse

from hytu_events import config
from hytu_events.config import PROJECT_ROOT
from hytu_events.db import types
from hytu_events.events.operations import MAX_REPEAT
from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens as calendar_tokens
from hytu_events.mailing import sender
from hytu_events.mailing.content import MailContent
from hytu_events.mailing.models import MessageKind, MessageStatus, OutboxMessage
from hytu_events.mailing.outbox import enqueue
from hytu_events.models import Event, Language, Registration, Role
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token
from tests.accounts.helpers import PASSWORD, log_in, login, make_user
from tests.helpers import csrf_token, field_error, make_event, organisation, page_text, post_form
from tests.mailing.smtp import SMTPServer

MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _readme_defaults() -> dict[str, str]:
    """`variable` -> `default` from the README's configuration table."""
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([A-Z0-9_]+)` \| `([^`]*)` \|", section, re.M))


README_DEFAULTS = _readme_defaults()


def around(edge: timedelta, step: timedelta = MINUTE) -> dict[str, timedelta]:
    """The edge itself and one step either side, labelled for readable failures."""
    unit = f"{step.total_seconds() / 60:g} min" if step >= MINUTE else f"{step.seconds} s"
    return {f"edge - {unit}": edge - step, "edge": edge, f"edge + {unit}": edge + step}


# --- Fixtures: the settings under test, a frozen clock, a mail server


@pytest.fixture
def setting() -> dict:
    """The settings a test runs with; tests parametrize it (an empty dict: the defaults)."""
    return {}


@pytest.fixture(scope="module")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.mailbox.clear()
    yield smtp_server.mailbox
    smtp_server.mailbox.clear()


@pytest.fixture
def app_config(request, setting) -> dict:
    overrides = dict(setting)
    if "mailbox" in request.fixturenames:
        server = request.getfixturevalue("smtp_server")
        overrides |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port}
    return overrides


class Clock:
    """Stands in for `utcnow`: returns `now` until a test moves it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    """Freeze the code's clock (every module that imported utcnow; the app has imported them
    all by now). Column defaults keep the real clock: tests set the times they compare."""
    frozen = Clock(datetime.now(UTC).replace(microsecond=0))
    original = types.utcnow
    for name, module in list(sys.modules.items()):
        if name.startswith("hytu_events") and getattr(module, "utcnow", None) is original:
            monkeypatch.setattr(module, "utcnow", frozen)
    return frozen


class LimiterClock:
    """Stands in for the `time` module of the limits' memory storage."""

    def __init__(self):
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def limiter_clock(app, monkeypatch) -> LimiterClock:
    from limits.storage import memory

    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://", "the windows need memory://"
    frozen = LimiterClock()
    monkeypatch.setattr(memory, "time", frozen)
    return frozen


# --- Helpers


def _person(n: int) -> ParticipantDetails:
    return ParticipantDetails(
        name=f"Henkilö {n}",
        email=f"henkilo{n}@example.fi",
        organisation_id=organisation("spek").id,
        organisation_other=None,
        municipality_id=None,
        job_title=None,
        needs=None,
        language=Language.EN,
    )


def _place(event: Event, n: int, now: datetime) -> Registration:
    """Person `n` registers for `event` at `now` (while its registration is open)."""
    registration = register(event.id, _person(n), now=now).registration
    db.session.commit()
    return registration


def _ended(ends_at: datetime, title: str = "Mennyt klinikka") -> Event:
    return make_event(title=title, starts_at=ends_at - 3 * HOUR, ends_at=ends_at)


def _form(n: int) -> dict:
    return {
        "name": f"Aino Aikio {n}",
        "email": f"aino{n}@example.fi",
        "organisation": str(organisation("spek").id),
        "municipality": "",
        "language": "en",
        "consent": "y",
    }


def _outbox(kind: MessageKind | None = None) -> list[OutboxMessage]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def _run(app, *args: str) -> str:
    """A `flask ...` command as the operator (or the mail worker) runs it; its output."""
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _mail_send(app) -> dict[str, int]:
    """`flask mail send` once: what it reports."""
    output = _run(app, "mail", "send")
    match = re.search(
        r"Sent: (\d+), to retry later: (\d+), failed: (\d+), still due: (\d+)\.", output
    )
    assert match, output
    return dict(zip(("sent", "retrying", "failed", "due"), map(int, match.groups()), strict=True))


def _message(n: int) -> OutboxMessage:
    return enqueue(
        kind=MessageKind.LINK_RESEND,
        to_address=f"henkilo{n}@example.fi",
        to_name=f"Henkilö {n}",
        content=MailContent(language="fi", subject="Linkkisi", greeting="Hei!"),
    )


# --- Every default is the one the README documents

THRESHOLDS = [
    "HYTU_PROMOTION_CUTOFF_HOURS",
    "HYTU_SELF_SERVICE_GRACE_DAYS",
    "HYTU_REGISTRATION_RETENTION_MONTHS",
    "HYTU_REMINDER_HOURS",
    "HYTU_FEED_PAST_WEEKS",
    "HYTU_FEED_REFRESH_MINUTES",
    "HYTU_LOGIN_FAILURES_PER_ACCOUNT",
    "HYTU_LOGIN_FAILURES_PER_IP",
    "HYTU_REGISTRATION_RATE_LIMIT",
    "HYTU_LINK_RATE_LIMIT",
    "HYTU_MIN_PASSWORD_LENGTH",
    "HYTU_MAIL_SENDING_TIMEOUT_SECONDS",
    "HYTU_MAIL_MAX_ATTEMPTS",
    "HYTU_MAIL_BATCH_SIZE",
    "HYTU_MAIL_RETENTION_DAYS",
    # Documented only: the worker's pause between rounds and the SMTP network timeout have
    # no edge that a test could see without waiting for it.
    "HYTU_MAIL_POLL_SECONDS",
    "HYTU_MAIL_SMTP_TIMEOUT_SECONDS",
]


@pytest.mark.parametrize("name", THRESHOLDS)
def test_the_default_is_documented(name, monkeypatch):
    monkeypatch.delenv(name, raising=False)
    default = config.from_environment()[name]
    assert name in README_DEFAULTS, f"{name} is missing from the README's configuration table"
    assert default == type(default)(README_DEFAULTS[name])


# --- HYTU_PROMOTION_CUTOFF_HOURS: no automatic promotion this close to the start


def _place_shown(client, registration: Registration) -> str:
    text = page_text(client.get(f"/r/{self_service_token(registration)}?lang=en").text)
    if "Your place is confirmed" in text:
        return "confirmed"
    if "on the waiting list" in text:
        return "waiting"
    return text


@pytest.mark.parametrize("setting", [{}, {"HYTU_PROMOTION_CUTOFF_HOURS": 6}], ids=["24h", "6h"])
def test_a_seat_freed_before_the_cutoff_goes_to_the_waiting_list(app, client, clock, setting):
    cutoff = timedelta(hours=app.config["HYTU_PROMOTION_CUTOFF_HOURS"])
    seen = {}
    for label, before_start in around(cutoff).items():
        event = make_event(title=label, starts_at=clock.now + before_start, capacity=1)
        leaving, waiting = _place(event, 1, clock.now), _place(event, 2, clock.now)
        cancelled = post_form(client, f"/r/{self_service_token(leaving)}/cancel", {})
        assert cancelled.status_code == 303
        seen[label] = _place_shown(client, waiting)
    # Measured as time left before the start: promoted only while more than the cut-off is left.
    assert seen == {"edge - 1 min": "waiting", "edge": "waiting", "edge + 1 min": "confirmed"}


# --- HYTU_SELF_SERVICE_GRACE_DAYS: links work this long after the event ends


@pytest.mark.parametrize("setting", [{}, {"HYTU_SELF_SERVICE_GRACE_DAYS": 2}], ids=["7d", "2d"])
def test_self_service_links_work_until_the_grace_period_ends(app, client, clock, setting):
    grace = timedelta(days=app.config["HYTU_SELF_SERVICE_GRACE_DAYS"])
    seen = {}
    for n, (label, since_end) in enumerate(around(grace).items()):
        event = _ended(clock.now - since_end)
        registration = _place(event, n, now=event.starts_at - DAY)
        token = self_service_token(registration)
        seen[label] = (
            client.get(f"/r/{token}").status_code,
            client.get(f"/r/{token}/data.json").status_code,
        )
    assert seen == {"edge - 1 min": (200, 200), "edge": (200, 200), "edge + 1 min": (404, 404)}


# --- HYTU_REGISTRATION_RETENTION_MONTHS: anonymised this long after the event


@pytest.mark.parametrize(
    "setting", [{}, {"HYTU_REGISTRATION_RETENTION_MONTHS": 24}], ids=["12mo", "24mo"]
)
def test_registrations_are_anonymised_when_their_retention_ends(app, clock, setting):
    months = app.config["HYTU_REGISTRATION_RETENTION_MONTHS"]
    # A month is a twelfth of a 365-day year (retention.py): 12 months is 365 days, never
    # more than the calendar year the privacy notice promises.
    retention = timedelta(days=months * 365 / 12)
    people = {}
    for n, (label, since_end) in enumerate(around(retention).items()):
        event = _ended(clock.now - since_end)
        people[label] = _place(event, n, now=event.starts_at - DAY)
    output = _run(app, "privacy", "expire")
    assert "Anonymised 1 registration(s)" in output and f"retention {months} months" in output
    seen = {
        label: "anonymised" if db.session.get(Registration, person.id).erased_at else "kept"
        for label, person in people.items()
    }
    assert seen == {"edge - 1 min": "kept", "edge": "kept", "edge + 1 min": "anonymised"}
    assert "Henkilö 2" not in db.session.get(Registration, people["edge + 1 min"].id).name


# --- HYTU_REMINDER_HOURS: reminders go this long before the start


@pytest.mark.parametrize("setting", [{}, {"HYTU_REMINDER_HOURS": 6}], ids=["24h", "6h"])
def test_reminders_go_once_the_event_is_the_lead_time_away(app, clock, setting):
    lead = timedelta(hours=app.config["HYTU_REMINDER_HOURS"])
    events = {}
    for n, (label, before_start) in enumerate(around(lead).items()):
        event = make_event(title=label, starts_at=clock.now + before_start)
        _place(event, n, clock.now)
        events[event.id] = label
    assert "Reminders queued: 2." in _run(app, "mail", "reminders")
    reminded = {events[message.event_id] for message in _outbox(MessageKind.REMINDER)}
    seen = {label: label in reminded for label in events.values()}
    assert seen == {"edge - 1 min": True, "edge": True, "edge + 1 min": False}


# --- HYTU_FEED_PAST_WEEKS: feeds keep published events this long after they end


@pytest.mark.parametrize("setting", [{}, {"HYTU_FEED_PAST_WEEKS": 2}], ids=["8w", "2w"])
def test_feeds_keep_past_events_for_the_window(app, client, clock, setting):
    window = timedelta(weeks=app.config["HYTU_FEED_PAST_WEEKS"])
    uids = {
        label: _ended(clock.now - ago, label).calendar_uid for label, ago in around(window).items()
    }
    feed = client.get("/calendar.ics").data.decode().replace("\r\n ", "")
    seen = {label: uid in feed for label, uid in uids.items()}
    assert seen == {"edge - 1 min": True, "edge": False, "edge + 1 min": False}


# --- HYTU_FEED_REFRESH_MINUTES: the polling interval suggested to calendar apps


@pytest.mark.parametrize("setting", [{}, {"HYTU_FEED_REFRESH_MINUTES": 15}], ids=["60min", "15min"])
def test_feeds_suggest_the_configured_refresh_interval(app, client, setting):
    interval = timedelta(minutes=app.config["HYTU_FEED_REFRESH_MINUTES"])
    feed = client.get("/calendar.ics").data.decode()
    for name in ("REFRESH-INTERVAL;VALUE=DURATION", "X-PUBLISHED-TTL"):
        [value] = re.findall(rf"^{name}:(\S+)\r$", feed, re.M)
        assert icalendar.vDuration.from_ical(value) == interval, name


# --- HYTU_LOGIN_FAILURES_PER_ACCOUNT and _PER_IP: the Nth failure answers, the next is refused

WRONG, REFUSED, LOGGED_IN = "wrong password", "refused", "logged in"


def _login_answer(client, email: str, password: str, ip: str) -> str:
    response = login(client, email, password, environ_base={"REMOTE_ADDR": ip})
    text = page_text(response.text)
    if response.status_code == 303:
        return LOGGED_IN
    if response.status_code == 200 and "The email address or password is wrong" in text:
        return WRONG
    if response.status_code == 429 and "Too many failed attempts" in text:
        return REFUSED
    return f"{response.status_code} {text}"


@pytest.mark.parametrize(
    "setting", [{}, {"HYTU_LOGIN_FAILURES_PER_ACCOUNT": "2 per hour"}], ids=["5/15min", "2/h"]
)
def test_failed_logins_per_account(app, client, limiter_clock, setting):
    limit = parse(app.config["HYTU_LOGIN_FAILURES_PER_ACCOUNT"])
    make_user(Role.COORDINATOR, email="target@example.fi")
    # From a new address every time: only the account's own counter can stop these.
    answers = [
        _login_answer(client, "target@example.fi", "a wrong guess", ip=f"198.51.100.{n}")
        for n in range(limit.amount + 1)
    ]
    assert answers == [WRONG] * limit.amount + [REFUSED]
    # Refused, the right password too, until the window since the first failure is over.
    limiter_clock.now += limit.get_expiry() - 1
    assert _login_answer(client, "target@example.fi", PASSWORD, ip="203.0.113.1") == REFUSED
    limiter_clock.now += 2
    assert _login_answer(client, "target@example.fi", PASSWORD, ip="203.0.113.2") == LOGGED_IN


@pytest.mark.parametrize(
    "setting", [{}, {"HYTU_LOGIN_FAILURES_PER_IP": "3 per hour"}], ids=["20/15min", "3/h"]
)
def test_failed_logins_per_address(app, client, limiter_clock, setting):
    limit = parse(app.config["HYTU_LOGIN_FAILURES_PER_IP"])
    make_user(Role.COORDINATOR, email="real@example.fi")
    # Known accounts (an unknown email costs a full-strength password check: slow here).
    for n in range(limit.amount + 1):
        make_user(Role.VIEWER, email=f"guess{n}@example.fi")
    ip = "198.51.100.7"
    # A different account every time: only the address's counter can stop these.
    answers = [
        _login_answer(client, f"guess{n}@example.fi", "a wrong guess", ip=ip)
        for n in range(limit.amount + 1)
    ]
    assert answers == [WRONG] * limit.amount + [REFUSED]
    limiter_clock.now += limit.get_expiry() - 1
    assert _login_answer(client, "real@example.fi", PASSWORD, ip=ip) == REFUSED
    limiter_clock.now += 2
    assert _login_answer(client, "real@example.fi", PASSWORD, ip=ip) == LOGGED_IN


# --- HYTU_REGISTRATION_RATE_LIMIT and HYTU_LINK_RATE_LIMIT: the Nth passes, the next gets 429


def _registration_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration))


@pytest.mark.parametrize(
    "setting", [{}, {"HYTU_REGISTRATION_RATE_LIMIT": "3 per hour"}], ids=["20/10min", "3/h"]
)
def test_registrations_per_address(app, client, limiter_clock, setting):
    limit = parse(app.config["HYTU_REGISTRATION_RATE_LIMIT"])
    event = make_event(capacity=None)
    url = f"/events/{event.id}/register?lang=en"
    token = csrf_token(client.get(url).text)

    def send(n: int) -> int:
        return client.post(url, data={**_form(n), "csrf_token": token}).status_code

    assert [send(n) for n in range(limit.amount + 1)] == [303] * limit.amount + [429]
    assert _registration_count() == limit.amount
    limiter_clock.now += limit.get_expiry() - 1
    assert send(100) == 429
    limiter_clock.now += 2
    assert send(101) == 303
    assert _registration_count() == limit.amount + 1


@pytest.mark.parametrize(
    "setting", [{}, {"HYTU_LINK_RATE_LIMIT": "2 per hour"}], ids=["5/10min", "2/h"]
)
def test_link_requests_per_address(app, client, limiter_clock, setting):
    limit = parse(app.config["HYTU_LINK_RATE_LIMIT"])
    token = csrf_token(client.get("/r/").text)

    def send() -> int:
        return client.post("/r/", data={"email": "a@example.fi", "csrf_token": token}).status_code

    assert [send() for _ in range(limit.amount + 1)] == [200] * limit.amount + [429]
    limiter_clock.now += limit.get_expiry() - 1
    assert send() == 429
    limiter_clock.now += 2
    assert send() == 200


# --- The registration window: registration_opens_at, registration_closes_at (else the start)


def _registration_answer(response) -> str:
    text = page_text(response.text)
    answers = {
        (303, None): "registered",
        (403, "Registration opens"): "not yet open",
        (403, "Registration for this event has closed"): "closed",
        (410, "This event has already taken place"): "ended",
    }
    for (status, words), answer in answers.items():
        if response.status_code == status and (words is None or words in text):
            return answer
    return f"{response.status_code} {text}"


def test_registration_is_open_from_its_opening_until_its_closing(app, client, clock):
    opens = clock.now + DAY
    closes = opens + DAY
    start = closes + DAY
    windowed = make_event(
        title="Ikkuna", starts_at=start, registration_opens_at=opens, registration_closes_at=closes
    )
    until_start = make_event(title="Alkuun asti", starts_at=start)
    token = csrf_token(client.get("/r/").text)
    seen = {}

    def attempt(label: str, event: Event, at: datetime) -> None:
        clock.now = at
        response = client.post(
            f"/events/{event.id}/register?lang=en",
            data={**_form(len(seen)), "csrf_token": token},
        )
        seen[label] = _registration_answer(response)

    attempt("opens - 1 min", windowed, opens - MINUTE)
    attempt("opens", windowed, opens)
    attempt("closes - 1 min", windowed, closes - MINUTE)
    attempt("closes", windowed, closes)
    attempt("no closing time: start - 1 min", until_start, start - MINUTE)
    attempt("no closing time: start", until_start, start)
    attempt("end - 1 min", until_start, until_start.ends_at - MINUTE)
    attempt("end", until_start, until_start.ends_at)
    assert seen == {
        "opens - 1 min": "not yet open",
        "opens": "registered",
        "closes - 1 min": "registered",
        "closes": "closed",
        "no closing time: start - 1 min": "registered",
        "no closing time: start": "closed",
        "end - 1 min": "closed",
        "end": "ended",
    }


def test_a_place_can_be_given_up_until_the_event_ends(app, client, clock):
    """Self-service changes follow the same clock: until the end, then only reading."""
    event = make_event(capacity=None)
    early, late = _place(event, 1, clock.now), _place(event, 2, clock.now)
    token = csrf_token(client.get("/r/").text)

    def cancel_at(registration: Registration, moment: datetime) -> tuple[int, str]:
        clock.now = moment
        url = f"/r/{self_service_token(registration)}/cancel"
        status = client.post(url, data={"csrf_token": token}).status_code
        db.session.expire_all()
        return status, db.session.get(Registration, registration.id).status.value

    assert cancel_at(early, event.ends_at - MINUTE) == (303, "cancelled")
    assert cancel_at(late, event.ends_at) == (302, "confirmed")  # back to the overview


# --- HYTU_MAIL_SENDING_TIMEOUT_SECONDS: a dead worker's message is sent again after this


@pytest.mark.parametrize(
    "setting", [{}, {"HYTU_MAIL_SENDING_TIMEOUT_SECONDS": 60}], ids=["300s", "60s"]
)
def test_a_dead_workers_message_is_sent_when_its_lease_ends(app, clock, mailbox, setting):
    timeout = timedelta(seconds=app.config["HYTU_MAIL_SENDING_TIMEOUT_SECONDS"])
    _place(make_event(), 1, clock.now)  # queues the confirmation
    claimed_at = clock.now
    assert len(sender.claim_due(1, claimed_at)) == 1  # ... and the worker dies here
    clock.now = claimed_at + timeout - SECOND
    assert _mail_send(app)["sent"] == 0
    assert mailbox.messages() == []
    clock.now = claimed_at + timeout
    assert _mail_send(app)["sent"] == 1
    assert len(mailbox.messages()) == 1


# --- HYTU_MAIL_MAX_ATTEMPTS: permanent refusals are tried this many times


@pytest.mark.parametrize("setting", [{}, {"HYTU_MAIL_MAX_ATTEMPTS": 5}], ids=["3", "5"])
def test_a_refused_message_fails_after_the_last_attempt(app, clock, mailbox, setting):
    attempts = app.config["HYTU_MAIL_MAX_ATTEMPTS"]
    _place(make_event(), 1, clock.now)
    mailbox.answer = "550 5.1.1 Mailbox unavailable"
    outcomes = []
    for _ in range(attempts + 1):
        [message] = _outbox()
        clock.now = max(clock.now, message.next_attempt_at)
        report = _mail_send(app)
        outcomes.append(next((k for k in ("retrying", "failed") if report[k]), "nothing due"))
    assert outcomes == ["retrying"] * (attempts - 1) + ["failed", "nothing due"]
    [message] = _outbox()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, attempts)


# --- Retry delays (sender.RETRY_DELAYS_MINUTES): "after 1, 5, 15, then every 60 minutes"


def _documented_retry_minutes() -> list[int]:
    row = next(
        line for line in README.splitlines() if line.startswith("| `HYTU_MAIL_MAX_ATTEMPTS`")
    )
    match = re.search(r"retry after ([\d, ]+), then every (\d+) minutes", row)
    assert match, row
    return [int(m) for m in match.group(1).split(",")] + [int(match.group(2))] * 2


def test_temporary_failures_are_retried_after_the_documented_delays(app, clock, mailbox):
    _place(make_event(), 1, clock.now)
    mailbox.answer = "451 4.3.0 Try again later"
    assert _mail_send(app)["retrying"] == 1
    seen = []
    for minutes in _documented_retry_minutes():
        tried_at = clock.now
        clock.now = tried_at + timedelta(minutes=minutes) - SECOND
        early = _mail_send(app)["retrying"]
        clock.now = tried_at + timedelta(minutes=minutes)
        seen.append((minutes, early, _mail_send(app)["retrying"]))
    assert seen == [(minutes, 0, 1) for minutes, _, _ in seen]
    mailbox.answer = None
    clock.now += timedelta(minutes=_documented_retry_minutes()[-1])
    assert _mail_send(app)["sent"] == 1


# --- HYTU_MAIL_BATCH_SIZE: one `mail send` delivers at most this many


@pytest.mark.parametrize("setting", [{}, {"HYTU_MAIL_BATCH_SIZE": 3}], ids=["100", "3"])
def test_one_run_sends_at_most_a_batch(app, mailbox, setting):
    batch = app.config["HYTU_MAIL_BATCH_SIZE"]
    for n in range(batch + 1):
        _message(n)
    db.session.commit()
    assert _mail_send(app) == {"sent": batch, "retrying": 0, "failed": 0, "due": 1}
    assert _mail_send(app) == {"sent": 1, "retrying": 0, "failed": 0, "due": 0}
    assert len(mailbox.messages()) == batch + 1


# --- HYTU_MAIL_RETENTION_DAYS: sent and failed messages are deleted after this


@pytest.mark.parametrize("setting", [{}, {"HYTU_MAIL_RETENTION_DAYS": 30}], ids=["90d", "30d"])
def test_old_messages_are_purged_after_the_retention(app, clock, setting):
    retention = timedelta(days=app.config["HYTU_MAIL_RETENTION_DAYS"])
    written = {}
    for label, age in around(retention).items():
        for status in (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.QUEUED):
            message = _message(len(written))
            message.status = status
            message.created_at = clock.now - age
            message.sent_at = message.created_at if status is MessageStatus.SENT else None
            written[message.id] = (label, status.value)
    db.session.commit()
    assert "Old messages deleted: 2." in _run(app, "mail", "purge")
    kept = [written[message.id] for message in _outbox()]
    seen = {
        label: sorted(status for at, status in kept if at == label) for label in around(retention)
    }
    assert seen == {
        "edge - 1 min": ["failed", "queued", "sent"],
        "edge": ["failed", "queued", "sent"],
        "edge + 1 min": ["queued"],  # a message not yet delivered is never deleted
    }


# --- HYTU_MIN_PASSWORD_LENGTH


def _password(length: int) -> str:
    return ("Revontulet loistavat Inarin yllä " * 4)[:length]


@pytest.mark.parametrize("setting", [{}, {"HYTU_MIN_PASSWORD_LENGTH": 16}], ids=["12", "16"])
def test_a_password_needs_the_minimum_length(app, client, setting):
    length = app.config["HYTU_MIN_PASSWORD_LENGTH"]
    log_in(client, make_user(Role.VIEWER))

    def change(new: str):
        response = post_form(
            client,
            "/account/password?lang=en",
            {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        )
        return response.status_code, field_error(response.text, "new_password")

    too_short = f"The password must have at least {length} characters."
    assert change(_password(length - 1)) == (422, too_short)
    assert change(_password(length)) == (303, None)


# --- HYTU_UPCOMING_EVENTS_PER_PAGE and HYTU_PAST_EVENTS_PER_PAGE (config.py; README: "/" row)


def _documented_page_sizes() -> tuple[int, int]:
    row = next(line for line in README.splitlines() if line.startswith("| `/` |"))
    upcoming = re.search(r"soonest first, (\d+) a page", row)
    past = re.search(r"latest first, (\d+) a page", row)
    assert upcoming and past, row
    return int(upcoming.group(1)), int(past.group(1))


def test_the_page_sizes_are_documented():
    settings = config.from_environment()
    assert _documented_page_sizes() == (
        settings["HYTU_UPCOMING_EVENTS_PER_PAGE"],
        settings["HYTU_PAST_EVENTS_PER_PAGE"],
    )


@pytest.mark.parametrize(
    "setting",
    [{}, {"HYTU_UPCOMING_EVENTS_PER_PAGE": 3, "HYTU_PAST_EVENTS_PER_PAGE": 2}],
    ids=["30+20", "3+2"],
)
def test_event_lists_show_a_page_and_put_the_next_one_on_page_two(app, client, setting):
    upcoming = app.config["HYTU_UPCOMING_EVENTS_PER_PAGE"]
    past = app.config["HYTU_PAST_EVENTS_PER_PAGE"]
    now = datetime.now(UTC).replace(microsecond=0)
    for n in range(upcoming + 1):
        make_event(title=f"Tuleva {n}", starts_at=now + DAY + n * HOUR)
    for n in range(past + 1):
        _ended(now - DAY - n * HOUR, f"Mennyt {n}")

    def shown(query: str) -> int:
        return len(re.findall(r'id="event-\d+-title"', client.get(f"/?{query}").text))

    assert (shown(""), shown("page=2")) == (upcoming, 1)
    assert (shown("when=past"), shown("when=past&page=2")) == (past, 1)


# --- MAX_REPEAT (events/operations.py; README: "K <= 52") and the repeat interval


def test_an_event_is_repeated_at_most_the_documented_number_of_times(app, client):
    assert int(re.search(r"K times \(K <= (\d+)\)", README).group(1)) == MAX_REPEAT
    log_in(client, make_user(Role.COORDINATOR))
    event = make_event()
    url = f"/admin/events/{event.id}/duplicate?lang=en"

    def copies() -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Event)) - 1

    def duplicate(every_weeks: int, times: int) -> str | None:
        """The error shown, or None when the copies were made."""
        before = copies()
        data = {"every_weeks": str(every_weeks), "times": str(times)}
        response = post_form(client, url, data)
        made = copies() - before
        if response.status_code == 303:
            assert made == times
            return None
        assert made == 0
        return field_error(response.text, "times") or field_error(response.text, "every_weeks")

    assert duplicate(1, MAX_REPEAT + 1) == f"Enter a number from 1 to {MAX_REPEAT}."
    assert duplicate(1, MAX_REPEAT) is None
    # The interval has the same edge (a year), though the README does not name it.
    assert duplicate(53, 1) == "Enter a number from 0 to 52."
    assert duplicate(52, 1) is None


# --- WTF_CSRF_TIME_LIMIT (config.py): a form left open this long can still be sent


def test_a_form_can_be_sent_until_its_token_expires(app, client, monkeypatch):
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    issued = int(time.time())
    signer_clock = [issued]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signer_clock[0])
    token = csrf_token(client.get("/r/?lang=en").text)

    def send_after(seconds: int) -> int:
        signer_clock[0] = issued + seconds
        return client.post("/r/?lang=en", data={"email": "a@example.fi", "csrf_token": token})

    assert send_after(limit - 1).status_code == 200
    assert send_after(limit).status_code == 200
    expired = send_after(limit + 1)
    assert expired.status_code == 400
    assert "The form had expired" in page_text(expired.text)


# --- MAX_CONTENT_LENGTH (config.py): the largest request body, e.g. a CSV to import


def _upload(client, token: str, size: int):
    """POST a CSV file to the plan import in a multipart body of exactly `size` bytes."""
    boundary = "hytu-thresholds"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="iso.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    header = b"tuntematon,sarake\n"
    rows = size - len(head) - len(tail) - len(header)
    body = head + header + (b"x" * 99 + b"\n") * (rows // 100) + b"x" * (rows % 100) + tail
    assert len(body) == size
    return client.post(
        "/admin/plan/import?lang=en",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def test_a_request_body_may_be_as_large_as_the_limit(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    log_in(client, make_user(Role.COORDINATOR))
    token = csrf_token(client.get("/admin/plan/import?lang=en").text)
    read = _upload(client, token, limit)
    assert read.status_code == 400 and "unknown columns" in page_text(read.text)
    too_large = _upload(client, token, limit + 1)
    assert too_large.status_code == 413
    assert "The submitted data is too large" in page_text(too_large.text)


# --- feed_tokens/tokens.py _TOUCH_INTERVAL: a feed's use is noted at most once an hour


def test_a_feeds_use_is_noted_once_the_interval_has_passed(app, client, clock):
    interval = calendar_tokens._TOUCH_INTERVAL
    registration = _place(make_event(), 1, clock.now)
    feed = urlsplit(calendar_tokens.participant_feed_url(registration.email)).path
    export = f"/r/{self_service_token(registration)}/data.json"

    def last_use_noted_after_a_poll_at(moment: datetime) -> str:
        clock.now = moment
        assert client.get(feed).status_code == 200
        [row] = client.get(export).json["calendar_feeds"]  # what the person can see
        return row["last_used_at"]

    first = clock.now
    assert last_use_noted_after_a_poll_at(first) == first.isoformat()
    assert last_use_noted_after_a_poll_at(first + interval) == first.isoformat()
    later = first + interval + MINUTE
    assert last_use_noted_after_a_poll_at(later) == later.isoformat()
