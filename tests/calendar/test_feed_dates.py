"""The public feed's state: the part of its ETag read from the data, at the edges of each way
an event can leave a feed without any row changing (aged out of the window, cancelled and
over). Each must count from the exact moment it starts to matter, no sooner (needless
downloads) and no later (a stale calendar). Changes of rows move the data version
(tests/calendar/test_data_version.py).
"""

from datetime import timedelta

import pytest

from hytu_events.calendar.feeds import public_feed
from hytu_events.calendar.public_feeds import feed_state, public_feed_etag, requested_filter
from hytu_events.events.queries import EventFilter
from hytu_events.models import EventStatus
from tests.calendar.factories import NOW
from tests.helpers import make_event

OLD = NOW - timedelta(days=400)


@pytest.fixture
def window(app):
    return timedelta(weeks=app.config["HYTU_FEED_PAST_WEEKS"])


def _event(ends_at, status=EventStatus.PUBLISHED, updated_at=OLD):
    return make_event(
        starts_at=ends_at - timedelta(hours=1),
        ends_at=ends_at,
        status=status,
        cancellation_reason="Peruttu" if status is EventStatus.CANCELLED else None,
        created_at=OLD,
        updated_at=updated_at,
    )


def _edges():
    state = feed_state(NOW)
    return state.aged, state.over


def test_no_events_no_edge(app):
    assert _edges() == (None, None)


def test_a_published_event_counts_once_it_leaves_the_window(app, window):
    ended = NOW - window - timedelta(days=1)
    _event(ended)
    assert _edges() == (ended, None)


def test_the_window_edge_itself_counts(app, window):
    _event(NOW - window)
    assert _edges() == (NOW - window, None)


def test_a_published_event_still_in_the_window_does_not_count(app, window):
    _event(NOW - window + timedelta(seconds=1))
    _event(NOW - timedelta(days=1))  # over, but still shown
    assert _edges() == (None, None)


def test_a_cancelled_event_counts_once_it_is_over(app, window):
    ended = NOW - timedelta(hours=5)
    _event(ended, status=EventStatus.CANCELLED)
    long_ago = NOW - window - timedelta(days=2)
    _event(long_ago, status=EventStatus.CANCELLED)  # by its end, not by the window
    assert _edges() == (None, ended)


def test_a_cancelled_event_ending_now_counts(app):
    _event(NOW, status=EventStatus.CANCELLED)
    assert _edges() == (None, NOW)


def test_a_cancelled_event_not_yet_over_does_not_count(app):
    _event(NOW + timedelta(seconds=1), status=EventStatus.CANCELLED)
    assert _edges() == (None, None)


def test_drafts_never_count_by_their_end(app, window):
    _event(NOW - window - timedelta(days=1), status=EventStatus.DRAFT)
    _event(NOW - timedelta(days=1), status=EventStatus.DRAFT)
    assert _edges() == (None, None)


def test_the_etag_moves_exactly_when_the_window_passes_an_event(app, window):
    _event(NOW - window + timedelta(seconds=1))
    before = feed_state(NOW)
    assert feed_state(NOW + timedelta(milliseconds=999)) == before
    assert feed_state(NOW + timedelta(seconds=1)) != before


# What the request asked for names the feed: every filter field and the language.


def test_each_filter_field_and_the_language_make_another_etag(app):
    state = feed_state(NOW)
    asked = [
        {},
        {"kind": "hytu_clinic"},
        {"kind": "virtual_coffee"},
        {"municipality": "inari"},
        {"municipality": "sodankyla"},
        {"measure": "T1"},
        {"kind": "hytu_clinic", "municipality": "inari"},
    ]
    tags = [public_feed_etag(state, requested_filter(args), "fi") for args in asked]
    tags.append(public_feed_etag(state, {}, "sv"))
    assert len(set(tags)) == len(tags)


def test_spellings_the_filter_reads_alike_are_one_feed(app):
    assert requested_filter({"municipality": " Inari ", "kind": "", "other": "x"}) == {
        "municipality": "inari"
    }


# The window itself: which events a feed holds at its edges, and in which order.


def _uids(feed) -> list[str]:
    return [event.calendar_uid for event in feed.events]


def test_a_published_event_leaves_the_feed_exactly_at_the_window_edge(app, window):
    _event(NOW - window)
    kept = _event(NOW - window + timedelta(seconds=1))
    assert _uids(public_feed(EventFilter(), NOW, "fi")) == [kept.calendar_uid]


def test_a_cancelled_event_leaves_the_feed_when_it_ends(app):
    _event(NOW, status=EventStatus.CANCELLED)
    running = _event(NOW + timedelta(seconds=1), status=EventStatus.CANCELLED)
    assert _uids(public_feed(EventFilter(), NOW, "fi")) == [running.calendar_uid]


def test_events_come_in_order_of_start_then_of_creation(app):
    start = NOW + timedelta(days=3)
    late = make_event(title="Myöhään", starts_at=start + timedelta(hours=2))
    first = make_event(title="Ensin", starts_at=start)
    second = make_event(title="Samaan aikaan", starts_at=start)
    assert _uids(public_feed(EventFilter(), NOW, "fi")) == [
        first.calendar_uid,
        second.calendar_uid,
        late.calendar_uid,
    ]
