"""Each event has a waiting list of its own: a seat freed at one event never goes to someone
waiting for another, even one who has waited longer."""

from hytu_events.extensions import db
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.seats import waitlisted
from tests.helpers import make_event
from tests.registrations.test_waitlist import C, W, X, fill, statuses


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
