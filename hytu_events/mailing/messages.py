"""Building the MIME message: text, HTML and (for invitations) the calendar, twice.

The tree is what Outlook, Gmail and Apple Mail expect of an iTIP invitation (RFC 6047):

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; charset=utf-8; method=REQUEST   (the invitation clients act on)
      application/ics; name=invite.ics                 (the same calendar, for saving)

Headers are 7-bit (encoded words of at most 75 characters, RFC 2047 2) unless the recipient's
address has a non-ASCII local part: such an address has no ASCII form, so that one message is
written as RFC 6532 allows, with UTF-8 headers, and can only be sent over SMTPUTF8 (sender.py).
The body and the tree are the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import encoders, policy
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, getaddresses, make_msgid
from urllib.parse import urlsplit

from flask import current_app

from ..db.types import utcnow
from ..email_addresses import wire_address

#: Quoted-printable keeps the text readable in the source and 7-bit safe for any relay.
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP

#: CRLF line ends, as the bytes go over SMTP. compat32 rather than policy.SMTP: headers are
#: encoded here explicitly, and its header handling is several times faster, which matters
#: because messages are built inside the registration's transaction, under the event's lock
#: (policy.SMTP's folder also loses spaces next to parentheses in a subject). compat32 hands
#: max_line_length to email.header.Header as the longest line it may fold to, and a folded
#: line is a space and one encoded word, which RFC 2047 caps at 75 characters: hence 76.
SMTP_POLICY = policy.compat32.clone(linesep="\r\n", max_line_length=76)
#: For recipients whose address needs SMTPUTF8: the same, with UTF-8 headers (RFC 6532).
SMTPUTF8_POLICY = policy.SMTPUTF8.clone(max_line_length=78)


@dataclass(frozen=True)
class Calendar:
    """An iCalendar object to attach; `method` must be the METHOD written inside it, `stamp`
    the DTSTAMP of an iTIP message (the outbox keeps it: outbox.next_calendar_stamp)."""

    data: bytes
    method: str
    stamp: datetime | None = None


def new_message_id() -> str:
    """A globally unique Message-ID in our own domain (taken from BASE_URL)."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "hytu-events.invalid"
    return make_msgid("hytu", domain=host)


def sender_address() -> tuple[str, str]:
    """(display name, address) of MAIL_DEFAULT_SENDER."""
    [(name, address)] = getaddresses([current_app.config["MAIL_DEFAULT_SENDER"]])
    return name, address


def _calendar_method(data: bytes) -> str:
    for line in data.decode("utf-8").splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    raise ValueError("the calendar has no METHOD")


def build_mime(
    *,
    message_id: str,
    to_name: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
    language: str,
    calendar: Calendar | None = None,
) -> bytes:
    """The complete message as bytes; sending them again later repeats it exactly."""
    if calendar is not None:
        if calendar.data.lstrip() != calendar.data or not calendar.data.startswith(b"BEGIN:"):
            raise ValueError("a calendar must start with BEGIN: and nothing before it")
        if _calendar_method(calendar.data) != calendar.method.upper():
            raise ValueError("method= must equal the calendar's METHOD")

    if calendar is None:
        root = _alternative(text, html)
    else:
        root = MIMEMultipart("mixed", policy=SMTP_POLICY)
        body = _alternative(text, html)
        inline = _calendar_part("text", "calendar", calendar.data)
        inline.set_param("method", calendar.method.upper())
        body.attach(inline)
        root.attach(body)
        attachment = _calendar_part("application", "ics", calendar.data)
        attachment.set_param("name", "invite.ics")
        attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
        root.attach(attachment)

    name, address = sender_address()
    to_address = wire_address(to_address)
    international = not to_address.isascii()
    root["Message-ID"] = message_id
    root["Date"] = format_datetime(utcnow())
    if international:
        root["From"] = _utf8_address(name, address)
        root["To"] = _utf8_address(to_name, to_address)
        root["Subject"] = subject
    else:
        root["From"] = _ascii_address("From", name, address)
        root["To"] = _ascii_address("To", to_name, to_address)
        root["Subject"] = _encoded("Subject", subject)
    root["Content-Language"] = language
    # Out-of-office replies stay away from notifications (RFC 3834).
    root["Auto-Submitted"] = "auto-generated"
    return root.as_bytes(policy=SMTPUTF8_POLICY if international else SMTP_POLICY)


def _encoded(header: str, text: str) -> str | Header:
    """`text` as the value of `header` in 7 bits: as it is when ASCII, else encoded words that
    Header folds between; naming the header lets it count the name on the first line."""
    return text if text.isascii() else Header(text, "utf-8", header_name=header)


def _ascii_address(header: str, name: str, address: str) -> str | Header:
    """`Name <address>` in 7 bits; a non-ASCII name as encoded words (formataddr would make
    one word of any length). `address` is ASCII (email_addresses.wire_address)."""
    if name.isascii():
        return formataddr((name, address))
    value = Header(name, "utf-8", header_name=header)
    value.append(f" <{address}>", "us-ascii")
    return value


def _utf8_address(name: str, address: str) -> str:
    """`Name <address>` with the name quoted where it must be, as raw UTF-8 (RFC 6532).
    Built from the parts: headerregistry refuses to parse a non-ASCII local part."""
    local, _, domain = address.rpartition("@")
    return str(Address(name, username=local, domain=domain))


def _alternative(text: str, html: str) -> MIMEMultipart:
    """The readable body; both parts come from the same template data."""
    part = MIMEMultipart("alternative", policy=SMTP_POLICY)
    part.attach(MIMEText(text, "plain", _UTF8_QP, policy=SMTP_POLICY))
    part.attach(MIMEText(html, "html", _UTF8_QP, policy=SMTP_POLICY))
    return part


def _calendar_part(maintype: str, subtype: str, data: bytes) -> MIMEBase:
    """Base64 keeps the calendar's CRLF line ends and folding intact through every relay."""
    part = MIMEBase(maintype, subtype, charset="utf-8", policy=SMTP_POLICY)
    part.set_payload(data)
    encoders.encode_base64(part)
    return part
