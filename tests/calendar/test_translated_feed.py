"""Feeds in Swedish and English show an event's texts in that language, and say which titles
are the Finnish ones shown in place of a missing translation (SUMMARY;LANGUAGE=fi)."""

from hytu_events.extensions import db
from hytu_events.feed_tokens import tokens
from hytu_events.registrations.models import Language
from tests.calendar.factories import LONG_AGO, register
from tests.calendar.parsers import parse_everywhere
from tests.helpers import make_event


def _event(**overrides):
    return make_event(created_at=LONG_AGO, updated_at=LONG_AGO, **overrides)


def _unfolded(response) -> str:
    return response.data.decode().replace("\r\n ", "")


def test_the_feed_in_swedish_has_the_swedish_texts_and_marks_the_finnish_ones(client):
    translated = _event(title_sv="HYTU-klinik: Enare", description_sv="Kommunens arbetsgrupp.")
    finnish_only = _event(title="Virtuaalikahvit")
    swedish = client.get("/calendar.ics?lang=sv")
    finnish = client.get("/calendar.ics?lang=fi")
    assert swedish.headers["ETag"] != finnish.headers["ETag"]

    text = _unfolded(swedish)
    assert "\r\nSUMMARY:HYTU-klinik: Enare\r\n" in text
    assert "Kommunens arbetsgrupp." in text
    assert "\r\nSUMMARY;LANGUAGE=fi:Virtuaalikahvit\r\n" in text
    by_vobject, by_icaljs = parse_everywhere(swedish.data)
    assert by_icaljs[translated.calendar_uid]["summary"] == "HYTU-klinik: Enare"
    assert by_icaljs[finnish_only.calendar_uid]["summary"] == "Virtuaalikahvit"

    text = _unfolded(finnish)
    assert "\r\nSUMMARY:HYTU-klinikka: Inari\r\n" in text
    assert "\r\nSUMMARY:Virtuaalikahvit\r\n" in text
    assert "LANGUAGE=" not in text


def test_the_event_file_follows_the_language_asked_for(client):
    event = _event(title_en="HYTU clinic: Inari")
    assert "\r\nSUMMARY:HYTU clinic: Inari\r\n" in _unfolded(
        client.get(f"/events/{event.id}.ics?lang=en")
    )
    assert "\r\nSUMMARY;LANGUAGE=fi:HYTU-klinikka: Inari\r\n" in _unfolded(
        client.get(f"/events/{event.id}.ics?lang=sv")
    )


def test_a_participants_own_feed_speaks_the_language_they_registered_in(client):
    event = _event(title_sv="HYTU-klinik: Enare")
    registration = register(event, "Aino Aikio", "aino@example.fi")
    registration.language = Language.SV
    db.session.commit()
    path = tokens.participant_feed_url("aino@example.fi").removeprefix("http://hytu.test")
    # A calendar app asks in its own language; the person chose Swedish.
    mine = client.get(path, headers={"Accept-Language": "en"})
    assert "\r\nSUMMARY:HYTU-klinik: Enare\r\n" in _unfolded(mine)
    asked = client.get(path + "?lang=fi", headers={"Accept-Language": "en"})
    assert "\r\nSUMMARY:HYTU-klinikka: Inari\r\n" in _unfolded(asked)
