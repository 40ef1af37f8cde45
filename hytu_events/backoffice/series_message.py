"""A coordinator's message to everyone with a place at any date of a series, each person once.

It is the message of one event (mailing's coordinator message: the coordinator's words, framed
in each recipient's language with a date's details and their own links), sent for the dates of
a series. Series sit below mailing in the import order, so the page that gathers both is here.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from ..accounts.access import role_required
from ..accounts.models import Role
from ..db.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..form_pages import form_page
from ..mailing.content import paragraphs_of
from ..mailing.forms import CoordinatorMessageForm
from ..mailing.models import MessageKind, OutboxMessage
from ..mailing.notify import Audience, notify
from ..mailing.sent_notice import flash_sent
from ..registrations.models import Registration, RegistrationStatus
from ..series.models import Series
from . import bp


def recipients(series: Series, audience: Audience, now) -> list[Registration]:
    """One place per person (by email address) among the series' dates: the soonest date
    still to come, else the latest one held, so the details framing the message are the most
    useful to them."""
    status = (
        RegistrationStatus.CONFIRMED
        if audience is Audience.CONFIRMED
        else RegistrationStatus.WAITLISTED
    )
    places = db.session.scalars(
        sa.select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Event.series_id == series.id,
            Registration.status == status,
            Registration.erased_at.is_(None),
        )
        .order_by(Event.starts_at, Registration.id)
    ).all()
    chosen: dict[str, Registration] = {}
    for place in places:  # soonest first: a later place replaces one held, never one to come
        current = chosen.get(place.email)
        if current is None or current.event.ends_at <= now:
            chosen[place.email] = place
    return sorted(chosen.values(), key=lambda place: place.id)


def send_series_message(
    series: Series, audience: Audience, subject: str, body: str
) -> list[OutboxMessage]:
    """The message to each recipient, in the caller's transaction."""
    return [
        notify(place, MessageKind.COORDINATOR_MESSAGE, subject, *paragraphs_of(body))
        for place in recipients(series, audience, utcnow())
    ]


@bp.route("/series/<id:series_id>/message", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def series_message(series_id: int):
    series = db.get_or_404(Series, series_id)
    form = CoordinatorMessageForm()
    return form_page(
        form,
        "admin/series/message.html",
        lambda: send_series_message(series, *form.message()),
        saved=flash_sent,
        next_url=url_for("series_admin.detail", series_id=series.id),
        series=series,
    )
