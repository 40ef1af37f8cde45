"""Knowing the public feeds' state without asking PostgreSQL for every revalidation.

On this machine class one round trip to PostgreSQL, however small the query, costs more than
all the rest of a 304 (a null endpoint answering one `SELECT 1` drops to 40 % of its rate).
The trigger that raises the data version also notifies the channel `calendar_version`, and
PostgreSQL delivers a notification only when its transaction commits. Each worker listens on a
connection of its own, keeps the state it last read (calendar.public_feeds.FeedState) and
answers from it, with no query, until

- a notification arrives (a change committed anywhere), or this process commits anything;
- the window's next edge comes (an event leaves the feeds by time, no row changing);
- the listening connection is lost: then every request reads the state again until it is back;
- KEEP_SECONDS have passed: should notifications ever stop coming without the connection
  failing (a pooler in transaction mode, such as PgBouncer's, drops LISTEN silently), no
  state is older than that.

A kept state is never newer than the data, and at most as old as a notification's way from
the commit to this process (milliseconds): a request in that moment is answered as it would
have been a moment earlier. A state read while a notification arrived is not kept (the
generation moved), so none outlives the change it missed. SQLite has no notifications and no
round trip: there every request reads the state.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "calendar_version"
#: How long a lost listening connection waits before it connects again.
RETRY_SECONDS = 5
#: The longest a state is kept, notifications or not: one query a worker in this time.
KEEP_SECONDS = 5

_watches: weakref.WeakSet[Watch] = weakref.WeakSet()


@dataclass(frozen=True)
class Kept:
    generation: int
    state: Any
    #: The window's next edge: the state holds until then.
    until: datetime | None
    #: time.monotonic() when it was read.
    read_at: float


class Watch:
    """One process's listener, started on first use (so after gunicorn forks)."""

    def __init__(self, url: sa.URL):
        self._url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._lock = threading.Lock()
        self._generation = 0
        self._listening = False
        self._kept: Kept | None = None
        self._pid: int | None = None
        self._stopped = threading.Event()
        _watches.add(self)

    @property
    def generation(self) -> int:
        return self._generation

    def moved(self) -> None:
        """Something may have changed: no kept state is good any more."""
        with self._lock:
            self._generation += 1
            self._kept = None

    def kept(self, now: datetime) -> Any | None:
        self._start_here()
        kept = self._kept
        if (
            kept is None
            or not self._listening
            or kept.generation != self._generation
            or (kept.until is not None and now >= kept.until)
            or time.monotonic() - kept.read_at > KEEP_SECONDS
        ):
            return None
        return kept.state

    def keep(self, generation: int, state: Any, until: datetime | None, read_at: float) -> None:
        """Keep `state`, read from `read_at` on, after `generation` was current, unless
        anything moved since."""
        with self._lock:
            if self._listening and generation == self._generation:
                self._kept = Kept(generation, state, until, read_at)

    def stop(self) -> None:
        self._stopped.set()
        self.moved()

    def _start_here(self) -> None:
        if self._pid == os.getpid() or self._stopped.is_set():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._listening = False
            self._kept = None
        threading.Thread(target=self._listen, name="calendar-version-watch", daemon=True).start()

    def _listen(self) -> None:
        import psycopg

        while not self._stopped.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    with self._lock:
                        self._listening = True
                        self._generation += 1
                    while not self._stopped.is_set():
                        for _notify in connection.notifies(timeout=1):
                            self.moved()
            except Exception as error:  # noqa: BLE001 - any trouble: ask the database again
                log.warning("calendar version watch: %s; asking the database meanwhile", error)
            finally:
                with self._lock:
                    self._listening = False
                    self._generation += 1
                    self._kept = None
            self._stopped.wait(RETRY_SECONDS)


@sa.event.listens_for(Session, "after_commit")
def _this_process_committed(session: Session) -> None:
    # Our own changes count at once, not when their notification comes back.
    for watch in list(_watches):
        watch.moved()
