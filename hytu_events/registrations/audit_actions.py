"""What the change history calls the changes coordinators make to registrations, their fields
and values, and whose registration each entry is about (imported at app start)."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from .. import audit
from ..extensions import db
from .models import Language, Registration, RegistrationStatus

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

#: The logged fields, as the participants' pages call them; the personal ones are logged by
#: name only (`personal_details`), never with their values.
FIELDS = {
    "status": _l("Status"),
    "cancelled_at": lazy_pgettext("registration", "Cancelled"),
    "promoted_at": _l("Moved from the waiting list"),
    "attended": _l("Attended"),
    "organisation": _l("Organisation"),
    "municipality": _l("Municipality"),
    "language": _l("Language of emails"),
    "personal_details": _l("Personal details changed (the log keeps no values)"),
    "name": _l("Name"),
    "job_title": _l("Job title"),
    "needs": _l("Needs"),
}
audit.register_fields(Registration, **FIELDS)


def _attendance(value) -> str:
    if value is None:
        return _("not marked")
    return _("attended") if value else _("did not attend")


audit.register_values(
    Registration,
    status=RegistrationStatus,
    language=Language,
    attended=_attendance,
    personal_details=lambda names: [str(FIELDS.get(name, name)) for name in names or ()],
)


def _whose(entries) -> dict[int, str]:
    """The participant each entry is about, by name (the history is the back office's; never
    by email); an erased registration says so."""
    ids = {entry.target_id for entry in entries if entry.target_id is not None}
    rows = db.session.execute(
        sa.select(Registration.id, Registration.name, Registration.erased_at).where(
            Registration.id.in_(ids)
        )
    )
    names = {id_: _("erased participant") if erased else name for id_, name, erased in rows}
    return {entry.id: names[entry.target_id] for entry in entries if entry.target_id in names}


audit.register_subjects(Registration, _whose)
