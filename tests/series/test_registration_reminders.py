"""Reminders go per date of a series, only to the people with a confirmed place at that date
(mailing/reminders.py, unchanged: a date is an event like any other)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.mailing.reminders import enqueue_reminders
from hytu_events.registrations.cancellation import cancel_registration
from tests.series.registering import coming_series, places_of, take_series


def _reminded(event) -> list[str]:
    db.session.expire_all()
    return sorted(
        db.session.scalars(
            sa.select(OutboxMessage.to_address).where(
                OutboxMessage.kind == MessageKind.REMINDER, OutboxMessage.event_id == event.id
            )
        )
    )


def test_each_date_reminds_only_those_with_a_place_at_it(app, coordinator):
    series = coming_series(coordinator, count=3, capacity=2)
    first, second, third = series.dates
    take_series(series, 1)  # the whole series
    take_series(series, 2, [first.id])
    take_series(series, 3, [second.id])  # the second date is full now
    take_series(series, 4, [second.id])  # waiting: no reminder
    take_series(series, 5, [third.id])
    cancel_registration(places_of("osallistuja5@example.fi")[0].id)  # left the third date
    db.session.commit()

    enqueue_reminders(first.starts_at - timedelta(hours=12))
    db.session.commit()
    assert _reminded(first) == ["osallistuja1@example.fi", "osallistuja2@example.fi"]
    assert _reminded(second) == [] and _reminded(third) == []

    enqueue_reminders(second.starts_at - timedelta(hours=12))
    db.session.commit()
    assert _reminded(second) == ["osallistuja1@example.fi", "osallistuja3@example.fi"]
    assert _reminded(third) == []

    enqueue_reminders(third.starts_at - timedelta(hours=12))
    db.session.commit()
    assert _reminded(third) == ["osallistuja1@example.fi"]
    # One reminder per place: the whole-series registrant got one for each date, no more.
    assert len(_reminded(first)) == 2
