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
        extracted = {m.id for m in read_po(template) if m.id}
    with (ROOT / "translations/sv/LC_MESSAGES/messages.po").open("rb") as po:
        swedish = read_po(po, locale="sv")
    untranslated = sorted(
        str(msgid)
        for msgid in extracted
        if not swedish.get(msgid) or not swedish.get(msgid).string or swedish.get(msgid).fuzzy
    )
    assert untranslated == [], "run `make messages` and translate these in translations/sv"
