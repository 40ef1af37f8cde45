"""What the rest of the app calls when something happens that participants must hear about.

Each function writes outbox rows in the caller's transaction and returns them; nothing is
sent until the caller commits and a worker runs. Every message is built in the recipient's
own language.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..events.models import Event
from ..extensions import db
from ..feed_tokens.tokens import existing_participant_feed_url, participant_feed_url
from ..registrations.models import Registration, RegistrationStatus
from ..registrations.tokens import self_service_url
from ..translated import in_reader_language
from .content import MailContent, event_facts, event_page_url, footer, paragraphs_of
from .invitations import CANCEL, REQUEST, invitation
from .messages import Calendar
from .models import MessageKind, OutboxMessage
from .outbox import enqueue

if TYPE_CHECKING:
    from flask_babel.speaklater import LazyString


class Audience(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


def _feed_url(registration: Registration) -> str:
    # In the caller's transaction: the email and the token commit (or not) with the change.
    return participant_feed_url(registration.email, commit=False)


def _personal_links(registration: Registration, *, new_feed: bool = True) -> list[tuple[str, str]]:
    feed = (
        _feed_url(registration) if new_feed else existing_participant_feed_url(registration.email)
    )
    links = [(_("Change or cancel your registration"), self_service_url(registration))]
    if feed:
        links.append((_("Your personal calendar feed (add it to your calendar)"), feed))
    links.append((_("Event page"), event_page_url(registration.event)))
    return links


def enqueue_for(
    registration: Registration,
    kind: MessageKind,
    content: MailContent,
    calendar: Callable[[], Calendar] | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """`calendar` is called by the outbox, so a failure to build it stays with this message."""
    return enqueue(
        kind=kind,
        to_address=registration.email,
        to_name=registration.name,
        content=content,
        calendar=calendar,
        registration_id=registration.id,
        event_id=registration.event_id,
        dedupe_key=dedupe_key,
    )


def registration_content(
    registration: Registration,
    subject: str,
    *paragraphs: str,
    new_feed: bool = True,
    online_link: bool = True,
) -> MailContent:
    """The message's content; the meeting link only for a confirmed place, and not at all
    without `online_link` (a message about a place or an event that is off)."""
    event = registration.event
    confirmed = registration.status is RegistrationStatus.CONFIRMED
    return MailContent(
        language=registration.language.value,
        subject=subject,
        greeting=_("Hello %(name)s,", name=registration.name),
        paragraphs=list(paragraphs),
        facts=event_facts(event, show_online_link=confirmed and online_link),
        links=_personal_links(registration, new_feed=new_feed),
        footer=footer(),
    )


def notify(
    registration: Registration,
    kind: MessageKind,
    subject: str | LazyString,
    *paragraphs: str | LazyString,
    invite: str | None = None,
    uninvite: bool = False,
    new_feed: bool = True,
    online_link: bool = True,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """One message to the person behind `registration`, written in their language.

    `subject` and `paragraphs` are lazy strings (`_l`), made text here in that language (or a
    coordinator's own words, which stay as they are). `invite` (REQUEST or CANCEL) attaches
    the calendar invitation of that method; `new_feed` and `online_link` go to
    `registration_content`.
    """
    with force_locale(registration.language.value):
        content = registration_content(
            registration,
            str(subject),
            *map(str, paragraphs),
            new_feed=new_feed,
            online_link=online_link,
        )
        calendar = None
        if invite is not None:
            calendar = partial(
                invitation, registration.event, registration, invite, uninvite=uninvite
            )
        return enqueue_for(registration, kind, content, calendar, dedupe_key)


def _reachable(registration: Registration) -> bool:
    return registration.erased_at is None


def notify_registered(registration: Registration) -> OutboxMessage | None:
    """A new place: the invitation when confirmed, a plain note when on the waiting list."""
    if not _reachable(registration):
        return None
    title = in_reader_language(registration.event)
    if registration.status is RegistrationStatus.CONFIRMED:
        return notify(
            registration,
            MessageKind.CONFIRMATION,
            _l("Registration confirmed: %(title)s", title=title),
            _l("Your place at the event is confirmed. The calendar invitation is attached."),
            invite=REQUEST,
        )
    if registration.status is RegistrationStatus.WAITLISTED:
        from ..registrations.seats import waitlist_position

        return notify(
            registration,
            MessageKind.WAITLISTED,
            _l("On the waiting list: %(title)s", title=title),
            _l(
                "The event is full, so you are on the waiting list (number %(position)d). "
                "If a place frees up, it is given to you and you get the calendar "
                "invitation by email.",
                position=waitlist_position(registration) or 0,
            ),
        )
    return None


def notify_promoted(registration: Registration) -> OutboxMessage | None:
    """A waiting place became a confirmed one: now the invitation."""
    if not _reachable(registration):
        return None
    return notify(
        registration,
        MessageKind.PROMOTED,
        _l("You got a place: %(title)s", title=in_reader_language(registration.event)),
        _l(
            "A place freed up and it is now yours: your registration is confirmed. "
            "The calendar invitation is attached. If you cannot come, please cancel "
            "so that the next person gets the place."
        ),
        invite=REQUEST,
    )


def notify_participant_cancelled(
    registration: Registration, *, was_confirmed: bool
) -> OutboxMessage | None:
    """The person's place was cancelled: a CANCEL removes the event from their calendar.

    Erasing a person cancels their places too: no new feed token for them then, and no
    online link for someone who is not coming."""
    if not _reachable(registration):
        return None
    title = in_reader_language(registration.event)
    of_series = registration.event.series_id is not None
    if was_confirmed:
        subject = _l("Registration cancelled: %(title)s", title=title)
        text = (
            _l(
                "Your registration for this date has been cancelled. The date is removed "
                "from your calendar; your places at the other dates of the series stay as "
                "they are."
            )
            if of_series
            else _l(
                "Your registration has been cancelled. The event is removed from your calendar."
            )
        )
    else:
        subject = _l("You left the waiting list: %(title)s", title=title)
        text = (
            _l(
                "You are no longer on the waiting list for this date. Your places at the "
                "other dates of the series stay as they are."
            )
            if of_series
            else _l("You are no longer on the waiting list for this event.")
        )
    return notify(
        registration,
        MessageKind.PARTICIPANT_CANCELLED,
        subject,
        text,
        invite=CANCEL if was_confirmed else None,
        uninvite=True,
        new_feed=False,
        online_link=False,
    )


def _active(event: Event, status: RegistrationStatus) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == status,
                Registration.erased_at.is_(None),
            )
            .order_by(Registration.id)
        )
    )


def notify_event_changed(event: Event) -> list[OutboxMessage]:
    """What calendars show of the event changed: ONE new REQUEST to every confirmed
    participant (the SEQUENCE raised when the change was significant, a later DTSTAMP in any
    case); their calendar entry follows. Whoever got their place in this very save (promoted
    when the edit added seats) already has the current details in its invitation."""
    subject = _l("Event changed: %(title)s", title=in_reader_language(event))
    text = _l(
        "The time, place or other details of the event have changed. Below are "
        "the current details; your calendar is updated by the attached invitation."
    )
    if event.series_id is not None:
        # The invitation is this date's instance only (RECURRENCE-ID): the others stand.
        text = _l(
            "The time, place or other details of this date of the series have changed. "
            "Below are the current details; the attached invitation updates this date in "
            "your calendar. Your other dates stay as they are."
        )
    return [
        notify(registration, MessageKind.UPDATE, subject, text, invite=REQUEST)
        for registration in _active(event, RegistrationStatus.CONFIRMED)
        if registration.promoted_at is None or registration.promoted_at < event.updated_at
    ]


def notify_event_cancelled(event: Event) -> list[OutboxMessage]:
    """The event is off: CANCEL (STATUS:CANCELLED, raised SEQUENCE) to everyone confirmed, and
    a plain note to those still waiting."""
    subject = _l("Event cancelled: %(title)s", title=in_reader_language(event))
    reason = (event.cancellation_reason or "").strip()
    because = [_l("Reason: %(reason)s", reason=reason)] if reason else []
    confirmed = _l("The event has been cancelled. It is removed from your calendar.")
    waiting = _l("The event you were waiting for has been cancelled.")
    if event.series_id is not None:
        # A CANCEL of this date's instance only: the other dates of the series stand.
        confirmed = _l(
            "This date of the series has been cancelled. It is removed from your "
            "calendar; the other dates stand."
        )
        waiting = _l(
            "The date you were waiting for has been cancelled. The other dates of the series stand."
        )
    sent = [
        notify(
            registration,
            MessageKind.CANCELLATION,
            subject,
            confirmed,
            *because,
            invite=CANCEL,
            online_link=False,
        )
        for registration in _active(event, RegistrationStatus.CONFIRMED)
    ]
    for registration in _active(event, RegistrationStatus.WAITLISTED):
        sent.append(notify(registration, MessageKind.CANCELLATION, subject, waiting, *because))
    return sent


def send_coordinator_message(
    event: Event, audience: Audience, subject: str, body: str
) -> list[OutboxMessage]:
    """A coordinator's own words to everyone confirmed (or waiting): one message each.

    The coordinator writes in one language; the frame around it (greeting, event details,
    links) is in each recipient's language.
    """
    status = (
        RegistrationStatus.CONFIRMED
        if audience is Audience.CONFIRMED
        else RegistrationStatus.WAITLISTED
    )
    return [
        notify(registration, MessageKind.COORDINATOR_MESSAGE, subject, *paragraphs_of(body))
        for registration in _active(event, status)
    ]


def resend_links(email: str, registrations: list[Registration]) -> OutboxMessage | None:
    """Someone asked for their links again: one message listing every active place.

    Nothing is sent when the address has no places. The public form only notes the request
    and the mail worker calls this later (registrations.link_requests), so neither the page nor
    its timing tells anyone who registered.
    """
    registrations = [r for r in registrations if _reachable(r)]
    if not registrations:
        return None
    newest = max(registrations, key=lambda r: (r.created_at, r.id))
    with force_locale(newest.language.value):
        links = []
        for registration in sorted(registrations, key=lambda r: r.event.starts_at):
            links.append(
                (str(in_reader_language(registration.event)), self_service_url(registration))
            )
        links.append(
            (_("Your personal calendar feed (add it to your calendar)"), _feed_url(newest))
        )
        content = MailContent(
            language=newest.language.value,
            subject=_("Your links to HYTU events"),
            greeting=_("Hello %(name)s,", name=newest.name),
            paragraphs=[
                _(
                    "Here are the links to your registrations. Through them you can see, "
                    "change or cancel each one."
                )
            ],
            links=links,
            footer=footer(),
        )
        return enqueue_for(newest, MessageKind.LINK_RESEND, content)


def resend_link(registration: Registration) -> OutboxMessage | None:
    return resend_links(registration.email, [registration])
