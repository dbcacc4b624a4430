"""The PDF canvas the documents share: A4 in millimetres, DejaVu Sans, fast vector squares."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, has_app_context
from fpdf import FPDF

# Debian's fonts-dejavu-core puts them here; DOCUMENT_FONT_DIR names another folder.
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_SETTING = "DOCUMENT_FONT_DIR"
FAMILY = "DejaVuSans"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

MM_PER_PT = 25.4 / 72


class DocumentFontMissing(RuntimeError):
    """The font files the PDFs are set in are not where the settings say."""


def font_dir(configured: str | Path | None = None) -> Path:
    """The folder to read the fonts from: the argument, else the app's DOCUMENT_FONT_DIR,
    else Debian's folder."""
    if configured is None and has_app_context():
        configured = current_app.config.get(FONT_SETTING)
    return Path(configured or DEFAULT_FONT_DIR)


def font_files(configured: str | Path | None = None) -> dict[str, Path]:
    """Each style's font file; DocumentFontMissing says how to get them when one is missing."""
    folder = font_dir(configured)
    files = {style: folder / name for style, name in FONT_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise DocumentFontMissing(
            f"The PDF font is missing: {', '.join(missing)}. Install the Debian package "
            f"fonts-dejavu-core (apt-get install fonts-dejavu-core), or set {FONT_SETTING} to a "
            f"folder that holds {' and '.join(FONT_FILES.values())}."
        )
    return files


@contextmanager
def new_pdf(*, title: str, author: str = "", lang: str = "sv", configured_font_dir=None) -> Iterator[FPDF]:
    """An empty A4 portrait document in millimetres with DejaVu Sans (regular and bold)
    and no automatic page breaks: every document here places its own content.

    fpdf2 reads the font files lazily and closes them in output(); leaving the block closes
    them also when the document was not finished (an error, or one used only to measure)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    for style, path in font_files(configured_font_dir).items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Samverkan")
    if author:
        pdf.set_author(author)
    try:
        yield pdf
    finally:
        for font in pdf.fonts.values():
            font.close()


def fill_squares(pdf: FPDF, rects: Iterable[tuple[float, float, float, float]]) -> None:
    """Fill black rectangles (x, y, width, height in mm from the page's top left) as one path.

    fpdf2's rect() costs about 100 µs a call, and a sheet of 300 QR codes is 100,000
    rectangles; written as one path operator each they take a fraction of a second. This is
    fpdf2's content-stream writer (_out), stable for years; the tests decode the QR codes
    back from the rendered page, so a change in it cannot pass unnoticed.
    """
    k, page_height = pdf.k, pdf.h
    ops = [f"{x * k:.2f} {(page_height - y - h) * k:.2f} {w * k:.2f} {h * k:.2f} re" for x, y, w, h in rects]
    if ops:
        pdf._out("q 0 g\n" + "\n".join(ops) + "\nf Q")
