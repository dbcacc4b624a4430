"""Erasure covers every table: a person present everywhere the app keeps an address is
erased, and then a search of every column of every table finds their address nowhere
(and, for an erasure that took everything, not their name either).

The search reads the database itself (every text, JSON and binary column of every table
in the models' metadata), not the app's own idea of where addresses are kept, so a table
added later that holds the address makes these tests fail until erasure covers it.
"""

import html
import json
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import (
    AuditEntry,
    Contact,
    Event,
    ImportBatch,
    Invitation,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    SurveyAnswer,
    SurveyResponse,
    VisitRequest,
    VisitStatus,
)
from app.models.types import utcnow
from app.services import (
    ValidationError,
    audit,
    invitations,
    mail,
    personal_data,
    regions,
    registrations,
    surveys,
    visits,
)
from app.services.invitations import contacts
from app.services.invitations.contacts import ContactDetails
from app.services.regions import ContactDetails as RegionContactDetails
from app.services.registrations import RegistrationDetails
from app.services.visits import Period, VisitDetails
from tests.conftest import region
from tests.feedback_data import answers, links

ADDRESS = "petronella.parsson@example.se"
NAME = "Petronella Pärsson"
PHONE = "070-987 65 43"
BYSTANDER = "ola.olsson@example.se"


def places_holding(*needles: str) -> list[str]:
    """Every table.column (with the row) whose value holds one of the needles, in any case:
    text as stored and with HTML entities and calendar line folding undone, JSON as text,
    binary data decoded."""
    wanted = [needle.lower() for needle in needles]
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for column, value in row._mapping.items():
                    text = as_text(value).lower()
                    if any(needle in text for needle in wanted):
                        found.append(f"{table.name}.{column}: {str(value)[:120]!r}")
    return found


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | memoryview):
        data = bytes(value)
        text = data.decode("utf-8", errors="replace") + "\n" + data.decode("latin-1")
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False) + "\n" + json.dumps(value)
    else:
        text = str(value)
    unfolded = text.replace("\r\n ", "").replace("\n ", "")  # calendar files fold long lines
    return "\n".join((text, unfolded, html.unescape(unfolded)))


def in_the_past(*events: Event) -> None:
    """The events took place yesterday, and everyone confirmed attended."""
    for event in events:
        event.starts_at = utcnow().replace(microsecond=0) - timedelta(days=1, hours=8)
        event.ends_at = event.starts_at + timedelta(hours=7)
        for registration in db.session.scalars(select(Registration).where(Registration.event_id == event.id)):
            if registration.status == RegistrationStatus.CONFIRMED:
                registration.status = RegistrationStatus.ATTENDED
                registration.checked_in_at = event.starts_at
    db.session.commit()


def register(event, email, name, *, keep_informed=False, invitation=None):
    details = RegistrationDetails(
        name=name,
        email=email,
        sector="municipality",
        municipality="Motala",
        organisation="Motala kommun",
        dietary_needs=f"Glutenfri ({name})",
        consent=True,
        keep_informed=keep_informed,
    )
    if invitation is not None:
        return invitations.register(invitation, details, locale="sv").registration
    registration = registrations.register(event, details, locale="sv").registration
    if keep_informed:  # and said yes from the link in the confirmation (double opt-in)
        registrations.confirm_keep_informed(registration, True)
    return registration


def person_everywhere(make_event, organiser, *, registered_twice: bool) -> dict:
    """The person, and a bystander, in every place the app keeps an address.

    Registered on `informed` (asking to be kept informed, so the organiser added them to the
    address book), invited to `invited` (and, when `registered_twice`, registered through the
    invitation); unsubscribed; a visit request of their own and a visit proposal to them with
    their reply; a named answer (and, registered twice, an anonymous one) to the feedback
    surveys; in two address-list previews; a region's contact person; in the audit log and in
    an organiser's mail.
    """
    informed = make_event(title="Inspirationsdag i Motala", organisers=[organiser], capacity=10)
    invited = make_event(title="Workshop i Linköping", organisers=[organiser], invitation_only=True)
    upcoming = make_event(title="Konferens i Norrköping", organisers=[organiser])

    mine = register(informed, ADDRESS.upper(), NAME, keep_informed=True)
    register(informed, BYSTANDER, "Ola Olsson", keep_informed=True)
    assert contacts.add_from_event(informed, organiser).added == 2
    invitations.import_rows(invited, f"{NAME} <{ADDRESS}>\nOla Olsson <{BYSTANDER}>", organiser)
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == ADDRESS))
    invitations.mark_opened(invitation)
    second = register(invited, ADDRESS, NAME, invitation=invitation) if registered_twice else None
    contacts.unsubscribe(db.session.scalar(select(Contact).where(Contact.email == ADDRESS)))

    request = visits.submit_request(
        VisitDetails(
            region_code="05",
            contact_name=NAME,
            contact_email=ADDRESS,
            kind="workshop",
            contact_phone=PHONE,
            organisation="Motala kommun",
            period_text="hösten 2027",
            audience_sectors=["municipality"],
            message=f"Ring mig gärna på {PHONE}. /{NAME}",
            consent=True,
        ),
        locale="sv",
    )
    visits.add_note(request, f"{NAME} ({ADDRESS}) vill ha en workshop.", organiser)
    visits.answer(request, f"Hej {NAME}! Vi hör av oss till {ADDRESS}.", organiser)
    proposal = visits.propose(
        VisitDetails(
            region_code="05",
            contact_name=NAME,
            contact_email=ADDRESS,
            kind="inspiration_day",
            period_text="våren 2027",
            message=f"Hej {NAME}, vill ni ha besök?",
        ),
        organiser,
        locale="sv",
    )
    visits.respond_to_proposal(
        proposal, "suggest", message=f"Hellre i maj. Hälsningar {NAME}", period=Period(text="maj 2027")
    )

    in_the_past(informed, invited)
    named = surveys.create_from_template(informed, None)
    named.anonymous = False
    anonymous = surveys.create_from_template(invited, None)
    db.session.commit()
    assert surveys.send_due_survey_mail() >= 2
    surveys.submit(
        links(named)[mine.id], MultiDict(answers(named, valuable=f"Mejla mig: {ADDRESS}", better=f"Mvh {NAME}"))
    )
    if registered_twice:
        surveys.submit(links(anonymous)[second.id], MultiDict(answers(anonymous, valuable=f"Svara {ADDRESS}")))

    invitations.preview(upcoming, f"{NAME} <{ADDRESS}>\nOla Olsson <{BYSTANDER}>", organiser)
    contacts.preview_import(f"{NAME} <{ADDRESS}>", organiser)
    regions.add_contact(
        region("05"),
        RegionContactDetails(
            name=NAME,
            role="Samordnare",
            organisation="Region Östergötland",
            email=ADDRESS,
            phone=PHONE,
        ),
        organiser,
    )
    audit.record(organiser, "contacts.deleted", note=f"Asked by {ADDRESS.upper()}", copied_to=[{"to": ADDRESS}])
    db.session.add(
        OutboxMessage(
            recipient=organiser.email,
            recipient_name=organiser.name,
            subject=f"Fråga från {ADDRESS}",
            body_text=f"{ADDRESS} undrar över parkering.",
            body_html=f"<p>{ADDRESS} undrar över parkering.</p>",
            locale="sv",
            template="test",
            message_id="<fraga@samverkan.localhost>",
        )
    )
    db.session.commit()
    mail.enqueue_test_message(ADDRESS, "sv")

    # The person really is everywhere the test says (or it would prove nothing).
    holding = {place.split(":")[0] for place in places_holding(ADDRESS)}
    assert {
        "registration.email",
        "contact.email",
        "invitation.email",
        "outbox_message.recipient",
        "outbox_message.body_text",
        "outbox_attachment.data",
        "visit_request.contact_email",
        "visit_note.body",
        "survey_answer.text",
        "import_batch.rows",
        "region_contact.email",
        "audit_entry.details",
    } <= holding, holding
    assert {"outbox_message.body_html", "visit_note.author_name", "invitation.name"} <= {
        place.split(":")[0] for place in places_holding(NAME)
    }
    return {
        "mine": mine,
        "second": second,
        "informed": informed,
        "invited": invited,
        "upcoming": upcoming,
        "named": named,
        "anonymous": anonymous,
        "request": request,
        "proposal": proposal,
    }


def counts() -> dict:
    """What the statistics count, which erasure must leave as it was."""
    return {
        "registrations": db.session.scalar(select(func.count()).select_from(Registration)),
        "responses": db.session.scalar(select(func.count()).select_from(SurveyResponse)),
        "ratings": db.session.scalar(
            select(func.count()).select_from(SurveyAnswer).where(SurveyAnswer.number.is_not(None))
        ),
        "visits": sorted(
            db.session.execute(
                select(VisitRequest.region_id, VisitRequest.kind, VisitRequest.status).order_by(VisitRequest.id)
            ).all()
        ),
    }


def never_invited_again(event: Event, organiser) -> None:
    batch = invitations.preview(event, ADDRESS.upper(), organiser)
    assert [row["problem"] for row in batch.rows] == ["unsubscribed"]
    try:
        contacts.create(ContactDetails(email=ADDRESS), organiser)
    except ValidationError as error:
        assert "email" in error.problems
    else:
        raise AssertionError("an unsubscribed, erased address was added to the address book again")


def test_admin_erasure_leaves_the_address_and_the_name_nowhere(client, auth, admin, make_user, make_event):
    organiser = make_user(name="Olga Organiser")
    world = person_everywhere(make_event, organiser, registered_twice=True)
    before = counts()

    auth.login(admin)
    preview = client.post("/admin/erase", data={"email": ADDRESS.upper()}).get_data(as_text=True)
    for shown in (
        "Inspirationsdag i Motala",
        "Workshop i Linköping",
        "Post i adressboken",
        "Kontaktperson för Östergötland",
        "Besöksförfrågan",
    ):
        assert shown.lower() in preview.lower(), shown
    copy = client.post("/admin/erase/export", data={"email": ADDRESS})
    data = json.loads(copy.get_data(as_text=True))
    assert copy.headers["Cache-Control"] == "no-store"
    assert len(data["registrations"]) == 2 and data["address_book"]["unsubscribed_at"]
    assert data["invitations"][0]["history"] and len(data["visit_requests"]) == 2
    assert any(note["kind"] == "internal" for note in data["visit_requests"][0]["notes"])

    response = client.post("/admin/erase", data={"email": ADDRESS.upper(), "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()

    assert places_holding(ADDRESS) == []
    assert places_holding(NAME) == []
    assert places_holding(PHONE) == []
    assert places_holding(BYSTANDER)  # the search does find what is still there
    assert counts() == before
    request = db.session.get(VisitRequest, world["request"].id)
    assert request.erased_at and request.region.code == "05" and request.status == VisitStatus.IN_REVIEW
    assert [note.kind.value for note in request.notes] == ["internal", "answer"]  # the organisers' own notes stay
    preview_rows = db.session.scalars(select(ImportBatch)).all()
    assert [[row["email"] for row in batch.rows] for batch in preview_rows] == [[BYSTANDER]]
    never_invited_again(world["upcoming"], organiser)


def test_self_service_erasure_leaves_the_address_and_the_name_nowhere(client, make_user, make_event):
    organiser = make_user(name="Olga Organiser")
    world = person_everywhere(make_event, organiser, registered_twice=False)
    before = counts()
    token = world["mine"].manage_token

    page = client.get(f"/r/{token}/erase").get_data(as_text=True)
    for shown in (
        "Inspirationsdag i Motala",
        "Workshop i Linköping",
        "adressbok",
        "kontaktperson för Östergötland",
        "besöksförfrågan till Östergötland",
        "nyckelad hash",
    ):
        assert shown.lower() in page.lower(), shown
    copy = json.loads(client.get(f"/r/{token}/data.json").get_data(as_text=True))
    assert copy["address_book"]["email"] == ADDRESS and copy["invitations"][0]["event"] == "Workshop i Linköping"
    assert [v["region"] for v in copy["visit_requests"]] == ["Östergötland", "Östergötland"]
    assert all(note["kind"] != "internal" for v in copy["visit_requests"] for note in v["notes"])
    assert any("Mejla mig" in (answer["text"] or "") for answer in copy["survey_answers"])
    assert copy["region_contact_lists"][0]["phone"] == PHONE
    assert not any(
        invitation_token in json.dumps(copy) for invitation_token in db.session.scalars(select(Invitation.token))
    )  # a saved copy opens nobody's links

    response = client.post(f"/r/{token}/erase")
    assert "Dina uppgifter är raderade" in response.get_data(as_text=True)
    db.session.expire_all()

    assert places_holding(ADDRESS) == []
    assert places_holding(NAME) == []
    assert places_holding(BYSTANDER)
    assert counts() == before
    assert client.get(f"/r/{token}").status_code == 404
    never_invited_again(world["upcoming"], organiser)


def test_self_service_erasure_leaves_the_other_registrations_to_their_own_links(client, make_user, make_event):
    organiser = make_user()
    world = person_everywhere(make_event, organiser, registered_twice=True)
    second = world["second"]

    page = client.get(f"/r/{world['mine'].manage_token}/erase").get_data(as_text=True)
    assert "Workshop i Linköping" not in page  # that invitation led to the other registration: it stays with it
    client.post(f"/r/{world['mine'].manage_token}/erase")
    db.session.expire_all()

    kept = db.session.get(Registration, second.id)
    assert kept.erased_at is None and kept.email == ADDRESS and kept.name == NAME
    assert db.session.scalar(select(Invitation).where(Invitation.registration_id == second.id)) is not None
    left = {place.split(":")[0] for place in places_holding(ADDRESS)}
    # Only the other registration, its invitation and the mail about them hold the address now.
    assert left <= {
        "registration.email",
        "invitation.email",
        "outbox_message.recipient",
        "outbox_message.body_text",
        "outbox_message.body_html",
        "outbox_attachment.data",
    }, left
    assert db.session.scalar(select(Contact).where(Contact.email == ADDRESS)) is None
    assert (
        db.session.scalar(select(func.count()).select_from(VisitRequest).where(VisitRequest.erased_at.is_(None))) == 0
    )

    client.post(f"/r/{kept.manage_token}/erase")
    db.session.expire_all()
    assert places_holding(ADDRESS) == [] and places_holding(NAME) == []


def test_a_participant_can_ask_never_to_be_invited_again(client, make_user, make_event):
    organiser = make_user()
    event = make_event(organisers=[organiser])
    mine = register(event, ADDRESS, NAME, keep_informed=True)
    client.post(f"/r/{mine.manage_token}/erase", data={"never_invite": "y"})

    never_invited_again(make_event(organisers=[organiser]), organiser)
    batch = contacts.preview_import(f"{NAME} <{ADDRESS}>", organiser)
    assert batch.rows[0]["problem"] == "unsubscribed"
    # Registering again and asking to be kept informed does not bring the address back by itself.
    register(event, ADDRESS, NAME, keep_informed=True)
    assert contacts.add_from_event(event, organiser).added == 0
    assert places_holding(ADDRESS) and not db.session.scalar(select(Contact).where(Contact.email == ADDRESS))


def test_without_asking_an_erased_address_may_be_invited_again(client, make_user, make_event):
    organiser = make_user()
    mine = register(make_event(organisers=[organiser]), ADDRESS, NAME)
    client.post(f"/r/{mine.manage_token}/erase")
    batch = invitations.preview(make_event(organisers=[organiser]), ADDRESS, organiser)
    assert [row["problem"] for row in batch.rows] == [""]


def test_the_admin_is_told_where_the_address_remains_beyond_erasure(client, auth, admin, make_user, make_event):
    make_user(email=ADDRESS, name=NAME)  # an organiser's own account: not a participant's data
    make_event(description=f"Frågor? Mejla {ADDRESS}.")
    auth.login(admin)
    response = client.post("/admin/erase", data={"email": ADDRESS, "confirm": "y"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Adressen finns fortfarande" in page and "user (1)" in page and "event (1)" in page


def test_nothing_is_sent_to_an_erased_person(client, make_user, make_event):
    from tests.feedback_data import past_event, survey_for

    organiser = make_user()
    request = visits.submit_request(
        VisitDetails(
            region_code="05",
            contact_name=NAME,
            contact_email=ADDRESS,
            kind="workshop",
            period_text="hösten",
            audience_sectors=["municipality"],
            consent=True,
        ),
        locale="sv",
    )
    event = past_event(make_event, organiser)
    mine = register(make_event(organisers=[organiser]), ADDRESS, NAME)
    mine.event_id = event.id  # attended the event that has just ended
    mine.status = RegistrationStatus.ATTENDED
    db.session.commit()
    client.post(f"/r/{mine.manage_token}/erase")

    visits.answer(db.session.get(VisitRequest, request.id), "Vi kommer gärna!", organiser)
    survey_for(event)
    assert surveys.send_due_survey_mail() == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_an_admin_blocks_invitations_to_an_address_nothing_is_kept_about(client, auth, admin, make_user, make_event):
    organiser = make_user()
    auth.login(admin)
    page = client.post("/admin/erase", data={"email": ADDRESS}).get_data(as_text=True)
    assert "Ingenting sparas om den adressen." in page
    client.post("/admin/erase", data={"email": ADDRESS, "never_invite": "y", "confirm": "y"})
    assert places_holding(ADDRESS) == []
    never_invited_again(make_event(organisers=[organiser]), organiser)


def test_erasure_leaves_longer_addresses_that_contain_the_erased_one(client, auth, admin, make_user, make_event):
    organiser = make_user()
    register(make_event(organisers=[organiser]), "anna@example.se", "Anna Ek")
    invitations.preview(make_event(organisers=[organiser]), "anna@example.se\njohanna@example.se", organiser)
    audit.record(organiser, "contacts.deleted", note="anna@example.se och johanna@example.se.com")
    db.session.commit()

    personal_data.erase_person("anna@example.se", by=admin)
    db.session.expire_all()
    assert places_holding("johanna@example.se") and not [
        place for place in places_holding("anna@example.se") if "johanna@example.se" not in place
    ]
    [batch] = db.session.scalars(select(ImportBatch)).all()
    assert [row["email"] for row in batch.rows] == ["johanna@example.se"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "contacts.deleted")).one()
    assert entry.details["note"] == "[…] och johanna@example.se.com"
