"""Attendance certificates and name-badge sheets (app/documents): the PDFs parse, say what
they must in Swedish and English, fit long names, and their QR codes read back.

The text is read back with pypdf. The QR codes are read back from the page as printed:
pdftoppm (poppler-utils) renders it, and jsQR, the decoder the check-in page uses, reads
each badge's square from the picture under Node (tests/qr_decode.js).
"""

import json
import os
import re
import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents import (
    LAYOUTS,
    Badge,
    CertificateData,
    DocumentFontMissing,
    attended_days,
    badge_sheet_pdf,
    certificate_pdf,
    certificates_pdf,
    normalise_code,
    plan_badge,
    total_hours,
)
from app.documents.pdf import new_pdf
from app.documents.textfit import font_measure
from app.models.tokens import new_certificate_code
from tests.conftest import local

ROOT = Path(__file__).resolve().parents[1]
A4 = (595.28, 841.89)  # pt
LONG_NAME = "Anna-Karin Östergren-Wallenius"


def certificate(**changes) -> CertificateData:
    values = dict(
        participant_name=LONG_NAME,
        participant_organisation="Region Gävleborg",
        event_title="Nationell konferens om validering",
        event_kind="national_conference",
        starts_at=local(2026, 12, 5, 9, 0),
        ends_at=local(2026, 12, 6, 15, 0),
        venue_name="Gävle Konserthus",
        venue_city="Gävle",
        organiser_name="Valideringsdelegationen",
        issued_on=date(2026, 12, 12),
        verification_code="ABCD-EFGH-JKLM",
        signer_name="Eva Berg",
        signer_role="Kanslichef",
    )
    values.update(changes)
    return CertificateData(**values)


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text, spaces and line breaks made single spaces."""
    reader = PdfReader(BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


# --- Certificates ------------------------------------------------------------------------


def test_a_certificate_in_swedish_states_event_dates_place_hours_and_signer():
    pdf = certificate_pdf(certificate(), locale="sv")
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    assert [round(float(v), 2) for v in reader.pages[0].mediabox[2:]] == list(A4)
    (text,) = pdf_text(pdf)
    code = "ABCD-EFGH-JKLM"
    for expected in [
        "Valideringsdelegationen",
        "Deltagarintyg",
        "Härmed intygas att",
        LONG_NAME,
        "Region Gävleborg",
        "har deltagit i",
        "Nationell konferens om validering",
        "Nationell konferens",
        "Datum 5 december 2026, 09:00–15:00 6 december 2026, 09:00–15:00",
        "Plats Gävle Konserthus, Gävle",
        "Omfattning 12 timmar",
        "Utfärdat 12 december 2026",
        "Eva Berg Kanslichef",
        f"Verifieringskod: {code}",
    ]:
        assert expected in text
    assert "Certificate" not in text
    assert reader.metadata.title == f"Deltagarintyg – {LONG_NAME}"


def test_a_certificate_in_english():
    (text,) = pdf_text(certificate_pdf(certificate(verify_url="https://samverkan.example.se/v/7"), locale="en"))
    for expected in [
        "Certificate of attendance",
        "This is to certify that",
        "has attended",
        "National conference",
        "Date 5 December 2026, 09:00–15:00 6 December 2026, 09:00–15:00",
        "Place Gävle Konserthus, Gävle",
        "Duration 12 hours",
        "Issued on 12 December 2026",
        "Check this certificate at https://samverkan.example.se/v/7",
    ]:
        assert expected in text
    assert "Deltagarintyg" not in text


def test_the_fonts_are_dejavu_sans_embedded():
    reader = PdfReader(BytesIO(certificate_pdf(certificate())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded TrueType
        names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names == {"DejaVuSansBook", "DejaVuSansBold"}  # the PostScript names of the two files


def test_an_agenda_sets_the_hours_and_a_single_hour_is_singular():
    agenda = [
        (local(2026, 12, 5, 10, 0), local(2026, 12, 5, 10, 30)),
        (local(2026, 12, 5, 10, 15), local(2026, 12, 5, 11, 0)),  # parallel, ends later
    ]
    data = certificate(starts_at=local(2026, 12, 5, 9, 0), ends_at=local(2026, 12, 5, 16, 0), agenda_spans=agenda)
    (text,) = pdf_text(certificate_pdf(data, locale="sv"))
    assert "5 december 2026, 10:00–11:00" in text
    assert "Omfattning 1 timme" in text
    (english,) = pdf_text(certificate_pdf(data, locale="en"))
    assert "Duration 1 hour" in english


def test_an_online_event_without_hours_states_its_dates_and_an_organisers_hours_win():
    overnight = certificate(
        starts_at=local(2026, 12, 5, 18, 0),
        ends_at=local(2026, 12, 6, 12, 0),
        venue_name="",
        venue_city="",
        online=True,
        signer_name="",
        signer_role="",
    )
    (text,) = pdf_text(certificate_pdf(overnight, locale="sv"))
    assert "Datum 5 december 2026 – 6 december 2026" in text
    assert "Plats Digitalt" in text
    assert "Omfattning" not in text
    assert "Underskrift" in text  # no signer named: the line is captioned

    (text,) = pdf_text(certificate_pdf(certificate(hours=7.5), locale="sv"))
    assert "Omfattning 7,5 timmar" in text
    (text,) = pdf_text(certificate_pdf(certificate(hours=7.5), locale="en"))
    assert "Duration 7.5 hours" in text


def test_long_texts_are_shrunk_or_wrapped_not_cut():
    title = "Regional uppstartskonferens för validering och kompetensförsörjning i Västmanland och Kronoberg"
    organisation = "Vuxenutbildningen i Sandvikens kommun, Komvux Sandviken och Lärcentrum Gästrikland"
    (text,) = pdf_text(certificate_pdf(certificate(event_title=title, participant_organisation=organisation)))
    assert title in text
    assert organisation in text
    assert "…" not in text


def test_several_certificates_print_one_page_each():
    codes = [new_certificate_code() for _ in range(3)]
    people = [certificate(participant_name=f"Person {n}", verification_code=codes[n]) for n in range(3)]
    pages = pdf_text(certificates_pdf(people, locale="sv"))
    assert len(pages) == 3
    assert all(f"Person {n}" in page and codes[n] in page for n, page in enumerate(pages))
    with pytest.raises(ValueError):
        certificates_pdf([])


# --- Days and hours ----------------------------------------------------------------------


def test_a_two_day_event_counts_its_daily_hours_not_the_night():
    days = attended_days(local(2026, 12, 5, 9, 0), local(2026, 12, 6, 16, 0))
    assert [(d.day, d.starts_at.hour, d.ends_at.hour) for d in days] == [
        (date(2026, 12, 5), 9, 16),
        (date(2026, 12, 6), 9, 16),
    ]
    assert total_hours(days) == 14


def test_agenda_days_replace_the_events_times_and_hours_round_to_half_hours():
    agenda = [
        (local(2026, 12, 6, 8, 30), local(2026, 12, 6, 12, 0)),
        (local(2026, 12, 6, 13, 0), local(2026, 12, 6, 15, 10)),
    ]
    days = attended_days(local(2026, 12, 5, 9, 0), local(2026, 12, 6, 16, 0), agenda)
    assert [(d.starts_at.strftime("%H:%M"), d.ends_at.strftime("%H:%M")) for d in days] == [
        ("09:00", "16:00"),
        ("08:30", "15:10"),  # lunch included: the agenda's span
    ]
    assert total_hours(days) == 13.5  # 7 + 6 h 40 min
    assert total_hours(attended_days(local(2026, 12, 5, 9, 0), local(2026, 12, 5, 15, 40))) == 6.5


def test_times_are_stockholm_times_across_the_switch_to_summer_time():
    # 28 March 2027 loses an hour at 02:00: 09:00–17:00 local is still 8 hours.
    days = attended_days(local(2027, 3, 27, 9, 0), local(2027, 3, 28, 17, 0))
    assert [d.hours for d in days] == [8, 8]
    assert attended_days(local(2026, 12, 5, 18, 0), local(2026, 12, 6, 12, 0)) == []
    assert total_hours([]) is None


# --- Verification codes ------------------------------------------------------------------


def test_a_certificate_code_is_random_short_and_typed_back_however_written():
    code = new_certificate_code()
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    assert len({new_certificate_code() for _ in range(100)}) == 100
    typed = code.lower().replace("-", " ").replace("o", "0").replace("i", "1").replace("b", "8")
    assert normalise_code(typed) == code
    assert normalise_code(code[:-1]) == ""
    assert normalise_code("") == ""
    assert normalise_code("ABCD-EFGH-JKL!") == ""


# --- Fonts -------------------------------------------------------------------------------


def test_a_missing_font_is_named_with_the_package_and_the_setting(app, tmp_path, monkeypatch):
    with pytest.raises(DocumentFontMissing) as refused:
        certificate_pdf(certificate(), font_dir=tmp_path)
    assert "fonts-dejavu-core" in str(refused.value)
    assert "DOCUMENT_FONT_DIR" in str(refused.value)
    assert str(tmp_path / "DejaVuSans.ttf") in str(refused.value)

    monkeypatch.setitem(app.config, "DOCUMENT_FONT_DIR", str(tmp_path))
    with pytest.raises(DocumentFontMissing):
        badge_sheet_pdf([Badge("Bo Ek")])
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(Path("/usr/share/fonts/truetype/dejavu") / name, tmp_path / name)
    assert pdf_text(badge_sheet_pdf([Badge("Bo Ek")])) == ["Bo Ek"]


# --- Badges ------------------------------------------------------------------------------


def badges(count: int, qr: bool = True) -> list[Badge]:
    organisations = [
        "Region Gävleborg",
        "Arbetsförmedlingen",
        "Komvux Sandviken, Vuxenutbildningen i Sandvikens kommun",
    ]
    return [
        Badge(
            f"Deltagare {n} {LONG_NAME if n % 3 == 0 else 'Ek'}",
            organisations[n % 3],
            f"https://samverkan.example.se/manage/events/7/checkin/scan?code=bricka{n:04d}" if qr else "",
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("layout, pages", [("2x4", 38), ("2x5", 30)])
def test_300_badges_fill_the_sheets_of_each_layout(layout, pages):
    pdf = badge_sheet_pdf(badges(300), layout=layout, event_title="Nationell konferens om validering")
    texts = pdf_text(pdf)
    assert len(texts) == pages
    per_sheet = LAYOUTS[layout].per_sheet
    for sheet in (0, pages - 1):
        on_sheet = range(sheet * per_sheet, min(300, (sheet + 1) * per_sheet))
        assert all(f"Deltagare {n} " in texts[sheet] for n in on_sheet)
    assert texts[0].count("Nationell konferens om validering") == per_sheet
    assert PdfReader(BytesIO(pdf)).metadata.title == "Namnbrickor – Nationell konferens om validering"


def test_skipped_labels_stay_empty_and_the_rest_flow_on():
    texts = pdf_text(badge_sheet_pdf(badges(8, qr=False), layout="2x4", skip=3))
    assert len(texts) == 2
    assert [n for n in range(8) if f"Deltagare {n} " in texts[0]] == [0, 1, 2, 3, 4]
    assert [n for n in range(8) if f"Deltagare {n} " in texts[1]] == [5, 6, 7]


def test_no_badges_or_an_unknown_layout_is_refused():
    with pytest.raises(ValueError):
        badge_sheet_pdf([])
    with pytest.raises(ValueError):
        badge_sheet_pdf(badges(1), layout="3x7")


@pytest.fixture
def measuring():
    """A document with the fonts, only to measure texts in."""
    with new_pdf(title="measure") as pdf:
        yield pdf, font_measure(pdf)


NAMES = [
    "Bo Ek",
    LONG_NAME,
    "Karl-Johan Åkesson von Ankarcrona-Silfverhielm",
    "Maximiliana Wilhelmina Östergren-Wallenius-Lindqvist af Ankarcrona",
    "Ö" * 120,  # the longest name a registration holds
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("qr", [True, False])
def test_every_text_fits_its_label_and_leaves_the_qr_code_clear(layout, qr, measuring):
    """Widths measured again with the document's fonts, not taken from the plan."""
    label = LAYOUTS[layout]
    pdf, measure = measuring
    for name in NAMES:
        badge = Badge(name, "Vuxenutbildningen i Sandvikens kommun, Komvux", "https://x.se/c?code=abc" if qr else "")
        plan = plan_badge(measure, badge, label, event_title="Nationell konferens om validering 2026")
        boxes = []
        for placed in plan.texts:
            fitted = placed.fitted
            pdf.set_font("DejaVuSans", "B" if fitted.bold else "", fitted.size)
            for index, line in enumerate(fitted.lines):
                width = pdf.get_string_width(line)
                left = placed.x + (placed.width - width) / 2
                top = placed.y + index * fitted.line_height
                assert label.padding - 0.01 <= left and left + width <= label.width - label.padding + 0.01, line
                assert label.padding - 0.01 <= top and top + fitted.line_height <= label.height - label.padding + 0.01
                boxes.append((left, top, left + width, top + fitted.line_height))
        if plan.qr:
            x, y, side = plan.qr
            assert x + side <= label.width - label.padding + 0.01 and y + side <= label.height - label.padding + 0.01
            for left, top, right, bottom in boxes:  # 2.9 mm (4 modules or more) around the code
                assert right <= x - 2.9 or bottom <= y - 2.9, (name, (left, top, right, bottom), plan.qr)
        ordered = sorted(boxes, key=lambda box: box[1])
        for above, below in zip(ordered, ordered[1:], strict=False):
            assert above[3] <= below[1] + 0.01 or above[2] <= below[0] or below[2] <= above[0]


def test_a_long_double_name_breaks_at_its_hyphen_rather_than_shrinking(measuring):
    _, measure = measuring
    for label in LAYOUTS.values():
        name = plan_badge(measure, Badge(LONG_NAME, qr_text="x"), label).texts[0].fitted
        assert name.lines == ("Anna-Karin", "Östergren-Wallenius")
        assert name.size >= 20 and not name.truncated
        short = plan_badge(measure, Badge("Bo Ek"), label).texts[0].fitted
        assert short.lines == ("Bo Ek",) and short.size == label.name_max
    huge = plan_badge(measure, Badge("Ö" * 120), LAYOUTS["2x4"]).texts[0].fitted
    assert huge.truncated and huge.lines[-1].endswith("…") and len(huge.lines) == 2


# --- QR codes read back from the printed page --------------------------------------------

DPI = 200


def render_and_read(pdf: bytes, tmp_path: Path, layout: str, count: int, skip: int = 0, pages=None) -> dict:
    """Render the sheets with pdftoppm and read each badge's QR code with jsQR: {slot: text}."""
    for tool in ("pdftoppm", "node"):
        if not shutil.which(tool):
            if os.environ.get("CI") == "true":
                pytest.fail(f"{tool} is missing; .ci/run installs it")
            pytest.skip(f"{tool} is not installed (apt-get install poppler-utils nodejs)")
    label = LAYOUTS[layout]
    with new_pdf(title="measure") as measuring:
        qr_x, qr_y, qr_side = plan_badge(font_measure(measuring), Badge("x", qr_text="x"), label).qr
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    by_page: dict[int, list[int]] = {}
    for slot in range(skip, skip + count):
        by_page.setdefault(label.position(slot)[0], []).append(slot)
    read = {}
    for sheet, slots in by_page.items():
        if pages is not None and sheet not in pages:
            continue
        prefix = tmp_path / f"page{sheet}"
        subprocess.run(
            [
                "pdftoppm",
                "-gray",
                "-r",
                str(DPI),
                "-f",
                str(sheet + 1),
                "-l",
                str(sheet + 1),
                "-singlefile",
                str(tmp_path / "sheet.pdf"),
                str(prefix),
            ],
            check=True,
        )
        px = DPI / 25.4
        boxes = []
        for slot in slots:
            _, left, top = label.position(slot)
            margin = 2.5  # mm of white round the code
            boxes.append(
                [
                    round((left + qr_x - margin) * px),
                    round((top + qr_y - margin) * px),
                    round((qr_side + 2 * margin) * px),
                    round((qr_side + 2 * margin) * px),
                ]
            )
        answer = subprocess.run(
            ["node", str(ROOT / "tests" / "qr_decode.js")],
            input=json.dumps({"image": f"{prefix}.pgm", "boxes": boxes}),
            capture_output=True,
            text=True,
            check=True,
        )
        read.update(zip(slots, json.loads(answer.stdout), strict=True))
    return read


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_badges_qr_code_reads_back_from_the_printed_sheet(layout, tmp_path):
    people = badges(12)
    pdf = badge_sheet_pdf(people, layout=layout, event_title="Nationell konferens", skip=1, cut_guides=True)
    read = render_and_read(pdf, tmp_path, layout, len(people), skip=1)
    assert [read[slot] for slot in sorted(read)] == [badge.qr_text for badge in people]


def test_the_qr_codes_of_a_300_badge_sheet_read_back_on_its_first_and_last_page(tmp_path):
    people = badges(300)
    pdf = badge_sheet_pdf(people, layout="2x4")
    read = render_and_read(pdf, tmp_path, "2x4", 300, pages={0, 37})
    assert sorted(read) == [*range(8), *range(296, 300)]
    assert all(read[slot] == people[slot].qr_text for slot in read)


def test_a_badge_without_qr_text_has_no_code(tmp_path, measuring):
    people = badges(2, qr=False)
    assert plan_badge(measuring[1], people[0], LAYOUTS["2x5"]).qr is None
    read = render_and_read(badge_sheet_pdf(people, layout="2x5"), tmp_path, "2x5", len(people))
    assert read == {0: None, 1: None}
