"""Turning dashboard figures into the charts and tables the pages show."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ..charts import bar_chart, column_chart
from ..db.types import utcnow
from ..local_time import zone
from ..partners.models import SubRegion
from .dashboard import Dashboard, DashboardFilter, build_dashboard
from .filters import filter_args, year_choices


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
