"""What the change history calls the changes made to an event's measures, its outcome and
its follow-ups (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit

audit.register_actions(
    {
        "event.measures": _l("Measures of the plan changed"),
        "outcome.recorded": _l("Outcome recorded"),
        "follow_up.done": _l("Follow-up done"),
        "follow_up.reopened": _l("Follow-up open again"),
    }
)
