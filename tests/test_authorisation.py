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
from flask import url_for

from hytu_events import create_app
from hytu_events.models import Role
from tests.accounts.helpers import make_user
from tests.url_walker import (
    Visitor,
    make_url_objects,
    methods_of,
    required_role,
    url_values,
)

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


#: Every endpoint with `required_role` (the unguarded ones fail the first test below).
GUARDED_RULES = [
    rule for rule in _APP.url_map.iter_rules() if required_role(_APP, rule.endpoint) is not None
]
#: Changes that concern only the person themself, so a viewer may make them.
OWN_ACCOUNT_ENDPOINTS = {"accounts.logout", "accounts.password"}


def test_every_endpoint_is_public_or_guarded():
    unguarded = [
        f"{rule.endpoint} ({rule.rule})"
        for rule in _APP.url_map.iter_rules()
        if required_role(_APP, rule.endpoint) is None and not _is_public(rule.endpoint)
    ]
    assert not unguarded, (
        "These endpoints are neither on the public allow-list of tests/test_authorisation.py nor "
        "wrapped in @role_required(Role....) (outermost decorator): " + ", ".join(unguarded)
    )


def test_declared_roles_follow_the_conventions():
    """Viewers change nothing; only admins manage users."""
    wrong = []
    for rule in GUARDED_RULES:
        required = required_role(_APP, rule.endpoint)
        if not isinstance(required, Role):
            wrong.append(f"{rule.endpoint}: required_role={required!r} is not a Role")
        elif rule.endpoint.startswith("users.") and required is not Role.ADMIN:
            wrong.append(f"{rule.endpoint}: user management needs ADMIN, not {required.value}")
        elif (
            set(methods_of(rule)) - {"GET"}
            and rule.endpoint not in OWN_ACCOUNT_ENDPOINTS
            and required < Role.COORDINATOR
        ):
            wrong.append(f"{rule.endpoint} accepts {methods_of(rule)}: changes need COORDINATOR")
    assert not wrong, "\n".join(wrong)


def test_back_office_urls_are_never_public():
    public_admin = [
        rule.rule
        for rule in _APP.url_map.iter_rules()
        if rule.rule.startswith("/admin") and required_role(_APP, rule.endpoint) is None
    ]
    assert not public_admin, public_admin


@pytest.fixture
def objects(app):
    """The rows URLs point at: an event with a registration, a user to manage, the plan."""
    return make_url_objects()


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
    required = required_role(app, rule.endpoint)
    with app.test_request_context():
        url = url_for(rule.endpoint, **url_values(rule, objects))
    problems = []
    for method in methods_of(rule):
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
