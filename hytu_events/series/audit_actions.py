"""What the change history calls the changes made to a series, its fields and their values
(imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..events.models import Event
from ..events.repeats import WEEKDAY_CODES, WEEKS_OF_MONTH
from ..i18n import weekday_names
from .models import Frequency, Series

audit.register_actions(
    {
        "series.created": _l("Series created"),
        "series.updated": _l("Series changed"),
        "series.split": _l("Series split: the following dates as a series of their own"),
        "series.extended": _l("Dates added at the end"),
        "series.shortened": _l("Dates removed from the end"),
        "series.published": _l("Draft dates published"),
        "series.deleted": _l("Series deleted"),
        "series.measures": _l("Measures of the series"),
    }
)
# As the new-event form's "Repeats" and the series' pages call them.
audit.register_fields(
    Series,
    frequency=_l("How often"),
    every=_l("Repeat every ... weeks or months"),
    weekdays=_l("Days of the week"),
    week_of_month=_l("Which week of the month"),
    first_date=_l("First date"),
    start_time=_l("Starts"),
    minutes=_l("Length in minutes"),
    ends_on=_l("Last day"),
    number_of_dates=_l("Number of dates"),
    title=_l("Title"),
    description=_l("Description"),
    title_sv=_l("Title in Swedish"),
    title_en=_l("Title in English"),
    description_sv=_l("Description in Swedish"),
    description_en=_l("Description in English"),
    venue=_l("Place"),
    online_url=_l("Online meeting link"),
    revision=_l("Calendar revision"),
    split_from=_l("Split from the series"),
    measures=_l("Measures"),
    dates=_l("Dates"),
)


def _weekdays(codes: str | None):
    """'MO,TH' as the reader's language names the days."""
    names = dict(zip(WEEKDAY_CODES, weekday_names(), strict=True))
    return [names.get(code, code) for code in codes.split(",")] if codes else None


audit.register_values(
    Series,
    frequency=Frequency,
    weekdays=_weekdays,
    week_of_month=lambda which: WEEKS_OF_MONTH.get(which, which),
    split_from=audit.row_names(Series, "title"),
)
# A date of a series is made with its place in it.
audit.register_fields(Event, series=_l("Series"), recurrence_id=_l("Date in the series"))
audit.register_values(Event, series=audit.row_names(Series, "title"))
