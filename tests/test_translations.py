"""Every text a user sees has a Swedish translation, and the catalogue is current."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_every_text_in_the_code_has_a_swedish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_pgettext:1c,2",
            "-k",
            "pgettext:1c,2",
            "--ignore-dirs",
            ".* __pycache__",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as template:
        # (context, id): one English word may have two Swedish meanings (pgettext).
        extracted = {(m.context, m.id) for m in read_po(template) if m.id}
    with (ROOT / "translations/sv/LC_MESSAGES/messages.po").open("rb") as po:
        swedish = read_po(po, locale="sv")

    def translated(context, msgid) -> bool:
        message = swedish.get(msgid, context=context)
        return bool(message and message.string and not message.fuzzy)

    untranslated = sorted(f"{context or ''}|{msgid}" for context, msgid in extracted if not translated(context, msgid))
    assert untranslated == [], "run `make messages` and translate these in translations/sv"


def test_words_with_two_swedish_meanings_have_contexts(app):
    """A cancelled event is "Inställt", a cancelled registration "Avanmäld" (issue 14)."""
    from flask_babel import force_locale

    from app.display.labels import REGISTRATION_STATUS_LABELS, STATUS_LABELS
    from app.models import EventStatus, RegistrationStatus

    with app.test_request_context(), force_locale("sv"):
        assert str(STATUS_LABELS[EventStatus.CANCELLED]) == "Inställt"
        assert str(REGISTRATION_STATUS_LABELS[RegistrationStatus.CANCELLED]) == "Avanmäld"
    with app.test_request_context(), force_locale("en"):
        assert str(REGISTRATION_STATUS_LABELS[RegistrationStatus.CANCELLED]) == "Cancelled"
