"""The demo data (`flask seed --demo`) as tests that walk every page open it, and the URL of
each page with its rows.

`make_demo` saves the demo plus what only shows with more rows: a registration with needs (an
email in the outbox, a self-service link), a user to edit, plan rows nothing depends on, a series
whose dates have all been held. `page_urls` gives every GET rule of the back office or the public
side filled with those rows (tests/browser/test_accessibility.py, tests/test_page_language.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from werkzeug.routing import AnyConverter, Rule

from hytu_events.accounts.models import Role
from hytu_events.cli import seed_demo_events
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.feed_tokens.tokens import participant_feed_token
from hytu_events.feedback.demo import record_demo_feedback
from hytu_events.feedback.links import feedback_token
from hytu_events.feedback.models import FeedbackRequest
from hytu_events.models import Event, OutboxMessage
from hytu_events.outcomes.demo import link_demo_events, record_demo_outcomes
from hytu_events.outcomes.models import FollowUp, Outcome
from hytu_events.plan import editing
from hytu_events.plan.models import (
    FocusArea,
    FocusAreaKind,
    Indicator,
    IndicatorValue,
    Measure,
    Plan,
)
from hytu_events.plan.seed import seed_plan
from hytu_events.registrations.models import Language, Registration
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token, self_service_url
from hytu_events.series.demo import demo_series
from hytu_events.series.demo_registrations import WHOLE_SERIES
from hytu_events.series.operations import create_series
from tests.accounts.helpers import make_user
from tests.helpers import municipality, organisation
from tests.series.helpers import coffee_details, every_other_thursday
from tests.test_authorisation import AUDIENCES, TokenHolder

#: Pages that show more with another row than the usual one of their URL argument.
OTHER_ROWS = {
    # The preview is for drafts: their public page does not exist yet.
    "catalogue_admin.preview": {"event_id": "draft_event_id"},
    # An event that has happened, with its outcome recorded.
    "outcomes.outcome": {"event_id": "past_event_id"},
    # Rows nothing depends on, so that the confirmation shows (the refusal is a state below).
    "plan_edit.delete_focus_area": {"focus_area_id": "spare_focus_area_id"},
    "plan_edit.delete_measure": {"measure_id": "spare_measure_id"},
    "plan_edit.delete_indicator": {"indicator_id": "spare_indicator_id"},
    # A date's edit within its series.
    "series_admin.edit_date": {"event_id": "series_date_id"},
}


@dataclass
class Demo:
    admin_email: str
    #: Values of URL arguments by name, and the other rows of `OTHER_ROWS`.
    rows: dict[str, object]
    #: The secret of each kind of `TokenHolder` (tests/test_authorisation.py).
    secrets: dict[str, str]
    self_service_path: str
    #: The own page of a place at a date of a series (it lists every date).
    series_place_path: str


def make_demo(app: Flask) -> Demo:
    """`flask seed --demo`, a registration with needs (so an email in the outbox and a
    self-service link), a user to edit, and plan rows that can be deleted."""
    zone = ZoneInfo(app.config["HYTU_TIMEZONE"])
    seed_plan()
    seed_demo_events(zone, utcnow())
    link_demo_events()
    record_demo_outcomes(utcnow(), zone)
    record_demo_feedback(utcnow())
    db.session.commit()

    def demo_event(key: str) -> Event:
        uid = f"demo-{key}@hytu-events"
        return db.session.scalars(sa.select(Event).where(Event.calendar_uid == uid)).one()

    upcoming = demo_event("clinic-pello")  # published, open, with participants and measures
    series = demo_series()  # every other Thursday, a date cancelled and one moved
    registration = register(
        upcoming.id,
        ParticipantDetails(
            name="Aino Aikio",
            email="aino.aikio@example.fi",
            organisation_id=organisation("lapin-pelastuslaitos").id,
            organisation_other=None,
            municipality_id=municipality("pello").id,
            job_title="HYTE-koordinaattori",
            needs="Gluteeniton ruokavalio",
            language=Language.FI,
        ),
    ).registration
    db.session.commit()
    admin = make_user(Role.ADMIN, name="Aila Admin")
    other = make_user(Role.COORDINATOR, email="kalle.koordinaattori@example.fi", name="Kalle K")
    # The demo's people registered for the demo series (seed --demo does it).
    series_place = db.session.scalars(
        sa.select(Registration)
        .where(Registration.email == WHOLE_SERIES[0][1])
        .order_by(Registration.id)
    ).first()

    plan = db.session.scalars(sa.select(Plan)).first()
    spare_area = FocusArea(
        plan=plan,
        kind=FocusAreaKind.SAFETY_THEME,
        code="S99",
        name_fi="Kokeiluteema",
        name_sv="Försökstema",
        name_en="Trial theme",
        position=99,
    )
    spare_measure = Measure(
        plan=plan, code="T99", title="Kokeilutoimenpide", start_year=2026, end_year=2027
    )
    db.session.add_all([spare_area, spare_measure])
    db.session.flush()
    spare_indicator = next(
        indicator
        for indicator in db.session.scalars(sa.select(Indicator).order_by(Indicator.id))
        if editing.why_not_delete_indicator(indicator) is None
    )
    value = db.session.scalars(sa.select(IndicatorValue).order_by(IndicatorValue.id)).first()

    def first(model, *where) -> int:
        return db.session.scalars(sa.select(model.id).where(*where).order_by(model.id)).first()

    rows = {
        "event_id": upcoming.id,
        "registration_id": registration.id,
        "user_id": other.id,
        "message_id": first(OutboxMessage, OutboxMessage.registration_id == registration.id),
        # In use: its edit page shows what depends on it.
        "focus_area_id": first(FocusArea),
        "measure_id": first(Measure, Measure.code == "T1"),
        "indicator_id": value.indicator_id,
        "value_id": value.id,
        "follow_up_id": first(FollowUp),
        "filename": "css/site.css",
        "draft_event_id": demo_event("draft-directors").id,
        "past_event_id": demo_event("clinic-kemijarvi").id,
        "cancelled_event_id": demo_event("clinic-savukoski-cancelled").id,
        "spare_focus_area_id": spare_area.id,
        "spare_measure_id": spare_measure.id,
        "spare_indicator_id": spare_indicator.id,
        "series_id": series.id,
        "series_date_id": next(e.id for e in series.dates if e.status.value == "published"),
    }
    secrets = {
        "registration": self_service_token(registration),
        "feed": participant_feed_token(registration.email),
        "series place": self_service_token(series_place),
        "feedback": feedback_token(_unanswered_request()),
    }
    rows["held_series_id"] = _held_series(zone).id
    path = urlsplit(self_service_url(registration)).path
    series_path = urlsplit(self_service_url(series_place)).path
    db.session.commit()
    return Demo(admin.email, rows, secrets, path, series_path)


def _unanswered_request() -> Registration:
    """A demo participant asked for feedback who has not answered: their link opens the form."""
    return db.session.scalars(
        sa.select(Registration)
        .join(FeedbackRequest, FeedbackRequest.registration_id == Registration.id)
        .where(FeedbackRequest.answered.is_(False))
        .order_by(Registration.id.desc())
    ).first()


def _held_series(zone: ZoneInfo):
    """Three dates every other Thursday that have all been held, with their attendance (the
    series page's chart and table)."""
    today = utcnow().astimezone(zone).date() - timedelta(weeks=8)
    first = today - timedelta(days=(today.weekday() - 3) % 7)
    series = create_series(
        coffee_details(datetime.combine(first, clock(9, 0))),
        every_other_thursday(3, first_date=first),
        None,
        publish=True,
    )
    for event, people in zip(series.dates, (6, 9, 4), strict=True):
        db.session.add(Outcome(event_id=event.id, manual_attendance=people))
    return series


def url_values(rule: Rule, demo: Demo) -> list[dict]:
    """Every combination of values for the rule's URL arguments (each choice of an `any`)."""
    other = OTHER_ROWS.get(rule.endpoint, {})
    choices = {}
    for name, converter in rule._converters.items():
        if name == "token":
            audience = AUDIENCES.get(rule.endpoint)
            if not isinstance(audience, TokenHolder):
                pytest.fail(
                    f"{rule.endpoint} ({rule.rule}): which secret opens <token>? Name it in "
                    "AUDIENCES (tests/test_authorisation.py).",
                    pytrace=False,
                )
            choices[name] = [demo.secrets[audience.secret]]
        elif name in demo.rows:
            choices[name] = [demo.rows[other.get(name, name)]]
        elif isinstance(converter, AnyConverter):
            choices[name] = sorted(converter.items)
        else:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}): no value for <{name}> "
                f"({type(converter).__name__}) to audit the page with. Add a demo row's id to "
                "the `rows` of `make_demo` in tests/demo_pages.py.",
                pytrace=False,
            )
    names = list(choices)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices.values())]


def page_urls(app: Flask, demo: Demo, back_office: bool) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET rule, of the back office or of the public side."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods:
            continue
        guarded = getattr(app.view_functions[rule.endpoint], "required_role", None) is not None
        if guarded is not back_office:
            continue
        for values in url_values(rule, demo):
            with app.test_request_context():
                urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return urls


def more_public_urls(demo: Demo) -> list[tuple[str, int]]:
    """(URL, status) of public pages that other rows show: the past, a cancelled event, its
    closed registration, a municipality's embedded list, the page for an unknown address."""
    rows = demo.rows
    return [
        ("/?when=past", 200),
        (f"/events/{rows['past_event_id']}", 200),
        (f"/events/{rows['cancelled_event_id']}", 200),
        (f"/events/{rows['cancelled_event_id']}/register", 200),  # closed
        ("/embed/events?municipality=pello&kind=hytu_clinic", 200),  # a municipality's own list
        ("/no-such-page", 404),
    ]


def more_back_office_urls(demo: Demo) -> list[tuple[str, int]]:
    """(URL, status) of back-office pages that other rows or arguments show."""
    rows = demo.rows
    return [
        (f"/admin/plan/measures/{rows['measure_id']}/delete", 409),  # in use
        (f"/admin/series/{rows['held_series_id']}", 200),  # attendance: a chart, a table
        (f"/admin/events/{rows['draft_event_id']}", 200),
        (f"/admin/events/{rows['past_event_id']}", 200),
        ("/admin/events?show=past", 200),
        ("/admin/events?show=drafts", 200),
        ("/admin/follow-ups?show=all", 200),
        (f"/admin/plan/municipalities?municipality={municipality('pello').id}", 200),
        ("/admin/report?sub_region=kemi-tornio", 200),
    ]
