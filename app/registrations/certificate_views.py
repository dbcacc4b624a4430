"""The participant's attendance certificate, from their own page (/r/<token>), once the
event has ended and they were checked in (issue 16)."""

from flask import render_template

from app.registrations.views import _invalid_link, bp
from app.services import attendance, registrations
from app.web.downloads import pdf_download
from app.web.security import limit_public_download


@bp.get("/r/<token>/certificate.pdf")
@limit_public_download
def own_certificate(token: str):
    """The certificate as a PDF, in the language the person registered in."""
    registration = registrations.find_by_token(token)
    if registration is None:
        return _invalid_link()
    data = attendance.participant_certificate(registration)
    if data is None:
        return render_template(
            "registrations/no_certificate.html", registration=registration, event=registration.event
        ), 404
    return pdf_download(data, attendance.certificate_filename(registration))
