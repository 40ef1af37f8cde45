"""A series' Swedish and English texts carry to its dates, and a change to all dates or to
this and the following ones carries the new translations: calendars get one update of the
series, with the same SEQUENCE (a new title moves no meeting)."""

from __future__ import annotations

from dataclasses import replace

from hytu_events.extensions import db
from hytu_events.series import changes
from tests.series.helpers import make_series
from tests.series.test_changes import SIGNALS, edited, sent


def test_a_new_series_gives_its_translations_to_every_date(app, coordinator):
    series = make_series(coordinator, count=3, title_sv="Virtuellt kaffe", description_en="Chat.")
    db.session.commit()
    assert (series.title_sv, series.description_en) == ("Virtuellt kaffe", "Chat.")
    assert [(d.title_sv, d.title_en, d.description_en) for d in series.dates] == [
        ("Virtuellt kaffe", None, "Chat.")
    ] * 3


def test_all_dates_take_a_new_swedish_title_in_one_update_that_keeps_the_sequence(app, coordinator):
    series = make_series(coordinator, count=3)
    db.session.commit()
    first = series.dates[0]
    revision = series.revision
    with sent(*SIGNALS) as seen:
        changes.edit_all(
            series.id, first.id, replace(edited(first, first.starts_at), title_sv="Kaffe")
        )
        db.session.commit()
    assert seen == {"series-changed": [series], "event-changed": [], "event-cancelled": []}
    assert series.title_sv == "Kaffe" and series.revision == revision
    assert [d.title_sv for d in series.dates] == ["Kaffe"] * 3


def test_the_following_dates_carry_the_translations_to_their_new_series(app, coordinator):
    series = make_series(coordinator, count=4, title_en="Virtual coffee")
    db.session.commit()
    second = series.dates[1]
    rest = changes.edit_following(
        series.id, second.id, edited(second, second.starts_at, title_sv="Kaffe")
    )
    db.session.commit()
    assert (rest.title_en, rest.title_sv) == ("Virtual coffee", "Kaffe")
    assert [d.title_sv for d in rest.dates] == ["Kaffe"] * 3
    assert (series.title_sv, series.dates[0].title_sv) == (None, None)
