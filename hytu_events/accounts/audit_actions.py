"""What the change history calls the changes made to users (imported at app start)."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..forms import field_labels
from ..partners.models import Organisation
from .models import Role, User
from .user_forms import UserCreateForm

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
# As the user forms call them.
audit.register_fields(
    User,
    **field_labels(UserCreateForm),
    organisation_id=_l("Organisation"),
    active=_l("Active"),
)
audit.register_values(
    User, role=Role, organisation_id=audit.row_names(Organisation, "display_name")
)
