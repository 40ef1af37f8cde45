"""What the change history calls the changes made to a series (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from .models import Frequency, Series

audit.register_actions(
    {
        "series.created": _l("Series created"),
        "series.updated": _l("Series changed"),
    }
)
audit.register_labelled_fields(Series, frequency=Frequency)
