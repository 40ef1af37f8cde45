"""How many people took part in each date of a series, by the rule outcomes counts them with
(an outcome's manual count wins over the registrations marked as attended, or else confirmed).

Outcomes sit above series in the import order, so the series page cannot ask them: outcomes
hands its counter over when the app starts (outcomes.init_app), as registrations hands over
the seat counts (events.occupancy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: Event ids -> how many took part in each.
ParticipantCounter = Callable[[list[int]], Mapping[int, int]]

_counters: list[ParticipantCounter] = []


def count_participants_with(counter: ParticipantCounter) -> None:
    _counters[:] = [counter]


def participants(event_ids: list[int]) -> Mapping[int, int]:
    if not _counters:
        raise RuntimeError("No participant counter: hytu_events.outcomes is not initialised.")
    return _counters[0](event_ids) if event_ids else {}
