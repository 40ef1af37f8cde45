"""Email addresses in their canonical form (email-validator's, then lower case), so stored rows
match what the forms now store: IDN domains as U-labels, local parts in NFC.

Before, addresses were stored as typed (trimmed, lower case). A person who typed
`anna@xn--thti-loa.example` is now `anna@tähti.example`; without this, their login, their
"send my link again" and their data export would no longer find their rows. A row whose new
form is already taken (the same person under both spellings, at the same event) keeps its
old one: that is how it worked until now. Addresses that do not validate are left alone.

Revision ID: 1a23ca1036c3
Revises: 8ef72644e8ee
Create Date: 2026-11-30 09:00:00.000000

"""
import unicodedata

import sqlalchemy as sa
from alembic import op
from email_validator import EmailNotValidError, validate_email

# revision identifiers, used by Alembic.
revision = '1a23ca1036c3'
down_revision = '8ef72644e8ee'
branch_labels = None
depends_on = None

registrations = sa.table(
    "registrations",
    sa.column("id", sa.Integer),
    sa.column("event_id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("status", sa.String),
)
users = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String))
feed_tokens = sa.table(
    "calendar_feed_tokens",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("revoked_at", sa.DateTime),
)
outbox = sa.table(
    "outbox_messages", sa.column("id", sa.Integer), sa.column("to_address", sa.String)
)


def _canonical(value):
    """hytu_events.email_addresses.canonical_email as it was written with this revision."""
    try:
        normalised = validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None
    return unicodedata.normalize("NFC", normalised.lower())


def _changes(connection, table, column):
    for row in connection.execute(sa.select(table).where(column.is_not(None))).mappings():
        new = _canonical(row[column.name])
        if new is not None and new != row[column.name]:
            yield row, new


def _taken(connection, query) -> bool:
    return connection.execute(query.limit(1)).first() is not None


def upgrade():
    connection = op.get_bind()
    r = registrations.c
    for row, new in list(_changes(connection, registrations, r.email)):
        if row["status"] != "cancelled" and _taken(
            connection,
            sa.select(r.id).where(
                r.event_id == row["event_id"], r.email == new, r.status != "cancelled"
            ),
        ):
            continue
        connection.execute(registrations.update().where(r.id == row["id"]).values(email=new))

    u = users.c
    for row, new in list(_changes(connection, users, u.email)):
        if not _taken(connection, sa.select(u.id).where(u.email == new)):
            connection.execute(users.update().where(u.id == row["id"]).values(email=new))

    t = feed_tokens.c
    for row, new in list(_changes(connection, feed_tokens, t.email)):
        if row["revoked_at"] is None and _taken(
            connection, sa.select(t.id).where(t.email == new, t.revoked_at.is_(None))
        ):
            continue
        connection.execute(feed_tokens.update().where(t.id == row["id"]).values(email=new))

    # The privacy export and erasure find a person's messages by this address.
    o = outbox.c
    for row, new in list(_changes(connection, outbox, o.to_address)):
        connection.execute(outbox.update().where(o.id == row["id"]).values(to_address=new))


def downgrade():
    # The old spellings are not kept; both forms are valid addresses of the same mailbox.
    pass
