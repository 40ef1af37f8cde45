"""Turning dashboard figures into the charts and tables the pages show."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..charts import bar_chart, column_chart
from ..db.types import utcnow
from ..partners.models import SubRegion
from .dashboard import Dashboard, DashboardFilter, build_dashboard
from .filters import filter_args, year_choices


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["HYTU_TIMEZONE"])


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
    )


def charts(dashboard: Dashboard) -> dict:
    return {
        "months": column_chart(
            list(dashboard.events_by_month),
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
    }


def indicator_charts(indicator, values: list, language: str) -> list[tuple[str, object]]:
    """An indicator's figures to compare, as (title, chart): the whole region year by year,
    and the municipalities in the latest year any of them has a figure."""
    shown = lambda value: format_decimal(value, format="#,##0.##")  # noqa: E731
    region = sorted((v.year, v.value) for v in values if v.municipality is None)
    charts = []
    if region:
        title = _("%(name)s: whole region by year", name=indicator.name_in(language))
        chart = column_chart(
            [(str(year), value) for year, value in region],
            chart_id="chart-indicator-years",
            title=title,
            description=_(
                "Bar chart of the region's figure in each year, in %(unit)s; the table below "
                "gives the same numbers.",
                unit=indicator.unit_in(language),
            ),
            shown=shown,
        )
        charts.append((title, chart))
    municipal = [v for v in values if v.municipality is not None]
    if municipal:
        latest = max(v.year for v in municipal)
        rows = sorted((v.municipality.name_fi, v.value) for v in municipal if v.year == latest)
        title = _(
            "%(name)s: municipalities in %(year)d", name=indicator.name_in(language), year=latest
        )
        chart = bar_chart(
            rows,
            chart_id="chart-indicator-municipalities",
            title=title,
            description=_(
                "Bar chart of each municipality's figure in %(year)d, in %(unit)s; the table "
                "below gives the same numbers.",
                year=latest,
                unit=indicator.unit_in(language),
            ),
            shown=shown,
        )
        charts.append((title, chart))
    return charts
