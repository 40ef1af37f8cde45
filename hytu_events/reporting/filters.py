"""Reading the dashboard filter (`?year=&sub_region=`) from a query string."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..errors import reject
from ..numbers import whole_number
from ..partners.models import SubRegion
from .dashboard import DashboardFilter


def parse_dashboard_filter(args: MultiDict) -> DashboardFilter:
    """The filter asked for; a malformed value is a 400 that says which."""
    year = None
    if raw_year := args.get("year", "").strip():
        year = whole_number(raw_year, minimum=2000, maximum=2100)
        if year is None:
            reject(400, _("Unknown year in the address (year)."))
    sub_region = None
    if raw_region := args.get("sub_region", "").strip():
        try:
            sub_region = SubRegion(raw_region)
        except ValueError:
            reject(400, _("Unknown sub-region in the address (sub_region)."))
    return DashboardFilter(year=year, sub_region=sub_region)


def filter_args(dashboard_filter: DashboardFilter) -> dict[str, str]:
    """The filter as query arguments, for links that keep it."""
    args = {}
    if dashboard_filter.year is not None:
        args["year"] = str(dashboard_filter.year)
    if dashboard_filter.sub_region is not None:
        args["sub_region"] = dashboard_filter.sub_region.value
    return args


def year_choices(now_year: int) -> list[int]:
    first = current_app.config.get("HYTU_PLAN_FIRST_YEAR", 2020)
    return list(range(now_year, first - 1, -1))
