"""The measures of the plan a series serves: linked once on the series, they apply to all its
dates, each of which serves them as an event of its own (its outcome form starts from them,
the dashboard counts them per date). The page is the series', under /admin/series."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _

from .. import audit
from ..accounts.access import role_required
from ..accounts.models import Role
from ..extensions import db
from ..form_pages import form_page
from ..plan.models import Measure, event_measures
from ..plan.queries import measures_of_event
from ..series.models import Series
from .event_measures import link_measures
from .forms import SeriesMeasuresForm

bp = Blueprint("series_measures", __name__, url_prefix="/admin/series")


def measures_of_every_date(series: Series) -> list[Measure]:
    """The measures all the series' dates serve."""
    ids = [event.id for event in series.dates]
    query = (
        sa.select(Measure)
        .join(event_measures, event_measures.c.measure_id == Measure.id)
        .where(event_measures.c.event_id.in_(ids))
        .group_by(Measure.id)
        .having(sa.func.count() == len(ids))
        .order_by(Measure.code)
    )
    return list(db.session.scalars(query))


def link_series_measures(series: Series, measure_ids: list[int]) -> None:
    """Every date serves exactly these measures (each date's history says so too); the caller
    commits."""
    before = [m.code for m in measures_of_every_date(series)]
    for event in series.dates:
        if {m.id for m in measures_of_event(event.id)} != set(measure_ids):
            link_measures(event, measure_ids)
    after = [m.code for m in measures_of_every_date(series)]
    audit.record("series.measures", series, before={"measures": before}, after={"measures": after})


@bp.get("/<id:series_id>/measures")
@role_required(Role.VIEWER)
def measures(series_id: int):
    series = db.get_or_404(Series, series_id)
    form = SeriesMeasuresForm()
    form.measures.data = [m.id for m in measures_of_every_date(series)]
    return render_template("outcomes/series_measures.html", series=series, form=form)


@bp.post("/<id:series_id>/measures")
@role_required(Role.COORDINATOR)
def save_measures(series_id: int):
    series = db.get_or_404(Series, series_id)
    form = SeriesMeasuresForm()
    return form_page(
        form,
        "outcomes/series_measures.html",
        lambda: link_series_measures(series, form.measures.data or []),
        saved=lambda _result: flash(
            _("The measures were saved for every date of the series."), "success"
        ),
        next_url=url_for(".measures", series_id=series.id),
        invalid_status=400,
        series=series,
    )
