"""Everything held about one email address: exported on request, erased on request.

Each feature that stores personal data registers a shredder here (registrations below; the
mail outbox and calendar feed tokens register theirs), so export and erasure stay complete
as features are added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..db.types import utcnow
from ..extensions import db
from .cancellation import cancel_registration
from .models import Registration, RegistrationStatus


@dataclass(frozen=True)
class Shredder:
    name: str
    #: email -> JSON-safe data
    export: Callable[[str], object]
    #: (email, now) -> None; anonymise or delete
    erase: Callable[[str, datetime], None]


_shredders: dict[str, Shredder] = {}


def register_shredder(shredder: Shredder) -> None:
    _shredders[shredder.name] = shredder


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _registrations_of(email: str) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.email == email, Registration.erased_at.is_(None))
            .order_by(Registration.created_at)
        )
    )


def _export_registrations(email: str) -> list[dict]:
    return [
        {
            "event": {
                "id": r.event.id,
                "title": r.event.title,
                "starts_at": _iso(r.event.starts_at),
            },
            "status": r.status.value,
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation.name if r.organisation else r.organisation_other,
            "municipality": r.municipality.name_fi if r.municipality else None,
            "job_title": r.job_title,
            "needs": r.needs,
            "language": r.language.value,
            "consent_at": _iso(r.consent_at),
            "created_at": _iso(r.created_at),
            "updated_at": _iso(r.updated_at),
            "promoted_at": _iso(r.promoted_at),
            "cancelled_at": _iso(r.cancelled_at),
            "whole_series": r.whole_series,
        }
        for r in _registrations_of(email)
    ]


def anonymise(registration: Registration, now: datetime) -> None:
    """Keep only what the network's counts need: event, status, organisation, municipality,
    attendance."""
    registration.name = "—"
    registration.email = f"erased+{registration.id}@invalid.invalid"
    registration.job_title = None
    registration.needs = None
    registration.erased_at = now


def _erase_registrations(email: str, now: datetime) -> None:
    """Cancel what is still upcoming (so the seat goes on), then anonymise."""
    for registration in _registrations_of(email):
        if (
            registration.status is not RegistrationStatus.CANCELLED
            and now < registration.event.ends_at
        ):
            cancel_registration(registration.id, now)
        anonymise(registration, now)
    db.session.flush()


register_shredder(Shredder("registrations", _export_registrations, _erase_registrations))


def export_personal_data(email: str) -> dict:
    return {
        "email": email,
        "exported_at": _iso(utcnow()),
        **{name: shredder.export(email) for name, shredder in _shredders.items()},
    }


def erase_traces(email: str, now: datetime) -> None:
    """Erase what other features hold about `email` (mail, feed addresses), leaving its
    registrations: for when the last of them has been anonymised. The caller commits."""
    for shredder in _shredders.values():
        if shredder.name != "registrations":
            shredder.erase(email, now)


def erase_personal_data(email: str, now: datetime | None = None) -> None:
    """Erase everything about `email`. The caller commits."""
    now = now or utcnow()
    # Registrations go last: the others may still need to find rows by the email.
    for shredder in sorted(_shredders.values(), key=lambda s: s.name == "registrations"):
        shredder.erase(email, now)
