"""Self-service at /r/<token>: every action, and links that must not work."""

import json
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from hytu_events.extensions import db
from hytu_events.mailing.models import MessageKind, OutboxMessage
from hytu_events.models import Language, LinkRequest, Registration, RegistrationStatus
from hytu_events.registrations.link_requests import answer_link_requests, note_link_request
from hytu_events.registrations.operations import ParticipantDetails, register
from hytu_events.registrations.tokens import self_service_token
from tests.helpers import (
    counting_queries,
    csrf_token,
    field_error,
    make_event,
    municipality,
    organisation,
    page_text,
)


def person(n: int = 1, **overrides) -> ParticipantDetails:
    values = dict(
        name=f"Kaisa Keskitalo {n}",
        email=f"kaisa{n}@example.fi",
        organisation_id=organisation("lapin-amk").id,
        organisation_other=None,
        municipality_id=municipality("rovaniemi").id,
        job_title="Lehtori",
        needs="Laktoositon",
        language=Language.FI,
    )
    values.update(overrides)
    return ParticipantDetails(**values)


def registered(event, n: int = 1, **overrides) -> Registration:
    registration = register(event.id, person(n, **overrides)).registration
    db.session.commit()
    return registration


def reload(registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def post(client, url, data=None):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": csrf_token(page.text), **(data or {})})


def test_overview_shows_the_registration(client):
    event = make_event(asks_for_needs=True)
    registration = registered(event)
    text = page_text(client.get(f"/r/{self_service_token(registration)}?lang=en").text)
    assert event.title in text
    assert "Your place is confirmed" in text
    assert "kaisa1@example.fi" in text


def test_the_form_shows_the_saved_choices(client):
    """Saving one change must not reset the organisation, municipality or language."""
    event = make_event(asks_for_needs=True)
    registration = registered(event, language=Language.SV)
    html = client.get(f"/r/{self_service_token(registration)}").text
    selected = dict(
        re.findall(r'<select[^>]*id="(\w+)".*?<option selected value="([^"]*)"', html, re.S)
    )
    assert selected == {
        "organisation": str(organisation("lapin-amk").id),
        "municipality": str(municipality("rovaniemi").id),
        "language": "sv",
    }


def test_no_id_is_repeated_though_the_page_has_several_forms(client):
    registration = registered(make_event(asks_for_needs=True))
    html = client.get(f"/r/{self_service_token(registration)}").text
    assert html.count('name="csrf_token"') >= 2  # the details, a new calendar address
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_change_details(client):
    event = make_event(asks_for_needs=True)
    registration = registered(event)
    url = f"/r/{self_service_token(registration)}"
    response = post(
        client,
        url + "?lang=en",
        {
            "name": "Kaisa K.",
            "organisation": "",
            "organisation_other": "Rovaniemen seurakunta",
            "municipality": str(municipality("ranua").id),
            "job_title": "",
            "needs": "Pyörätuoli",
            "language": "sv",
        },
    )
    assert response.status_code == 303
    assert "Your details were saved." in client.get(response.headers["Location"]).text
    changed = reload(registration)
    assert (changed.name, changed.organisation_id, changed.organisation_other) == (
        "Kaisa K.",
        None,
        "Rovaniemen seurakunta",
    )
    assert changed.municipality.slug == "ranua"
    assert changed.job_title is None
    assert changed.needs == "Pyörätuoli"
    assert changed.language is Language.SV
    assert changed.email == "kaisa1@example.fi"  # not changeable here


def test_bad_changes_are_explained_and_save_nothing(client):
    event = make_event()
    registration = registered(event)
    url = f"/r/{self_service_token(registration)}?lang=en"
    response = post(client, url, {"name": "", "organisation": "999999", "language": "fi"})
    assert response.status_code == 422
    assert field_error(response.text, "name") == "Enter your name."
    assert "Choose an organisation" in field_error(response.text, "organisation")
    assert reload(registration).name == "Kaisa Keskitalo 1"


def test_cancel_asks_first_then_frees_the_seat(client):
    event = make_event(capacity=1)
    first = registered(event, 1)
    waiting = registered(event, 2)
    url = f"/r/{self_service_token(first)}/cancel?lang=en"
    confirm = client.get(url)
    assert "Cancel your registration?" in page_text(confirm.text)
    assert reload(first).status is RegistrationStatus.CONFIRMED  # asking changed nothing
    response = client.post(url, data={"csrf_token": csrf_token(confirm.text)})
    assert response.status_code == 303
    assert "Your registration was cancelled." in page_text(
        client.get(response.headers["Location"]).text
    )
    assert reload(first).status is RegistrationStatus.CANCELLED
    assert reload(waiting).status is RegistrationStatus.CONFIRMED


def test_leave_the_waiting_list(client):
    event = make_event(capacity=1)
    registered(event, 1)
    waiting = registered(event, 2)
    url = f"/r/{self_service_token(waiting)}?lang=en"
    assert "You are number 1 on the waiting list." in page_text(client.get(url).text)
    response = post(client, f"/r/{self_service_token(waiting)}/cancel?lang=en")
    assert "You left the waiting list." in page_text(client.get(response.headers["Location"]).text)
    assert reload(waiting).status is RegistrationStatus.CANCELLED


def test_download_personal_data(client):
    first_event = make_event(title="Ensimmäinen", asks_for_needs=True)
    second_event = make_event(title="Toinen")
    registration = registered(first_event)
    registered(second_event)
    registered(second_event, 2)  # someone else
    response = client.get(f"/r/{self_service_token(registration)}/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["email"] == "kaisa1@example.fi"
    titles = sorted(r["event"]["title"] for r in data["registrations"])
    assert titles == ["Ensimmäinen", "Toinen"]
    assert {r["email"] for r in data["registrations"]} == {"kaisa1@example.fi"}
    assert data["registrations"][0]["needs"] == "Laktoositon"


def test_erase_keeps_counts_but_no_personal_data(client):
    past = make_event(starts_at=datetime.now(UTC) - timedelta(days=3), title="Mennyt")
    db.session.add(
        Registration(
            event_id=past.id,
            name="Kaisa Keskitalo 1",
            email="kaisa1@example.fi",
            organisation_id=organisation("lapin-amk").id,
            municipality_id=municipality("rovaniemi").id,
            language=Language.FI,
            consent_at=datetime.now(UTC),
            status=RegistrationStatus.CONFIRMED,
        )
    )
    upcoming = make_event(capacity=1)
    registration = registered(upcoming)
    waiting = registered(upcoming, 2)
    token = self_service_token(registration)
    response = post(client, f"/r/{token}/erase?lang=en")
    assert response.status_code == 303
    assert "Your data has been erased" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    rows = list(
        db.session.scalars(sa.select(Registration).where(Registration.erased_at.isnot(None)))
    )
    assert len(rows) == 2
    for row in rows:
        assert "kaisa1" not in row.email and "Keskitalo" not in row.name
        assert row.needs is None and row.job_title is None
        assert row.organisation.slug == "lapin-amk"  # kept for the counts
        assert row.municipality.slug == "rovaniemi"
    statuses = {row.event_id: row.status for row in rows}
    assert statuses[past.id] is RegistrationStatus.CONFIRMED  # it happened; counts keep it
    assert statuses[upcoming.id] is RegistrationStatus.CANCELLED
    assert reload(waiting).status is RegistrationStatus.CONFIRMED  # the seat went on
    assert client.get(f"/r/{token}").status_code == 404  # the link is dead now


def _same_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Kaisa" not in response.text and "kaisa" not in response.text
    return response


def test_tampered_foreign_and_malformed_tokens_reveal_nothing(client, app):
    event = make_event()
    mine, other = registered(event, 1), registered(event, 2)
    token = self_service_token(mine)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = URLSafeSerializer("wrong-secret", salt="hytu-self-service").dumps([other.id, "x"])
    # A correctly signed payload that names another registration with this one's fingerprint.
    serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt="hytu-self-service")
    swapped = serializer.dumps([other.id, serializer.loads(token)[1]])
    # The same page for every bad link (links on it point back at the requested path).
    bodies = {
        re.sub(r'href="[^"]*"', "", _same_404(client, f"/r/{bad}").text)
        for bad in (tampered, forged, swapped, "x", "A" * 500, "%00", "99999999999999999999")
    }
    assert len(bodies) == 1
    for action in ("cancel", "erase", "data.json"):
        assert client.get(f"/r/{swapped}/{action}").status_code == 404
    assert reload(other).status is RegistrationStatus.CONFIRMED


def test_links_expire_after_the_event(client, app):
    event = make_event(starts_at=datetime.now(UTC) - timedelta(days=30))
    db.session.add(
        registration := Registration(
            event_id=event.id,
            name="Kaisa",
            email="kaisa@example.fi",
            organisation_id=organisation("lapin-amk").id,
            language=Language.FI,
            consent_at=datetime.now(UTC),
            status=RegistrationStatus.CONFIRMED,
        )
    )
    db.session.commit()
    _same_404(client, f"/r/{self_service_token(registration)}")
    recent = make_event(starts_at=datetime.now(UTC) - timedelta(days=2))
    fresh = Registration(
        event_id=recent.id,
        name="Kaisa",
        email="kaisa@example.fi",
        organisation_id=organisation("lapin-amk").id,
        language=Language.FI,
        consent_at=datetime.now(UTC),
        status=RegistrationStatus.CONFIRMED,
    )
    db.session.add(fresh)
    db.session.commit()
    # Within the grace period after the event the link still shows the data, read-only.
    page = client.get(f"/r/{self_service_token(fresh)}?lang=en")
    assert page.status_code == 200
    assert 'name="name"' not in page.text
    assert "Download all data" in page.text


def _ask_for_links(client, email: str):
    """POST the "send my link again" form; returns the response and the SQL it ran."""
    token = csrf_token(client.get("/r/?lang=en").text)
    with counting_queries() as statements:
        response = client.post("/r/?lang=en", data={"csrf_token": token, "email": email})
    return response, statements


def test_send_my_link_again_answers_the_same_after_the_same_work(app, client):
    """Known or not, the page is the same and the same SQL runs: one note for the mail worker,
    no look-up of registrations, so neither the answer nor its timing tells who registered."""
    app.config["RATELIMIT_ENABLED"] = False
    event = make_event()
    registered(event)
    known, known_sql = _ask_for_links(client, "Kaisa1@Example.fi ")
    unknown, unknown_sql = _ask_for_links(client, "nobody@example.fi")

    assert known.status_code == unknown.status_code == 200
    assert known.data == unknown.data
    assert "If this address has registrations" in page_text(known.text)
    assert "kaisa" not in known.text.lower()
    assert known_sql == unknown_sql and len(known_sql) == 1
    assert not any("registrations" in statement for statement in known_sql)

    # The worker's round answers both notes: the links to the known address, nothing else.
    assert answer_link_requests() == 2
    db.session.commit()
    [message] = db.session.scalars(sa.select(OutboxMessage)).all()[1:]  # after the invitation
    assert message.kind is MessageKind.LINK_RESEND and message.to_address == "kaisa1@example.fi"
    assert db.session.scalars(sa.select(LinkRequest)).all() == []


def test_a_pending_link_request_is_exported_and_erased_with_the_person(client):
    registration = registered(make_event())
    note_link_request("kaisa1@example.fi")
    note_link_request("someone.else@example.fi")
    db.session.commit()
    token = self_service_token(registration)
    data = json.loads(client.get(f"/r/{token}/data.json").data)
    assert len(data["link_requests"]) == 1 and data["link_requests"][0]["requested_at"]
    post(client, f"/r/{token}/erase")
    db.session.expire_all()
    left = db.session.scalars(sa.select(LinkRequest.email)).all()
    assert left == ["someone.else@example.fi"]


def test_registration_confirmation_links_to_self_service_only_for_the_new_place(client):
    event = make_event()
    form = {
        "name": "Aino",
        "email": "aino@example.fi",
        "organisation": str(organisation("spek").id),
        "municipality": "",
        "language": "fi",
        "consent": "y",
    }
    response = post(client, f"/events/{event.id}/register?lang=en", form)
    page = client.get(response.headers["Location"]).text
    assert "/r/" in page and "Manage your registration" in page
    stranger = post(client, f"/events/{event.id}/register?lang=en", form)
    again = client.get(stranger.headers["Location"]).text
    assert "You were already registered" in again
    assert 'class="button button--secondary" href="http://hytu.test/r/' not in again


def test_self_service_offers_the_own_file_and_a_resettable_personal_feed(client):
    event = make_event()
    registration = registered(event)
    url = f"/r/{self_service_token(registration)}?lang=en"
    html = client.get(url).text
    assert f"/r/{self_service_token(registration)}/calendar.ics" in html
    feed = re.search(
        r'id="personal-feed-url" value="http://hytu\.test(/calendar/personal/[^"]+)"', html
    )
    assert feed, "the personal feed address is shown"
    old_feed = feed.group(1)
    calendar = client.get(old_feed)
    assert calendar.status_code == 200 and event.calendar_uid in calendar.text
    page = client.get(url)
    client.post(
        f"/r/{self_service_token(registration)}/calendar-address",
        data={"csrf_token": csrf_token(page.text)},
    )
    assert client.get(old_feed).status_code == 404
    new_html = client.get(url).text
    new_feed = re.search(
        r'id="personal-feed-url" value="http://hytu\.test(/calendar/personal/[^"]+)"', new_html
    ).group(1)
    assert new_feed != old_feed
    assert client.get(new_feed).status_code == 200


def test_add_to_calendar_is_the_persons_own_file(client):
    """The public event file has no meeting link and no place of theirs; their own file has."""
    event = make_event(online_url="https://teams.example/meet/abc", online_url_public=False)
    registration = registered(event)
    token = self_service_token(registration)
    html = client.get(f"/r/{token}?lang=en").text
    [link] = re.findall(r'<a href="([^"]+)">Add to calendar</a>', html)
    assert link == f"/r/{token}/calendar.ics"
    own = client.get(link).get_data(as_text=True).replace("\r\n ", "")
    assert "https://teams.example/meet/abc" in own
    public = client.get(f"/events/{event.id}.ics")
    assert public.status_code == 200 and "teams.example" not in public.text
