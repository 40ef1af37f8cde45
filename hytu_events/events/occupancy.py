"""How many of an event's places are taken, for the event pages of the back office.

Places are registrations, a feature above events in the import order, so events does not count
them itself: `registrations.seats`, the one place that counts seats, hands its counter over
here when it is imported, which create_app does in every app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol


class SeatCount(Protocol):
    confirmed: int
    waitlisted: int


#: Event ids -> their counts, in one query (registrations.seats.seat_counts).
SeatCounter = Callable[[list[int]], Mapping[int, SeatCount]]

_counters: list[SeatCounter] = []


def count_seats_with(counter: SeatCounter) -> None:
    _counters[:] = [counter]


def seat_counts(event_ids: list[int]) -> Mapping[int, SeatCount]:
    if not _counters:
        raise RuntimeError("No seat counter: hytu_events.registrations.seats is not imported.")
    return _counters[0](event_ids)


def confirmed_count(event_id: int) -> int:
    return seat_counts([event_id])[event_id].confirmed
