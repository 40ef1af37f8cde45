"""Conditional requests: calendar apps poll, and an unchanged feed answers 304.

Last-Modified is the moment the server first served the current ETag, sent once that second
is over (hytu_events.calendar.http): the tests that need it move the `clock` past it.
"""

from datetime import timedelta

import pytest
from werkzeug.http import http_date, parse_date

from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens
from hytu_events.models import Event, Registration, RegistrationStatus
from tests.calendar.factories import LONG_AGO, NOW, register
from tests.helpers import make_event

EMAIL = "aino.aikio@example.fi"


def _event(**overrides):
    overrides.setdefault("created_at", LONG_AGO)
    overrides.setdefault("updated_at", LONG_AGO)
    return make_event(**overrides)


@pytest.fixture
def feed_url(app):
    """Each kind of calendar output, with an event in it."""
    event = _event(title="Klinikka")
    register(event, "Aino Aikio", EMAIL)
    return {
        "event file": f"/events/{event.id}.ics",
        "public feed": "/calendar.ics",
        "filtered feed": "/calendar.ics?kind=hytu_clinic&municipality=inari",
        "personal feed": tokens.participant_feed_url(EMAIL).removeprefix("http://hytu.test"),
    }


KINDS = ["event file", "public feed", "filtered feed", "personal feed"]


@pytest.mark.parametrize("kind", KINDS)
def test_etag(client, feed_url, kind):
    url = feed_url[kind]
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.data

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag

    wrong = client.get(url, headers={"If-None-Match": '"not-the-etag"'})
    assert wrong.status_code == 200
    assert wrong.data == first.data


@pytest.mark.parametrize("kind", KINDS)
def test_last_modified(client, feed_url, clock, kind):
    url = feed_url[kind]
    fresh = client.get(url)
    # First served in this very second: a later ETag could still share it, so no date yet.
    assert "Last-Modified" not in fresh.headers
    clock.advance(1)
    first = client.get(url)
    last_modified = first.headers["Last-Modified"]
    assert parse_date(last_modified) == clock.now.replace(microsecond=0) - timedelta(seconds=1)
    assert first.headers["ETag"] == fresh.headers["ETag"] and first.data == fresh.data

    same = client.get(url, headers={"If-Modified-Since": last_modified})
    assert same.status_code == 304
    assert same.data == b""

    stale = http_date(parse_date(last_modified) - timedelta(seconds=1))
    older = client.get(url, headers={"If-Modified-Since": stale})
    assert older.status_code == 200
    assert older.data == first.data


@pytest.mark.parametrize("kind", KINDS)
def test_if_none_match_wins_over_if_modified_since(client, feed_url, clock, kind):
    url = feed_url[kind]
    client.get(url)
    clock.advance(1)
    first = client.get(url)
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    stale = http_date(parse_date(last_modified) - timedelta(days=1))

    wrong_tag_fresh_date = client.get(
        url, headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    )
    assert wrong_tag_fresh_date.status_code == 200
    right_tag_stale_date = client.get(
        url, headers={"If-None-Match": etag, "If-Modified-Since": stale}
    )
    assert right_tag_stale_date.status_code == 304


@pytest.mark.parametrize("kind", KINDS)
def test_validators_are_stable_and_follow_changes(client, feed_url, clock, kind):
    url = feed_url[kind]
    client.get(url)
    clock.advance(1)
    first, second = client.get(url), client.get(url)
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]
    assert first.data == second.data

    event = db.session.scalars(db.select(Event)).one()
    event.title = "Klinikka (uusi sali)"
    event.revision += 1
    db.session.commit()

    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert b"uusi sali" in changed.data
    stale = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert stale.status_code == 200
    clock.advance(1)
    dated = client.get(url)
    assert parse_date(dated.headers["Last-Modified"]) > parse_date(first.headers["Last-Modified"])


def test_language_has_its_own_validator(client, feed_url):
    finnish = client.get("/calendar.ics?lang=fi")
    english = client.get(
        "/calendar.ics?lang=en", headers={"If-None-Match": finnish.headers["ETag"]}
    )
    assert english.status_code == 200
    assert english.headers["ETag"] != finnish.headers["ETag"]
    assert "Accept-Language" in english.headers["Vary"]


def test_personal_feed_changes_when_a_place_is_given_up(client, feed_url, clock):
    url = feed_url["personal feed"]
    client.get(url)
    clock.advance(1)
    first = client.get(url)
    registration = db.session.scalars(db.select(Registration)).one()
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = NOW
    db.session.commit()

    for headers in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, headers
        assert b"BEGIN:VEVENT" not in response.data


def test_a_new_event_changes_the_public_feed(client, feed_url, clock):
    client.get("/calendar.ics")
    clock.advance(1)
    first = client.get("/calendar.ics")
    _event(title="Uusi työpaja", created_at=NOW, updated_at=NOW)
    response = client.get(
        "/calendar.ics",
        headers={
            "If-None-Match": first.headers["ETag"],
        },
    )
    assert response.status_code == 200
    assert b"Uusi ty" in response.data
    by_date = client.get(
        "/calendar.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert by_date.status_code == 200


def test_each_filter_has_its_own_validator(client, feed_url):
    tags = {
        query: client.get(f"/calendar.ics{query}").headers["ETag"]
        for query in ("", "?kind=hytu_clinic", "?municipality=inari", "?municipality=kemi")
    }
    assert len(set(tags.values())) == len(tags)


def test_head_gets_the_validators_without_a_body(client, feed_url, clock):
    url = feed_url["public feed"]
    client.get(url)
    clock.advance(1)
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Last-Modified"] == get.headers["Last-Modified"]
    assert client.head(url, headers={"If-None-Match": get.headers["ETag"]}).status_code == 304


def _revalidate_by_date(client, url: str, first) -> int:
    return client.get(
        url, headers={"If-Modified-Since": first.headers["Last-Modified"]}
    ).status_code


def test_a_deleted_draft_is_not_missed_by_date_alone(client, feed_url, clock):
    """A client that revalidates by date only must not keep a feed that lost an event."""
    from hytu_events.events import operations
    from hytu_events.models import EventStatus

    draft = _event(title="Luonnos", status=EventStatus.DRAFT)
    url = "/calendar.ics"
    client.get(url)
    clock.advance(1)
    first = client.get(url)
    operations.delete_draft(draft.id)
    db.session.commit()
    assert _revalidate_by_date(client, url, first) == 200


def test_an_event_leaving_a_measure_feed_changes_its_date(client, feed_url, clock):
    from hytu_events.outcomes.event_measures import set_event_measures
    from hytu_events.plan.seed import seed_plan
    from tests.plan.helpers import measure

    seed_plan()
    event = db.session.scalars(db.select(Event)).one()
    set_event_measures(event.id, [measure("T1").id])
    db.session.commit()
    url = "/calendar.ics?measure=T1"
    client.get(url)
    clock.advance(1)
    first = client.get(url)
    assert b"Klinikka" in first.data
    set_event_measures(event.id, [measure("T2").id])
    db.session.commit()
    for headers in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, headers
        assert b"Klinikka" not in response.data
    assert "T1 HYTU-klinikat kunnille" in first.data.decode()  # the feed's name says which


def test_an_event_ageing_out_of_the_window_is_not_missed_by_date(app, client, feed_url, clock):
    url = "/calendar.ics"
    weeks = app.config["HYTU_FEED_PAST_WEEKS"]
    ends = clock.now - timedelta(weeks=weeks) + timedelta(seconds=2)
    _event(title="Vanha", starts_at=ends - timedelta(hours=1), ends_at=ends)
    client.get(url)
    clock.advance(1)
    first = client.get(url)
    assert b"Vanha" in first.data
    clock.advance(2)  # the window's edge passes the event; no row changes
    for headers in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, headers
        assert b"Vanha" not in response.data


def test_two_changes_within_one_second_never_leave_a_stale_copy_by_date(client, feed_url, clock):
    """Issue 15, 6: a client revalidating by date alone got a stale 304 in 7 of 8 trials. Here
    the client's copy carries a Last-Modified and the second change follows at once: both
    changes are stamped within one second (as they were then)."""
    url = "/calendar.ics"
    event = db.session.scalars(db.select(Event)).one()
    for trial in range(8):
        event.title = f"Klinikka {trial}a"
        db.session.commit()
        client.get(url)
        clock.advance(1)
        copy = client.get(url)
        assert f"Klinikka {trial}a".encode() in copy.data
        event.title = f"Klinikka {trial}b"
        db.session.commit()
        by_date = {"If-Modified-Since": copy.headers["Last-Modified"]}
        again = client.get(url, headers=by_date)
        assert again.status_code == 200, trial
        assert f"Klinikka {trial}b".encode() in again.data
        clock.advance(1)
        settled = client.get(url, headers=by_date)
        assert settled.status_code == 200, trial
        assert parse_date(settled.headers["Last-Modified"]) > parse_date(
            by_date["If-Modified-Since"]
        )
        revalidated = client.get(
            url, headers={"If-Modified-Since": settled.headers["Last-Modified"]}
        )
        assert revalidated.status_code == 304, trial
