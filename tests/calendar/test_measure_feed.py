"""The public feed filtered by a measure of the plan (`?measure=` code or id)."""

from __future__ import annotations

from hytu_events.extensions import db
from hytu_events.outcomes.event_measures import set_event_measures
from hytu_events.plan.seed import seed_plan
from tests.calendar.parsers import parse_everywhere
from tests.helpers import make_event
from tests.plan.helpers import measure


def test_feed_holds_only_events_serving_the_measure(client):
    seed_plan()
    db.session.commit()
    t1, t2 = measure("T1"), measure("T2")
    serving = make_event(title="Palvelee T1")
    other = make_event(title="Palvelee T2")
    set_event_measures(serving.id, [t1.id])
    set_event_measures(other.id, [t2.id])
    db.session.commit()
    for value in ("T1", str(t1.id)):
        response = client.get(f"/calendar.ics?measure={value}")
        assert response.status_code == 200
        by_vobject, by_icaljs = parse_everywhere(response.data)
        assert set(by_vobject) == set(by_icaljs) == {serving.calendar_uid}
    by_t2 = client.get("/calendar.ics?measure=T2")
    assert by_t2.headers["ETag"] != client.get("/calendar.ics?measure=T1").headers["ETag"]
    assert client.get("/calendar.ics?measure=NOPE").status_code == 400
