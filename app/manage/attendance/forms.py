"""The badge sheet's choices: read from the query string, as they change nothing."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField

from app.documents import LAYOUTS
from app.web.forms import Form


class BadgeForm(Form):
    """Which label sheet, whether with a QR code for check-in, and whose badges."""

    class Meta:
        csrf = False

    layout = RadioField(
        _l("Label sheet"),
        choices=[
            ("2x4", _l("8 a sheet, 2 × 4 (%(product)s)", product=LAYOUTS["2x4"].product)),
            ("2x5", _l("10 a sheet, 2 × 5 (%(product)s)", product=LAYOUTS["2x5"].product)),
        ],
        default="2x4",
    )
    qr = BooleanField(_l("With a QR code to scan at check-in"), default=True)
    group = RadioField(
        _l("Whose badges"),
        choices=[
            ("seated", _l("Confirmed participants")),
            ("with_waitlist", _l("Confirmed participants and the waiting list")),
        ],
        default="seated",
    )
