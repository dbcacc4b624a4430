"""A copy of everything kept about a person, as JSON."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Registration, SurveyOption, SurveyQuestion, SurveyResponse, User
from app.services import audit, mail, questions
from app.services.personal_data.footprint import Footprint, footprint, footprint_of
from app.services.registrations.sessions import choices_by_registration


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _registration_data(registration: Registration) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "sector": registration.sector.value,
        "municipality": registration.municipality,
        "dietary_needs": registration.dietary_needs,
        "accessibility_needs": registration.accessibility_needs,
        "status": registration.status.value,
        "language": registration.locale,
        "consent_at": registration.consent_at.isoformat(),
        "privacy_notice_version": registration.privacy_notice_version,
        "keep_informed_at": _iso(registration.keep_informed_at),
        "keep_informed_confirmed_at": _iso(registration.keep_informed_confirmed_at),
        "registered_at": registration.created_at.isoformat(),
        "checked_in_at": _iso(registration.checked_in_at),
        "cancelled_at": _iso(registration.cancelled_at),
        # Parallel sessions chosen (issue 16): block, session, room, and a seat or the waiting list.
        "sessions": [
            {"block": block, "session": title, "room": room, "place": status.value}
            for block, title, room, status in choices_by_registration(event, [registration.id]).get(registration.id, [])
        ],
        "answers": questions.export_answers(registration),  # Removed questions' too
        "event": {
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
            "retention_months": event.retention_months,
        },
    }


def _survey_answers(responses: list[SurveyResponse], locale: str) -> list[dict]:
    answers = []
    for response in responses:
        questions = {
            q.id: q
            for q in db.session.scalars(
                select(SurveyQuestion)
                .options(selectinload(SurveyQuestion.options))
                .where(SurveyQuestion.survey_id == response.survey_id)
            )
        }
        options: dict[int, SurveyOption] = {o.id: o for q in questions.values() for o in q.options}
        for answer in response.answers:
            question = questions.get(answer.question_id)
            option = options.get(answer.option_id) if answer.option_id else None
            answers.append(
                {
                    "event": response.registration.event.title if response.registration else None,
                    "question": question.text(locale) if question else None,
                    "number": answer.number,
                    "choice": option.text(locale) if option else None,
                    "text": answer.text,
                }
            )
    return answers


def _export(found: Footprint, *, internal_notes: bool) -> dict:
    locale = found.registrations[0].locale if found.registrations else "sv"
    contact = found.contact
    return {
        "address": found.address,
        "registrations": [_registration_data(r) for r in found.registrations],
        "address_book": None
        if contact is None
        else {
            "name": contact.name,
            "email": contact.email,
            "organisation": contact.organisation,
            "sector": contact.sector.value if contact.sector else None,
            "municipality": contact.municipality,
            "region": contact.region.name if contact.region else None,
            "language": contact.locale,
            "source": contact.source.value,
            "consent_note": contact.consent_note,
            "unsubscribed_at": _iso(contact.unsubscribed_at),
            "last_invited_at": _iso(contact.last_invited_at),
            "added_at": contact.created_at.isoformat(),
        },
        "unsubscribed_before": found.suppressed,
        "invitations": [
            {
                "event": invitation.event.title,
                "event_starts_at": invitation.event.starts_at.isoformat(),
                "name": invitation.name,
                "email": invitation.email,
                "organisation": invitation.organisation,
                "sector": invitation.sector.value if invitation.sector else None,
                "municipality": invitation.municipality,
                "language": invitation.locale,
                "status": invitation.status.value,
                "invited_at": invitation.created_at.isoformat(),
                "history": [{"step": step.step.value, "at": step.at.isoformat()} for step in invitation.history],
            }
            for invitation in found.invitations
        ],
        "visit_requests": [
            {
                "region": visit.region.name,
                "kind": visit.kind.value,
                "status": visit.status.value,
                "contact_name": visit.contact_name,
                "contact_email": visit.contact_email,
                "contact_phone": visit.contact_phone,
                "organisation": visit.organisation,
                "period_start": visit.period_start.isoformat() if visit.period_start else None,
                "period_end": visit.period_end.isoformat() if visit.period_end else None,
                "period_text": visit.period_text,
                "audience_sectors": visit.audience_sectors,
                "audience_size": visit.audience_size,
                "message": visit.message,
                "consent_at": _iso(visit.consent_at),
                "sent_at": visit.created_at.isoformat(),
                "notes": [
                    {"kind": note.kind.value, "body": note.body, "at": note.created_at.isoformat()}
                    for note in visit.notes
                    if internal_notes or note.is_public
                ],
            }
            for visit in found.visit_requests
        ],
        "region_contact_lists": [
            {
                "region": rc.region.name,
                "name": rc.name,
                "role": rc.role,
                "organisation": rc.organisation,
                "email": rc.email,
                "phone": rc.phone,
            }
            for rc in found.region_contacts
        ],
        "survey_answers": _survey_answers(found.named_responses, locale),
        "emails": [
            {
                "to": message.recipient,
                "subject": message.subject,
                # Personal links are masked: a saved copy must not open anyone's registration.
                "body": mail.masked(message.body_text),
                "attachments": [attachment.filename for attachment in message.attachments],
                "created_at": message.created_at.isoformat(),
                "sent_at": _iso(message.sent_at),
                "status": message.status.value,
            }
            for message in found.messages
        ],
    }


def export(registration: Registration) -> dict:
    """What a participant gets through their personal link: everything their erasure would
    remove (this registration, and what is kept about the address apart from their other
    registrations), as JSON-ready data.

    Mail of this registration from before it was last made is left out: a cancelled
    registration taken up again may be someone else's doing, who should not learn of the
    earlier one. So are organisers' internal notes on a visit request, as on its status page.
    """
    found = footprint_of(registration)
    found.messages = [
        m for m in found.messages if m.registration_id != registration.id or m.created_at >= registration.created_at
    ]
    data = _export(found, internal_notes=False)
    # Kept for readers of the earlier format: this registration and its event at the top.
    [mine] = data["registrations"] or [_registration_data(registration)]
    return {"registration": {k: v for k, v in mine.items() if k != "event"}, "event": mine["event"], **data}


def export_person(email: str, *, by: User) -> dict:
    """Everything kept about an address, for an admin answering a request for access.
    Logged (without the address), as every look at someone's data in bulk is.

    Raises ValidationError for something that is not an address.
    """
    data = _export(footprint(email), internal_notes=True)
    audit.record(by, "person.exported")
    db.session.commit()
    return data
