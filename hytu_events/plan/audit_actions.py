"""What the change history calls the changes made to the plan, to the measures an event
serves, and to event outcomes, follow-ups and municipal plan statuses (imported at app start).

The last three belong to the features that record them once plan/ is split (outcomes).
"""

from flask_babel import lazy_gettext as _l

from .. import audit
from .models import FocusArea, FocusAreaKind, Indicator, IndicatorDirection

audit.register_actions(
    {
        "event.measures": _l("Measures of the plan changed"),
        "outcome.recorded": _l("Outcome recorded"),
        "follow_up.done": _l("Follow-up done"),
        "follow_up.reopened": _l("Follow-up open again"),
        "plan_status.changed": _l("Municipal HYTU plan status changed"),
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
