"""The outbox: every email the app sends, as the exact bytes that go over SMTP."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..db.labels import LabelledEnum
from ..db.types import CreatedAt, EmailAddress, IntPK, enum_column, utcnow
from ..extensions import db


class MessageKind(LabelledEnum):
    CONFIRMATION = "confirmation", _l("Confirmation")
    WAITLISTED = "waitlisted", _l("Waiting list")
    PROMOTED = "promoted", _l("Place from the waiting list")
    UPDATE = "update", _l("Event changed")
    CANCELLATION = "cancellation", _l("Event cancelled")
    PARTICIPANT_CANCELLED = "participant_cancelled", _l("Registration cancelled")
    REMINDER = "reminder", _l("Reminder")
    COORDINATOR_MESSAGE = "coordinator_message", _l("Message from the organisers")
    LINK_RESEND = "link_resend", _l("Links sent again")
    FEEDBACK = "feedback", _l("Feedback request")


class MessageStatus(LabelledEnum):
    QUEUED = "queued", _l("Queued")
    SENDING = "sending", _l("Sending")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[IntPK]
    #: The Message-ID header, fixed when the row is written: a resend after a crash carries
    #: the same one, so mail clients and servers recognise the duplicate.
    message_id: Mapped[str] = mapped_column(sa.String(250), unique=True)
    #: Set for messages that must exist only once (reminders): a second enqueue is a no-op.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    #: Bare address for the SMTP envelope; the display name is inside `mime`.
    to_address: Mapped[EmailAddress]
    #: The subject as the recipient reads it (the header in `mime` is encoded).
    subject: Mapped[str] = mapped_column(sa.String(300))
    #: The whole message, headers included, built at enqueue time in the recipient's
    #: language: every delivery attempt sends these very bytes. Empty when building failed
    #: (the row is then failed, with the reason).
    mime: Mapped[bytes] = mapped_column(sa.LargeBinary)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind, "message_kind"))
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "message_status"), default=MessageStatus.QUEUED
    )
    #: Delivery attempts started (a claim counts, so a crashed worker's try is counted too).
    attempts: Mapped[int] = mapped_column(default=0)
    #: When a worker may pick the row up: for `queued` the next try, for `sending` the end
    #: of the claiming worker's lease (after which it is presumed dead and the row due again).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Why the last attempt failed, as the SMTP server or the network said it.
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    #: The DTSTAMP of the iTIP message it carries, if any: the next one to the same address is
    #: stamped later (mailing.outbox.next_calendar_stamp).
    calendar_stamp: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        sa.Index("ix_outbox_messages_calendar_stamp", "to_address", "calendar_stamp"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_has_time"),
    )

    @property
    def built(self) -> bool:
        """False for a message that could not be built: there is nothing to send, ever."""
        return bool(self.mime)

    @property
    def language(self) -> str | None:
        """The recipient's language (Content-Language), which need not be the reader's: pages
        mark the subject and text with it (WCAG 3.1.2)."""
        if not self.mime:
            return None
        headers = BytesHeaderParser(policy=policy.default).parsebytes(self.mime)
        return headers.get("Content-Language")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind.value} {self.status.value}>"
