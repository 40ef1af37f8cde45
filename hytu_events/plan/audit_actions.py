"""What the change history calls the changes made to the plan (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from .models import FocusArea, FocusAreaKind, Indicator, IndicatorDirection

audit.register_actions(
    {
        "plan.created": _l("Plan named"),
        "plan.updated": _l("Plan changed"),
        "plan.imported": _l("File imported"),
        "focus_area.created": _l("Focus area added"),
        "focus_area.updated": _l("Focus area changed"),
        "focus_area.deleted": _l("Focus area deleted"),
        "measure.created": _l("Measure added"),
        "measure.updated": _l("Measure changed"),
        "measure.deleted": _l("Measure deleted"),
        "indicator.created": _l("Indicator added"),
        "indicator.updated": _l("Indicator changed"),
        "indicator.deleted": _l("Indicator deleted"),
        "indicator_value.saved": _l("Figure saved"),
        "indicator_value.deleted": _l("Figure deleted"),
    }
)
audit.register_labelled_fields(FocusArea, kind=FocusAreaKind)
audit.register_labelled_fields(Indicator, direction=IndicatorDirection)
