"""Name badges: A4 sheets of self-adhesive labels with a name, organisation, event and QR code."""

from collections.abc import Sequence
from dataclasses import dataclass

import segno
from flask_babel import force_locale, gettext
from fpdf import FPDF

from app.documents.pdf import fill_squares, new_pdf
from app.documents.textfit import FittedText, Measure, draw_fitted, fit_text, font_measure

# A QR code is masked with one of eight patterns; choosing the best costs segno three
# quarters of its time (8 ms a code here, 2.5 s for a sheet of 300), and any mask reads the
# same. Pattern 6 is the one segno picks most often for check-in links.
QR_MASK = 6
# Medium error correction: a badge gets bent and scuffed.
QR_ERROR = "m"


@dataclass(frozen=True)
class LabelLayout:
    """One A4 label product: its grid, label size and where the first label starts (mm)."""

    key: str
    product: str
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float
    padding: float
    name_max: float  # pt
    name_min: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def position(self, slot: int) -> tuple[int, float, float]:
        """The sheet (from 0) and the top-left corner of the label in `slot` (from 0, row by row)."""
        sheet, place = divmod(slot, self.per_sheet)
        row, column = divmod(place, self.columns)
        return sheet, self.left + column * self.pitch_x, self.top + row * self.pitch_y


LAYOUTS = {
    # Avery L7165 / J8165, 8 a sheet, 99.1 × 67.7 mm. From gLabels' template data
    # (templates/avery-iso-templates.xml, part 7165): label 280.8 × 191.991 pt, first label
    # at 13.2378 pt, 36.9638 pt, pitch 288.113 × 191.991 pt; that is 99.06 × 67.73 mm at
    # 4.67, 13.04 mm, pitch 101.64 × 67.73 mm (13 + 4 × 67.7 + 13 = 297).
    "2x4": LabelLayout(
        "2x4",
        "Avery L7165 (99.1 × 67.7 mm)",
        2,
        4,
        99.1,
        67.7,
        left=4.67,
        top=13.04,
        pitch_x=101.64,
        pitch_y=67.73,
        padding=5,
        name_max=28,
        name_min=12,
    ),
    # Avery L7173, 10 a sheet, 99.1 × 57 mm: labels 3.90 × 2.24 in on a 4.00 in pitch with no
    # gap between rows (GmLabelPrinter's template list), so 4.65 mm from the side; the 12 mm
    # that five 57 mm rows leave are split evenly, 6 mm top and bottom.
    "2x5": LabelLayout(
        "2x5",
        "Avery L7173 (99.1 × 57 mm)",
        2,
        5,
        99.1,
        57.0,
        left=4.65,
        top=6.0,
        pitch_x=101.6,
        pitch_y=57.0,
        padding=4,
        name_max=24,
        name_min=11,
    ),
}


@dataclass(frozen=True)
class Badge:
    """One person's badge. qr_text is what the QR code holds (the check-in link); none when empty."""

    name: str
    organisation: str = ""
    qr_text: str = ""


@dataclass(frozen=True)
class PlacedText:
    fitted: FittedText
    x: float  # mm from the label's left edge
    y: float  # top of the first line, from the label's top edge
    width: float
    align: str = "C"


@dataclass(frozen=True)
class BadgePlan:
    """Where a badge's texts and QR code go on its label (mm from the label's top left)."""

    texts: list[PlacedText]
    qr: tuple[float, float, float] | None  # x, y, side


def plan_badge(measure: Measure, badge: Badge, layout: LabelLayout, event_title: str = "") -> BadgePlan:
    """Lay out one badge: the name as large as fits (two lines for long double names), the
    organisation smaller under it, the event at the foot, the QR code in the bottom right."""
    pad = layout.padding
    inner_width, inner_height = layout.width - 2 * pad, layout.height - 2 * pad
    name_height = 0.45 * inner_height
    rest = inner_height - name_height - 2
    texts = []

    name = fit_text(
        measure,
        badge.name,
        width=inner_width,
        height=name_height,
        max_size=layout.name_max,
        min_size=layout.name_min,
        max_lines=2,
        bold=True,
    )
    texts.append(PlacedText(name, pad, pad + (name_height - name.height) / 2, inner_width))

    qr = None
    column_width = inner_width
    if badge.qr_text:
        # 3.5 mm clear above and 3 mm to the left: the quiet zone a reader needs.
        side = min(rest - 1.5, 0.32 * inner_width)
        qr = (layout.width - pad - side, layout.height - pad - side, side)
        column_width = inner_width - side - 3
    top = pad + name_height + 2
    event_height = 8.5 if event_title else 0.0
    if badge.organisation:
        organisation = fit_text(
            measure,
            badge.organisation,
            width=column_width,
            height=rest - event_height - 1,
            max_size=14,
            min_size=7,
            max_lines=3,
        )
        texts.append(PlacedText(organisation, pad, top, column_width))
    if event_title:
        event = fit_text(
            measure, event_title, width=column_width, height=event_height, max_size=9, min_size=6, max_lines=2
        )
        texts.append(PlacedText(event, pad, layout.height - pad - event.height, column_width))
    return BadgePlan(texts, qr)


def qr_squares(text: str, x: float, y: float, side: float) -> list[tuple[float, float, float, float]]:
    """The QR code of `text` as dark rectangles filling a square of `side` mm at (x, y); a run
    of dark modules in a row is one rectangle. The label's margin is the quiet zone."""
    matrix = segno.make(text, error=QR_ERROR, mask=QR_MASK, micro=False).matrix
    module = side / len(matrix)
    squares = []
    for row_index, row in enumerate(matrix):
        top = y + row_index * module
        column, count = 0, len(row)
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                squares.append((x + start * module, top, (column - start) * module, module))
            else:
                column += 1
    return squares


def badge_sheet_pdf(
    badges: Sequence[Badge],
    *,
    layout: str = "2x4",
    event_title: str = "",
    cut_guides: bool = False,
    skip: int = 0,
    locale: str = "sv",
    font_dir=None,
) -> bytes:
    """A4 sheets of name badges for the label product `layout` (a key of LAYOUTS).

    skip leaves the first labels of the first sheet empty (a sheet already partly used);
    cut_guides outlines each label, for printing on plain paper or card and cutting.
    Needs an app context (the document's title is translated).
    """
    if not badges:
        raise ValueError("no badges to print")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown label layout {layout!r}; one of {', '.join(LAYOUTS)}")
    label = LAYOUTS[layout]
    skip = max(0, min(skip, label.per_sheet - 1))
    with force_locale(locale):
        title = gettext("Name badges")
    if event_title:
        title = f"{title} – {event_title}"
    with new_pdf(title=title, lang=locale, configured_font_dir=font_dir) as pdf:
        measure = font_measure(pdf)
        sheet_open = -1
        for slot, badge in enumerate(badges, start=skip):
            sheet, left, top = label.position(slot)
            if sheet != sheet_open:
                pdf.add_page()
                sheet_open = sheet
                if cut_guides:
                    _draw_guides(pdf, label)
            plan = plan_badge(measure, badge, label, event_title)
            for placed in plan.texts:
                draw_fitted(pdf, placed.fitted, left + placed.x, top + placed.y, placed.width, placed.align)
            if plan.qr is not None:
                x, y, side = plan.qr
                fill_squares(pdf, qr_squares(badge.qr_text, left + x, top + y, side))
        return bytes(pdf.output())


def _draw_guides(pdf: FPDF, label: LabelLayout) -> None:
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.1)
    for slot in range(label.per_sheet):
        _, left, top = label.position(slot)
        pdf.rect(left, top, label.width, label.height)
