"""Who may open what: every endpoint of the URL map is named below with its audience.

`AUDIENCES` names each endpoint with who may use it and what a stranger gets:
- `Anyone(get=...)`: a public page; an anonymous visitor's GET answers `get`;
- `TokenHolder(secret)`: opened only with a secret link (a registration's self-service token,
  one of a place at a date of a series, or a personal feed token); a stranger, with any other,
  tampered or no token, logged in to the back office or not, gets 404, exactly as for an
  unknown page;
- a `Role`: the back-office role the view must require (`role_required`); anonymous visitors are
  sent to log in, lower roles get 403, the role and those above it get through.

The rules are read from the app under test. An endpoint in the URL map that is not named here
fails `test_every_endpoint_is_named`, so a new endpoint (series, API, feedback links) is public
only when somebody has written down that it may be. Every named endpoint is requested, with
every method it accepts, as a stranger, a viewer, a coordinator and an admin; POSTs carry a valid
CSRF token, so a 400 is never the CSRF check hiding the access check. "Gets through" means an
answer the view itself gave: not 401/403, not the login page, not a 5xx, and not a 404 for a row
the fixture made (a second POST may find the row the first one deleted).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from hytu_events.models import Role
from tests.accounts.helpers import make_user
from tests.url_walker import Visitor, build_url, make_url_objects, methods_of, url_values


@dataclass(frozen=True)
class Anyone:
    """A public endpoint; an anonymous GET answers `get`."""

    get: int = 200


@dataclass(frozen=True)
class TokenHolder:
    """Needs the secret in its `<token>`: "registration" (self-service) or "feed"."""

    secret: str


Audience = Anyone | TokenHolder | Role

VIEWER, COORDINATOR, ADMIN = Role.VIEWER, Role.COORDINATOR, Role.ADMIN

#: Every endpoint of the app, with who may use it.
AUDIENCES: dict[str, Audience] = {
    # Public site: listing, event pages, registration, legal pages, the plan's summary.
    "static": Anyone(),
    # Load-balancer probes: JSON without personal data (tests/serving/test_health.py).
    "health.healthz": Anyone(),
    "health.readyz": Anyone(),
    # Only for loopback or the metrics token; anyone else gets 404 (tests/serving/test_metrics.py).
    # The test client's address is loopback, so it gets through here.
    "metrics.scrape": Anyone(),
    "catalogue.index": Anyone(),
    "catalogue.detail": Anyone(),
    "registrations.register_form": Anyone(),
    # Shows the outcome kept in the registrant's own session; others go to the event page.
    "registrations.registered": Anyone(get=302),
    # A series' page with its one registration form, and the confirmation after it.
    "series.detail": Anyone(),
    "series.registered": Anyone(get=302),
    "public.privacy": Anyone(),
    "public.accessibility": Anyone(),
    "summary.index": Anyone(),
    # Open data: the read-only API, its OpenAPI document and documentation page, and the list
    # municipalities embed on their own sites; none of them has anything personal.
    "api.events": Anyone(),
    "api.one_event": Anyone(),
    "api.series_list": Anyone(),
    "api.one_series": Anyone(),
    "api.measures": Anyone(),
    "api.municipalities": Anyone(),
    "api.summary": Anyone(),
    "api-docs.openapi_json": Anyone(),
    "api_docs_page.documentation": Anyone(),
    "embed.events": Anyone(),
    "accounts.login": Anyone(),
    # Public calendars: the feed and one event's file carry no personal data.
    "calendar.public_feed_ics": Anyone(),
    "calendar.event_file": Anyone(),
    # "Send me my link again" and the page after an erasure reveal nothing about anyone.
    "self_service.request_link": Anyone(),
    "self_service.erased": Anyone(),
    # Secret links: the participant's own registration, data and calendar.
    "self_service.overview": TokenHolder("registration"),
    "self_service.cancel": TokenHolder("registration"),
    "self_service.erase": TokenHolder("registration"),
    "self_service.personal_data": TokenHolder("registration"),
    "self_service.reset_feed": TokenHolder("registration"),
    # "Add to calendar" on the self-service page: the person's own dates of the series.
    "calendar.own_dates_file": TokenHolder("registration"),
    # Leaving every upcoming date of a series: a link to a place at one of its dates.
    "series.leave": TokenHolder("series place"),
    # The feedback form after an event: its link is the person's own, answered once.
    "feedback.answer": TokenHolder("feedback"),
    "calendar.personal_feed_ics": TokenHolder("feed"),
    # Own account: everyone logged in; the coordinator feed lists the events one runs.
    "accounts.logout": VIEWER,
    "accounts.password": VIEWER,
    "accounts.calendar": COORDINATOR,
    # Back office: the home page, events, the preview of a draft's public page.
    "admin.home": VIEWER,
    "event_admin.index": VIEWER,
    "event_admin.detail": VIEWER,
    "catalogue_admin.preview": VIEWER,
    # The code each municipality pastes to show the embeddable list on its site.
    "embed.snippets": VIEWER,
    "event_admin.new": COORDINATOR,
    "event_admin.edit": COORDINATOR,
    "event_admin.publish": COORDINATOR,
    "event_admin.cancel": COORDINATOR,
    "event_admin.delete": COORDINATOR,
    "event_admin.duplicate": COORDINATOR,
    # A series of events: its page and its changes; the measures its dates serve; a message
    # to everyone registered for any of its dates.
    "series_admin.index": VIEWER,
    "series_admin.detail": VIEWER,
    "series_measures.measures": VIEWER,
    "series_admin.edit_date": COORDINATOR,
    "series_admin.end": COORDINATOR,
    "series_admin.publish": COORDINATOR,
    "series_admin.delete": COORDINATOR,
    "series_measures.save_measures": COORDINATOR,
    "admin.series_message": COORDINATOR,
    # An event's participants, and downloads of registrations.
    "participant_admin.index": VIEWER,
    "export_admin.event_participants": VIEWER,
    "export_admin.index": VIEWER,
    "participant_admin.add": COORDINATOR,
    "participant_admin.edit": COORDINATOR,
    "participant_admin.cancel": COORDINATOR,
    "participant_admin.promote": COORDINATOR,
    "participant_admin.send_link": COORDINATOR,
    "participant_admin.mark_attendance": COORDINATOR,
    # Outbox and messages to participants.
    "mailing.outbox": VIEWER,
    "mailing.message": VIEWER,
    "mailing.retry_message": COORDINATOR,
    "mailing.coordinator_message": COORDINATOR,
    # Feedback after an event: on or off and an own question, for an event or a series.
    "feedback_admin.event_setting": VIEWER,
    "feedback_admin.save_event_setting": COORDINATOR,
    "feedback_admin.series_setting": VIEWER,
    "feedback_admin.save_series_setting": COORDINATOR,
    # The plan, outcomes, follow-ups and reports.
    "reporting.dashboard": VIEWER,
    "reporting.report": VIEWER,
    "reporting.download": VIEWER,
    "reporting.tracker": VIEWER,
    "reporting.add_status_change": COORDINATOR,
    "plan_edit.index": VIEWER,
    "plan_edit.values": VIEWER,
    "plan_edit.edit_plan": COORDINATOR,
    "plan_edit.new_focus_area": COORDINATOR,
    "plan_edit.edit_focus_area": COORDINATOR,
    "plan_edit.delete_focus_area": COORDINATOR,
    "plan_edit.new_measure": COORDINATOR,
    "plan_edit.edit_measure": COORDINATOR,
    "plan_edit.delete_measure": COORDINATOR,
    "plan_edit.new_indicator": COORDINATOR,
    "plan_edit.edit_indicator": COORDINATOR,
    "plan_edit.delete_indicator": COORDINATOR,
    "plan_edit.save_value": COORDINATOR,
    "plan_edit.delete_value": COORDINATOR,
    "plan_files.export": VIEWER,
    "plan_files.import_page": COORDINATOR,
    "plan_files.import_file": COORDINATOR,
    "outcomes.measures": VIEWER,
    "outcomes.outcome": VIEWER,
    "outcomes.save_measures": COORDINATOR,
    "outcomes.save_outcome": COORDINATOR,
    "follow_ups.index": VIEWER,
    "follow_ups.mark_done": COORDINATOR,
    "follow_ups.reopen": COORDINATOR,
    # User management.
    "users.index": ADMIN,
    "users.new": ADMIN,
    "users.edit": ADMIN,
    "users.deactivate": ADMIN,
    "users.reactivate": ADMIN,
    "users.reset_password": ADMIN,
}

ROLES = [VIEWER, COORDINATOR, ADMIN]
CSRF_FAILURE = "The form had expired or was sent from another page"
#: Changes that concern only the person themself, so a viewer may make them.
OWN_ACCOUNT_ENDPOINTS = {"accounts.logout", "accounts.password"}


def _methods(rule) -> list[str]:
    # GET first: a POST may cancel or erase what the GET should still find.
    return sorted(methods_of(rule), key=lambda m: (m != "GET", m))


def _rules(app, endpoint: str) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]


def _required_role(app, endpoint: str):
    return getattr(app.view_functions[endpoint], "required_role", None)


def test_every_endpoint_is_named(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unnamed, stale = sorted(endpoints - AUDIENCES.keys()), sorted(AUDIENCES.keys() - endpoints)
    assert not unnamed, (
        "Name these endpoints with their audience in AUDIENCES (tests/test_authorisation.py): "
        + ", ".join(unnamed)
    )
    assert not stale, "AUDIENCES names endpoints the app no longer has: " + ", ".join(stale)


def test_the_code_guards_what_the_audiences_say(app):
    wrong = []
    for endpoint, audience in AUDIENCES.items():
        required = _required_role(app, endpoint)
        expected = audience if isinstance(audience, Role) else None
        if required is not expected:
            wrong.append(
                f"{endpoint}: the view requires {required!r}, AUDIENCES says {audience!r} "
                "(back-office views use @role_required(Role....) as the outermost decorator)"
            )
    assert not wrong, "\n".join(wrong)


def test_declared_roles_follow_the_conventions(app):
    """Viewers change nothing; only admins manage users; the back office is never public."""
    wrong = []
    for rule in app.url_map.iter_rules():
        audience = AUDIENCES.get(rule.endpoint)
        if rule.rule.startswith(("/admin", "/account")) and not isinstance(audience, Role):
            wrong.append(f"{rule.rule} is in the back office but named {audience!r}")
        if not isinstance(audience, Role):
            continue
        if rule.endpoint.startswith("users.") and audience is not ADMIN:
            wrong.append(f"{rule.endpoint}: user management needs ADMIN, not {audience.value}")
        elif (
            set(_methods(rule)) - {"GET"}
            and rule.endpoint not in OWN_ACCOUNT_ENDPOINTS
            and audience < COORDINATOR
        ):
            wrong.append(f"{rule.endpoint} accepts {_methods(rule)}: changes need COORDINATOR")
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def objects(app):
    """The rows URLs point at (tests/url_walker.py), and the two secrets a link may hold."""
    objects = make_url_objects()
    objects["filename"] = "css/site.css"
    objects["secrets"] = {
        "registration": objects["token"],
        "feed": objects["calendar.personal_feed_ics:token"],
        "series place": objects["series.leave:token"],
        "feedback": objects["feedback.answer:token"],
    }
    return objects


def _url(app, rule, objects: dict, token: str | None = None) -> str:
    values = url_values(rule, objects)
    if token is not None:
        values["token"] = token
    return build_url(app, rule, values)


def _sent_to_login(response) -> bool:
    """Redirected to log in first (with ?next=; logging out also ends on the login page)."""
    location = response.headers.get("Location", "")
    return (
        response.status_code in (301, 302, 303, 307, 308)
        and location.startswith("/login?")
        and "next=" in location
    )


def _refused(response) -> str | None:
    """Why an answer is not the view's own (None when the request got through)."""
    if response.status_code in (401, 403) or _sent_to_login(response):
        return f"refused ({response.status_code})"
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if CSRF_FAILURE in response.text:
        return "the CSRF check failed"
    return None


@pytest.fixture
def visitors(app, client):  # `client` makes every test client run requests in their own context
    users = {role: make_user(role, email=f"{role.value}-visitor@example.fi") for role in ROLES}
    visitors = {role: Visitor(app, user) for role, user in users.items()}
    visitors[None] = Visitor(app)
    return visitors


def _check_public(app, rule, audience: Anyone, objects, visitors) -> list[str]:
    url, problems = _url(app, rule, objects), []
    for method in _methods(rule):
        for visitor in (visitors[None], *(visitors[role] for role in ROLES)):
            response = visitor.request(method, url)
            if reason := _refused(response):
                problems.append(f"{method} {url} as {visitor.name}: {reason}, but anyone may")
            elif (
                visitor is visitors[None]
                and method == "GET"
                and response.status_code != audience.get
            ):
                problems.append(
                    f"GET {url} as a stranger: {response.status_code}, "
                    f"AUDIENCES says {audience.get}"
                )
    return problems


def _strangers_tokens(secret: str, objects: dict) -> list[str]:
    real = objects["secrets"][secret]
    other = next(value for name, value in objects["secrets"].items() if name != secret)
    # The first character of the last part: every one of its bits counts (a base64 string's
    # last character can carry unused bits, so changing it may leave the token as it was).
    cut = real.rfind(".") + 1
    tampered = real[:cut] + ("A" if real[cut] != "A" else "B") + real[cut + 1 :]
    return [tampered, other, "x" * 40]


def _check_token_holder(app, rule, audience: TokenHolder, objects, visitors) -> list[str]:
    problems = []
    for token in _strangers_tokens(audience.secret, objects):
        url = _url(app, rule, objects, token)
        for method in _methods(rule):
            for visitor in visitors.values():
                response = visitor.request(method, url)
                if response.status_code != 404:
                    problems.append(
                        f"{method} {url} as {visitor.name} without the secret: "
                        f"{response.status_code}, expected 404"
                    )
    url = _url(app, rule, objects, objects["secrets"][audience.secret])
    for method in _methods(rule):
        response = visitors[None].request(method, url)
        if (reason := _refused(response)) or response.status_code == 404:
            problems.append(f"{method} {url} with the secret: {reason or 404}, but it opens")
        elif method == "GET" and response.status_code != 200:
            problems.append(f"GET {url} with the secret: {response.status_code}, expected 200")
    return problems


def _check_guarded(app, rule, required: Role, objects, visitors) -> list[str]:
    url, problems = _url(app, rule, objects), []
    for method in _methods(rule):
        anonymous = visitors[None].request(method, url)
        if not _sent_to_login(anonymous):
            problems.append(f"{method} {url} anonymous: {anonymous.status_code}, not to log in")
        elif parse_qs(urlsplit(anonymous.headers["Location"]).query)["next"] != [url]:
            problems.append(f"{method} {url} anonymous: ?next= does not come back here")
        first_through = True
        for role in ROLES:
            response = visitors[role].request(method, url)
            if role < required:
                if response.status_code != 403:
                    problems.append(
                        f"{method} {url} as {role.value}: {response.status_code}, expected 403 "
                        f"(needs {required.value})"
                    )
                continue
            if reason := _refused(response):
                problems.append(f"{method} {url} as {role.value}: {reason}, but it may")
            elif response.status_code == 404 and (method == "GET" or first_through):
                problems.append(f"{method} {url} as {role.value}: 404 for the fixture's row")
            first_through = False
    return problems


@pytest.mark.parametrize("endpoint", sorted(AUDIENCES))
def test_each_audience_gets_exactly_what_it_may(app, objects, visitors, endpoint):
    audience = AUDIENCES[endpoint]
    rules = _rules(app, endpoint)
    assert rules, f"{endpoint} is named in AUDIENCES but not in the URL map"
    problems = []
    for rule in rules:
        if isinstance(audience, Anyone):
            problems += _check_public(app, rule, audience, objects, visitors)
        elif isinstance(audience, TokenHolder):
            problems += _check_token_holder(app, rule, audience, objects, visitors)
        else:
            problems += _check_guarded(app, rule, audience, objects, visitors)
    assert not problems, "\n".join(problems)
