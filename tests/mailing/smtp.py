"""A real SMTP server on loopback (aiosmtpd), and reading what it received."""

from __future__ import annotations

import socket
import ssl
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _over_tls(server) -> bool:
    """Is this aiosmtpd connection encrypted, from the start or after STARTTLS?"""
    return server.transport.get_extra_info("ssl_object") is not None


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
        #: For each message: did it come over TLS (implicit or after STARTTLS)?
        self.encrypted: list[bool] = []
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
            self.encrypted.append(_over_tls(server))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [message_from_bytes(raw, policy=policy.default) for raw in self.received]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.envelopes.clear()
            self.mail_options.clear()
            self.encrypted.clear()
        self.answer = None
        self.recipient_answers = {}


class GreetingRefuser:
    """A server that answers every connection with `greeting` and hangs up."""

    def __init__(self, greeting: str | bytes = "554 5.3.2 No service here"):
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
                greeting = self.greeting
                connection.sendall(
                    (greeting if isinstance(greeting, bytes) else greeting.encode()) + b"\r\n"
                )

    def close(self) -> None:
        self._socket.close()


class SMTPServer:
    """Start, stop and start again on the same port (the restart test needs that).

    Like many servers it does not offer SMTPUTF8 (RFC 6531) unless told to: `offer_smtputf8`.
    `options` go to aiosmtpd's Controller and SMTP server: `ssl_context` (TLS from the start),
    `tls_context` and `require_starttls`, `authenticator` and `auth_required`...
    """

    def __init__(self, **options):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.smtputf8 = False
        self.options = options
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=self.port,
            enable_SMTPUTF8=self.smtputf8,  # forwarded to aiosmtpd's SMTP server
            **self.options,
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


class Certificates:
    """A certificate authority of the test's own and a certificate it issued for 127.0.0.1
    (trustme): the server presents the certificate, the sender trusts the CA through
    `ca_file` (HYTU_MAIL_CA_FILE)."""

    def __init__(self, folder: Path):
        authority = trustme.CA()
        self._certificate = authority.issue_cert("127.0.0.1")
        self.ca_file = folder / "test-ca.pem"
        authority.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._certificate.configure_cert(context)
        return context


class Logins:
    """aiosmtpd authenticator: accepts one login and password; remembers every attempt as
    (login, password, over TLS)."""

    def __init__(self, login: str, password: str):
        self._accepted = (login, password)
        self.attempts: list[tuple[str, str, bool]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.attempts.append((login, password, _over_tls(server)))
        success = (login, password) == self._accepted
        # handled=False: aiosmtpd answers a refusal itself (535 5.7.8).
        return AuthResult(success=success, handled=False, auth_data=auth_data)


class SilentServer:
    """Accepts connections and never says a word (a hung server, or a firewall that lets the
    connection open). It lets each one go after `hold` seconds, so a client without a timeout
    fails a test instead of hanging it."""

    def __init__(self, hold: float = 20.0):
        self.hold = hold
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._hold, args=(connection,), daemon=True).start()

    def _hold(self, connection: socket.socket) -> None:
        with connection:
            self._closed.wait(self.hold)

    def close(self) -> None:
        self._closed.set()
        self._socket.close()


class ScriptedServer:
    """A minimal SMTP server on a plain socket, for what aiosmtpd will not do: it accepts every
    command and message, gives `answers` to the commands named there (e.g. STARTTLS), offers
    `extensions` after EHLO, and with `hang_up_after` closes the connection once it accepted
    that many messages, without waiting for QUIT (as a server that restarts, or enforces an
    idle limit, may)."""

    def __init__(
        self,
        answers: dict[str, str] | None = None,
        extensions: tuple[str, ...] = (),
        hang_up_after: int | None = None,
    ):
        self.answers = {command.upper(): answer for command, answer in (answers or {}).items()}
        self.extensions = extensions
        self.hang_up_after = hang_up_after
        self.received: list[bytes] = []
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            with connection, connection.makefile("rb") as lines:
                self._converse(connection, lines)

    def _converse(self, connection: socket.socket, lines) -> None:
        def say(*replies: str) -> None:
            connection.sendall(b"".join(reply.encode() + b"\r\n" for reply in replies))

        say("220 127.0.0.1 ESMTP")
        data: list[bytes] | None = None
        for line in lines:
            if data is not None:  # the message, up to the lone dot
                if line != b".\r\n":
                    data.append(line)
                    continue
                self.received.append(b"".join(data))
                say("250 2.0.0 Accepted")
                data = None
                if self.hang_up_after and len(self.received) >= self.hang_up_after:
                    return  # the client's QUIT finds the connection closed
                continue
            command = line.split(maxsplit=1)[0].decode().upper() if line.strip() else ""
            if command in self.answers:
                say(self.answers[command])
            elif command == "EHLO":
                names = ["127.0.0.1", *self.extensions]
                say(*(f"250-{name}" for name in names[:-1]), f"250 {names[-1]}")
            elif command == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                data = []
            elif command == "QUIT":
                say("221 Bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                say("250 OK")

    def close(self) -> None:
        self._socket.close()
