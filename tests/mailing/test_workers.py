"""Mail workers side by side, on SQLite and PostgreSQL, against a real SMTP server.

What hytu_events/mailing/sender.py promises: every message arrives at least once; a repeat
happens only for what a dead worker held, and is the same bytes with the same Message-ID; two
live workers never send the same message.

Each worker is what a separate `flask mail worker` process would be: an app, engine, session
and SMTP connection of its own, in a thread of its own. Time is passed in (`now`), so an
outage "for a while" and a lease running out take no waiting.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from hytu_events import create_app
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.mailing import sender
from hytu_events.mailing.models import MessageStatus, OutboxMessage
from hytu_events.mailing.sender import deliver_due, due_count
from tests.helpers import make_event

from .helpers import outbox, register_person

#: The claim's first step, reading the due rows (not `session.get`, which lists every column).
CANDIDATES = re.compile(r"SELECT outbox_messages\.id\s+FROM outbox_messages\b")


class Worker:
    def __init__(self, app: Flask, name: str):
        self.name = name
        self.app = create_app(dict(app.config))

    @property
    def engine(self) -> sa.Engine:
        with self.app.app_context():
            return db.engine

    def dispose(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def workers(app):
    # SQLAlchemy makes the class of an annotated UPDATE on first use, and another thread can
    # pick it up half made (it then warns, and never caches that statement in this process).
    # A worker process meets no other thread; here one claim-shaped UPDATE runs first.
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == -1)
        .values(attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.rollback()
    made: list[Worker] = []

    def make(*names: str) -> list[Worker]:
        made.extend(Worker(app, name) for name in names)
        return made[-len(names) :]

    yield make
    for worker in made:
        worker.dispose()


def at_once(workers: list[Worker], job) -> dict[str, object]:
    """Run `job()` in every worker's thread and context, released together; returns what each
    returned, or the exception it died of."""
    start = threading.Barrier(len(workers))
    results: dict[str, object] = {}

    def run(worker: Worker):
        with worker.app.app_context():
            try:
                start.wait(timeout=30)
                results[worker.name] = job()
            except Exception as error:  # a crashed worker: shown in the results
                results[worker.name] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(w,), name=w.name) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hangs"
    return results


def poll_until_idle(now):
    """A worker's rounds at `now` until nothing is due: a round also ends when another worker
    won the row it went for, and the real worker simply polls again."""
    sent = 0
    while due_count(now):
        sent += deliver_due(now=now).sent
    return sent


def queue_messages(count: int) -> list[OutboxMessage]:
    event = make_event(capacity=None)
    for n in range(count):
        register_person(event, n)  # each one queues a confirmation
    rows = outbox()
    assert len(rows) == count
    return rows


def received_by_message_id(mailbox) -> dict[str, list[bytes]]:
    copies = defaultdict(list)
    for raw, message in zip(list(mailbox.received), mailbox.messages(), strict=True):
        copies[message["Message-ID"]].append(raw)
    return copies


class _Crash(Exception):
    pass


def test_outage_two_workers_and_a_crash_deliver_everything_with_recognisable_repeats(
    app, smtp_server, mailbox, monkeypatch, workers
):
    queue_messages(10)
    a, b = workers("worker-a", "worker-b")
    lease = timedelta(seconds=app.config["HYTU_MAIL_SENDING_TIMEOUT_SECONDS"])

    # The server is down: both workers try, nothing is lost, nothing is left claimed.
    smtp_server.stop()
    t0 = utcnow()
    results = at_once([a, b], lambda: poll_until_idle(t0))
    assert results == {"worker-a": 0, "worker-b": 0}
    rows = outbox()
    assert {r.status for r in rows} == {MessageStatus.QUEUED}
    assert {r.attempts for r in rows} == {1}  # each row tried by one worker, once
    assert all("refused" in r.last_error.lower() for r in rows), [r.last_error for r in rows]

    # Back, but refusing for now: still nothing lost or claimed.
    smtp_server.start()
    mailbox.answer = "451 4.3.0 Try again later"
    t1 = t0 + timedelta(minutes=20)
    assert at_once([a, b], lambda: poll_until_idle(t1)) == {"worker-a": 0, "worker-b": 0}
    rows = outbox()
    assert {r.status for r in rows} == {MessageStatus.QUEUED}
    assert {r.attempts for r in rows} == {2}
    assert all(r.last_error.startswith("451") for r in rows)
    assert mailbox.received == []

    # Accepting again. Worker A dies after the server accepted its second message, before it
    # could record `sent`; B starts once A holds its second row, so the crash always happens.
    mailbox.answer = None
    t2 = t1 + timedelta(hours=2)
    real_mark_sent, real_claim = sender._mark_sent, sender.claim_due
    a_claims, a_confirmed, crashed_on = [], [], []
    a_has_two = threading.Event()

    def claim(limit, now):
        if threading.current_thread().name == b.name:
            a_has_two.wait(timeout=30)
        claimed = real_claim(limit, now)
        if threading.current_thread().name == a.name:
            a_claims.extend(claimed)
            if len(a_claims) >= 2:
                a_has_two.set()
        return claimed

    def mark_sent(message, now):
        if threading.current_thread().name == a.name:
            if a_confirmed:
                crashed_on.append(message.id)
                raise _Crash("worker killed between the server's 250 and the commit")
            a_confirmed.append(message.id)
        real_mark_sent(message, now)

    def crash_round():
        try:
            return poll_until_idle(t2)
        finally:
            a_has_two.set()  # never leave B waiting, whatever A did

    with monkeypatch.context() as patch:
        patch.setattr(sender, "claim_due", claim)
        patch.setattr(sender, "_mark_sent", mark_sent)
        results = at_once([a, b], crash_round)
    assert isinstance(results["worker-a"], _Crash), results
    assert results["worker-b"] == 8  # B delivered everything A did not hold
    crashed_batch = {r.id for r in outbox() if r.status is MessageStatus.SENDING}
    assert crashed_batch == set(crashed_on) == {a_claims[1]}  # one row at a time: one held
    assert len(mailbox.received) == 10

    # The lease runs out; A is restarted beside B; the crashed row goes again.
    t3 = t2 + lease + timedelta(seconds=1)
    results = at_once([a, b], lambda: poll_until_idle(t3))
    assert sorted(results.values()) == [0, 1]
    assert poll_until_idle(t3 + timedelta(days=1)) == 0

    rows = {r.message_id: r for r in outbox()}
    assert {r.status for r in rows.values()} == {MessageStatus.SENT}  # none stuck in `sending`
    copies = received_by_message_id(mailbox)
    assert set(copies) == set(rows)  # every message arrived, and nothing else
    repeated = {mid: raws for mid, raws in copies.items() if len(raws) > 1}
    duplicates = sum(len(raws) - 1 for raws in repeated.values())
    assert duplicates <= len(crashed_batch)
    assert {rows[mid].id for mid in repeated} <= crashed_batch
    assert duplicates == 1  # the server had accepted the crashed message: its repeat is one
    for mid, raws in repeated.items():
        assert raws == [rows[mid].mime] * len(raws)  # the stored bytes each time
    assert all(r.attempts == 2 + 1 for r in rows.values() if r.id not in crashed_batch)


def test_workers_claiming_at_the_same_moment_never_send_a_message_twice(
    app, backend, mailbox, workers
):
    """Every worker reads the due rows, then all of them claim at once: on SQLite they all
    went for the same row and only the compare-and-set keeps the others off it."""
    queue_messages(9)
    crew = workers("worker-1", "worker-2", "worker-3")
    read_together = threading.Barrier(len(crew))
    rendezvous = []

    def after_reading(conn, cursor, statement, parameters, context, executemany):
        if CANDIDATES.match(statement):
            rendezvous.append(threading.current_thread().name)
            read_together.wait(timeout=30)

    for worker in crew:
        sa.event.listen(worker.engine, "after_cursor_execute", after_reading)
    now = utcnow()
    senders_per_round, errors = [], []
    try:
        while due_count(now) and len(senders_per_round) < 20:
            results = at_once(crew, lambda: deliver_due(limit=1, now=now).sent)
            errors += [r for r in results.values() if isinstance(r, Exception)]
            senders_per_round.append(sum(r for r in results.values() if isinstance(r, int)))
    finally:
        for worker in crew:
            sa.event.remove(worker.engine, "after_cursor_execute", after_reading)

    copies = received_by_message_id(mailbox)
    assert {mid: len(raws) for mid, raws in copies.items()} == {r.message_id: 1 for r in outbox()}
    assert errors == []
    assert {r.status for r in outbox()} == {MessageStatus.SENT}
    assert len(rendezvous) == len(crew) * len(senders_per_round)  # every claim met the others
    if backend == "sqlite":
        assert senders_per_round == [1] * 9  # three claims on one row each round, one won
    else:
        assert senders_per_round == [3, 3, 3]  # SKIP LOCKED: each worker got a row of its own
    assert {r.attempts for r in outbox()} == {1}
