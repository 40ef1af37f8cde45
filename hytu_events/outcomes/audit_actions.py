"""What the change history calls the changes made to an event's measures, its outcome and
its follow-ups, their fields and values (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..events.models import Event
from .models import FollowUp, FollowUpStatus, Outcome

audit.register_actions(
    {
        "event.measures": _l("Measures of the plan changed"),
        "outcome.recorded": _l("Outcome recorded"),
        "follow_up.done": _l("Follow-up done"),
        "follow_up.reopened": _l("Follow-up open again"),
    }
)
# The measures are logged by their codes.
audit.register_fields(Event, measures=_l("Measures this event serves"))
audit.register_fields(
    Outcome,
    summary=_l("Summary"),
    agreements=_l("Agreements made"),
    manual_attendance=_l("Number of participants (for events without registration)"),
)
audit.register_fields(FollowUp, status=_l("Status"))
audit.register_values(FollowUp, status=FollowUpStatus)


def _which(entries) -> dict[int, str]:
    """The follow-up each entry is about, in its own words (kept in the entry: a follow-up is
    replaced when the outcome is saved again)."""
    return {
        entry.id: (entry.after or {})["follow_up"]
        for entry in entries
        if "follow_up" in (entry.after or {})
    }


audit.register_subjects(FollowUp, _which)
