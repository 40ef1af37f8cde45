"""What the change history calls the changes coordinators make to registrations (imported at
app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from .models import Registration, RegistrationStatus

audit.register_actions(
    {
        "registration.created": _l("Participant added"),
        "registration.updated": _l("Registration changed"),
        "registration.cancelled": _l("Registration cancelled"),
        "registration.promoted": _l("Moved from the waiting list"),
        "registration.attendance": _l("Attendance marked"),
        "registration.link_sent": _l("Self-service link sent again"),
    }
)
audit.register_labelled_fields(Registration, status=RegistrationStatus)
