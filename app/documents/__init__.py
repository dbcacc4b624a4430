"""Printable documents: attendance certificates and name-badge sheets, as PDF bytes.

Pure functions from plain values to bytes: no request, no database. The caller reads what it
needs (a registration, its event and agenda) and passes it in; the texts are worded here,
with Flask-Babel under force_locale(locale), so each function needs an app context (any
view, the mail worker and the CLI have one) and the language is an argument, not the
visitor's. Fonts: DejaVu Sans from DOCUMENT_FONT_DIR (default Debian's
/usr/share/fonts/truetype/dejavu, package fonts-dejavu-core); DocumentFontMissing says
what to install when it is not there.

    from app.documents import Badge, CertificateData, badge_sheet_pdf, certificate_pdf

    data = CertificateData(
        participant_name=registration.name, participant_organisation=registration.organisation,
        event_title=event.title, event_kind=event.kind, starts_at=event.starts_at, ends_at=event.ends_at,
        venue_name=event.venue_name, venue_city=event.venue_city, online=event.is_online,
        agenda_spans=[(item.starts_at, item.ends_at) for item in event.agenda_items],
        organiser_name=current_app.config["ORGANISATION_NAME"], issued_on=date.today(),
        verification_code=registration.certificate_code,
    )
    pdf_bytes = certificate_pdf(data, locale=registration.locale)

    badges = [Badge(r.name, r.organisation, qr_text=checkin_url(r)) for r in registrations]
    pdf_bytes = badge_sheet_pdf(badges, layout="2x5", event_title=event.title)
"""

from app.documents.attendance import AttendedDay, attended_days, total_hours
from app.documents.badges import LAYOUTS, Badge, LabelLayout, badge_sheet_pdf, plan_badge
from app.documents.certificate import (
    CertificateData,
    certificate_pdf,
    certificate_wording,
    certificates_pdf,
)
from app.documents.pdf import DEFAULT_FONT_DIR, FONT_SETTING, DocumentFontMissing, font_files
from app.documents.verification import normalise_code

__all__ = [
    "DEFAULT_FONT_DIR",
    "FONT_SETTING",
    "LAYOUTS",
    "AttendedDay",
    "Badge",
    "CertificateData",
    "DocumentFontMissing",
    "LabelLayout",
    "attended_days",
    "badge_sheet_pdf",
    "certificate_pdf",
    "certificate_wording",
    "certificates_pdf",
    "font_files",
    "normalise_code",
    "plan_badge",
    "total_hours",
]
