"""The organiser's attendance pages: printing badges, scanning them at the door, and the
certificates of everyone checked in."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.display.i18n import current_locale
from app.manage.access import managed_event_or_abort
from app.manage.attendance.forms import BadgeForm
from app.manage.blueprint import bp
from app.models import RegistrationStatus
from app.services import attendance, registrations
from app.services.attendance import ScanOutcome
from app.web.downloads import pdf_download
from app.web.forms import ConfirmForm
from app.web.params import record_id

# The scan page may use the camera (app/web/security.py forbids it everywhere else).
CAMERA_ALLOWED = "camera=(self), microphone=(), geolocation=()"
# A code is at most this long; anything longer is not one and is not looked up.
MAX_CODE = 200


@bp.get("/events/<int:event_id>/badges")
def badges(event_id: int):
    """Choose a label sheet and whose badges; the chosen sheet comes back as a PDF."""
    event = managed_event_or_abort(event_id)
    submitted = "layout" in request.args
    form = BadgeForm(request.args if submitted else None)
    if submitted and form.validate():
        data = attendance.badge_sheet(
            event,
            layout=form.layout.data,
            with_qr=bool(form.qr.data),
            group=form.group.data,
            locale=current_locale(),
        )
        if data is not None:
            return pdf_download(data, f"badges-{event.id}.pdf")
        flash(_("Nobody to print a badge for yet."), "warning")
    counts = registrations.status_counts(event)
    seated = counts[RegistrationStatus.CONFIRMED] + counts[RegistrationStatus.ATTENDED]
    group_counts = {"seated": seated, "with_waitlist": seated + counts[RegistrationStatus.WAITLISTED]}
    status = 400 if submitted and form.errors else 200
    return render_template("manage/attendance/badges.html", event=event, form=form, group_counts=group_counts), status


def _scan_message(result: attendance.ScanResult) -> tuple[str, str]:
    """What the organiser is told about a scan, and how loudly (a flash category)."""
    name = result.registration.name if result.registration is not None else ""
    match result.outcome:
        case ScanOutcome.CHECKED_IN:
            return "success", _("%(name)s is checked in.", name=name)
        case ScanOutcome.ALREADY_CHECKED_IN:
            return "info", _("%(name)s was already checked in.", name=name)
        case ScanOutcome.READY:
            return "info", _("Check in %(name)s?", name=name)
        case ScanOutcome.WAITLISTED:
            return "warning", _(
                "%(name)s is on the waiting list, not confirmed: not checked in. "
                "Confirm them in the participant list first.",
                name=name,
            )
        case ScanOutcome.CANCELLED:
            return "warning", _("%(name)s's registration is cancelled: not checked in.", name=name)
        case ScanOutcome.OTHER_EVENT:
            return "danger", _("That badge is for another event: nobody was checked in.")
    return "danger", _("That code is not the badge of any registration: nobody was checked in.")


@bp.get("/events/<int:event_id>/checkin/scan")
def checkin_scan(event_id: int):
    """Check-in with the phone's camera: scan a badge's QR code and the person is checked in.

    Opened from a badge's link (?code=…, a phone's own camera app), it shows who it is
    and asks to confirm: a link never changes anything by itself."""
    event = managed_event_or_abort(event_id)
    code = request.args.get("code", "")[:MAX_CODE]
    found = attendance.find_by_code(event, code) if code else None
    counts = registrations.status_counts(event)
    response = make_response(
        render_template(
            "manage/attendance/scan.html",
            event=event,
            code=code,
            found=found,
            found_message=_scan_message(found) if found and found.outcome != ScanOutcome.READY else None,
            person=attendance.person_at(event, record_id(request.args.get("person"))),
            attended=counts[RegistrationStatus.ATTENDED],
            expected=counts[RegistrationStatus.ATTENDED] + counts[RegistrationStatus.CONFIRMED],
        )
    )
    response.headers["Permissions-Policy"] = CAMERA_ALLOWED
    return response


@bp.post("/events/<int:event_id>/checkin/scan")
def checkin_scan_post(event_id: int):
    """Check in the person whose badge code was scanned (or confirmed from its link)."""
    event = managed_event_or_abort(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = request.form.get("code", "")[:MAX_CODE].strip()
    result = attendance.check_in_by_code(event, code, by=current_user)
    category, message = _scan_message(result)
    flash(message, category)
    shown = {"person": result.registration.id} if result.registration is not None else {}
    return redirect(url_for("manage.checkin_scan", event_id=event.id, **shown), code=303)


@bp.get("/events/<int:event_id>/certificates.pdf")
def event_certificates(event_id: int):
    """Every checked-in participant's certificate in one PDF, to print after the event."""
    event = managed_event_or_abort(event_id)
    data = attendance.event_certificates(event, locale=current_locale())
    if data is None:
        if not event.has_ended:
            flash(_("Certificates can be printed once the event has ended."), "warning")
        else:
            flash(_("Nobody was checked in, so there are no certificates."), "warning")
        return redirect(url_for("manage.event", event_id=event.id))
    return pdf_download(data, f"certificates-{event.id}.pdf")
