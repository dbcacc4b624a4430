"""Bar charts drawn on the server as SVG geometry, so they need no script, print well
and carry their values as text (templates/_macros/charts.html renders them)."""

from dataclasses import dataclass

from flask_babel import format_decimal, format_percent

WIDTH = 640
LABEL_WIDTH = 230
BAR_SPACE = 330
ROW_HEIGHT = 30
BAR_HEIGHT = 20
MAX_LABEL = 32


def one_decimal(value: float | None) -> str:
    """4.25 → '4,3' in Swedish, '4.3' in English; empty for no value."""
    return "" if value is None else format_decimal(value, format="0.0")


def percent(share: float | None) -> str:
    return "" if share is None else format_percent(share)


@dataclass
class ChartRow:
    label: str
    value: float
    value_text: str
    # The label as it fits beside the bar; the full one is in the title, description and table.
    short_label: str = ""
    y: int = 0
    width: float = 0.0


@dataclass
class BarChart:
    title: str
    rows: list[ChartRow]
    width: int = WIDTH
    height: int = 0

    @property
    def description(self) -> str:
        """Every value as a sentence, for screen readers (the SVG's <desc>)."""
        return "; ".join(f"{row.label}: {row.value_text}" for row in self.rows)

    label_x = LABEL_WIDTH - 10
    bar_x = LABEL_WIDTH
    bar_height = BAR_HEIGHT


def bar_chart(title: str, items: list[tuple[str, float, str]], max_value: float | None = None) -> BarChart:
    """Horizontal bars, one per (label, value, value text); bars scale to `max_value`
    (the largest value when not given), so a rating chart can use the whole 1–5 scale."""
    top = max_value or max((value for _, value, _ in items), default=0) or 1
    rows = []
    for index, (label, value, text) in enumerate(items):
        label = str(label)
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
        rows.append(
            ChartRow(
                label=label,
                value=value,
                value_text=text,
                short_label=short,
                y=index * ROW_HEIGHT + 5,
                width=round(BAR_SPACE * max(value, 0) / top, 1),
            )
        )
    return BarChart(title=str(title), rows=rows, height=len(rows) * ROW_HEIGHT + 10)
