"""Mail listens to what happens to registrations, events and series (their signals modules).

Receivers run inside the sender's transaction, so each outbox row commits or rolls back
together with the change that caused it. A date of a series sends the signals of an event or
a registration: its messages carry that date's instance only. What happens to several dates
of a series at once (series.signals) gets one message per person (series_notify).
"""

from __future__ import annotations

from ..events import signals as event_signals
from ..registrations import signals
from ..series import signals as series_signals
from . import notify, series_notify, series_removals


def _created(registration, **_):
    notify.notify_registered(registration)


def _repeated(registration, **_):
    # Someone registered again with an address that already has a place. The page tells them
    # nothing more; the owner of the address gets their link, which is what they probably lost.
    notify.resend_link(registration)


def _promoted(registration, **_):
    notify.notify_promoted(registration)


def _cancelled(registration, was_confirmed=False, **_):
    notify.notify_participant_cancelled(registration, was_confirmed=was_confirmed)


def _event_changed(event, **_):
    notify.notify_event_changed(event)


def _event_cancelled(event, **_):
    notify.notify_event_cancelled(event)


def _links_requested(email, registrations=(), **_):
    notify.resend_links(email, list(registrations))


def _series_changed(series, split_from=None, former=None, removed=(), added=(), given=None, **_):
    # Calendars that hold dates one by one lose the moved or removed ones by a CANCEL of
    # their own; the update of the series comes after it.
    more = {}
    if split_from is not None:
        series_removals.notify_dates_moved(split_from, series, former or {})
    if removed:
        more = series_removals.notify_dates_removed(series, list(removed))
    series_notify.notify_series_changed(
        series, split=split_from is not None, more=more, added=bool(added), given=given or {}
    )


def _series_registered(series, registrations=(), **_):
    series_notify.notify_series_registered(series, list(registrations))


def _series_left(series, registrations=(), was_confirmed=None, **_):
    # `was_confirmed` is optional: the sender may say which places were confirmed.
    series_notify.notify_series_left(series, list(registrations), was_confirmed)


_CONNECTIONS = (
    (signals.registration_created, _created),
    (signals.registration_repeated, _repeated),
    (signals.registration_promoted, _promoted),
    (signals.registration_cancelled, _cancelled),
    (signals.links_requested, _links_requested),
    (event_signals.event_changed, _event_changed),
    (event_signals.event_cancelled, _event_cancelled),
    (series_signals.series_changed, _series_changed),
    (series_signals.series_registered, _series_registered),
    (series_signals.series_left, _series_left),
)


def connect() -> None:
    """Idempotent: signals are process-wide, apps (in tests) are many."""
    for signal, receiver in _CONNECTIONS:
        signal.connect(receiver, weak=False)
