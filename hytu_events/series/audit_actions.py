"""What the change history calls the changes made to a series (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
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
audit.register_labelled_fields(Series, frequency=Frequency)
