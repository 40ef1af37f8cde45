"""What the answers add up to: per event, per date of a series, and across the events a
report covers (per measure, event kind and municipality). Counted from the answer rows, which
hold no name or address, so nothing here can show one."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ..events.models import Event, EventKind
from ..extensions import db
from ..i18n import day, number
from ..partners.models import Municipality
from ..plan.models import Measure
from .models import FeedbackAnswer, FeedbackMeasureAnswer, FeedbackRequest, Helped

SCALE = (1, 2, 3, 4, 5)


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class MeasureFigures:
    measure: Measure
    counts: dict[Helped, int]

    @property
    def answered(self) -> int:
        return sum(self.counts.values())


@dataclass
class EventResults:
    asked: int = 0
    answered: int = 0
    average: float | None = None
    #: (1..5, how many chose it)
    distribution: list[tuple[int, int]] = field(default_factory=list)
    measures: list[MeasureFigures] = field(default_factory=list)
    take_forward: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    #: (the coordinator's question, an answer)
    own_answers: list[tuple[str, str]] = field(default_factory=list)


def _measure_figures(answer_ids: sa.Select) -> list[MeasureFigures]:
    rows = db.session.execute(
        sa.select(FeedbackMeasureAnswer.measure_id, FeedbackMeasureAnswer.helped, sa.func.count())
        .where(FeedbackMeasureAnswer.answer_id.in_(answer_ids))
        .group_by(FeedbackMeasureAnswer.measure_id, FeedbackMeasureAnswer.helped)
    ).all()
    counts: dict[int, Counter] = {}
    for measure_id, helped, count in rows:
        counts.setdefault(measure_id, Counter())[helped] = count
    measures = db.session.scalars(
        sa.select(Measure).where(Measure.id.in_(counts)).order_by(Measure.code)
    )
    return [
        MeasureFigures(m, {helped: counts[m.id][helped] for helped in Helped}) for m in measures
    ]


def results_of_events(event_ids: sa.Select | list[int]) -> EventResults:
    """The figures and texts of the answers about `event_ids` (a select of ids, or a list)."""
    asked = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FeedbackRequest)
        .where(FeedbackRequest.event_id.in_(event_ids))
    )
    answers = list(
        db.session.scalars(
            sa.select(FeedbackAnswer)
            .where(FeedbackAnswer.event_id.in_(event_ids))
            .order_by(FeedbackAnswer.id)
        )
    )
    scores = Counter(a.usefulness for a in answers)
    answer_ids = sa.select(FeedbackAnswer.id).where(FeedbackAnswer.event_id.in_(event_ids))
    return EventResults(
        asked=asked,
        answered=len(answers),
        average=_average([a.usefulness for a in answers]),
        distribution=[(score, scores[score]) for score in SCALE],
        measures=_measure_figures(answer_ids) if answers else [],
        take_forward=[a.take_forward for a in answers if a.take_forward],
        comments=[a.comment for a in answers if a.comment],
        own_answers=[(a.own_question, a.own_answer) for a in answers if a.own_answer],
    )


def results_of_event(event: Event) -> EventResults:
    return results_of_events([event.id])


@dataclass
class Row:
    """One line of a table of results: a label, answers and their average usefulness."""

    label: str
    answered: int
    average: float | None


def trend_of_dates(dates: list[Event]) -> list[tuple[Event, Row]]:
    """Each date of a series with its answers, in date order."""
    ids = [date.id for date in dates]
    rows = dict(_grouped(FeedbackAnswer.event_id, ids))
    return [
        (date, Row(date.title, *rows.get(date.id, (0, None))))
        for date in sorted(dates, key=lambda d: d.starts_at)
    ]


def _grouped(column, event_ids) -> list[tuple[object, tuple[int, float | None]]]:
    found = db.session.execute(
        sa.select(column, sa.func.count(), sa.func.avg(FeedbackAnswer.usefulness))
        .where(FeedbackAnswer.event_id.in_(event_ids))
        .group_by(column)
    ).all()
    return [(key, (count, round(float(avg), 2))) for key, count, avg in found]


def trend_point(item: tuple[Event, Row]) -> tuple[str, float]:
    """A date's column: its day, and its average."""
    date, row = item
    return day(date.starts_at), row.average or 0


def helped_values() -> list[Helped]:
    return list(Helped)


def by_event_kind(event_ids) -> list[Row]:
    found = db.session.execute(
        sa.select(Event.kind, sa.func.count(), sa.func.avg(FeedbackAnswer.usefulness))
        .join(Event, Event.id == FeedbackAnswer.event_id)
        .where(FeedbackAnswer.event_id.in_(event_ids))
        .group_by(Event.kind)
    ).all()
    by_kind = {kind: (count, round(float(avg), 2)) for kind, count, avg in found}
    return [Row(kind.label, *by_kind[kind]) for kind in EventKind if kind in by_kind]


def by_municipality(event_ids, language: str) -> list[Row]:
    """Answers by the respondent's municipality; region-wide organisations last."""
    grouped = dict(_grouped(FeedbackAnswer.municipality_id, event_ids))
    municipalities = db.session.scalars(
        sa.select(Municipality).where(Municipality.id.in_([k for k in grouped if k]))
    )
    rows = sorted(
        (Row(m.name_in(language), *grouped[m.id]) for m in municipalities), key=lambda r: r.label
    )
    if None in grouped:
        rows.append(Row(_("Region-wide organisations"), *grouped[None]))
    return rows


def by_measure(event_ids) -> list[MeasureFigures]:
    return _measure_figures(
        sa.select(FeedbackAnswer.id).where(FeedbackAnswer.event_id.in_(event_ids))
    )


@dataclass
class Summary:
    """The answers about the events a dashboard or report covers."""

    asked: int
    answered: int
    average: float | None
    measures: list[MeasureFigures]
    kinds: list[Row]
    municipalities: list[Row]


def summary_of(event_ids: sa.Select, language: str) -> Summary:
    asked = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FeedbackRequest)
        .where(FeedbackRequest.event_id.in_(event_ids))
    )
    answered, average = db.session.execute(
        sa.select(sa.func.count(), sa.func.avg(FeedbackAnswer.usefulness)).where(
            FeedbackAnswer.event_id.in_(event_ids)
        )
    ).one()
    return Summary(
        asked=asked,
        answered=answered,
        average=round(float(average), 2) if average is not None else None,
        measures=by_measure(event_ids),
        kinds=by_event_kind(event_ids),
        municipalities=by_municipality(event_ids, language),
    )


def helped_share(figures: MeasureFigures) -> int:
    """Of the answers about a measure, the percentage that said yes or partly."""
    helped = figures.counts[Helped.YES] + figures.counts[Helped.PARTLY]
    return round(100 * helped / figures.answered) if figures.answered else 0


def measure_share(figures: MeasureFigures) -> tuple[str, int]:
    """A measure's bar: its code, and the share of answers it helped."""
    return figures.measure.code, helped_share(figures)


def row_average(row: Row) -> tuple[str, float]:
    """A bar of average usefulness, written as the reader's language writes numbers."""
    return row.label, row.average or 0


def average_shown(value: float) -> str:
    """An average as the reader's language writes it: 3,33 in Finnish."""
    return number(value, 2)
