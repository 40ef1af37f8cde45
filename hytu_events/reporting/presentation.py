"""Turning dashboard figures into the charts and tables the pages show."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ..charts import bar_chart, column_chart
from ..db.types import utcnow
from ..feedback.results import summary_of
from ..i18n import current_language, day, month, number
from ..local_time import zone
from ..partners.models import SubRegion
from .dashboard import Dashboard, DashboardFilter, build_dashboard, held_events
from .filters import filter_args, year_choices
from .series_lines import SeriesLine


def dashboard_context(dashboard_filter: DashboardFilter, now: datetime | None = None) -> dict:
    """Everything the dashboard, summary and report templates need."""
    now = now or utcnow()
    dashboard = build_dashboard(dashboard_filter, now, zone())
    return dict(
        dashboard=dashboard,
        charts=charts(dashboard),
        years=year_choices(now.astimezone(zone()).year),
        sub_regions=list(SubRegion),
        filter_args=filter_args(dashboard_filter),
        generated_at=now,
        series_labels=series_labels(dashboard.series),
        feedback=summary_of(held_events(dashboard_filter, now, zone()), current_language()),
    )


def charts(dashboard: Dashboard) -> dict:
    labels = series_labels(dashboard.series)
    return {
        "months": column_chart(
            [(month(first), count) for first, count in dashboard.events_by_month],
            chart_id="chart-months",
            title=_("Events held per month"),
            description=_(
                "Bar chart of the number of events held in each month; the table beside it "
                "gives the same numbers."
            ),
        ),
        "statuses": bar_chart(
            [(status.label, count) for status, count in dashboard.status_counts.items()],
            chart_id="chart-statuses",
            title=_("Municipal HYTU plans by status"),
            description=_(
                "Bar chart of how many municipalities are at each stage of their combined "
                "welfare and safety plan; the table beside it gives the same numbers."
            ),
            total=dashboard.municipality_count,
        ),
        "coverage": bar_chart(
            [(region.label, reached, total) for region, reached, total in dashboard.coverage],
            chart_id="chart-coverage",
            title=_("Municipalities reached by sub-region"),
            description=_(
                "Bar chart of the municipalities reached by the events in each sub-region, out "
                "of all its municipalities; the table beside it gives the same numbers."
            ),
        ),
        "series": bar_chart(
            [(labels[line.series_id], line.average) for line in dashboard.series if line.held],
            chart_id="chart-series",
            title=_("Average attendance per date, by series"),
            description=_(
                "Bar chart of how many people took part on average in the dates held of each "
                "series; the table below gives the same numbers and those of each date."
            ),
            shown=average_shown,
        ),
    }


def average_shown(value: float) -> str:
    """An average as the reader's language writes it, to one decimal: 12,5 in Finnish."""
    return number(value, 1)


def series_labels(lines: list[SeriesLine]) -> dict[int, str]:
    """Each series' title, with its first date when another series has the same title (as the
    two parts of a split series do)."""
    titles = [line.title for line in lines]
    return {
        line.series_id: line.title
        if titles.count(line.title) == 1
        else f"{line.title} ({day(line.first_day)})"
        for line in lines
    }
