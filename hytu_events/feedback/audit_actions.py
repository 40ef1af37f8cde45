"""What the change history calls a change of an event's or a series' feedback settings
(imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..events.models import Event
from ..series.models import Series

audit.register_actions({"feedback.settings": _l("Feedback settings changed")})
for model in (Event, Series):
    audit.register_fields(
        model,
        feedback_enabled=_l("Ask participants for feedback after the event"),
        feedback_question=_l("Own feedback question"),
    )
