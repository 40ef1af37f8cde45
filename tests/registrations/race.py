"""Races on purpose: a window that holds each seat change between reading and writing, and
HTTP clients released all at once (tests/registrations/test_under_load.py, and the series' load
test). See test_under_load's docstring for what the window shows with and without the lock."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest

from hytu_events.db import locking
from hytu_events.extensions import db
from hytu_events.registrations import operations, seats


class RaceWindow:
    """Where a seat change has read what it decides on and not yet written: it waits here
    until all `burst` changes of its event have read, or until another change waits at an
    event lock (which keeps it from reading until this one commits). Counted per event, so a
    burst of registrations for several dates each (a series) meets at every date in turn."""

    def __init__(self, burst: int, real_lock):
        self.burst = burst
        self._real_lock = real_lock
        self._change = threading.Condition()
        self.reads: Counter = Counter()  # changes that reached the window, per event
        self.at_lock = 0  # changes waiting for an event lock right now
        self.inside = 0
        #: The most changes ever between reading and writing together: 1 under the lock.
        self.most_at_once = 0
        self.timed_out = False

    @property
    def read(self) -> int:
        return sum(self.reads.values())

    def lock(self, model, row_id: int):
        with self._change:
            self.at_lock += 1
            self._change.notify_all()
        try:
            return self._real_lock(model, row_id)
        finally:
            with self._change:
                self.at_lock -= 1

    def wait(self, event_id: int) -> None:
        with self._change:
            self.reads[event_id] += 1
            self.inside += 1
            self.most_at_once = max(self.most_at_once, self.inside)
            self._change.notify_all()
            if not self._change.wait_for(
                lambda: self.reads[event_id] >= self.burst or self.at_lock > 0, timeout=30
            ):
                self.timed_out = True  # the burst never came: the asserts say so
            self.inside -= 1


def read_plainly(model, row_id: int):
    """The control runs' stand-in for the lock: the same row, read without locking it."""
    return db.session.get(model, row_id, populate_existing=True)


@pytest.fixture
def race_window(monkeypatch):
    """`race_window(burst, lock=True)` opens the window for the next `burst` seat changes
    (of each event)."""

    def open_window(burst: int, *, lock: bool = True) -> RaceWindow:
        window = RaceWindow(burst, locking.lock_for_update)
        monkeypatch.setattr(locking, "lock_for_update", window.lock if lock else read_plainly)
        counting, listing = operations.free_seats, seats.waitlisted

        def count_then_wait(event):  # registering: the count, then the insert
            seats = counting(event)
            window.wait(event.id)
            return seats

        def list_then_wait(event_id, limit=None):  # promoting: count, list, then the update
            waiting = listing(event_id, limit)
            window.wait(event_id)
            return waiting

        monkeypatch.setattr(operations, "free_seats", count_then_wait)
        monkeypatch.setattr(seats, "waitlisted", list_then_wait)
        return window

    return open_window


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_client():
    """A browser of its own (cookies), that does not follow redirects."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
    )


def post(opener, url: str, form: dict | list) -> tuple[int, str]:
    """POST a form; the status and the Location."""
    try:
        data = urlencode(form, doseq=True).encode()
        with opener.open(url, data=data, timeout=120) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def get_text(opener, url: str) -> str:
    with opener.open(url, timeout=120) as response:
        return response.read().decode()


def all_at_once(jobs: list) -> list:
    """Run every job in its own thread, released together."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))
