"""An indicator's figures as charts, for its page of figures in the plan."""

from __future__ import annotations

from flask_babel import gettext as _

from ..charts import bar_chart, column_chart
from ..i18n import number


def indicator_charts(indicator, values: list, language: str) -> list[tuple[str, object]]:
    """An indicator's figures to compare, as (title, chart): the whole region year by year,
    and the municipalities in the latest year any of them has a figure."""
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
            shown=number,
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
            shown=number,
        )
        charts.append((title, chart))
    return charts
