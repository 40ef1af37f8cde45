"""Who may open what: every endpoint of the URL map, for anonymous visitors and every role.

The test reads `app.url_map`, so an endpoint added later is covered without touching this file:
- public pages are an explicit allow-list below (and must not carry `required_role`);
- every other endpoint must be wrapped in `accounts.access.role_required(...)`, which records
  `view.required_role`; an endpoint with neither fails `test_every_endpoint_is_public_or_guarded`;
- for each guarded endpoint and each method it accepts, an anonymous visitor is sent to log in,
  a role below `required_role` gets 403, and a role at or above it gets through (any answer but
  401, 403 or a redirect to the login page; 400/422 for an empty form is fine, 404 too).
POSTs carry a valid CSRF token, so a 400 is never the CSRF check hiding the access check.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import AnyConverter, Rule

from hytu_events import create_app
from hytu_events.extensions import db
from hytu_events.models import Language, OutboxMessage, Role
from hytu_events.plan.models import FocusArea, FollowUp, IndicatorValue, Measure, Outcome
from hytu_events.plan.seed import seed_plan
from hytu_events.registrations.operations import ParticipantDetails, register
from tests.accounts.helpers import log_in, make_user
from tests.helpers import csrf_token, make_event, municipality, organisation

#: Endpoints anyone may open.
PUBLIC_ENDPOINTS = {"static", "events.index", "events.detail", "accounts.login"}
#: Blueprints whose every endpoint is public: registration forms, self-service links, legal
#: pages, calendar feeds. An endpoint there that carries `required_role` is checked as guarded.
PUBLIC_BLUEPRINTS = {"registrations", "self_service", "public", "calendar", "plan_public"}

ROLES = [Role.VIEWER, Role.COORDINATOR, Role.ADMIN]
CSRF_FAILURE = "The form had expired or was sent from another page"


def _url_map_app():
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "url-map-only-" + "x" * 32,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )


_APP = _url_map_app()


def _is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS


def _required_role(app, endpoint: str) -> Role | None:
    return getattr(app.view_functions[endpoint], "required_role", None)


def _methods(rule: Rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


#: Every endpoint with `required_role` (the unguarded ones fail the first test below).
GUARDED_RULES = [
    rule for rule in _APP.url_map.iter_rules() if _required_role(_APP, rule.endpoint) is not None
]
#: Changes that concern only the person themself, so a viewer may make them.
OWN_ACCOUNT_ENDPOINTS = {"accounts.logout", "accounts.password"}


def test_every_endpoint_is_public_or_guarded():
    unguarded = [
        f"{rule.endpoint} ({rule.rule})"
        for rule in _APP.url_map.iter_rules()
        if _required_role(_APP, rule.endpoint) is None and not _is_public(rule.endpoint)
    ]
    assert not unguarded, (
        "These endpoints are neither on the public allow-list of tests/test_authorisation.py nor "
        "wrapped in @role_required(Role....) (outermost decorator): " + ", ".join(unguarded)
    )


def test_declared_roles_follow_the_conventions():
    """Viewers change nothing; only admins manage users."""
    wrong = []
    for rule in GUARDED_RULES:
        required = _required_role(_APP, rule.endpoint)
        if not isinstance(required, Role):
            wrong.append(f"{rule.endpoint}: required_role={required!r} is not a Role")
        elif rule.endpoint.startswith("users.") and required is not Role.ADMIN:
            wrong.append(f"{rule.endpoint}: user management needs ADMIN, not {required.value}")
        elif (
            set(_methods(rule)) - {"GET"}
            and rule.endpoint not in OWN_ACCOUNT_ENDPOINTS
            and required < Role.COORDINATOR
        ):
            wrong.append(f"{rule.endpoint} accepts {_methods(rule)}: changes need COORDINATOR")
    assert not wrong, "\n".join(wrong)


def test_back_office_urls_are_never_public():
    public_admin = [
        rule.rule
        for rule in _APP.url_map.iter_rules()
        if rule.rule.startswith("/admin") and _required_role(_APP, rule.endpoint) is None
    ]
    assert not public_admin, public_admin


@pytest.fixture
def objects(app):
    """The rows URLs point at: an event with a registration, a user to manage, the plan."""
    seed_plan()
    event = make_event()
    details = ParticipantDetails(
        name="Kaisa Keskitalo",
        email="kaisa@example.fi",
        organisation_id=organisation("lapin-amk").id,
        organisation_other=None,
        municipality_id=municipality("rovaniemi").id,
        job_title=None,
        needs=None,
        language=Language.FI,
    )
    registration = register(event.id, details).registration
    db.session.commit()
    target = make_user(Role.VIEWER, email="managed@example.fi", name="Managed User")
    message = db.session.scalars(sa.select(OutboxMessage)).first()  # the confirmation email
    value = db.session.scalars(sa.select(IndicatorValue)).first()
    outcome = Outcome(event_id=event.id)
    db.session.add(outcome)
    db.session.flush()
    follow_up = FollowUp(outcome_id=outcome.id, what="Kysely kunnille")
    db.session.add(follow_up)
    db.session.flush()

    def first(model):
        return db.session.scalars(sa.select(model).order_by(model.id)).first().id

    return {
        "focus_area_id": first(FocusArea),
        "measure_id": first(Measure),
        "indicator_id": value.indicator_id,
        "value_id": value.id,
        "follow_up_id": follow_up.id,
        "event_id": event.id,
        "registration_id": registration.id,
        "user_id": target.id,
        "message_id": message.id,
    }


def _url_values(rule: Rule, objects: dict) -> dict:
    values = {}
    for name, converter in rule._converters.items():
        if name in objects:
            values[name] = objects[name]
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}): no test value for <{name}> "
                f"({type(converter).__name__}). Add one to the `objects` fixture in "
                "tests/test_authorisation.py.",
                pytrace=False,
            )
    return values


class Visitor:
    """A logged-in (or anonymous) browser whose session is replayed for every request.

    Replaying the saved cookie means a request that logs out or changes the session (such as
    POST /logout) cannot affect the next check.
    """

    def __init__(self, app, user=None):
        self.app = app
        client = app.test_client()
        if user is not None:
            log_in(client, user)
            page = client.get("/account/password?lang=en")
        else:
            page = client.get("/login?lang=en")
        assert page.status_code == 200
        self.token = csrf_token(page.text)
        self.cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value

    def request(self, method: str, url: str):
        client = self.app.test_client()
        client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookie)
        data = None if method == "GET" else {"csrf_token": self.token}
        return client.open(url, method=method, data=data)


def _sent_to_login(response) -> bool:
    """Redirected to log in first (with ?next=; logging out also ends on the login page)."""
    location = response.headers.get("Location", "")
    return (
        response.status_code in (301, 302, 303, 307, 308)
        and location.startswith("/login?")
        and "next=" in location
    )


@pytest.fixture
def visitors(app, client):  # `client` makes every test client run requests in their own context
    users = {role: make_user(role, email=f"{role.value}-visitor@example.fi") for role in ROLES}
    visitors = {role: Visitor(app, user) for role, user in users.items()}
    visitors[None] = Visitor(app)
    return visitors


@pytest.mark.parametrize("rule", GUARDED_RULES, ids=lambda rule: rule.endpoint)
def test_each_role_gets_exactly_what_it_may(app, objects, visitors, rule):
    required = _required_role(app, rule.endpoint)
    with app.test_request_context():
        url = url_for(rule.endpoint, **_url_values(rule, objects))
    problems = []
    for method in _methods(rule):
        anonymous = visitors[None].request(method, url)
        if not _sent_to_login(anonymous):
            problems.append(f"{method} {url} anonymous: {anonymous.status_code}, not to log in")
        elif parse_qs(urlsplit(anonymous.headers["Location"]).query)["next"] != [url]:
            problems.append(f"{method} {url} anonymous: ?next= does not come back here")
        for role in ROLES:
            response = visitors[role].request(method, url)
            if role < required:
                if response.status_code != 403:
                    problems.append(
                        f"{method} {url} as {role.value}: {response.status_code}, expected 403 "
                        f"(needs {required.value})"
                    )
            elif response.status_code in (401, 403) or _sent_to_login(response):
                problems.append(
                    f"{method} {url} as {role.value}: {response.status_code}, but "
                    f"{required.value} may"
                )
            elif CSRF_FAILURE in response.text:
                problems.append(f"{method} {url} as {role.value}: CSRF check failed")
    assert not problems, "\n".join(problems)
