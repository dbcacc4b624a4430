"""The mail to the requester and to the organisers."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.models import VisitRequest
from app.services import mail


def mail_requester(visit: VisitRequest, template: str, subject, **context) -> None:
    if visit.erased_at is not None:
        return  # the contact's address is erased: there is nobody to write to
    message = mail.enqueue(
        visit.contact_email,
        template,
        locale=visit.locale,
        subject=subject,
        to_name=visit.contact_name,
        visit=visit,
        **context,
    )
    message.visit_request_id = visit.id


def mail_organiser(visit: VisitRequest, choice: str, message: str) -> None:
    organiser = visit.assignee or visit.created_by
    if organiser is None or not organiser.active:
        return
    subjects = {
        "accept": _l("%(region)s accepted your visit proposal", region=visit.region.name),
        "decline": _l("%(region)s declined your visit proposal", region=visit.region.name),
        "suggest": _l("%(region)s suggests another period for a visit", region=visit.region.name),
    }
    notice = mail.enqueue(
        organiser.email,
        "visit_contact_answered",
        locale=current_app.config["BABEL_DEFAULT_LOCALE"],
        subject=subjects[choice],
        to_name=organiser.name,
        visit=visit,
        choice=choice,
        reply=message,
    )
    notice.visit_request_id = visit.id
