"""The MIME message of an outbox row: text and HTML alternatives, then the attachments."""

from email import encoders
from email.charset import BASE64, QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app

from app.models import OutboxAttachment, OutboxMessage


def build_email(message: OutboxMessage) -> Message:
    """The MIME message: text and HTML alternatives, then the attachments.

    Built from the standard library's plain MIME classes, which with sending take
    under a third of the time of `EmailMessage` and its header parsing: at hundreds
    of messages a second that was most of a worker's work. An address beyond ASCII
    needs SMTPUTF8, which only `EmailMessage` speaks, so such a message is built that way.
    """
    sender_name, sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    if not (message.recipient.isascii() and sender.isascii() and message.reply_to.isascii()):
        return _international_email(message)
    email = MIMEMultipart(
        "alternative",
        _subparts=[
            MIMEText(message.body_text, "plain", _UTF8),
            MIMEText(message.body_html, "html", _UTF8),
        ],
    )
    if message.attachments:
        email = MIMEMultipart("mixed", _subparts=[email, *map(_attachment_part, message.attachments)])
    email["From"] = _address_header(sender_name, sender)
    email["To"] = _address_header(message.recipient_name, message.recipient)
    subject = _one_line(message.subject)
    email["Subject"] = subject if subject.isascii() else Header(subject, _UTF8)
    _add_fixed_headers(email, message)
    return email


def _add_fixed_headers(email: Message, message: OutboxMessage) -> None:
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Content-Language"] = message.locale
    if message.reply_to:  # the event's contact: a reply reaches a person, not the sender nobody reads
        email["Reply-To"] = _one_line(message.reply_to)
    # Tell autoresponders this is machine-sent, so they do not answer it.
    email["Auto-Submitted"] = "auto-generated"
    if message.list_unsubscribe:  # bulk mail: one-click unsubscribe (RFC 2369, RFC 8058)
        links = [f"<{_one_line(message.list_unsubscribe)}>"]
        mailbox = current_app.config["MAIL_UNSUBSCRIBE_ADDRESS"]
        if mailbox:
            links.append(f"<mailto:{_one_line(mailbox)}?subject=unsubscribe>")
        email["List-Unsubscribe"] = ", ".join(links)
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


# Quoted-printable keeps the Swedish text readable in a mail program's source view and
# every line short and 7-bit, whatever the server supports. Headers beyond ASCII are
# base64-encoded: the standard library folds those at a fraction of the cost.
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP
_UTF8.header_encoding = BASE64


def _attachment_part(attachment: OutboxAttachment) -> MIMEBase:
    main, _, rest = attachment.content_type.partition("/")
    subtype, *params = [part.strip() for part in rest.split(";")]
    part = MIMEBase(main, subtype, **dict(param.split("=", 1) for param in params if "=" in param))
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def _one_line(text: str) -> str:
    """A header value cannot hold line breaks or control characters: they could add headers."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _address_header(name: str, address: str) -> str:
    # One encoded word for a name beyond ASCII: parsers differ on the space between several.
    return formataddr((_one_line(name), address), _UTF8)


def _international_email(message: OutboxMessage) -> EmailMessage:
    """The message for an address that needs SMTPUTF8 (rare; slower, see build_email)."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    try:
        email["To"] = str(Address(display_name=_one_line(message.recipient_name), addr_spec=message.recipient))
    except (ValueError, IndexError):  # a name the header syntax cannot hold as it is
        email["To"] = message.recipient
    email["Subject"] = _one_line(message.subject)
    _add_fixed_headers(email, message)
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        main, _, rest = attachment.content_type.partition("/")
        subtype, *params = [part.strip() for part in rest.split(";")]
        email.add_attachment(
            attachment.data,
            maintype=main,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(p.split("=", 1) for p in params if "=" in p and not p.startswith("charset")),
        )
    return email
