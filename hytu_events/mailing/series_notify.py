"""Mail about several dates of a series at once: the series changed, a person took places at
dates of it or left them. One message per person however many dates; its calendar describes
exactly the dates it is about (calendar.recurring.describe: the whole series when they are all
its published dates, else one VEVENT per date).

A change to one date uses the messages of single events (notify.py), whose invitation is that
date's instance only. Dates that leave a series (a split, an end moved earlier) are taken out of
the calendars that hold them one by one by series_removals.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..events.models import Event, EventStatus
from ..extensions import db
from ..feed_tokens.tokens import existing_participant_feed_url, participant_feed_url
from ..i18n import day, event_time_range
from ..registrations.models import Registration, RegistrationStatus
from ..registrations.tokens import self_service_url
from ..series.models import Series
from ..series.signals import FormerInstance
from ..translated import in_reader_language
from .content import MailContent, footer, series_facts, series_page_url
from .invitations import CANCEL, REQUEST, series_invitation
from .messages import Calendar
from .models import MessageKind, OutboxMessage
from .notify import enqueue_for


def _by_start(places: Iterable[Registration]) -> list[Registration]:
    return sorted(places, key=lambda place: (place.event.starts_at, place.id))


def _in_calendar(places: Iterable[Registration]) -> list[Registration]:
    """Places whose date a calendar can hold: a cancelled date already got its own CANCEL."""
    return [place for place in places if place.event.status is EventStatus.PUBLISHED]


def send_series_mail(
    series: Series,
    places: list[Registration],
    kind: MessageKind,
    subject: str,
    *paragraphs: str,
    dates: Sequence[Event | FormerInstance] | None = None,
    invite: str | None = None,
    invited: list[Registration] = (),
    new_feed: bool = True,
    calendar: Callable[[], Calendar] | None = None,
) -> OutboxMessage | None:
    """One message to the person behind `places` (their places at dates of `series`, by
    start), in the language of their newest place, with the self-service link of the first.

    The facts list `dates` (the dates of all `places` unless said; a FormerInstance for a
    date as it was). `invite` attaches the calendar of that method describing `invited`, or
    `calendar` builds it; only a REQUEST shows the online link.
    """
    first = places[0]
    newest = max(places, key=lambda place: (place.created_at, place.id))
    with force_locale(newest.language.value):
        feed = participant_feed_url(newest.email, commit=False) if new_feed else None
        feed = feed or existing_participant_feed_url(newest.email)
        links = [(_("Change or cancel your registration"), self_service_url(first))]
        if feed:
            links.append((_("Your personal calendar feed (add it to your calendar)"), feed))
        links.append((_("Series page"), series_page_url(series)))
        content = MailContent(
            language=newest.language.value,
            subject=str(subject),
            greeting=_("Hello %(name)s,", name=newest.name),
            paragraphs=[str(paragraph) for paragraph in paragraphs],
            facts=series_facts(
                series,
                [place.event for place in places] if dates is None else list(dates),
                show_online_link=invite == REQUEST,
            ),
            links=links,
            footer=footer(),
        )
        if invite is not None and invited:
            calendar = partial(
                series_invitation, series, list(invited), invite, uninvite=invite == CANCEL
            )
        return enqueue_for(first, kind, content, calendar)


def _waiting_lines(positions: list[tuple[Event, int]]) -> str:
    return "\n".join(
        _(
            "%(date)s: number %(position)d on the waiting list",
            date=event_time_range(date.starts_at, date.ends_at),
            position=position,
        )
        for date, position in positions
    )


def _reachable(places: Iterable[Registration]) -> list[Registration]:
    return _by_start(place for place in places if place.erased_at is None)


def confirmed_places(series: Series) -> dict[str, list[Registration]]:
    """Everyone with a confirmed place at a published date of `series`: their places by
    email, each list by start."""
    places = db.session.scalars(
        sa.select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .where(
            Event.series_id == series.id,
            Event.status == EventStatus.PUBLISHED,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.erased_at.is_(None),
        )
        .order_by(Registration.email, Event.starts_at, Registration.id)
    )
    by_person: dict[str, list[Registration]] = {}
    for place in places:
        by_person.setdefault(place.email, []).append(place)
    return by_person


def notify_series_changed(
    series: Series,
    *,
    split: bool = False,
    more: Mapping[str, Sequence[str | LazyString]] | None = None,
    added: bool = False,
    given: Mapping[str, Sequence[Registration]] | None = None,
) -> list[OutboxMessage]:
    """The rule or what the dates share changed: ONE update to each person with a confirmed
    place at any date, describing the dates they hold (the series' SEQUENCE, raised).

    `split`: the series is the one a split made (its first date's text says so). `more`:
    paragraphs some people's update adds, by email (series_removals). `added`: dates were
    added at the end; `given`: the places they gave to people registered for the whole
    series, by email (series.followers). Their update names the new places; whoever has only
    waiting places gets one note of those instead (nothing of theirs is in a calendar)."""
    subject = _l("Series changed: %(title)s", title=in_reader_language(series))
    text = _l(
        "The times, place or other details of the series have changed. Below are your "
        "dates as they are now; the attached invitation updates them in your calendar."
    )
    if added:
        text = _l(
            "New dates have been added at the end of the series. Below are your dates as "
            "they are now; the attached invitation updates them in your calendar."
        )
    if split:
        text = LazyString(_split_text, min(date.recurrence_id for date in series.dates))
    more, given = more or {}, given or {}
    holders = confirmed_places(series)
    sent = [
        send_series_mail(
            series,
            places,
            MessageKind.UPDATE,
            subject,
            text,
            *more.get(email, ()),
            *_given_paragraphs(given.get(email, ())),
            invite=REQUEST,
            invited=places,
        )
        for email, places in holders.items()
    ]
    for email, places in given.items():
        if email not in holders:
            sent.append(notify_series_registered(series, places))
    return [message for message in sent if message is not None]


def _given_lines(places: Sequence[Registration]) -> str:
    from ..registrations.seats import waitlist_position

    return "\n".join(
        _(
            "%(date)s: number %(position)d on the waiting list",
            date=event_time_range(place.event.starts_at, place.event.ends_at),
            position=waitlist_position(place) or 0,
        )
        if place.status is RegistrationStatus.WAITLISTED
        else _(
            "%(date)s: your place is confirmed",
            date=event_time_range(place.event.starts_at, place.event.ends_at),
        )
        for place in _by_start(places)
    )


def _given_paragraphs(places: Sequence[Registration]) -> list[str | LazyString]:
    if not places:
        return []
    return [
        _l("You registered for the whole series, so you have a place at the new dates too:"),
        LazyString(_given_lines, list(places)),
    ]


def _split_text(first) -> str:
    return _(
        "The dates of the series from %(day)s on now form a series of their own. Below are "
        "your dates in it as they are now; the attached invitation puts them in your calendar.",
        day=day(first),
    )


def notify_series_registered(
    series: Series, registrations: Iterable[Registration]
) -> OutboxMessage | None:
    """A person took places at several dates at once: ONE confirmation. The confirmed dates
    are in the invitation; waitlisted ones only in the text (their invitation comes with the
    place, as for a single event)."""
    places = _reachable(registrations)
    confirmed = [p for p in places if p.status is RegistrationStatus.CONFIRMED]
    waiting = [p for p in places if p.status is RegistrationStatus.WAITLISTED]
    if not confirmed and not waiting:
        return None
    paragraphs = []
    if confirmed:
        paragraphs.append(
            _l("Your places at these dates are confirmed. The calendar invitation is attached.")
        )
    if waiting:
        from ..registrations.seats import waitlist_position

        paragraphs.append(
            _l(
                "These dates are full, so you are on their waiting lists. If a place frees "
                "up, it is given to you and you get the date's calendar invitation by email."
            )
        )
        positions = [(p.event, waitlist_position(p) or 0) for p in waiting]
        # Written in the person's language, as the rest of the message (LazyString).
        paragraphs.append(LazyString(_waiting_lines, positions))
    if confirmed:
        subject = _l("Registration confirmed: %(title)s", title=in_reader_language(series))
        return send_series_mail(
            series,
            places,
            MessageKind.CONFIRMATION,
            subject,
            *paragraphs,
            dates=[place.event for place in confirmed],
            invite=REQUEST,
            invited=_in_calendar(confirmed),
        )
    subject = _l("On the waiting list: %(title)s", title=in_reader_language(series))
    return send_series_mail(series, places, MessageKind.WAITLISTED, subject, *paragraphs)


def notify_series_left(
    series: Series,
    registrations: Iterable[Registration],
    was_confirmed: Mapping[int, bool] | Collection[int] | None = None,
) -> OutboxMessage | None:
    """A person left several dates at once: ONE cancellation of those dates. The CANCEL
    uninvites them from the dates that were in their calendar (the SEQUENCE above what they
    were sent, by their own offset: registrations.calendar_copy, as for one place); waiting
    places had no calendar entry.

    `was_confirmed` (registration id -> whether the place was confirmed, or the ids that
    were) may come with series_left; without it every place counts as confirmed: a CANCEL of
    a date someone never had in their calendar is one their calendar ignores.
    """
    places = _reachable(registrations)
    if not places:
        return None
    if was_confirmed is None:
        held = places
    elif isinstance(was_confirmed, Mapping):
        held = [p for p in places if was_confirmed.get(p.id)]
    else:
        held = [p for p in places if p.id in was_confirmed]
    subject = _l("Registration cancelled: %(title)s", title=in_reader_language(series))
    if held:
        text = _l(
            "Your registration for these dates has been cancelled. They are removed from "
            "your calendar."
        )
        return send_series_mail(
            series,
            places,
            MessageKind.PARTICIPANT_CANCELLED,
            subject,
            text,
            invite=CANCEL,
            invited=_in_calendar(held),
            new_feed=False,
        )
    text = _l("You are no longer on the waiting list for these dates.")
    return send_series_mail(
        series, places, MessageKind.PARTICIPANT_CANCELLED, subject, text, new_feed=False
    )
