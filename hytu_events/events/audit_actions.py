"""What the change history calls the changes made to an event, its fields and their values
(imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..accounts.models import User
from ..forms import field_labels
from ..partners.models import Municipality, Organisation
from .admin_forms import EventForm
from .models import Event, EventKind, EventStatus

audit.register_actions(
    {
        "event.created": _l("Event created"),
        "event.updated": _l("Event changed"),
        "event.duplicated": _l("Event duplicated"),
        "event.published": _l("Event published"),
        "event.cancelled": _l("Event cancelled"),
        "event.deleted": _l("Draft deleted"),
    }
)
# As the event form calls them.
audit.register_fields(
    Event,
    **field_labels(EventForm),
    status=_l("Status"),
    cancellation_reason=_l("Reason for cancelling"),
    revision=_l("Calendar revision"),
    copied_from=_l("Copied from"),
)
audit.register_values(
    Event,
    kind=EventKind,
    status=EventStatus,
    municipalities=audit.row_names(Municipality, "name_fi"),
    organisations=audit.row_names(Organisation, "display_name"),
    coordinators=audit.row_names(User),
    copied_from=audit.row_names(Event, "title"),
)
