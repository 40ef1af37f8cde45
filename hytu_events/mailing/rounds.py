"""Work that features above mail give the mail worker for each of its rounds.

Mail sits below them (feedback asks through the outbox, not the other way round), so they
register here instead of being imported by the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RoundJob:
    #: What the worker prints before the count ("Feedback requests queued").
    label: str
    #: now -> how many things it did; writes in the session, the worker commits.
    run: Callable[[datetime], int]


_jobs: dict[str, RoundJob] = {}


def every_round(job: RoundJob) -> None:
    _jobs[job.label] = job


def round_jobs() -> list[RoundJob]:
    return list(_jobs.values())
