"""Every model, imported in one place so Alembic and the app see the whole schema."""

<<<<<<< HEAD
from .accounts.models import Role, User
from .audit.models import AuditEntry
=======
from .calendar.models import CalendarFeedToken
>>>>>>> main
from .events.models import Event, EventKind, EventStatus, event_municipalities
from .partners.models import Municipality, Organisation, OrganisationCategory, SubRegion
from .registrations.models import Language, Registration, RegistrationStatus

__all__ = [
<<<<<<< HEAD
    "AuditEntry",
=======
    "CalendarFeedToken",
>>>>>>> main
    "Event",
    "EventKind",
    "EventStatus",
    "Language",
    "Municipality",
    "Organisation",
    "OrganisationCategory",
    "Registration",
    "RegistrationStatus",
    "Role",
    "SubRegion",
    "User",
    "event_municipalities",
]
