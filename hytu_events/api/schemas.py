"""What the API reads from a query string and what it answers, as marshmallow schemas: the
OpenAPI document is generated from these, and answers are dumped through them.

Every answer holds public facts and counts only: no names or email addresses of participants
or coordinators, no private online links (tests/api/test_nothing_personal.py).
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ..config import SUPPORTED_LANGUAGES
from ..events.models import EventKind
from ..numbers import INT_MAX
from ..partners.models import SubRegion
from ..plan.models import MunicipalPlanStatus

#: As events.filters and plan.queries read them: a slug or an id; a code or an id.
MUNICIPALITY_PATTERN = r"^[A-Za-z0-9-]{1,40}$"
MEASURE_PATTERN = r"^[A-Za-z0-9._-]{1,20}$"


def _text(description: str, **options) -> fields.String:
    return fields.String(required=True, metadata={"description": description}, **options)


def _maybe(field: type[fields.Field], description: str, **options) -> fields.Field:
    return field(required=True, allow_none=True, metadata={"description": description}, **options)


class Query(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # a parameter the operation does not read changes nothing

    lang = fields.String(
        validate=validate.OneOf(SUPPORTED_LANGUAGES),
        metadata={
            "description": "Language of the texts (labels, titles, names, rules); without it "
            "the Accept-Language header decides, else Finnish."
        },
    )


class PageQuery(Query):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=INT_MAX),
        metadata={"description": "Page number; a page past the last one is empty."},
    )
    page_size = fields.Integer(
        load_default=30,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Items per page."},
    )


class EventQuery(PageQuery):
    kind = fields.String(
        validate=validate.OneOf([kind.value for kind in EventKind]),
        metadata={"description": "Type of event, as on the public list."},
    )
    municipality = fields.String(
        validate=validate.Regexp(MUNICIPALITY_PATTERN),
        metadata={"description": "A municipality's slug (`inari`) or id, as on the public list."},
    )
    measure = fields.String(
        validate=validate.Regexp(MEASURE_PATTERN),
        metadata={"description": "A measure of the plan by code (`T1`) or id."},
    )
    when = fields.String(
        load_default="upcoming",
        validate=validate.OneOf(["upcoming", "past", "all"]),
        metadata={
            "description": "`upcoming`: not yet over, soonest first (the public list); `past`: "
            "over, latest first (the list's past tab); `all`: both, earliest first."
        },
    )
    starts_from = fields.Date(
        data_key="from",
        metadata={"description": "Only events starting on this day or later (Finnish time)."},
    )
    starts_to = fields.Date(
        data_key="to",
        metadata={"description": "Only events starting on this day or earlier (Finnish time)."},
    )
    series = fields.Integer(
        validate=validate.Range(min=1, max=INT_MAX),
        metadata={"description": "Only the dates of this series (its id)."},
    )


class SummaryQuery(Query):
    year = fields.Integer(
        validate=validate.Range(min=2000, max=2100),
        metadata={"description": "Only events held in this year (Finnish time)."},
    )
    sub_region = fields.String(
        validate=validate.OneOf([region.value for region in SubRegion]),
        metadata={"description": "Only events held in this sub-region."},
    )


class Label(ma.Schema):
    code = _text("Stable code")
    label = _text("The code in the language asked for")


class MunicipalityRef(ma.Schema):
    slug = _text("Stable key, as in `?municipality=`")
    name = _text("Name in the language asked for (Finnish when it has no other)")


class MeasureRef(ma.Schema):
    code = _text("Stable key, as in `?measure=`")
    title = _text("Title in the language asked for (Finnish when it has no other)")


def _language_of(text: str) -> fields.String:
    return _text(
        f"The language of `{text}`: the one asked for, or `fi` where the organisers wrote none "
        "in it",
        validate=validate.OneOf(["fi", "sv", "en"]),
    )


class SeriesRef(ma.Schema):
    id = fields.Integer(required=True)
    title = _text("The series' title in the language asked for (Finnish when it has no other)")
    url = _text("Its page on the site", validate=validate.URL())
    api_url = _text("Its dates in this API", validate=validate.URL())


class Registration(ma.Schema):
    state = _text(
        "Whether the form is offered",
        validate=validate.OneOf(["open", "not_yet_open", "closed", "ended", "cancelled"]),
    )
    opens_at = _maybe(fields.DateTime, "None: open as soon as published")
    closes_at = fields.DateTime(required=True)
    url = _text("The registration form", validate=validate.URL())


class Event(ma.Schema):
    id = fields.Integer(required=True)
    url = _text("The event's page on the site", validate=validate.URL())
    calendar_url = _text("The event as an iCalendar file", validate=validate.URL())
    kind = fields.Nested(Label, required=True)
    status = fields.Nested(
        Label, required=True, metadata={"description": "published or cancelled (never a draft)"}
    )
    cancellation_reason = _maybe(fields.String, "Given when the event was cancelled")
    title = _text("As written by the organisers, in the language asked for where they wrote one")
    title_language = _language_of("title")
    description = _text("Plain text; paragraphs separated by blank lines")
    description_language = _language_of("description")
    starts_at = fields.DateTime(required=True, metadata={"description": "With its UTC offset"})
    ends_at = fields.DateTime(required=True, metadata={"description": "With its UTC offset"})
    venue = _maybe(fields.String, "Street address or room; None for online-only events")
    online = fields.Boolean(required=True, metadata={"description": "Held online (too)"})
    online_url = _maybe(fields.String, "Only where the organisers publish the link")
    municipalities = fields.List(fields.Nested(MunicipalityRef), required=True)
    measures = fields.List(fields.Nested(MeasureRef), required=True)
    series = fields.Nested(SeriesRef, required=True, allow_none=True)
    capacity = _maybe(fields.Integer, "Places; None: no limit")
    seats_left = _maybe(fields.Integer, "Places nobody holds; None: no limit")
    waiting_list = fields.Integer(required=True, metadata={"description": "People waiting"})
    registration = fields.Nested(Registration, required=True)


class SeriesDate(ma.Schema):
    id = fields.Integer(required=True)
    url = _text("The date's page on the site", validate=validate.URL())
    api_url = _text("The date in this API", validate=validate.URL())
    status = fields.Nested(Label, required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    seats_left = _maybe(fields.Integer, "Places nobody holds; None: no limit")


class Series(ma.Schema):
    id = fields.Integer(required=True)
    url = _text("The series' page on the site", validate=validate.URL())
    title = _text("As written by the organisers, in the language asked for where they wrote one")
    title_language = _language_of("title")
    description = _text("Plain text")
    description_language = _language_of("description")
    rule = _text("When it recurs, in words, in the language asked for")
    venue = _maybe(fields.String, "Street address or room; None for online-only series")
    online = fields.Boolean(required=True)
    dates = fields.List(
        fields.Nested(SeriesDate),
        required=True,
        metadata={"description": "Its published and cancelled dates, soonest first"},
    )


class FocusAreaRef(ma.Schema):
    code = _text("Stable key")
    name = _text("Name in the language asked for")


class Measure(MeasureRef):
    description = _text("In Finnish, the plan's language")
    start_year = fields.Integer(required=True)
    end_year = fields.Integer(required=True)
    target = _maybe(fields.String, "The target in words")
    focus_areas = fields.List(fields.Nested(FocusAreaRef), required=True)
    events = fields.Integer(required=True, metadata={"description": "Published events serving it"})
    upcoming_events = fields.Integer(required=True, metadata={"description": "Of them not over"})
    events_api_url = _text("Those events in this API", validate=validate.URL())


class PlanStatus(Label):
    since = _maybe(fields.Date, "The day of the latest change; None: never tracked")


class Municipality(MunicipalityRef):
    name_fi = _text("Official Finnish name")
    name_sv = _maybe(fields.String, "Official Swedish name, where one exists")
    name_se = _maybe(fields.String, "Northern Sámi name, where one exists")
    sub_region = fields.Nested(Label, required=True)
    sami_homeland = fields.Boolean(required=True)
    plan_status = fields.Nested(
        PlanStatus,
        required=True,
        metadata={
            "description": "Where its combined HYTU plan stands: "
            + ", ".join(status.value for status in MunicipalPlanStatus)
        },
    )
    events_api_url = _text("Its events in this API", validate=validate.URL())


class Count(Label):
    count = fields.Integer(required=True)


class MonthCount(ma.Schema):
    month = _text("The month, as the language asked for names it")
    events = fields.Integer(required=True)


class RegionCoverage(Label):
    reached = fields.Integer(required=True)
    municipalities = fields.Integer(required=True)


class MeasureFigures(MeasureRef):
    events = fields.Integer(required=True)
    participants = fields.Integer(required=True)
    partners_reached = fields.Integer(required=True)
    municipalities_reached = fields.Integer(required=True)


class MunicipalityFigures(MunicipalityRef):
    plan_status = fields.Nested(Label, required=True)
    events = fields.Integer(required=True, metadata={"description": "Events held there"})
    people = fields.Integer(required=True, metadata={"description": "People reached"})


class PartnerFigures(ma.Schema):
    name = _text("The partner organisation")
    events = fields.Integer(required=True)
    participants = fields.Integer(required=True)


class Summary(ma.Schema):
    year = _maybe(fields.Integer, "The year asked for; None: all years")
    sub_region = fields.Nested(Label, required=True, allow_none=True)
    events_held = fields.Integer(required=True)
    participants = fields.Integer(required=True)
    partner_count = fields.Integer(required=True)
    partners_reached = fields.Integer(required=True)
    municipality_count = fields.Integer(required=True)
    municipalities_reached = fields.Integer(required=True)
    plan_statuses = fields.List(fields.Nested(Count), required=True)
    events_by_month = fields.List(fields.Nested(MonthCount), required=True)
    coverage = fields.List(fields.Nested(RegionCoverage), required=True)
    measures = fields.List(fields.Nested(MeasureFigures), required=True)
    municipalities = fields.List(fields.Nested(MunicipalityFigures), required=True)
    partners = fields.List(fields.Nested(PartnerFigures), required=True)
