"""The demo's people for the demo series: whole series, chosen dates, one date, by the rules."""

from __future__ import annotations

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import EventStatus, Registration, RegistrationStatus
from hytu_events.series.demo_registrations import (
    ONE_DATE,
    SOME_DATES,
    WHOLE_SERIES,
    register_demo_people,
)
from tests.series.registering import coming_series, places_of


def test_the_demo_people_take_places_by_the_rules(app, coordinator):
    series = coming_series(coordinator, count=4, capacity=4)
    first, second, cancelled, last = series.dates
    cancelled.status, cancelled.cancellation_reason = EventStatus.CANCELLED, "Sairastuminen"
    db.session.commit()

    made = register_demo_people(series)
    db.session.commit()

    total = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    assert made == total == 4 * 3 + 2 + 1 + 1
    for _, email, *_ in WHOLE_SERIES:
        assert [p.event_id for p in places_of(email)] == [first.id, second.id, last.id]
    outi, sami = (places_of(person[1]) for person in SOME_DATES)
    assert [p.event_id for p in outi] == [first.id, last.id]  # the 1st and 3rd open dates
    assert [p.event_id for p in sami] == [second.id]
    [riikka] = places_of(ONE_DATE[1])
    assert riikka.event_id == last.id
    # Four seats a date: the fifth and sixth at the first and last date wait.
    statuses = [r.status for r in places_of(outi[0].email)]
    assert statuses == [RegistrationStatus.WAITLISTED, RegistrationStatus.WAITLISTED]
    assert riikka.status is RegistrationStatus.WAITLISTED
    assert places_of(WHOLE_SERIES[0][1])[0].status is RegistrationStatus.CONFIRMED


def test_a_series_with_no_open_date_gets_nobody(app, coordinator):
    drafts = coming_series(coordinator, count=2, publish=False)
    assert register_demo_people(drafts) == 0
