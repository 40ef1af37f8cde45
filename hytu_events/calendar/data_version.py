"""The calendar data version: one number that moves with every change a public calendar shows.

The public feeds take their validators from it in one cheap query instead of loading their
events (calendar.public_feeds). Database triggers (migration 5c1e2f7a9b30) raise it in the
transaction of every insert, delete or truncate of the rows a public feed is made of (events,
series, the links of events to municipalities and measures, municipalities and measures), and
of every update of them; for events and series an update counts when it moves `updated_at`
(every ORM change does), so that the SQLite lock's no-op update (db.locking) leaves it.
Because the trigger writes this row, the new number becomes visible exactly when the change
commits, never before, whatever order transactions commit in: a timestamp could not promise
that (a change stamped early may commit after a later one).

`token` is random per row: a database restored elsewhere, or emptied (the row goes with its
tables; the next change makes a new one), never shares a cache key with another.

A later migration that recreates one of these tables (SQLite batch mode copies a table and
drops the old one, triggers included) must create its triggers again:
tests/calendar/test_data_version.py fails until it does.

`pages` is a second number for the public pages (page_cache), which show more than the feeds:
seats left, the summary's plan, indicators and outcomes. Every change that raises `version`
raises it too, and so does every change of PAGE_TABLES (migration 7d4b9e2c1f60), which leaves
`version`, and so the feeds' kept copies, alone: a registration changes no feed. On
PostgreSQL a registration's bump runs at commit (a deferred constraint trigger): at its
statement it would hold this one row for the rest of the transaction, and every registration
at any event would wait for every other.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CalendarVersion(db.Model):
    __tablename__ = "calendar_versions"

    #: Always 1: the table has one row.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Raised by the triggers, never by the app.
    version: Mapped[int] = mapped_column(sa.BigInteger)
    #: Raised with `version` and by every change of PAGE_TABLES.
    pages: Mapped[int] = mapped_column(sa.BigInteger, server_default="1")
    #: Random, made with the row.
    token: Mapped[str] = mapped_column(sa.String(40))

    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)


#: The tables whose rows make up the public feeds, each with the triggers of the migration.
TRACKED_TABLES = (
    "events",
    "series",
    "event_municipalities",
    "event_measures",
    "municipalities",
    "measures",
)

#: What the public pages show besides: seats (registrations), organisers, the plan and its
#: measures, indicators and outcomes (the summary). Each raises `pages` alone.
PAGE_TABLES = (
    "registrations",
    "event_organisations",
    "event_coordinators",
    "organisations",
    "plans",
    "focus_areas",
    "measure_focus_areas",
    "measure_indicators",
    "measure_organisations",
    "indicators",
    "indicator_values",
    "municipal_plan_status_changes",
    "outcomes",
    "outcome_measures",
    "follow_ups",
)

#: Tables no public page or feed shows, and so no version follows: people and their
#: accounts, personal feed tokens, the mail outbox, the audit trail, link requests, and
#: participants' feedback (only the back office shows it).
UNSHOWN_TABLES = (
    "users",
    "calendar_feed_tokens",
    "outbox_messages",
    "audit_entries",
    "link_requests",
    "calendar_versions",
    "feedback_requests",
    "feedback_answers",
    "feedback_measure_answers",
    "feedback_settings",
)
