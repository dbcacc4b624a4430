"""The participant list as a CSV file that Swedish Excel opens as it is.

Excel in Swedish expects semicolons (the comma is the decimal sign) and recognises
UTF-8 only with a byte-order mark. Cells that start like a formula are prefixed with
an apostrophe, so a name such as "=HYPERLINK(...)" stays text (CSV injection).
"""

import csv
import io
from collections.abc import Iterable
from typing import Protocol

from flask_babel import gettext as _

from app.display.labels import REGISTRATION_STATUS_LABELS, SECTOR_LABELS
from app.display.timezones import utc_to_local
from app.models import Registration

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(moment) -> str:
    # Swedish local time in a form Excel reads as a date and time.
    return utc_to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class Columns(Protocol):
    """Columns after the fixed ones: the event's own questions, its parallel sessions."""

    def headers(self) -> list[str]: ...

    def row(self, registration: Registration) -> list[str]: ...


def participants_csv(registrations: Iterable[Registration], *more: Columns) -> bytes:
    """UTF-8 with BOM, semicolon-separated, one row per registration, headers in the current
    language; each of `more` (questions.AnswerTable, session_lists.SessionColumns) adds its columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(
        [
            _("Name"),
            _("Email address"),
            _("Organisation"),
            _("Sector"),
            _("Municipality"),
            _("Status"),
            _("Dietary needs"),
            _("Accessibility needs"),
            _("Registered"),
            _("Checked in"),
            *(header for columns in more for header in columns.headers()),
        ]
    )
    for r in registrations:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    r.name,
                    r.email,
                    r.organisation,
                    SECTOR_LABELS[r.sector],
                    r.municipality,
                    REGISTRATION_STATUS_LABELS[r.status],
                    r.dietary_needs,
                    r.accessibility_needs,
                    _local(r.created_at),
                    _local(r.checked_in_at),
                    *(cell for columns in more for cell in columns.row(r)),
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
