"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    def __init__(self, server: "MailServer"):
        self.server = server

    async def handle_EHLO(self, smtp, session, envelope, hostname, responses):
        if self.server.down:
            return ["421 4.3.2 Service not available"]
        session.host_name = hostname
        return responses

    async def handle_HELO(self, smtp, session, envelope, hostname):
        if self.server.down:
            return "421 4.3.2 Service not available"
        session.host_name = hostname
        return f"250 {smtp.hostname}"

    async def handle_MAIL(self, smtp, session, envelope, address, mail_options):
        started = getattr(session, "messages_started", 0)
        session.messages_started = started + 1
        limit = self.server.session_limit
        if self.server.down or (limit is not None and started >= limit):
            smtp.transport.close()  # hangs up without a word, as a server that died would
            return "421 4.3.2 Closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        # An address that starts with "nobody" does not exist on this server.
        if address.startswith("nobody"):
            return "550 5.1.1 No such user here"
        # One that starts with "busy" cannot take mail right now.
        if address.startswith("busy"):
            return "451 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        await asyncio.sleep(self.server.delay)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.received.append((list(envelope.rcpt_tos), message))
            self.server.raw.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
            self.server.sessions.append(session)
            if len(self.server.received) == self.server.down_after:
                self.server.down = True
        return "250 Message accepted for delivery"


class MailServer:
    """Start, stop and start again on the same port, as a mail server that goes down would."""

    def __init__(self):
        self.port = free_port()
        self.received: list[tuple[list[str], EmailMessage]] = []
        # The same messages as they came over the wire, bytes as the client sent them.
        self.raw: list[tuple[list[str], bytes]] = []
        # The SMTP session each message came in, in the same order.
        self.sessions: list = []
        # Messages a session may carry before the server hangs up (None: no limit).
        self.session_limit: int | None = None
        # Once this many messages have come, the server goes down: hangs up, refuses new sessions.
        self.down_after: int | None = None
        self.down = False
        # Seconds the server takes to accept each message.
        self.delay = 0.0
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [message for _, message in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpts, message in list(self.received) if address in rcpts]

    def raw_to(self, address: str) -> list[bytes]:
        """The bytes that came over the wire for `address`: what the client sent, not
        what Python's email package makes of it when it writes a parsed message again."""
        return [content for rcpts, content in list(self.raw) if address in rcpts]


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def attachments(message: EmailMessage) -> dict[str, EmailMessage]:
    """Attachments by file name; `.get_content_type()`, `.get_param("method")`, `.get_payload(decode=True)`."""
    return {part.get_filename(): part for part in message.iter_attachments()}
