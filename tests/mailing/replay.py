"""Delivering the outbox over SMTP, and each recipient's calendar as the invitations they
received make it (tests/calendar/itip.py), for the tests of updates and cancellations."""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage

import icalendar

from hytu_events.mailing.sender import deliver_due
from tests.calendar.itip import MailedCalendar
from tests.calendar.parsers import expand_everywhere

from .helpers import to_address


def deliver(mailbox) -> list[EmailMessage]:
    """Everything due, sent to the test's SMTP server; the messages it received this time."""
    before = len(mailbox.received)
    report = deliver_due()
    assert report.failed == 0 and report.retrying == 0, report
    return mailbox.messages()[before:]


def vevents(raw: bytes) -> list:
    return icalendar.Calendar.from_ical(raw).walk("VEVENT")


def inline_calendar(message: EmailMessage) -> bytes | None:
    """The text/calendar part a client acts on, or None for a message without one."""
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return parts[0].get_payload(decode=True) if parts else None


class Recipients:
    """Every recipient's calendar, fed each message as the SMTP server received it."""

    def __init__(self):
        self.calendars: dict[str, MailedCalendar] = {}
        #: Per address, what each message with a calendar did: (METHOD, taken as newer).
        self.taken: dict[str, list[tuple[str, bool]]] = {}
        #: Per address, the highest SEQUENCE in each of those messages.
        self.sequences: dict[str, list[int]] = {}

    def receive(self, messages: list[EmailMessage]) -> None:
        for message in messages:
            raw = inline_calendar(message)
            if raw is None:
                continue
            address = to_address(message)
            calendar = self.calendars.setdefault(address, MailedCalendar())
            applied = calendar.apply(raw)
            self.taken.setdefault(address, []).append((calendar.log[-1][0], applied))
            sequences = [int(v.get("SEQUENCE", 0)) for v in vevents(raw)]
            self.sequences.setdefault(address, []).append(max(sequences))

    def shown(self, address: str, around: date) -> list[dict]:
        """The occurrences `address`'s calendar shows within a year of `around`, as both
        engines expand it."""
        calendar = self.calendars.get(address, MailedCalendar())
        return expand_everywhere(
            calendar.to_ical(), around - timedelta(days=200), around + timedelta(days=200)
        )
