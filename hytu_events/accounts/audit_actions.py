"""What the change history calls the changes made to users (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit

audit.register_actions(
    {
        "user.created": _l("User created"),
        "user.updated": _l("User changed"),
        "user.deactivated": _l("User deactivated"),
        "user.reactivated": _l("User reactivated"),
        "user.password_changed": _l("Password changed"),
        "user.password_reset": _l("Password reset by an administrator"),
    }
)
