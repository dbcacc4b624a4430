"""One SMTP session for a batch of messages, and what the server's answers mean."""

import smtplib
import ssl
from email.message import Message


class ServerUnavailable(Exception):
    """No SMTP session could be opened; the error that prevented it is the cause."""


class SmtpSession:
    """One SMTP session for a whole batch, opened when first needed: connecting and
    greeting the server costs more than handing it a message."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpSession":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def send(self, email: Message, sender: str, recipient: str) -> None:
        """Hand one message to the server, or raise why it was not accepted."""
        reused = self.smtp is not None
        try:
            self._hand_over(email, sender, recipient)
        except (smtplib.SMTPException, OSError) as error:
            if not (reused and _closed_by_server(error)):
                raise
            # Servers end idle sessions and limit the messages per session: a new session, once.
            self._hand_over(email, sender, recipient)

    def _hand_over(self, email: Message, sender: str, recipient: str) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        try:
            refused = self.smtp.send_message(email, sender, [recipient])
        except Exception as error:
            if not _session_goes_on(error, self.smtp):
                self.drop()
            raise
        if refused:  # only possible with several recipients, but never mark a refusal as sent
            raise smtplib.SMTPRecipientsRefused(refused)

    def _open(self) -> smtplib.SMTP:
        c = self.config
        try:
            if c["MAIL_USE_SSL"]:
                smtp = smtplib.SMTP_SSL(
                    c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"], context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
        except (smtplib.SMTPException, OSError) as error:
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        try:
            # Greeted here, so that a server refusing sessions holds back the batch, not one message.
            smtp.ehlo_or_helo_if_needed()
            if c["MAIL_USE_TLS"] and not c["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if c["MAIL_USERNAME"]:
                smtp.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
        except (smtplib.SMTPException, OSError) as error:
            smtp.close()
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        except BaseException:
            smtp.close()
            raise
        return smtp

    def drop(self) -> None:
        """Forget a session that failed, so the next message starts a fresh one."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            finally:
                self.drop()


def _codes(error: Exception) -> list[int]:
    """The SMTP reply codes an error carries."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in error.recipients.values()]
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def _session_goes_on(error: Exception, smtp: smtplib.SMTP) -> bool:
    """After refusing one message the server is ready for the next (smtplib has sent RSET)."""
    refusal = (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
    return isinstance(error, refusal) and smtp.sock is not None


def _closed_by_server(error: Exception) -> bool:
    """The server ended the session (421, or gone) rather than refusing the message."""
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError)) or 421 in _codes(error)


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message will not change by trying again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code in _codes(error))
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
        error, (smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError)
    ):
        return 500 <= error.smtp_code < 600
    return isinstance(error, (smtplib.SMTPNotSupportedError, UnicodeEncodeError))
