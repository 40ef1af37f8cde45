"""The series page: feedback across its dates, a chart with the same numbers in a table."""

from __future__ import annotations

import re
from datetime import timedelta

from hytu_events.accounts.models import Role
from hytu_events.db.types import utcnow
from hytu_events.extensions import db
from hytu_events.feedback.answering import Answer, record_answer
from hytu_events.feedback.models import FeedbackRequest
from tests.accounts.helpers import log_in, make_user
from tests.plan.helpers import register
from tests.series.registering import coming_series


def _answer(date, score):
    person = register(date)
    request = FeedbackRequest(registration_id=person.id, event_id=date.id)
    db.session.add(request)
    db.session.flush()
    record_answer(request, person, Answer(score))
    db.session.commit()


def test_each_date_shows_its_answers_and_average(app, client):
    coordinator = make_user(Role.COORDINATOR, email="sarjat@example.fi")
    series = coming_series(coordinator, count=3)
    for weeks, date in zip((3, 2, 1), series.dates, strict=True):
        length = date.ends_at - date.starts_at
        date.starts_at = utcnow() - timedelta(weeks=weeks)
        date.ends_at = date.starts_at + length
    db.session.commit()
    first, second, _third = series.dates
    _answer(first, 4)
    _answer(first, 5)
    _answer(second, 3)
    log_in(client, coordinator)
    page = client.get(f"/admin/series/{series.id}?lang=en").text
    table = page.split("Average usefulness (1–5) at each date", 1)[1].split("</table>", 1)[0]
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in table.split("<tr>")[2:]]
    assert cells == [["2", "4.5"], ["1", "3"], ["0", "–"]]
