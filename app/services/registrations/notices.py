"""The mail a registration gets, each with its calendar file where it has one."""

from flask_babel import lazy_gettext as _l

from app.models import OutboxMessage, Registration
from app.services import mail
from app.services.calendars.ical import invitation_ics


def calendar_file(
    registration: Registration, *, cancel: bool = False, sessions=(), private_link: bool = False
) -> mail.Attachment:
    """The participant's calendar file: the event, and the parallel sessions they have a seat in.
    `private_link` only for those with a seat (the mail is often written before the status is set)."""
    with mail.links_context():
        data = invitation_ics(
            registration.event,
            registration.email,
            registration.name,
            cancel=cancel,
            sessions=sessions,
            private_link=private_link,
        )
    return mail.ics_attachment(data, method="CANCEL" if cancel else "REQUEST")


def _prepare(
    registration: Registration,
    template: str,
    subject,
    *,
    ics: mail.Attachment | None = None,
    private_link: bool = False,
    **context,
) -> OutboxMessage:
    """One registration mail. `private_link`: the mail may show a private online link (issue
    16), for those given a seat (confirmation, promotion, reminder, change), never others.
    Set by the caller, as the mail is rendered before the registration's status is."""
    return mail.prepare(
        registration.email,
        template,
        locale=registration.locale,
        subject=subject,
        to_name=registration.name,
        event=registration.event,
        registration=registration,
        private_link=private_link,
        attachments=[ics] if ics else [],
        **context,
    )


def send(registration: Registration, template: str, subject, *, ics: mail.Attachment | None = None, **context):
    mail.queue(_prepare(registration, template, subject, ics=ics, **context))


def confirmed_mail(registration: Registration, *, sessions=(), answers=()) -> OutboxMessage:
    return _prepare(
        registration,
        "registration_confirmed",
        _l("Registration confirmed: %(title)s", title=registration.event.title),
        ics=calendar_file(registration, sessions=sessions, private_link=True),
        sessions=sessions,
        answers=answers,
        private_link=True,
    )


def waitlisted_mail(
    registration: Registration, *, by_organiser: bool = False, had_seat: bool = False, answers=()
) -> OutboxMessage:
    return _prepare(
        registration,
        "registration_waitlisted",
        _l("You are on the waiting list: %(title)s", title=registration.event.title),
        ics=calendar_file(registration, cancel=True) if had_seat else None,
        by_organiser=by_organiser,
        answers=answers,
    )


def mail_waitlisted(registration: Registration, *, by_organiser: bool = False, had_seat: bool = False) -> None:
    mail.queue(waitlisted_mail(registration, by_organiser=by_organiser, had_seat=had_seat))


def mail_promoted(registration: Registration) -> None:
    send(
        registration,
        "registration_promoted",
        _l("You have a seat: %(title)s", title=registration.event.title),
        ics=calendar_file(registration, private_link=True),
        private_link=True,
    )


def mail_cancelled(registration: Registration, *, by_organiser: bool, had_seat: bool) -> None:
    send(
        registration,
        "registration_cancelled",
        _l("Registration cancelled: %(title)s", title=registration.event.title),
        ics=calendar_file(registration, cancel=True) if had_seat else None,
        by_organiser=by_organiser,
    )
