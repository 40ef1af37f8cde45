"""The date a feed says it last changed (Last-Modified), at the edges of each way an event can
leave a feed: changed, aged out of the window, cancelled and over, deleted as a draft.

A client that revalidates by date alone keeps its copy while this date is not later than the
one it holds, so each source must count from the exact moment it starts to matter, no sooner
(needless downloads) and no later (a stale calendar).
"""

from datetime import timedelta

import pytest

from hytu_events.audit.models import AuditEntry
from hytu_events.calendar.feeds import (
    filter_key,
    latest_departure,
    personal_feed,
    public_feed,
    public_feed_identity,
)
from hytu_events.events.queries import EventFilter
from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens as feed_tokens
from hytu_events.models import EventKind, EventStatus
from tests.calendar.factories import NOW, register
from tests.helpers import make_event, municipality

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


def test_no_events_no_date(app):
    assert latest_departure(NOW) is None


def test_the_latest_change_of_any_event(app):
    _event(NOW + timedelta(days=3), updated_at=NOW - timedelta(days=2))
    _event(NOW + timedelta(days=9), status=EventStatus.DRAFT, updated_at=NOW - timedelta(days=1))
    assert latest_departure(NOW) == NOW - timedelta(days=1)


def test_a_published_event_counts_from_the_moment_it_leaves_the_window(app, window):
    ended = NOW - window - timedelta(days=1)
    _event(ended)
    assert latest_departure(NOW) == ended + window


def test_the_window_edge_itself_counts(app, window):
    _event(NOW - window)
    assert latest_departure(NOW) == NOW


def test_a_published_event_still_in_the_window_counts_only_by_its_change(app, window):
    _event(NOW - window + timedelta(seconds=1))
    _event(NOW - timedelta(days=1))  # over, but still shown
    assert latest_departure(NOW) == OLD


def test_a_cancelled_event_counts_from_its_end(app, window):
    ended = NOW - timedelta(hours=5)
    _event(ended, status=EventStatus.CANCELLED)
    assert latest_departure(NOW) == ended


def test_a_cancelled_event_long_over_counts_from_its_end_not_the_window(app, window):
    ended = NOW - window - timedelta(days=2)
    _event(ended, status=EventStatus.CANCELLED)
    assert latest_departure(NOW) == ended


def test_a_cancelled_event_ending_now_counts(app):
    _event(NOW, status=EventStatus.CANCELLED)
    assert latest_departure(NOW) == NOW


def test_a_cancelled_event_not_yet_over_counts_only_by_its_change(app):
    _event(NOW + timedelta(seconds=1), status=EventStatus.CANCELLED)
    assert latest_departure(NOW) == OLD


def test_drafts_never_count_by_their_end(app, window):
    _event(NOW - window - timedelta(days=1), status=EventStatus.DRAFT)
    _event(NOW - timedelta(days=1), status=EventStatus.DRAFT)
    assert latest_departure(NOW) == OLD


def test_a_deleted_draft_counts_from_its_deletion(app):
    deleted = NOW - timedelta(hours=3)
    db.session.add_all(
        [
            AuditEntry(action="event.deleted", target_type="event", at=deleted),
            AuditEntry(action="event.updated", target_type="event", at=NOW),
        ]
    )
    db.session.commit()
    assert latest_departure(NOW) == deleted


def test_the_latest_of_all_sources_wins(app, window):
    _event(NOW - timedelta(hours=1), status=EventStatus.CANCELLED)
    _event(NOW - window - timedelta(hours=2))
    db.session.add(
        AuditEntry(action="event.deleted", target_type="event", at=NOW - timedelta(hours=3))
    )
    db.session.commit()
    assert latest_departure(NOW) == NOW - timedelta(hours=1)


# The feed's identity (its ETag's part that is not the events) names every field of its filter.


def test_each_filter_field_and_the_language_make_another_identity(app):
    inari = municipality("inari")
    filters = [
        EventFilter(),
        EventFilter(kind=EventKind.HYTU_CLINIC),
        EventFilter(kind=EventKind.VIRTUAL_COFFEE),
        EventFilter(municipality=inari),
        EventFilter(municipality=municipality("sodankyla")),
        EventFilter(kind=EventKind.HYTU_CLINIC, municipality=inari),
    ]
    identities = [repr(public_feed_identity(f, "fi")) for f in filters]
    identities.append(repr(public_feed_identity(EventFilter(), "sv")))
    assert len(set(identities)) == len(identities)
    assert public_feed_identity(EventFilter(), "fi") == public_feed_identity(EventFilter(), "fi")


def test_the_filter_key_names_values_by_their_stable_codes(app):
    inari = municipality("inari")
    assert filter_key(EventFilter()) == {}
    assert filter_key(EventFilter(kind=EventKind.HYTU_CLINIC, municipality=inari)) == {
        "kind": EventKind.HYTU_CLINIC.value,
        "municipality": str(inari.id),
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


def test_a_personal_feed_is_dated_by_the_latest_departure_too(app, window):
    event = _event(NOW + timedelta(days=2))
    register(event, "Aino Aikio", "aino.aikio@example.fi")
    aged = _event(NOW - window - timedelta(hours=1))  # not theirs: any event counts
    token = feed_tokens.participant_feed_token("aino.aikio@example.fi")
    feed = personal_feed(feed_tokens.find_active(token), NOW)
    assert _uids(feed) == [event.calendar_uid]
    assert feed.last_modified() >= aged.ends_at + window
