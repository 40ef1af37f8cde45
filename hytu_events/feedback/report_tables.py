"""The answers as report downloads (CSV and XLSX): one row per event, and one per measure.
Counts, averages and the answers' own words; never a name or an address."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from ..events.models import Event
from ..extensions import db
from .models import FeedbackAnswer, FeedbackRequest, Helped
from .results import SCALE, by_measure, helped_share


def per_event(scope: sa.Select, zone: ZoneInfo) -> tuple[list[str], list[list]]:
    header = [
        _("Date"),
        _("Event"),
        _("Type"),
        _("Asked"),
        _("Answers"),
        _("Average usefulness"),
        *(_("Usefulness %(score)d", score=score) for score in SCALE),
        _("What participants will take forward"),
        _("Comments"),
    ]
    asked = dict(
        db.session.execute(
            sa.select(FeedbackRequest.event_id, sa.func.count())
            .where(FeedbackRequest.event_id.in_(scope))
            .group_by(FeedbackRequest.event_id)
        ).all()
    )
    answers: dict[int, list[FeedbackAnswer]] = {}
    for answer in db.session.scalars(
        sa.select(FeedbackAnswer)
        .where(FeedbackAnswer.event_id.in_(scope))
        .order_by(FeedbackAnswer.id)
    ):
        answers.setdefault(answer.event_id, []).append(answer)
    events = db.session.scalars(
        sa.select(Event).where(Event.id.in_(list(asked))).order_by(Event.starts_at, Event.id)
    )
    rows = []
    for event in events:
        theirs = answers.get(event.id, [])
        scores = Counter(a.usefulness for a in theirs)
        average = sum(a.usefulness for a in theirs) / len(theirs) if theirs else None
        rows.append(
            [
                event.starts_at.astimezone(zone).date().isoformat(),
                event.title,
                event.kind.label,
                asked[event.id],
                len(theirs),
                round(average, 2) if average is not None else None,
                *(scores[score] for score in SCALE),
                "\n".join(a.take_forward for a in theirs if a.take_forward),
                "\n".join(a.comment for a in theirs if a.comment),
            ]
        )
    return header, rows


def per_measure(scope: sa.Select, language: str) -> tuple[list[str], list[list]]:
    header = [
        _("Code"),
        _("Measure"),
        *(helped.label for helped in Helped),
        _("Helped (yes or partly), %"),
    ]
    rows = [
        [
            figures.measure.code,
            figures.measure.title_in(language),
            *(figures.counts[helped] for helped in Helped),
            helped_share(figures),
        ]
        for figures in by_measure(scope)
    ]
    return header, rows
