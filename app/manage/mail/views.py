"""The "Sent mail" pages: every message the system queued, sent or kept, for organisers."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.manage.access import managed_event_or_abort
from app.manage.blueprint import bp
from app.models import OutboxAttachment, OutboxMessage, OutboxStatus
from app.services import mail
from app.web.forms import ConfirmForm
from app.web.lookup import found_or_404
from app.web.pagination import paginate

PER_PAGE = 50


def _readable_message_or_abort(message_id: int) -> OutboxMessage:
    message = found_or_404(OutboxMessage, message_id)
    if not mail.can_read(current_user, message):
        abort(403)
    return message


@bp.get("/mail")
def mail_list():
    """All mail of the events this organiser manages (all mail for an admin), newest first."""
    page = paginate(mail.messages_query(current_user), per_page=PER_PAGE)
    return render_template("manage/mail/list.html", page=page, event=None)


@bp.get("/events/<int:event_id>/mail")
def event_mail(event_id: int):
    """The mail sent about one event."""
    event = managed_event_or_abort(event_id)
    page = paginate(mail.messages_query(current_user, event), per_page=PER_PAGE)
    return render_template("manage/mail/list.html", page=page, event=event)


@bp.get("/mail/<int:message_id>")
def mail_message(message_id: int):
    """One message as the recipient gets it, personal links masked, with its attachments."""
    message = _readable_message_or_abort(message_id)
    text = mail.masked(message.body_text)
    return render_template(
        "manage/mail/message.html",
        message=message,
        text=text,
        links=mail.links_in(text),
        mask=mail.MASK,
        confirm=ConfirmForm(),
    )


@bp.get("/mail/<int:message_id>/html")
def mail_message_html(message_id: int):
    """The HTML part, sandboxed: it runs no script and loads nothing from elsewhere."""
    message = _readable_message_or_abort(message_id)
    response = make_response(mail.masked(message.body_html))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = (
        "sandbox allow-popups allow-top-navigation-by-user-activation; default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/mail/<int:message_id>/attachments/<int:attachment_id>")
def mail_attachment(message_id: int, attachment_id: int):
    """Download one attachment of a message, e.g. its calendar file."""
    message = _readable_message_or_abort(message_id)
    attachment = found_or_404(OutboxAttachment, attachment_id, message_id=message.id)
    response = make_response(attachment.data)
    response.headers["Content-Type"] = attachment.content_type
    response.headers["Content-Disposition"] = "attachment; filename=" + _safe_filename(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _safe_filename(name: str) -> str:
    cleaned = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "._-"))
    return cleaned or "attachment"


@bp.post("/mail/<int:message_id>/retry")
def retry_mail(message_id: int):
    """Queue a failed message again."""
    message = _readable_message_or_abort(message_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if message.status != OutboxStatus.FAILED:
        flash(_("Only a message that failed can be tried again."), "danger")
    else:
        mail.retry(message)
        flash(_("The message is queued again."), "success")
    return redirect(url_for("manage.mail_message", message_id=message.id))
