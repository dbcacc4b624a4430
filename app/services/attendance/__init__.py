"""Attendance (issue 16): name badges, check-in by a badge's QR code, attendance
certificates and their verification. The PDFs are drawn by app.documents; this package
reads what they state from the database and decides who gets one.

badges        the badge sheet of an event, for those with a seat (or the waiting list too)
scan          checking a person in by the code in their badge's QR code
certificates  who may have a certificate, the PDFs, and verifying a certificate's code
"""

from app.services.attendance.badges import BADGE_GROUPS, badge_sheet, checkin_link
from app.services.attendance.certificates import (
    VerifiedCertificate,
    certificate_attachment,
    certificate_available,
    certificate_filename,
    event_certificates,
    participant_certificate,
    verify,
)
from app.services.attendance.scan import ScanOutcome, ScanResult, check_in_by_code, find_by_code, person_at

__all__ = [
    "BADGE_GROUPS",
    "ScanOutcome",
    "ScanResult",
    "VerifiedCertificate",
    "badge_sheet",
    "certificate_attachment",
    "certificate_available",
    "certificate_filename",
    "check_in_by_code",
    "checkin_link",
    "event_certificates",
    "find_by_code",
    "participant_certificate",
    "person_at",
    "verify",
]
