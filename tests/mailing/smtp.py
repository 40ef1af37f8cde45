"""A real SMTP server on loopback (aiosmtpd), and reading what it received."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps every message; `answer` can make it refuse them."""

    def __init__(self):
        self.received: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        #: MAIL FROM parameters of each message, e.g. ["SMTPUTF8", "BODY=8BITMIME"].
        self.mail_options: list[list[str]] = []
        #: e.g. "550 5.1.1 No such user" or "451 4.3.0 Try later"; None accepts.
        self.answer: str | None = None
        #: Answers to RCPT TO by recipient address, for refusing one recipient only.
        self.recipient_answers: dict[str, str] = {}
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.recipient_answers.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.answer:
            return self.answer
        with self._lock:
            self.received.append(envelope.original_content or envelope.content)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.mail_options.append(list(envelope.mail_options))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [message_from_bytes(raw, policy=policy.default) for raw in self.received]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.envelopes.clear()
            self.mail_options.clear()
        self.answer = None
        self.recipient_answers = {}


class GreetingRefuser:
    """A server that answers every connection with `greeting` and hangs up."""

    def __init__(self, greeting: str = "554 5.3.2 No service here"):
        self.greeting = greeting
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            with connection:
                connection.sendall(f"{self.greeting}\r\n".encode())

    def close(self) -> None:
        self._socket.close()


class SMTPServer:
    """Start, stop and start again on the same port (the restart test needs that).

    Like many servers it does not offer SMTPUTF8 (RFC 6531) unless told to: `offer_smtputf8`.
    """

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.smtputf8 = False
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=self.port,
            enable_SMTPUTF8=self.smtputf8,  # forwarded to aiosmtpd's SMTP server
        )
        self._controller.start()

    def offer_smtputf8(self, offer: bool) -> None:
        """Restart (same port) offering SMTPUTF8 or not, if that changes anything."""
        if offer != self.smtputf8 or not self.running:
            self.stop()
            self.smtputf8 = offer
            self.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None
