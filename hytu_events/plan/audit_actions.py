"""What the change history calls the changes made to the plan, their fields and values
(imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..forms import field_labels
from .editing_forms import FocusAreaForm, IndicatorForm, IndicatorValueForm, MeasureForm, PlanForm
from .models import FocusArea, FocusAreaKind, Indicator, IndicatorDirection, Measure, Plan

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
# As the plan's forms call them; an import by what it brought.
audit.register_fields(
    Plan,
    **field_labels(PlanForm),
    file=_l("CSV file"),
    kind=_l("Kind"),
    created=_l("Added"),
    updated=_l("Updated"),
)
#: What an imported file held, by the `plan import` layout's name.
IMPORTED = {"measures": _l("Measures"), "indicator-values": _l("Figures")}
audit.register_values(Plan, kind=lambda kind: IMPORTED.get(kind, kind))
audit.register_fields(FocusArea, **field_labels(FocusAreaForm))
audit.register_values(FocusArea, kind=FocusAreaKind)
audit.register_fields(Measure, **field_labels(MeasureForm))
# An indicator's figures are in its history too.
audit.register_fields(
    Indicator, **field_labels(IndicatorForm), **field_labels(IndicatorValueForm), area=_l("Area")
)
audit.register_values(Indicator, direction=IndicatorDirection)
