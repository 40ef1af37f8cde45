"""Mail listens to what happens to registrations (hytu_events.registrations.signals).

Receivers run inside the sender's transaction, so each outbox row commits or rolls back
together with the change that caused it.
"""

from __future__ import annotations

from ..events import signals as event_signals
from ..registrations import signals
from . import notify


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


_CONNECTIONS = (
    (signals.registration_created, _created),
    (signals.registration_repeated, _repeated),
    (signals.registration_promoted, _promoted),
    (signals.registration_cancelled, _cancelled),
    (signals.links_requested, _links_requested),
    (event_signals.event_changed, _event_changed),
    (event_signals.event_cancelled, _event_cancelled),
)


def connect() -> None:
    """Idempotent: signals are process-wide, apps (in tests) are many."""
    for signal, receiver in _CONNECTIONS:
        signal.connect(receiver, weak=False)
