"""Each event has a waiting list of its own: a seat freed at one event never goes to someone
waiting for another, even one who has waited longer; a place in the queue counts only those
waiting for the same event, in the order they came."""

from datetime import timedelta

from hytu_events.extensions import db
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.operations import register
from hytu_events.registrations.seats import waitlist_position, waitlisted
from tests.helpers import make_event
from tests.registrations.test_waitlist import C, W, X, details, fill, statuses


def test_a_freed_seat_goes_to_the_waiting_list_of_its_own_event(app):
    earlier = make_event(title="Aiempi", capacity=1)
    later = make_event(title="Myöhempi", capacity=1)
    fill(earlier, 2)  # their second person waits longest of all
    people = fill(later, 2)
    _, promoted = cancel_registration(people[0].id)
    db.session.commit()
    assert [p.id for p in promoted] == [people[1].id]
    assert statuses(earlier) == [C, W]
    assert statuses(later) == [X, C]
    assert [r.event_id for r in waitlisted(earlier.id)] == [earlier.id]
    assert waitlisted(later.id) == []


def test_a_place_on_the_waiting_list_counts_only_those_waiting_for_the_same_event(app):
    earlier = make_event(title="Aiempi", capacity=1)
    later = make_event(title="Myöhempi", capacity=1)
    fill(earlier, 3)  # two wait there, longer than anyone at the later event
    people = fill(later, 3)
    assert [waitlist_position(p) for p in people] == [None, 1, 2]


def test_people_who_joined_the_waiting_list_at_the_same_moment_are_in_the_order_they_came(app):
    event = make_event(capacity=1)
    people = fill(event, 4)
    # Two registrations within one clock tick (a coarse clock, or a bulk import).
    people[2].created_at = people[3].created_at = people[1].created_at
    db.session.commit()
    assert [waitlist_position(p) for p in people] == [None, 1, 2, 3]


def test_after_cancelling_the_same_address_registers_again_for_a_new_place(app):
    event = make_event(capacity=5)
    [first] = fill(event, 1)
    cancel_registration(first.id)
    db.session.commit()
    outcome = register(event.id, details(0))
    db.session.commit()
    assert outcome.created
    assert outcome.registration.id != first.id
    assert statuses(event) == [X, C]


def test_the_queue_follows_the_moment_people_joined_not_the_order_of_the_rows(app):
    """Two workers' clocks differ by a little: a row written later may carry the earlier time."""
    event = make_event(capacity=1)
    people = fill(event, 4)
    joined = people[1].created_at
    people[2].created_at = joined + timedelta(seconds=2)
    people[3].created_at = joined + timedelta(seconds=1)  # the later row, the earlier time
    db.session.commit()
    assert [waitlist_position(p) for p in people] == [None, 1, 3, 2]
