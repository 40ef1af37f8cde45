"""Fictional participants of the demo series: some for the whole series, some for the dates
they chose, one from a date's own page, so the series page, the waiting lists per date and the
self-service list of dates show at work. Registered by the real operations (and told as real
people are, through the outbox)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..db.types import utcnow
from ..events.models import RegistrationState
from ..extensions import db
from ..partners.models import Municipality, Organisation
from ..registrations.models import Language
from ..registrations.operations import ParticipantDetails, register
from .models import Series
from .queries import public_dates, upcoming
from .registration import register_for_series

#: name, email, organisation slug, municipality slug, language
WHOLE_SERIES = [
    ("Aino Magga", "aino.magga@example.fi", "lapin-amk", "inari", Language.FI),
    ("Eero Jääskö", "eero.jaasko@example.fi", "lapin-pelastuslaitos", "rovaniemi", Language.FI),
    ("Helmi Valle", "helmi.valle@example.fi", "spr-lapin-piiri", "tornio", Language.SV),
    ("Lauri Pokka", "lauri.pokka@example.fi", "lapin-poliisilaitos", "kittila", Language.FI),
]
#: The same, and which upcoming open dates they chose (0 the first).
SOME_DATES = [
    ("Outi Rautio", "outi.rautio@example.fi", "lapin-avi", "sodankyla", Language.FI, (0, 2)),
    ("Sami Tapio", "sami.tapio@example.fi", "lapin-yliopisto", "kemi", Language.EN, (1,)),
]
#: Registered from the last open date's own event page, as for any event.
ONE_DATE = ("Riikka Ojala", "riikka.ojala@example.fi", "spek", "salla", Language.FI)


def _details(person, organisations, municipalities) -> ParticipantDetails:
    name, email, organisation, municipality, language = person[:5]
    return ParticipantDetails(
        name=name,
        email=email,
        organisation_id=organisations[organisation].id,
        organisation_other=None,
        municipality_id=municipalities[municipality].id,
        job_title=None,
        needs=None,
        language=language,
    )


def register_demo_people(series: Series, now: datetime | None = None) -> int:
    """Register the demo's people for `series` (published); returns how many places were
    made. Dates that are over, cancelled or not open are left alone, as the public form leaves
    them. The caller commits."""
    now = now or utcnow()
    organisations = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    municipalities = {m.slug: m for m in db.session.scalars(sa.select(Municipality))}
    open_dates = [
        event
        for event in upcoming(public_dates(series.id), now)
        if event.registration_state(now) is RegistrationState.OPEN
    ]
    if not open_dates:
        return 0
    places = 0
    for person in WHOLE_SERIES:
        details = _details(person, organisations, municipalities)
        places += len(register_for_series(series.id, details, now=now).created)
    for *person, chosen in SOME_DATES:
        picked = [open_dates[i].id for i in chosen if i < len(open_dates)]
        details = _details(person, organisations, municipalities)
        places += len(register_for_series(series.id, details, picked, now=now).created)
    outcome = register(open_dates[-1].id, _details(ONE_DATE, organisations, municipalities), now)
    return places + outcome.created
