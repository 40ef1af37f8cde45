"""What the change history calls a change of a municipality's HYTU plan status, recorded
by the tracker (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit

audit.register_actions({"plan_status.changed": _l("Municipal HYTU plan status changed")})
