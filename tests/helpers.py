"""Small helpers for tests: CSRF tokens, HTML reading, making events."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Event, EventKind, EventStatus, Municipality, Organisation


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def post_form(client, url: str, data: dict, **kwargs):
    """GET the page for its CSRF token, then POST `data` with it, as a browser would."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data}, **kwargs)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The visible text of a page, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def field_error(html: str, field_id: str) -> str | None:
    """The error message shown at a field, or None."""
    match = re.search(rf'<p class="field-error" id="{field_id}-error">(.*?)</p>', html, re.S)
    if not match:
        return None
    # Drop the visually hidden "Error:" prefix, whatever the language.
    return page_text(match.group(1)).split(":", 1)[-1].strip()


def municipality(slug: str) -> Municipality:
    return db.session.scalars(sa.select(Municipality).where(Municipality.slug == slug)).one()


def organisation(slug: str) -> Organisation:
    return db.session.scalars(sa.select(Organisation).where(Organisation.slug == slug)).one()


def make_event(**overrides) -> Event:
    """A published clinic a week from now, open for registration; override anything."""
    start = overrides.pop("starts_at", datetime.now(UTC).replace(microsecond=0) + timedelta(days=7))
    municipalities = overrides.pop("municipalities", None)
    values = dict(
        kind=EventKind.HYTU_CLINIC,
        title="HYTU-klinikka: Inari",
        description="Kunnan HYTU-työryhmä ja alueen asiantuntijat.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue="Inarin kunnantalo",
        capacity=20,
        status=EventStatus.PUBLISHED,
    )
    values.update(overrides)
    event = Event(**values)
    event.municipalities = municipalities if municipalities is not None else [municipality("inari")]
    db.session.add(event)
    db.session.commit()
    return event


@contextmanager
def counting_queries():
    """The SQL statements run inside the block (for tests that keep query counts fixed)."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
