"""Secret links (hytu_events.secret_links): marked once, kept out of the back office, never
cached, never sent on in a Referer.

The tests read the URL map, so a route added later is covered without touching this file:
a public route whose URL takes free text must be marked; every self-service route is walked
for its headers; every back-office page is opened and searched for the participant's secrets.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from flask import url_for
from werkzeug.routing import AnyConverter, PathConverter, UnicodeConverter

from hytu_events import create_app
from hytu_events.extensions import db
from hytu_events.feed_tokens.tokens import participant_feed_url
from hytu_events.models import Role
from hytu_events.registrations import coordinator
from hytu_events.registrations.link_requests import note_link_request
from hytu_events.registrations.tokens import self_service_token
from hytu_events.secret_links import LINK_ARGUMENT, PRIVACY, redact, secret_link
from tests.accounts.helpers import log_in, make_user
from tests.helpers import csrf_token, make_event, organisation
from tests.leaks import leaked, readable, secrets_of
from tests.registrations.people import register_person
from tests.test_authorisation import objects  # noqa: F401 - a fixture
from tests.url_walker import url_values

#: Public routes whose free-text argument is no secret.
NOT_SECRET = {"static"}


def _app(**config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "secret-links-" + "x" * 32,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "BASE_URL": "https://tapahtumat.example.fi",
            **config,
        }
    )


_APP = _app()


def _view(app, endpoint):
    return app.view_functions[endpoint]


def test_every_public_route_with_a_free_text_argument_is_marked_secret():
    """A token in a public URL is what opens it: such a route must say so, or be listed."""
    unmarked = [
        rule.rule
        for rule in _APP.url_map.iter_rules()
        if getattr(_view(_APP, rule.endpoint), "required_role", None) is None
        and rule.endpoint not in NOT_SECRET
        and any(isinstance(c, UnicodeConverter | PathConverter) for c in rule._converters.values())
        and getattr(_view(_APP, rule.endpoint), LINK_ARGUMENT, None) is None
    ]
    assert not unmarked, (
        "Mark these with @secret_link(...) (hytu_events/secret_links.py), or add the endpoint "
        f"to NOT_SECRET in tests/test_secret_links.py: {unmarked}"
    )


def test_every_self_service_page_is_private():
    unmarked = [
        rule.rule
        for rule in _APP.url_map.iter_rules()
        if rule.endpoint.startswith("self_service.")
        and getattr(_view(_APP, rule.endpoint), PRIVACY, None) is None
    ]
    assert not unmarked, unmarked


def test_redaction_hides_every_shape_of_a_secret_address_and_nothing_else():
    base = "https://tapahtumat.example.fi"
    with _APP.test_request_context("/?lang=en"):
        for secret in (
            f"{base}/r/WzEsImFiYyJd.c2lnbmF0dXJl",
            f"{base}/r/WzEsImFiYyJd.c2lnbmF0dXJl/cancel?lang=sv",
            "/r/WzEsImFiYyJd.c2lnbmF0dXJl/data.json",
            f"{base}/r/WzEsImFiYyJd.c2lnbmF0dXJl/calendar.ics?lang=sv",
            f"{base}/calendar/personal/{'A' * 43}.ics",
            f"webcal://tapahtumat.example.fi/calendar/personal/{'b_-' * 14}x.ics",
            f"{base}/calendar/personal/{'A' * 43}",  # the tail cut off still hides the token
        ):
            assert redact(f"Linkki:\n{secret}\n") == "Linkki:\n[personal link]\n", secret
            html = f'<a href="{secret}">{secret}</a>'
            assert redact(html) == '<a href="[personal link]">[personal link]</a>'
        for ordinary in (
            f"{base}/events/12",
            f"{base}/calendar.ics?kind=virtual_coffee",
            f"{base}/r/",
            "https://teams.example.fi/l/meetup-join/19",
        ):
            assert redact(f"Katso {ordinary} nyt") == f"Katso {ordinary} nyt"
    with _APP.test_request_context("/?lang=sv"):
        assert redact(f"{base}/r/x.y") == "[personlig länk]"


def test_a_new_secret_route_is_redacted_and_private_with_nothing_but_its_mark():
    app = _app()

    @secret_link("code")
    def accept_invitation(code):
        return "ok"

    app.add_url_rule("/invitations/<code>/accept", view_func=accept_invitation)
    with app.test_request_context("/?lang=en"):
        text = "Hyväksy: https://tapahtumat.example.fi/invitations/Zx81-q/accept?now=1 ."
        assert redact(text) == "Hyväksy: [personal link] ."
    response = app.test_client().get("/invitations/Zx81-q/accept")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "strict-origin"


def _registration(event, n):
    return register_person(event, f"Kaisa Keskitalo {n}", f"kaisa{n}@example.fi")


def _assert_private(response, what):
    assert response.headers.get("Cache-Control") == "no-store", what
    assert response.headers.get("Referrer-Policy") == "strict-origin", what


def test_every_self_service_response_is_never_stored_nor_referred(app, client):
    """Each route of the blueprint, each method, with a working link and with a dead one."""
    app.config["RATELIMIT_ENABLED"] = False
    event = make_event()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("self_service.")]
    assert len(rules) >= 7
    checked = 0
    for n, rule in enumerate(rules, start=1):
        registration = _registration(event, n)
        token = self_service_token(registration)
        form = csrf_token(client.get(f"/r/{token}").text)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            tokens = [token, "not-a-token"] if "token" in rule.arguments else [None]
            for value in tokens:
                with app.test_request_context():
                    url = url_for(rule.endpoint, **({"token": value} if value else {}))
                data = {"csrf_token": form} if method == "POST" else None
                response = client.open(url, method=method, data=data)
                assert response.status_code < 500, (method, url, response.status_code)
                _assert_private(response, f"{method} {url} -> {response.status_code}")
                checked += 1
    assert checked >= 15


def test_the_referrer_policy_keeps_the_forms_working_over_https(app, client):
    """strict-origin: the browser sends `https://host/` and never the path with the token;
    Flask-WTF accepts that, while it refuses a form with no Referer at all (no-referrer)."""
    https = {"base_url": "https://hytu.test"}
    registration = _registration(make_event(), 1)
    url = f"/r/{self_service_token(registration)}/cancel?lang=en"
    form = {"csrf_token": csrf_token(client.get(url, **https).text)}
    refused = client.post(url, data=form, **https)
    assert refused.status_code == 400 and "The form had expired" in refused.text
    sent = client.post(url, data=form, headers={"Referer": "https://hytu.test/"}, **https)
    assert sent.status_code == 303
    db.session.expire_all()
    assert registration.status.value == "cancelled"


def test_the_confirmation_page_with_the_link_is_private_too(app, client):
    event = make_event()
    page = client.get(f"/events/{event.id}/register")
    response = client.post(
        f"/events/{event.id}/register",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "Aino",
            "email": "aino@example.fi",
            "organisation": str(organisation("spek").id),
            "municipality": "",
            "language": "fi",
            "consent": "y",
        },
    )
    confirmation = client.get(response.headers["Location"])
    assert confirmation.status_code == 200 and "/r/" in confirmation.text
    _assert_private(confirmation, "the confirmation page")


def test_the_personal_feed_keeps_its_private_revalidated_caching(app, client):
    event = make_event()
    registration = _registration(event, 1)
    feed = participant_feed_url(registration.email).removeprefix("http://hytu.test")
    response = client.get(feed)
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"] and response.headers["ETag"]
    assert response.headers["Referrer-Policy"] == "strict-origin"


def test_the_own_dates_file_is_a_secret_link_never_stored(app, client):
    """ "Add to calendar" on the self-service page carries the page's token: marked, and its
    answers kept nowhere, with a working link and a dead one."""
    assert getattr(_view(app, "calendar.own_dates_file"), LINK_ARGUMENT, None) == "token"
    registration = _registration(make_event(), 1)
    for token, status in ((self_service_token(registration), 200), ("not-a-token", 404)):
        response = client.get(f"/r/{token}/calendar.ics")
        assert response.status_code == status
        _assert_private(response, f"/r/{token}/calendar.ics -> {response.status_code}")


def test_no_back_office_page_shows_a_participants_secrets(app, client, objects):  # noqa: F811
    """Every GET page of the back office, as an admin (who sees the most), after the person
    asked for the link and a coordinator sent it again; spreadsheets are opened."""
    from hytu_events.models import Registration

    registration = db.session.get(Registration, objects["registration_id"])
    note_link_request(registration.email)
    coordinator.send_link(registration)
    db.session.commit()
    secrets = secrets_of([registration])
    assert any("feed token of" in name for name in secrets)
    admin = make_user(Role.ADMIN, email="admin-walk@example.fi")
    log_in(client, admin)
    today = date.today()
    ranges = [
        f"/admin/exports?first={today}&last={today + timedelta(days=30)}&format={fmt}"
        for fmt in ("xlsx", "csv")
    ]
    problems = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_role", None) is None or "GET" not in rule.methods:
            continue
        urls = _every_url(app, rule, objects)
        if rule.endpoint == "export_admin.index":
            urls += ranges  # the spreadsheets of every registration in a date range
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, url
            if url.endswith("participants.xlsx"):  # the search does look inside spreadsheets
                assert registration.email.encode() in readable(response.data)
            if found := leaked(response.data, secrets):
                problems.append(f"{url}: {found}")
    assert not problems, problems


def _every_url(app, rule, values_for: dict) -> list[str]:
    """The rule's URL for the test objects, once per choice of each `any(...)` argument (so
    both the CSV and the Excel export are opened)."""
    choices = {
        name: sorted(converter.items)
        for name, converter in rule._converters.items()
        if isinstance(converter, AnyConverter)
    }
    values = url_values(rule, values_for)
    urls = []
    for combination in itertools.product(*choices.values()):
        chosen = dict(zip(choices, combination, strict=True))
        with app.test_request_context():
            urls.append(url_for(rule.endpoint, **{**values, **chosen}))
    return urls
