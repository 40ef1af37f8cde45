"""What the change history calls a change of a municipality's HYTU plan status, recorded
by the tracker, its fields and values (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..partners.models import Municipality
from ..plan.models import MunicipalPlanStatus, MunicipalPlanStatusChange

audit.register_actions({"plan_status.changed": _l("Municipal HYTU plan status changed")})
# As the tracker's form calls them.
audit.register_fields(
    MunicipalPlanStatusChange,
    municipality_id=_l("Municipality"),
    status=_l("New status"),
    changed_on=_l("Date"),
    source_text=_l("Source"),
)
audit.register_values(
    MunicipalPlanStatusChange,
    municipality_id=audit.row_names(Municipality, "name_fi"),
    status=MunicipalPlanStatus,
)
