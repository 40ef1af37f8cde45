"""Rows as the API shows them, texts in the reader's language (Flask-Babel's locale, which
`?lang=` or Accept-Language chose), times with their offset in the network's time zone.

Only public facts and counts leave here: an event's participants and coordinators are never
read, and its online link only where the organisers made it public.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for

from ..db.labels import LabelledEnum
from ..events.models import Event
from ..events.queries import PUBLIC_STATUSES
from ..extensions import db
from ..i18n import current_language
from ..local_time import zone
from ..partners.models import Municipality
from ..plan.models import Measure, MunicipalPlanStatus, event_measures
from ..registrations.seats import SeatCount, seat_counts, seats_left
from ..reporting.dashboard import Dashboard
from ..series.models import Series
from ..series.wording import rule_in_words


def label(value: LabelledEnum) -> dict:
    return {"code": value.value, "label": str(value.label)}


def local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(zone())


def municipality_ref(municipality: Municipality) -> dict:
    return {"slug": municipality.slug, "name": municipality.name_in(current_language())}


def measure_ref(measure: Measure) -> dict:
    return {"code": measure.code, "title": measure.title_in(current_language())}


def texts(row: Event | Series) -> dict:
    """An event's or a series' title and description in the language asked for, each with the
    language it is in: Finnish where the organisers wrote none in that one."""
    language = current_language()
    title, description = row.title_in(language), row.description_in(language)
    return {
        "title": title,
        "title_language": title.language,
        "description": description,
        "description_language": description.language,
    }


def series_ref(series: Series) -> dict:
    return {
        "id": series.id,
        "title": series.title_in(current_language()),
        "url": url_for("series.detail", series_id=series.id, _external=True),
        "api_url": url_for("api.one_series", series_id=series.id, _external=True),
    }


def measures_by_event(event_ids: list[int]) -> dict[int, list[Measure]]:
    """The measures each event serves, in one query."""
    found: dict[int, list[Measure]] = {event_id: [] for event_id in event_ids}
    if event_ids:
        rows = db.session.execute(
            sa.select(event_measures.c.event_id, Measure)
            .join(Measure, Measure.id == event_measures.c.measure_id)
            .where(event_measures.c.event_id.in_(event_ids))
            .order_by(Measure.code)
        )
        for event_id, measure in rows:
            found[event_id].append(measure)
    return found


def events(rows: Iterable[Event]) -> list[dict]:
    """Many events, with their seats and measures counted in one query each."""
    rows = list(rows)
    ids = [event.id for event in rows]
    counts, measures = seat_counts(ids), measures_by_event(ids)
    return [event(row, counts[row.id], measures[row.id]) for row in rows]


def event(row: Event, count: SeatCount, measures: list[Measure]) -> dict:
    return {
        "id": row.id,
        "url": url_for("catalogue.detail", event_id=row.id, _external=True),
        "calendar_url": url_for("calendar.event_file", event_id=row.id, _external=True),
        "kind": label(row.kind),
        "status": label(row.status),
        "cancellation_reason": row.cancellation_reason,
        **texts(row),
        "starts_at": local(row.starts_at),
        "ends_at": local(row.ends_at),
        "venue": row.venue or None,
        "online": row.is_online,
        "online_url": row.online_url if row.online_url and row.online_url_public else None,
        "municipalities": [municipality_ref(m) for m in row.municipalities],
        "measures": [measure_ref(m) for m in measures],
        "series": series_ref(row.series) if row.series is not None else None,
        "capacity": row.capacity,
        "seats_left": seats_left(row, count),
        "waiting_list": count.waitlisted,
        "registration": {
            "state": row.registration_state().value,
            "opens_at": local(row.registration_opens_at),
            "closes_at": local(row.registration_closes),
            "url": url_for("registrations.register_form", event_id=row.id, _external=True),
        },
    }


def series(row: Series, dates: list[Event]) -> dict:
    counts = seat_counts([date.id for date in dates])
    return {
        "id": row.id,
        "url": url_for("series.detail", series_id=row.id, _external=True),
        **texts(row),
        "rule": rule_in_words(row),
        "venue": row.venue or None,
        "online": bool(row.online_url),
        "dates": [
            {
                "id": date.id,
                "url": url_for("catalogue.detail", event_id=date.id, _external=True),
                "api_url": url_for("api.one_event", event_id=date.id, _external=True),
                "status": label(date.status),
                "starts_at": local(date.starts_at),
                "ends_at": local(date.ends_at),
                "seats_left": seats_left(date, counts[date.id]),
            }
            for date in dates
        ],
    }


def public_dates_of(series_ids: list[int]) -> dict[int, list[Event]]:
    """Each series' published and cancelled dates, soonest first, in one query."""
    found: dict[int, list[Event]] = {series_id: [] for series_id in series_ids}
    if series_ids:
        rows = db.session.scalars(
            sa.select(Event)
            .where(Event.series_id.in_(series_ids), Event.status.in_(PUBLIC_STATUSES))
            .order_by(Event.starts_at, Event.id)
        )
        for row in rows:
            found[row.series_id].append(row)
    return found


def measure(row: Measure, events: int, upcoming: int) -> dict:
    language = current_language()
    return {
        "code": row.code,
        "title": row.title_in(language),
        "description": row.description,
        "start_year": row.start_year,
        "end_year": row.end_year,
        "target": row.target_text,
        "focus_areas": [{"code": a.code, "name": a.name_in(language)} for a in row.focus_areas],
        "events": events,
        "upcoming_events": upcoming,
        "events_api_url": url_for("api.events", measure=row.code, when="all", _external=True),
    }


def municipality(row: Municipality, status: MunicipalPlanStatus, since: date | None) -> dict:
    return {
        **municipality_ref(row),
        "name_fi": row.name_fi,
        "name_sv": row.name_sv,
        "name_se": row.name_se,
        "sub_region": label(row.sub_region),
        "sami_homeland": row.sami_homeland,
        "plan_status": {**label(status), "since": since},
        "events_api_url": url_for("api.events", municipality=row.slug, _external=True),
    }


def summary(dashboard: Dashboard) -> dict:
    """The public summary's figures (reporting.dashboard): counts only."""
    language = current_language()
    region = dashboard.filter.sub_region
    return {
        "year": dashboard.filter.year,
        "sub_region": label(region) if region is not None else None,
        "events_held": dashboard.events_held,
        "participants": dashboard.participants,
        "partner_count": dashboard.partner_count,
        "partners_reached": dashboard.partners_reached,
        "municipality_count": dashboard.municipality_count,
        "municipalities_reached": dashboard.municipalities_reached,
        "plan_statuses": [
            {**label(status), "count": count} for status, count in dashboard.status_counts.items()
        ],
        "events_by_month": [
            {"month": month, "events": count} for month, count in dashboard.events_by_month
        ],
        "coverage": [
            {**label(area), "reached": reached, "municipalities": total}
            for area, reached, total in dashboard.coverage
        ],
        "measures": [
            {
                "code": row.measure.code,
                "title": row.measure.title_in(language),
                "events": row.events,
                "participants": row.participants,
                "partners_reached": row.partners_reached,
                "municipalities_reached": row.municipalities_reached,
            }
            for row in dashboard.measures
        ],
        "municipalities": [
            {
                **municipality_ref(row.municipality),
                "plan_status": label(row.status),
                "events": row.events,
                "people": row.people,
            }
            for row in dashboard.municipalities
        ],
        "partners": [
            {"name": r.organisation.display_name, "events": r.events, "participants": r.people}
            for r in dashboard.partners
        ],
    }
