"""Every model, imported in one place so Alembic and the app see the whole schema."""

from .accounts.models import Role, User
from .audit.models import AuditEntry
from .calendar.data_version import CalendarVersion
from .events.models import (
    Event,
    EventKind,
    EventStatus,
    event_coordinators,
    event_municipalities,
    event_organisations,
)
from .feed_tokens.models import CalendarFeedToken
from .feedback.models import FeedbackAnswer, FeedbackMeasureAnswer, FeedbackRequest, FeedbackSetting
from .mailing.models import MessageKind, MessageStatus, OutboxMessage
from .outcomes.models import FollowUp, Outcome, OutcomeMeasure
from .partners.models import Municipality, Organisation, OrganisationCategory, SubRegion
from .plan.models import (
    FocusArea,
    Indicator,
    IndicatorValue,
    Measure,
    MunicipalPlanStatusChange,
    Plan,
    event_measures,
)
from .registrations.models import Language, LinkRequest, Registration, RegistrationStatus
from .series.models import Frequency, Series

__all__ = [
    "AuditEntry",
    "CalendarFeedToken",
    "CalendarVersion",
    "FeedbackAnswer",
    "FeedbackMeasureAnswer",
    "FeedbackRequest",
    "FeedbackSetting",
    "Event",
    "EventKind",
    "EventStatus",
    "Language",
    "LinkRequest",
    "MessageKind",
    "MessageStatus",
    "Municipality",
    "Organisation",
    "OrganisationCategory",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Series",
    "Frequency",
    "SubRegion",
    "User",
    "event_coordinators",
    "event_municipalities",
    "event_organisations",
    "FocusArea",
    "FollowUp",
    "Indicator",
    "IndicatorValue",
    "Measure",
    "MunicipalPlanStatusChange",
    "Outcome",
    "OutcomeMeasure",
    "Plan",
    "event_measures",
]
