"""The invitation and its reminder, merged for many recipients at once."""

from flask_babel import lazy_gettext as _l

from app.models import Event, Invitation
from app.services import mail

TEMPLATES = ("invitation", "invitation_reminder")


def recipient(email: str, name: str, locale: str, token: str, unsubscribe_token: str) -> mail.Recipient:
    return mail.Recipient(
        address=email,
        name=name,
        locale=locale,
        values={"name": name, "token": token, "unsubscribe_token": unsubscribe_token},
        unsubscribe_token=unsubscribe_token,
    )


def mail_invitations(event: Event, template: str, recipients: list[mail.Recipient]) -> None:
    subject = (
        _l("Invitation: %(title)s", title=event.title)
        if template == "invitation"
        else _l("Reminder: you are invited to %(title)s", title=event.title)
    )
    # Bulk mail: large receivers expect a one-click unsubscribe (RFC 8058) in its headers.
    mail.enqueue_many(
        template, recipients, subject=subject, event=event, unsubscribe_endpoint="invitations.one_click_unsubscribe"
    )


def mail_invitation(invitation: Invitation, template: str) -> None:
    token = invitation.contact.unsubscribe_token if invitation.contact else ""
    mail_invitations(
        invitation.event,
        template,
        [recipient(invitation.email, invitation.name, invitation.locale, invitation.token, token)],
    )
