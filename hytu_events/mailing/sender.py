"""Delivering due outbox rows over SMTP.

What the outbox guarantees is delivery **at least once**, not exactly once:

- A message committed to the outbox is sent until the SMTP server accepts it. Temporary trouble
  (server down or refusing with 4xx, network errors, timeouts) is retried without end; only a
  permanent refusal (5xx, HYTU_MAIL_MAX_ATTEMPTS times) stops it, as `failed`, shown with the
  server's reason at /admin/outbox.
- A message may arrive twice. A worker that dies after the server's "250 OK" and before it
  records `sent` leaves its row `sending`; when the row's lease (HYTU_MAIL_SENDING_TIMEOUT_SECONDS)
  runs out it is due again and goes once more. A worker claims one row at a time, so each crash
  repeats at most one message. (A live worker slower than its lease would do the same: keep the
  lease well above the SMTP timeout.)
- A duplicate is recognisable: the MIME is built once, at enqueue time, and every attempt sends
  those bytes, so the repeat is byte for byte the original, Message-ID included: a mailbox or
  client that deduplicates by Message-ID shows it once.
- Two live workers never send the same row. The claim is a compare-and-set, an UPDATE that only
  matches a row still due: on SQLite the only guard; PostgreSQL also skips rows another worker
  has locked (SKIP LOCKED).

How: a worker first *claims* a row in a short transaction of its own (status `sending`, the lease
in `next_attempt_at`) and commits; only then does it talk to the SMTP server, and it commits
`sent` right after the server accepted. tests/mailing/test_workers.py runs an outage, two workers
and a crash together, and pins the compare-and-set.

A recipient whose address has a non-ASCII local part can only be reached over SMTPUTF8
(RFC 6531). A server that does not offer it cannot deliver that message however often we
try, so the message fails at once with the reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..db.types import utcnow
from ..email_addresses import needs_smtputf8, wire_address
from ..extensions import db
from .messages import sender_address
from .models import MessageStatus, OutboxMessage

#: Minutes to wait after the 1st, 2nd, ... failed attempt; the last one repeats.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60)


class TemporaryFailure(Exception):
    """Try again later: the server or the network was not available."""


class PermanentFailure(Exception):
    """The server refused the message (5xx); trying again rarely helps."""


class ConnectionFailed(TemporaryFailure):
    """No connection to deliver over (unreachable, no greeting, TLS, a refused login): it says
    nothing about the message, so the run stops and every message waits for the next one."""


class Undeliverable(PermanentFailure):
    """This server cannot take this message at all: failed at once, not tried again.
    Nothing was sent, so the connection stays usable for the next message."""


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def retry_delay(attempts: int) -> timedelta:
    index = min(max(attempts, 1), len(RETRY_DELAYS_MINUTES)) - 1
    return timedelta(minutes=RETRY_DELAYS_MINUTES[index])


def _due(now: datetime):
    # A `sending` row whose lease has run out belongs to a worker that died.
    return sa.and_(
        OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING]),
        OutboxMessage.next_attempt_at <= now,
    )


def due_count(now: datetime | None = None) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(_due(now or utcnow())))


def claim_due(limit: int, now: datetime) -> list[int]:
    """Take up to `limit` due rows for this worker and commit the claim."""
    lease = now + timedelta(seconds=current_app.config["HYTU_MAIL_SENDING_TIMEOUT_SECONDS"])
    query = (
        sa.select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    candidates = list(db.session.scalars(query))
    claimed = []
    for message_id in candidates:
        # Compare-and-set: only one worker's UPDATE matches a row that is still due.
        result = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _due(now))
            .values(
                status=MessageStatus.SENDING,
                attempts=OutboxMessage.attempts + 1,
                next_attempt_at=lease,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return claimed


# Sending is smtplib, not Flask-Mail: its Message builds its own MIME, and the outbox sends the
# exact bytes it stored when the message was written (a repeat after a crash is byte for byte
# the first), with SMTPUTF8 mail options per message, over one connection per batch, with
# every error classified as temporary or permanent. Only opening that connection would be left
# to Flask-Mail, which is not worth a dependency.
def _connect() -> smtplib.SMTP:
    """A logged-in connection to MAIL_SERVER, with a timeout so a hanging server cannot stall
    the worker. Without MAIL_SERVER nothing is delivered (the outbox keeps it), so this is only
    called when there is one."""
    config = current_app.config
    timeout = config["HYTU_MAIL_SMTP_TIMEOUT_SECONDS"]
    server = (config["MAIL_SERVER"], config["MAIL_PORT"])
    if config["MAIL_USE_SSL"]:
        host = smtplib.SMTP_SSL(*server, timeout=timeout, context=_tls_context())
    else:
        host = smtplib.SMTP(*server, timeout=timeout)
    try:
        if config["MAIL_USE_TLS"]:
            host.starttls(context=_tls_context())
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        # A refused TLS or login must not leave the socket open: the worker retries every
        # few seconds, and each try would keep one more connection to the server.
        host.close()
        raise
    return host


def _tls_context() -> ssl.SSLContext:
    """The server's certificate is checked, its name too, against the system's CAs or only
    those in HYTU_MAIL_CA_FILE. (smtplib's own default checks nothing: anyone on the path could
    pose as the server and read the password.)"""
    return ssl.create_default_context(cafile=current_app.config["HYTU_MAIL_CA_FILE"] or None)


def _classify(error: Exception) -> Exception:
    if isinstance(error, smtplib.SMTPConnectError):
        # A server that will not even greet us says nothing about this message.
        return TemporaryFailure(f"{error.smtp_code} {_decode(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return PermanentFailure(f"recipient refused: {error.recipients}")
        return TemporaryFailure(f"recipient refused for now: {error.recipients}")
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_decode(error.smtp_error)}"
        return PermanentFailure(text) if error.smtp_code >= 500 else TemporaryFailure(text)
    # Refused or dropped connections, timeouts, DNS: the server may be back soon.
    return TemporaryFailure(f"{type(error).__name__}: {error}")


def _decode(reply: bytes) -> str:
    """A server's reply as text (smtplib gives bytes); one in another encoding stays readable."""
    return reply.decode("utf-8", "replace")


def _send(host: smtplib.SMTP, message: OutboxMessage) -> None:
    _, envelope_from = sender_address()
    recipient = wire_address(message.to_address)  # the same form the To header has
    options: list[str] = []
    try:
        if needs_smtputf8(message.to_address):
            host.ehlo_or_helo_if_needed()
            if not host.has_extn("smtputf8"):
                raise Undeliverable(
                    f"The mail server does not support SMTPUTF8, which {recipient} needs "
                    "(its part before the @ is not ASCII), so the message was not sent. "
                    "Send it again once the server supports SMTPUTF8."
                )
            # As smtplib's send_message does for such messages: the headers are UTF-8.
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        host.sendmail(envelope_from, [recipient], message.mime, mail_options=options)
    except (smtplib.SMTPException, OSError) as error:
        raise _classify(error) from error


def _mark_sent(message: OutboxMessage, now: datetime) -> None:
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.last_error = None
    db.session.commit()


def _mark_failed_attempt(message: OutboxMessage, error: Exception, now: datetime) -> str:
    message.last_error = str(error)[:2000]
    max_attempts = current_app.config["HYTU_MAIL_MAX_ATTEMPTS"]
    if isinstance(error, Undeliverable) or (
        isinstance(error, PermanentFailure) and message.attempts >= max_attempts
    ):
        message.status = MessageStatus.FAILED
        outcome = "failed"
    else:
        # Temporary trouble never gives up: no email is lost because the server was down.
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = now + retry_delay(message.attempts)
        outcome = "retrying"
    db.session.commit()
    return outcome


def deliver_due(limit: int = 100, now: datetime | None = None) -> DeliveryReport:
    """Send up to `limit` due messages over one SMTP connection. Call when `smtp_configured()`.

    Rows are claimed one at a time, so a lease only has to cover one message's delivery and
    a worker that dies holds at most one row. When the server is unreachable the first
    claimed row records the failure and the rest wait for the next run untouched.
    """
    now = now or utcnow()
    counts: Counter[str] = Counter()
    connection: smtplib.SMTP | None = None
    try:
        while counts.total() < limit:
            claimed = claim_due(1, now)
            if not claimed:
                break
            # claim_due committed, so the row is read afresh whatever the session held.
            message = db.session.get(OutboxMessage, claimed[0])
            try:
                if connection is None:
                    connection = _open_connection()
                _send(connection, message)
            except (TemporaryFailure, PermanentFailure) as failure:
                counts[_mark_failed_attempt(message, failure, now)] += 1
                if _connection_lost(failure):
                    break
                continue
            _mark_sent(message, now)
            counts["sent"] += 1
    finally:
        if connection is not None:
            _close(connection)
    return DeliveryReport(sent=counts["sent"], retrying=counts["retrying"], failed=counts["failed"])


def _open_connection() -> smtplib.SMTP:
    try:
        return _connect()
    except smtplib.SMTPAuthenticationError as error:
        # A wrong password is the operator's to fix: no message fails for it.
        raise ConnectionFailed(
            f"The mail server refused the login as {current_app.config['MAIL_USERNAME']} "
            f"(check MAIL_USERNAME and MAIL_PASSWORD): "
            f"{error.smtp_code} {_decode(error.smtp_error)}"
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise ConnectionFailed(str(_classify(error))) from error


def _connection_lost(failure: Exception) -> bool:
    """A refused message leaves the connection usable; anything else (smtplib's errors are
    OSErrors too) means the server is gone for this run."""
    if isinstance(failure, ConnectionFailed):
        return True
    if isinstance(failure, Undeliverable):
        return False
    # (A server that will not greet is a ConnectionFailed: _open_connection wraps every error.)
    return not isinstance(
        failure.__cause__, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused
    )


def _close(connection: smtplib.SMTP) -> None:
    """QUIT, if the server still listens: one that already hung up changes nothing about the
    messages it accepted. (smtplib's errors are OSErrors too.)"""
    with contextlib.suppress(OSError):
        connection.quit()
