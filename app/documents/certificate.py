"""Attendance certificates (deltagarintyg): one A4 page per participant, in Swedish or English."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale, gettext, pgettext
from fpdf import FPDF

from app.display.timezones import LOCAL_TZ
from app.documents.attendance import attended_days, total_hours
from app.documents.localise import calendar_day, clock, hours_text, kind_label
from app.documents.pdf import new_pdf
from app.documents.textfit import Measure, draw_fitted, fit_text, font_measure

PAGE_WIDTH = 210.0
MARGIN = 25.0
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GREY = (90, 90, 90)


@dataclass(frozen=True)
class CertificateData:
    """What one certificate states; plain values, so it is made without the database.

    Times are aware datetimes (stored UTC); agenda_spans are the agenda items' (start, end).
    hours, when given, is stated instead of the hours worked out from the times.
    """

    participant_name: str
    participant_organisation: str
    event_title: str
    event_kind: str
    starts_at: datetime
    ends_at: datetime
    organiser_name: str
    issued_on: date
    verification_code: str
    venue_name: str = ""
    venue_city: str = ""
    online: bool = False
    agenda_spans: Sequence[tuple[datetime, datetime]] = field(default_factory=tuple)
    hours: float | None = None
    signer_name: str = ""
    signer_role: str = ""
    verify_url: str = ""


def certificate_pdf(data: CertificateData, *, locale: str = "sv", font_dir=None) -> bytes:
    """One certificate as a PDF. Needs an app context (for the translations)."""
    return certificates_pdf([data], locale=locale, font_dir=font_dir)


def certificates_pdf(certificates: Sequence[CertificateData], *, locale: str = "sv", font_dir=None) -> bytes:
    """Several certificates, one page each, in one PDF (an organiser prints them at once)."""
    if not certificates:
        raise ValueError("no certificates to print")
    with force_locale(locale):
        first = certificates[0]
        title = gettext("Certificate of attendance")
        if len(certificates) == 1:
            title = f"{title} – {first.participant_name}"
        with new_pdf(title=title, author=first.organiser_name, lang=locale, configured_font_dir=font_dir) as pdf:
            pdf.set_subject(first.event_title)
            measure = font_measure(pdf)
            for data in certificates:
                pdf.add_page()
                _draw_certificate(pdf, measure, data)
            return bytes(pdf.output())


@dataclass(frozen=True)
class CertificateWording:
    """The certificate's texts in the active language."""

    title: str
    certify: str
    attended: str
    kind: str
    details: list[tuple[str, list[str]]]  # (label, its lines): dates, place, duration
    issued: str
    under_signature: list[str]  # the signer's name and role, or the word "Signature"
    code: str
    verify: str


def certificate_wording(data: CertificateData) -> CertificateWording:
    """Word the certificate in the language flask_babel has active."""
    days = attended_days(data.starts_at, data.ends_at, data.agenda_spans)
    hours = data.hours if data.hours is not None else total_hours(days)
    if days:
        dates = [
            gettext(
                "%(date)s, %(start)s–%(end)s", date=calendar_day(d.day), start=clock(d.starts_at), end=clock(d.ends_at)
            )
            for d in days
        ]
    else:
        first, last = data.starts_at.astimezone(LOCAL_TZ).date(), data.ends_at.astimezone(LOCAL_TZ).date()
        dates = [calendar_day(first) if first == last else f"{calendar_day(first)} – {calendar_day(last)}"]
    if data.venue_name or data.venue_city:
        place = ", ".join(part for part in (data.venue_name, data.venue_city) if part)
    else:
        place = gettext("Online") if data.online else ""
    details = [(pgettext("certificate", "Date"), dates)]
    if place:
        details.append((gettext("Place"), [place]))
    if hours:
        details.append((gettext("Duration"), [hours_text(hours)]))
    signer = [part for part in (data.signer_name, data.signer_role) if part]
    return CertificateWording(
        title=gettext("Certificate of attendance"),
        certify=gettext("This is to certify that"),
        attended=gettext("has attended"),
        kind=kind_label(data.event_kind),
        details=details,
        issued=gettext("Issued on %(date)s", date=calendar_day(data.issued_on)),
        under_signature=signer or [pgettext("certificate", "Signature")],
        code=gettext("Verification code: %(code)s", code=data.verification_code),
        verify=gettext("Check this certificate at %(url)s", url=data.verify_url) if data.verify_url else "",
    )


def _draw_certificate(pdf: FPDF, measure: Measure, data: CertificateData) -> None:
    wording = certificate_wording(data)

    # The organiser heads the page, over a rule.
    y = MARGIN
    organiser = fit_text(measure, data.organiser_name, width=TEXT_WIDTH, height=8, max_size=12, min_size=8, bold=True)
    draw_fitted(pdf, organiser, MARGIN, y, TEXT_WIDTH, align="L")
    y += organiser.height + 2
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)

    y = 55
    y = _centred(pdf, measure, wording.title, y, 16, max_size=30, min_size=18, bold=True) + 10
    y = _centred(pdf, measure, wording.certify, y, 8, max_size=12, min_size=10) + 3
    y = _centred(pdf, measure, data.participant_name, y, 22, max_size=24, min_size=12, bold=True, lines=2)
    if data.participant_organisation:
        y = _centred(pdf, measure, data.participant_organisation, y + 1, 12, max_size=13, min_size=9, lines=2)
    y += 6
    y = _centred(pdf, measure, wording.attended, y, 8, max_size=12, min_size=10) + 3
    y = _centred(pdf, measure, data.event_title, y, 26, max_size=18, min_size=11, bold=True, lines=3)
    y = _centred(pdf, measure, wording.kind, y + 1, 7, max_size=12, min_size=10) + 12

    # Date(s), place and hours as a two-column list.
    label_width = 38.0
    value_width = TEXT_WIDTH - label_width
    for label, values in wording.details:
        label_fit = fit_text(measure, label, width=label_width - 3, height=7, max_size=11, min_size=8, bold=True)
        draw_fitted(pdf, label_fit, MARGIN, y, label_width, align="L")
        for value in values:
            value_fit = fit_text(measure, value, width=value_width, height=12, max_size=11, min_size=8, max_lines=2)
            draw_fitted(pdf, value_fit, MARGIN + label_width, y, value_width, align="L")
            y += value_fit.height + 1
        y += 2

    # Issue date, then the signature line with who signs under it.
    y = max(y + 8, 215)
    issued = fit_text(measure, wording.issued, width=TEXT_WIDTH, height=7, max_size=11, min_size=9)
    draw_fitted(pdf, issued, MARGIN, y, TEXT_WIDTH, align="L")
    y += 24
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, y, MARGIN + 85, y)
    y += 1.5
    signed = bool(data.signer_name or data.signer_role)
    for index, text in enumerate(wording.under_signature):
        fitted = fit_text(
            measure, text, width=85, height=6, max_size=11 if index == 0 else 10, min_size=7, bold=signed and index == 0
        )
        draw_fitted(pdf, fitted, MARGIN, y, 85, align="L")
        y += fitted.height
    organiser_line = fit_text(measure, data.organiser_name, width=85, height=6, max_size=10, min_size=7)
    draw_fitted(pdf, organiser_line, MARGIN, y, 85, align="L")

    # The verification reference at the foot of the page.
    pdf.set_text_color(*GREY)
    y = 272
    for text in filter(None, (wording.code, wording.verify)):
        fitted = fit_text(measure, text, width=TEXT_WIDTH, height=5, max_size=9, min_size=6)
        draw_fitted(pdf, fitted, MARGIN, y, TEXT_WIDTH, align="L")
        y += fitted.height
    pdf.set_text_color(0, 0, 0)


def _centred(pdf, measure, text, y, height, *, max_size, min_size, bold=False, lines=1) -> float:
    fitted = fit_text(
        measure, text, width=TEXT_WIDTH, height=height, max_size=max_size, min_size=min_size, max_lines=lines, bold=bold
    )
    draw_fitted(pdf, fitted, MARGIN, y, TEXT_WIDTH, align="C")
    return y + fitted.height
