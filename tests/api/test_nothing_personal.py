"""No answer of the API holds anything personal: not a participant's name, email, job title,
needs or secret links, not a coordinator's name or email, not a private online link, whatever
operation, page, filter or language is asked for."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Event, Registration, Role, Series
from hytu_events.registrations.operations import register
from tests.accounts.helpers import make_user
from tests.helpers import make_event
from tests.leaks import leaked, secrets_of
from tests.registrations.people import details

PRIVATE_LINK = "https://teams.example.fi/l/meetup-join/salainen-kokous"


def personal_data(demo_people: list[Registration], coordinators) -> dict[str, str]:
    found = secrets_of(demo_people)
    for registration in demo_people:
        found[f"name {registration.id}"] = registration.name
        found[f"email {registration.id}"] = registration.email
        if registration.job_title:
            found[f"job title {registration.id}"] = registration.job_title
        if registration.needs:
            found[f"needs {registration.id}"] = registration.needs
    for user in coordinators:
        found[f"coordinator {user.id}"] = user.name
        found[f"coordinator email {user.id}"] = user.email
    found["private online link"] = PRIVATE_LINK
    return found


def every_answer(client) -> list[tuple[str, bytes]]:
    """Every operation, every page of the lists, each event and series, in every language."""
    urls = ["/api/v1/openapi.json", "/api/v1/docs"]
    for lang in ("fi", "sv", "en"):
        urls += [
            f"/api/v1/{name}?lang={lang}" for name in ("measures", "municipalities", "summary")
        ]
        urls += [f"/api/v1/events?when={when}&lang={lang}" for when in ("upcoming", "past", "all")]
        urls.append(f"/api/v1/series?lang={lang}")
    for event_id in db.session.scalars(sa.select(Event.id)):
        urls.append(f"/api/v1/events/{event_id}")
    for series_id in db.session.scalars(sa.select(Series.id)):
        urls.append(f"/api/v1/series/{series_id}")
    answers, seen = [], set()
    while urls:
        url = urls.pop()
        if url in seen:
            continue
        seen.add(url)
        answer = client.get(url)
        answers.append((url, answer.data))
        for target in answer.headers.get("Link", "").split(","):
            if 'rel="next"' in target:
                urls.append(target.split(">")[0].strip(" <").replace("http://localhost", ""))
    return answers


def test_no_answer_holds_personal_data(client, demo):
    coordinators = [
        make_user(Role.COORDINATOR, email="koordinaattori.kaija@example.fi", name="Kaija Koordi"),
        make_user(Role.ADMIN, email="paakayttaja.pekka@example.fi", name="Pekka Pääkäyttäjä"),
    ]
    event = make_event(
        title="Klinikka verkossa",
        online_url=PRIVATE_LINK,
        online_url_public=False,
        asks_for_needs=True,
    )
    event.coordinators = coordinators
    person = details("Saara Salainen", "saara.salainen@example.fi", needs="Pyörätuoliluiska")
    register(event.id, replace(person, job_title="Hyvinvointikoordinaattori"))
    db.session.commit()
    people = list(db.session.scalars(sa.select(Registration)))
    assert len(people) > 10  # the demo's people too, on every kind of event
    secrets = personal_data(people, coordinators)
    problems = []
    answers = every_answer(client)
    assert len(answers) > 40
    for url, body in answers:
        problems += [f"{url}: {name}" for name in leaked(body, secrets)]
    assert not problems, "\n".join(problems)
    # The event is there, with its link held back.
    shown = client.get(f"/api/v1/events/{event.id}").get_json()
    assert shown["online"] is True and shown["online_url"] is None
