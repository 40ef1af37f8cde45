"""Every model, imported in one place so Alembic and the app see the whole schema."""

from .accounts.models import Role, User
from .audit.models import AuditEntry
from .calendar.models import CalendarFeedToken
from .events.models import Event, EventKind, EventStatus, event_municipalities
from .mailing.models import MessageKind, MessageStatus, OutboxMessage
from .partners.models import Municipality, Organisation, OrganisationCategory, SubRegion
from .registrations.models import Language, Registration, RegistrationStatus

__all__ = [
    "AuditEntry",
    "CalendarFeedToken",
    "Event",
    "EventKind",
    "EventStatus",
    "Language",
    "MessageKind",
    "MessageStatus",
    "Municipality",
    "Organisation",
    "OrganisationCategory",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "Role",
    "SubRegion",
    "User",
    "event_municipalities",
]
