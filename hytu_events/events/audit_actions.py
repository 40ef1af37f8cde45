"""What the change history calls the changes made to an event (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
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
audit.register_labelled_fields(Event, kind=EventKind, status=EventStatus)
