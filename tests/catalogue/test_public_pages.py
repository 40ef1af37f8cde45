"""The public event list and event pages."""

from datetime import UTC, datetime, timedelta

import pytest

from hytu_events.extensions import db
from hytu_events.models import EventKind, EventStatus, Language, Registration, RegistrationStatus
from tests.helpers import make_event, municipality, organisation, page_text

NOW = datetime.now(UTC).replace(microsecond=0)


def _registration(event, n: int, status=RegistrationStatus.CONFIRMED) -> Registration:
    return Registration(
        event_id=event.id,
        name=f"Osallistuja {n}",
        email=f"osallistuja{n}@example.fi",
        organisation_id=organisation("lapin-avi").id,
        language=Language.FI,
        consent_at=NOW,
        status=status,
    )


def test_list_shows_upcoming_published_events_soonest_first(client):
    later = make_event(title="Myöhemmin", starts_at=NOW + timedelta(days=20))
    sooner = make_event(title="Aiemmin", starts_at=NOW + timedelta(days=2))
    make_event(title="Luonnos-klinikka", status=EventStatus.DRAFT)
    make_event(title="Mennyt-klinikka", starts_at=NOW - timedelta(days=5))
    html = client.get("/").text
    assert html.index(sooner.title) < html.index(later.title)
    assert "Luonnos-klinikka" not in html
    assert "Mennyt-klinikka" not in html


def test_past_events_are_reachable_newest_first(client):
    make_event(title="Vanha-klinikka", starts_at=NOW - timedelta(days=30))
    make_event(title="Tuore-klinikka", starts_at=NOW - timedelta(days=3))
    make_event(title="Tuleva-klinikka", starts_at=NOW + timedelta(days=3))
    html = client.get("/?when=past").text
    assert html.index("Tuore-klinikka") < html.index("Vanha-klinikka")
    assert "Tuleva-klinikka" not in html


def test_filters_by_kind_and_municipality(client):
    make_event(title="Klinikka Inarissa", municipalities=[municipality("inari")])
    make_event(
        title="Kahvit",
        kind=EventKind.VIRTUAL_COFFEE,
        municipalities=[],
        venue=None,
        online_url="https://teams.example.fi/x",
    )
    make_event(
        title="Työpaja Kemissä",
        kind=EventKind.MUNICIPAL_WORKSHOP,
        municipalities=[municipality("kemi"), municipality("tornio")],
    )
    text = page_text(client.get("/?kind=virtual_coffee").text)
    assert "Kahvit" in text and "Klinikka Inarissa" not in text
    text = page_text(client.get("/?municipality=tornio").text)
    assert "Työpaja Kemissä" in text and "Klinikka Inarissa" not in text
    by_id = page_text(client.get(f"/?municipality={municipality('inari').id}").text)
    assert "Klinikka Inarissa" in by_id and "Kahvit" not in by_id


@pytest.mark.parametrize(
    "query",
    [
        "kind=party",
        "municipality=atlantis",
        "municipality=%00",
        "kind=%00%01",
        "municipality=99999999999999999999",
    ],
)
def test_unknown_filters_get_a_400_with_a_reason(client, query):
    response = client.get(f"/?lang=en&{query}")
    assert response.status_code == 400
    finnish = client.get(f"/?lang=fi&{query}").text.lower()
    if "%0" in query:  # control characters: refused before any filter is read
        assert "contains control characters" in response.text
        assert "osoitteessa on ohjausmerkkejä" in finnish
        return
    assert "Unknown event type" in response.text or "Unknown municipality" in response.text
    assert "osoitteessa on tuntematon" in finnish


def test_list_shows_seats_left_and_full_events(client):
    roomy = make_event(title="Tilaa", capacity=10)
    full = make_event(title="Täynnä", capacity=2)
    for n in range(3):
        db.session.add(_registration(roomy, n))
    db.session.add_all([_registration(full, 10), _registration(full, 11)])
    db.session.add(_registration(full, 12, RegistrationStatus.WAITLISTED))
    db.session.commit()
    client.get("/?lang=en")
    text = page_text(client.get("/").text)
    assert "7 seats left" in text
    assert "Full 1 on the waiting list" in text


def test_event_page_shows_local_time_place_and_seats(client):
    # 26 March 2027, 09:00 in Helsinki (UTC+2, before the DST switch).
    event = make_event(starts_at=datetime(2027, 3, 26, 7, 0, tzinfo=UTC), capacity=15)
    client.get("/?lang=en")
    text = page_text(client.get(f"/events/{event.id}").text)
    assert "Fri, Mar 26, 2027 09:00 – 12:00" in text
    assert "Inarin kunnantalo" in text
    assert "15 seats left" in text
    assert "Register" in text


def test_times_are_local_across_the_dst_switch(client):
    # Helsinki moves to summer time on 28 March 2027: 09:00 local is 07:00Z before, 06:00Z after.
    before = make_event(title="Ennen", starts_at=datetime(2027, 3, 26, 7, 0, tzinfo=UTC))
    after = make_event(title="Jälkeen", starts_at=datetime(2027, 4, 2, 6, 0, tzinfo=UTC))
    for event, day in ((before, "pe 26.3.2027"), (after, "pe 2.4.2027")):
        text = page_text(client.get(f"/events/{event.id}?lang=fi").text)
        assert f"{day} 9.00–12.00" in text


def test_event_page_keeps_a_private_meeting_link_private(client):
    event = make_event(online_url="https://teams.example.fi/secret-link", online_url_public=False)
    html = client.get(f"/events/{event.id}?lang=en").text
    assert "secret-link" not in html
    assert "sent to registered participants" in html
    open_event = make_event(online_url="https://teams.example.fi/open", online_url_public=True)
    assert "teams.example.fi/open" in client.get(f"/events/{open_event.id}").text


def test_event_pages_show_no_participant_data(client):
    event = make_event()
    db.session.add(_registration(event, 77))
    db.session.commit()
    for url in ("/", f"/events/{event.id}", f"/events/{event.id}/register"):
        html = client.get(url).text
        assert "Osallistuja 77" not in html and "osallistuja77@" not in html


def test_drafts_and_unknown_events_are_404(client):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get(f"/events/{draft.id}/register").status_code == 404
    assert client.get("/events/424242").status_code == 404
    assert client.get("/events/99999999999999999999").status_code == 404
    response = client.get("/events/0")
    assert response.status_code == 404
    assert "<html" in response.text  # the friendly page, not a bare error


def test_cancelled_event_says_so_with_the_reason(client):
    event = make_event(status=EventStatus.CANCELLED, cancellation_reason="Siirtyy kevääseen.")
    text = page_text(client.get(f"/events/{event.id}?lang=fi").text)
    assert "Siirtyy kevääseen." in text
    listing = page_text(client.get("/").text)
    assert event.title in listing


def test_page_language_follows_choice_and_browser(client):
    assert 'lang="fi"' in client.get("/").text
    assert 'lang="sv"' in client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).text
    client.get("/?lang=en")
    assert 'lang="en"' in client.get("/").text  # remembered
    assert 'lang="fi"' in client.get("/?lang=fi").text


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_upcoming_list_pages_and_keeps_the_filters(app, client):
    import re

    from hytu_events.outcomes.event_measures import set_event_measures
    from hytu_events.plan.seed import seed_plan
    from tests.plan.helpers import measure

    seed_plan()
    app.config["HYTU_UPCOMING_EVENTS_PER_PAGE"] = 2
    inari = [municipality("inari")]
    for day in range(1, 6):
        event = make_event(
            title=f"Klinikka {day}", starts_at=NOW + timedelta(days=day), municipalities=inari
        )
        set_event_measures(event.id, [measure("T1").id])
    make_event(title="Muu klinikka", starts_at=NOW + timedelta(days=1), municipalities=inari)
    db.session.commit()

    first = client.get("/?municipality=inari&measure=T1&lang=en").text
    text = page_text(first)
    assert "5 events" in text and "Page 1 of 3" in text
    assert "Klinikka 1" in text and "Klinikka 2" in text and "Klinikka 3" not in text
    assert "Muu klinikka" not in text
    # The filter form shows the chosen measure, and the links keep all three filters.
    assert re.search(r'<option value="T1"\s+selected', first)
    later = re.search(r'href="([^"]+)" rel="next">Later<', first).group(1).replace("&amp;", "&")
    assert "municipality=inari" in later and "measure=T1" in later and "page=2" in later
    second = page_text(client.get(later + "&lang=en").text)
    assert "Klinikka 3" in second and "Klinikka 4" in second and "Page 2 of 3" in second
    past_tab = re.search(r'href="([^"]+)"[^>]*>Past<', first).group(1)
    assert "measure=T1" in past_tab


def test_sami_homeland_municipalities_are_named_in_sami_too(client):
    event = make_event(municipalities=[municipality("inari"), municipality("kemi")])
    html = client.get(f"/events/{event.id}?lang=sv").text
    # Marked as Northern Sámi, so that screen readers pronounce it right (WCAG 3.1.2).
    assert 'Enare – <span lang="se">Anár</span>, Kemi' in html
    listing = client.get("/?lang=fi").text
    assert 'Inari – <span lang="se">Anár</span>, Kemi' in listing
