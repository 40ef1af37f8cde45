"""The feedback form: opened by its link alone, answered once, refused when the link is not
right; answers counted as stored."""

from __future__ import annotations

import time

import pytest
from itsdangerous.timed import TimestampSigner

from hytu_events.extensions import db
from hytu_events.feedback.links import feedback_token
from hytu_events.feedback.models import Helped
from hytu_events.feedback.results import results_of_event
from hytu_events.feedback.switches import save_setting, setting_of
from hytu_events.registrations.models import Language
from hytu_events.registrations.tokens import self_service_token
from tests.helpers import csrf_token, field_error, municipality, organisation, page_text
from tests.plan.helpers import measure, register

from .helpers import answers_of, ask, ended_event, feedback_messages, link_in, requests_of


def _asked(event, **details):
    person = register(event, **details)
    ask()
    [message] = [m for m in feedback_messages() if m.to_address == person.email]
    return person, link_in(message)


def _answers(event, **overrides) -> dict:
    data = {"usefulness": "4", "take_forward": "Kylien turvallisuuskävely", "comment": ""}
    for code in ("T1", "T2"):
        data[f"measure_{measure(code).id}"] = "yes"
    data.update(overrides)
    return data


def _send(client, link: str, data: dict):
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link, data={"csrf_token": csrf_token(page.text), **data})


def test_an_answer_is_stored_with_the_event_and_where_the_person_works(app, client):
    event = ended_event()
    _person, link = _asked(
        event, organisation=organisation("lapin-liitto"), municipality=municipality("inari")
    )
    form = client.get(link)
    assert form.status_code == 200
    assert 'lang="fi"' in form.text
    text = page_text(form.text)
    for code in ("T1", "T2"):
        assert measure(code).title_in("fi") in text
    sent = _send(client, link, _answers(event, usefulness="5", comment="Hyvä päivä"))
    assert sent.status_code == 303
    [answer] = answers_of(event)
    assert answer.usefulness == 5
    assert answer.municipality_id == municipality("inari").id
    assert answer.organisation_category.value == "authority"
    assert {m.measure.code: m.helped for m in answer.measures} == {
        "T1": Helped.YES,
        "T2": Helped.YES,
    }
    assert answer.comment == "Hyvä päivä"
    [request] = requests_of(event)
    assert request.answered


def test_a_link_answers_once(app, client):
    event = ended_event()
    _person, link = _asked(event)
    page = client.get(link)
    token = csrf_token(page.text)
    assert client.post(link, data={"csrf_token": token, **_answers(event)}).status_code == 303
    again = client.get(link)
    assert again.status_code == 200
    assert "usefulness" not in again.text  # no form, only the note that it was received
    assert "vastaanotettu" in page_text(again.text).lower() or "received" in again.text
    # A second tab posting the form it still shows changes nothing.
    client.post(link, data={"csrf_token": token, **_answers(event, usefulness="1")})
    assert [a.usefulness for a in answers_of(event)] == [4]


def test_missing_answers_are_named_in_the_error_summary(app, client):
    event = ended_event()
    _person, link = _asked(event)
    page = client.get(link)
    sent = client.post(link, data={"csrf_token": csrf_token(page.text), "take_forward": "x"})
    assert sent.status_code == 422
    assert 'id="error-summary"' in sent.text
    assert field_error(sent.text, "usefulness")
    assert field_error(sent.text, f"measure_{measure('T1').id}")
    assert answers_of(event) == []


def test_the_coordinators_own_question_is_asked_and_its_answer_kept(app, client):
    event = ended_event()
    save_setting(setting_of(event_id=event.id), enabled=True, question="Mikä aihe seuraavaksi?")
    db.session.commit()
    _person, link = _asked(event)
    assert "Mikä aihe seuraavaksi?" in client.get(link).text
    _send(client, link, _answers(event, own_answer="Liikenneturvallisuus"))
    [answer] = answers_of(event)
    assert (answer.own_question, answer.own_answer) == (
        "Mikä aihe seuraavaksi?",
        "Liikenneturvallisuus",
    )


def _tampered(token: str) -> str:
    cut = token.rfind(".") + 1
    return token[:cut] + ("A" if token[cut] != "A" else "B") + token[cut + 1 :]


def test_tampered_foreign_and_expired_links_are_not_found(app, client, monkeypatch):
    event = ended_event()
    person, link = _asked(event)
    token = link.split("/")[2].split("?")[0]
    assert client.get(f"/feedback/{_tampered(token)}").status_code == 404
    assert client.get(f"/feedback/{self_service_token(person)}").status_code == 404
    assert client.get("/feedback/" + "x" * 40).status_code == 404
    days = app.config["HYTU_FEEDBACK_LINK_DAYS"]
    for later, status in ((days * 86400 - 60, 200), (days * 86400 + 60, 404)):
        with monkeypatch.context() as patch:
            patch.setattr(
                TimestampSigner, "get_timestamp", lambda self, s=later: int(time.time()) + s
            )
            assert client.get(link).status_code == status


def test_a_link_signed_for_someone_never_asked_is_not_found(app, client):
    event = ended_event()
    save_setting(setting_of(event_id=event.id), enabled=False, question=None)
    db.session.commit()
    person = register(event)
    assert client.get(f"/feedback/{feedback_token(person)}").status_code == 404


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_form_speaks_the_link_language(app, client, language):
    event = ended_event()
    person = register(event)
    person.language = Language(language)
    db.session.commit()
    ask()
    [message] = feedback_messages()
    page = client.get(link_in(message))
    assert f'lang="{language}"' in page.text
    assert measure("T1").title_in(language) in page_text(page.text)


def test_the_figures_are_the_counts_of_the_stored_answers(app, client):
    event = ended_event()
    links = [_asked(event)[1] for _ in range(4)]
    scores = ["5", "4", "4", "2"]
    helped = ["yes", "partly", "no", "yes"]
    for link, score, help_ in zip(links[:3], scores, helped, strict=False):
        _send(
            client,
            link,
            _answers(event, usefulness=score, **{f"measure_{measure('T1').id}": help_}),
        )
    results = results_of_event(event)
    rows = answers_of(event)
    assert (results.asked, results.answered) == (4, 3)
    assert results.average == round(sum(a.usefulness for a in rows) / len(rows), 2)
    assert dict(results.distribution) == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    [t1, t2] = results.measures
    assert t1.counts == {Helped.YES: 1, Helped.PARTLY: 1, Helped.NO: 1}
    assert t2.counts == {Helped.YES: 3, Helped.PARTLY: 0, Helped.NO: 0}
