"""Set a text as large as it fits a box: fewer lines, larger type, never past the edge."""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from fpdf import FPDF

from app.documents.pdf import FAMILY, MM_PER_PT

# The width in mm of a text set at 1 pt, bold or not.
Measure = Callable[[str, bool], float]

ELLIPSIS = "…"
LINE_FACTOR = 1.15  # line height as a multiple of the type size


@dataclass(frozen=True)
class FittedText:
    size: float  # pt
    lines: tuple[str, ...]
    widths: tuple[float, ...]  # mm, each line's
    line_height: float  # mm
    bold: bool
    truncated: bool = False

    @property
    def height(self) -> float:
        return self.line_height * len(self.lines)


def font_measure(pdf: FPDF) -> Measure:
    """Widths from the document's own fonts. fpdf2 adds glyph widths without kerning, so a
    text's width is the sum of its parts' and grows in proportion to the size: one
    measurement per word serves every size and line break tried."""
    cache: dict[tuple[str, bool], float] = {}
    reference = 100.0

    def measure(text: str, bold: bool) -> float:
        key = (text, bold)
        if key not in cache:
            pdf.set_font(FAMILY, "B" if bold else "", reference)
            cache[key] = pdf.get_string_width(text) / reference
        return cache[key]

    return measure


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Breakable pieces and whether each follows a space: 'Anna-Karin Ek' gives
    ('Anna-', space), ('Karin', no space), ('Ek', space); a line may break after a hyphen."""
    pieces = []
    for word in text.split():
        for index, part in enumerate(re.findall(r"[^-]*-+|[^-]+", word)):
            pieces.append((part, index == 0))
    return pieces


def _wrap(pieces, measure: Measure, bold: bool, room: float, force: bool) -> list[str] | None:
    """Greedy line breaking in 1-pt units; None when a piece alone is wider than `room`,
    unless `force`, which cuts such a piece between characters."""
    space = measure(" ", bold)
    lines: list[str] = []
    line, line_width = "", 0.0
    for piece, after_space in pieces:
        width = measure(piece, bold)
        gap = space if (after_space and line) else 0.0
        if line and line_width + gap + width <= room:
            line += (" " if gap else "") + piece
            line_width += gap + width
            continue
        if line:
            lines.append(line)
        if width > room:
            if not force:
                return None
            while measure(piece, bold) > room and len(piece) > 1:
                cut = len(piece) - 1
                while cut > 1 and measure(piece[:cut], bold) > room:
                    cut -= 1
                lines.append(piece[:cut])
                piece = piece[cut:]
            width = measure(piece, bold)
        line, line_width = piece, width
    if line:
        lines.append(line)
    return lines


def _shorten(line: str, measure: Measure, bold: bool, room: float) -> str:
    while line and measure(line + ELLIPSIS, bold) > room:
        line = line[:-1].rstrip()
    return line + ELLIPSIS


def fit_text(
    measure: Measure,
    text: str,
    *,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    max_lines: int = 1,
    bold: bool = False,
    step: float = 0.5,
) -> FittedText:
    """The largest size from max_size down to min_size at which `text` breaks into at most
    `max_lines` lines no wider than `width` mm whose height fits `height` mm. A text that fits
    nowhere is set at min_size and cut short with an ellipsis, so nothing crosses the box."""
    text = " ".join(text.split())
    if not text:
        return FittedText(max_size, (), (), max_size * LINE_FACTOR * MM_PER_PT, bold)
    pieces = _pieces(text)
    size = max_size
    while size >= min_size - 1e-9:
        line_height = size * LINE_FACTOR * MM_PER_PT
        allowed = min(max_lines, math.floor(height / line_height + 1e-9))
        if allowed >= 1:
            lines = _wrap(pieces, measure, bold, width / size, force=False)
            if lines is not None and len(lines) <= allowed:
                return _fitted(measure, lines, size, bold, truncated=False)
        size -= step
    size = min_size
    line_height = size * LINE_FACTOR * MM_PER_PT
    allowed = max(1, min(max_lines, math.floor(height / line_height + 1e-9)))
    lines = _wrap(pieces, measure, bold, width / size, force=True) or [text]
    if len(lines) > allowed:
        lines = lines[: allowed - 1] + [_shorten(lines[allowed - 1], measure, bold, width / size)]
    return _fitted(measure, lines, size, bold, truncated=True)


def _fitted(measure: Measure, lines: list[str], size: float, bold: bool, truncated: bool) -> FittedText:
    return FittedText(
        size=size,
        lines=tuple(lines),
        widths=tuple(measure(line, bold) * size for line in lines),
        line_height=size * LINE_FACTOR * MM_PER_PT,
        bold=bold,
        truncated=truncated,
    )


def draw_fitted(pdf: FPDF, fitted: FittedText, x: float, y: float, width: float, align: str = "C") -> None:
    """Draw the lines from (x, y), the top of the first line, left-aligned or centred in `width`."""
    pdf.set_font(FAMILY, "B" if fitted.bold else "", fitted.size)
    # DejaVu Sans: ascent 0.93 em, descent 0.24 em; the baseline sits so that the glyphs
    # are centred in the line height.
    em = fitted.size * MM_PER_PT
    baseline = (fitted.line_height - 1.17 * em) / 2 + 0.93 * em
    for index, (line, line_width) in enumerate(zip(fitted.lines, fitted.widths, strict=True)):
        left = x + (width - line_width) / 2 if align == "C" else x
        pdf.text(left, y + index * fitted.line_height + baseline, line)
