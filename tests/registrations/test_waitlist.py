"""Capacity and the waiting list, through the operations that every view uses."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from hytu_events.db.locking import lock_event
from hytu_events.extensions import db
from hytu_events.models import Language, Registration, RegistrationStatus
from hytu_events.registrations.cancellation import cancel_registration
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.seats import CapacityBelowConfirmed, set_capacity, waitlist_position
from hytu_events.registrations.signals import registration_promoted
from tests.helpers import make_event, organisation

C, W, X = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


def details(n: int) -> ParticipantDetails:
    return ParticipantDetails(
        name=f"Henkilö {n}",
        email=f"henkilo{n}@example.fi",
        organisation_id=organisation("spek").id,
        organisation_other=None,
        municipality_id=None,
        job_title=None,
        needs=None,
        language=Language.FI,
    )


def fill(event, people: int) -> list[Registration]:
    made = []
    for n in range(people):
        made.append(register(event.id, details(n)).registration)
        db.session.commit()
    return made


def statuses(event) -> list[RegistrationStatus]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Registration.status)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
        )
    )


def test_seats_then_waiting_list_in_order(app):
    event = make_event(capacity=2)
    people = fill(event, 5)
    assert statuses(event) == [C, C, W, W, W]
    assert [waitlist_position(p) for p in people] == [None, None, 1, 2, 3]


def test_cancelling_a_confirmed_place_promotes_the_first_waiting(app):
    event = make_event(capacity=2)
    people = fill(event, 4)
    promoted_signals = []

    def receiver(registration):
        promoted_signals.append(registration)

    with registration_promoted.connected_to(receiver):
        _, promoted = cancel_registration(people[0].id)
        db.session.commit()
    assert [p.id for p in promoted] == [people[2].id]
    assert promoted_signals == promoted
    assert statuses(event) == [X, C, C, W]
    assert waitlist_position(db.session.get(Registration, people[3].id)) == 1
    assert db.session.get(Registration, people[2].id).promoted_at is not None


def test_leaving_the_waiting_list_promotes_nobody(app):
    event = make_event(capacity=1)
    people = fill(event, 3)
    _, promoted = cancel_registration(people[1].id)
    db.session.commit()
    assert promoted == []
    assert statuses(event) == [C, X, W]
    assert waitlist_position(db.session.get(Registration, people[2].id)) == 1


def test_cancelling_twice_changes_nothing(app):
    event = make_event(capacity=1)
    people = fill(event, 3)
    cancel_registration(people[0].id)
    db.session.commit()
    _, promoted = cancel_registration(people[0].id)
    db.session.commit()
    assert promoted == []
    assert statuses(event) == [X, C, W]


def test_raising_capacity_promotes_and_lowering_below_confirmed_is_refused(app):
    event = make_event(capacity=2)
    fill(event, 5)
    promoted = set_capacity(lock_event(event.id), 4)
    db.session.commit()
    assert len(promoted) == 2
    assert statuses(event) == [C, C, C, C, W]
    with pytest.raises(CapacityBelowConfirmed) as refused:
        set_capacity(lock_event(event.id), 3)
    db.session.rollback()
    assert refused.value.confirmed == 4
    assert db.session.get(type(event), event.id).capacity == 4
    set_capacity(lock_event(event.id), None)  # no limit: everyone gets in
    db.session.commit()
    assert statuses(event) == [C] * 5


def test_no_automatic_promotion_when_turned_off(app):
    event = make_event(capacity=1, auto_promote=False)
    people = fill(event, 2)
    _, promoted = cancel_registration(people[0].id)
    db.session.commit()
    assert promoted == []
    assert statuses(event) == [X, W]


def test_no_automatic_promotion_close_to_the_start(app):
    soon = datetime.now(UTC) + timedelta(hours=5)  # the default cut-off is 24 hours
    event = make_event(capacity=1, starts_at=soon)
    people = fill(event, 2)
    _, promoted = cancel_registration(people[0].id)
    db.session.commit()
    assert promoted == []
    assert statuses(event) == [X, W]


def test_capacity_lock_does_not_bump_the_events_modification_time(app):
    event = make_event(capacity=3)
    before = db.session.get(type(event), event.id).updated_at
    fill(event, 2)
    db.session.expire_all()
    assert db.session.get(type(event), event.id).updated_at == before


def test_capacity_may_drop_to_exactly_the_confirmed(app):
    event = make_event(capacity=4)
    fill(event, 3)
    assert set_capacity(lock_event(event.id), 3) == []
    db.session.commit()
    assert db.session.get(type(event), event.id).capacity == 3
    assert statuses(event) == [C, C, C]
