"""The national overview: all 21 regions side by side, as a table, a tile map and a CSV file.

Every number comes from a few grouped queries over all regions at once, never one
query per region, so the page costs the same whatever the amount of data.
"""

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from app.display.labels import KIND_LABELS
from app.display.timezones import local_to_utc, utc_to_local
from app.extensions import db
from app.models import (
    HELD_STATUSES,
    OPEN_VISIT_STATUSES,
    Event,
    EventKind,
    EventStatus,
    Region,
    RegionStepRecord,
    VisitRequest,
)
from app.models.types import utcnow
from app.services import regions
from app.services.regions import all_regions
from app.services.registrations.participant_csv import safe_cell


@dataclass
class RegionRow:
    """One region's line in the overview."""

    region: Region
    step: RegionStepRecord | None = None
    held_this_year: dict[EventKind, int] = field(default_factory=dict)
    held_overall: dict[EventKind, int] = field(default_factory=dict)
    reached: int = 0
    feedback: float | None = None
    open_visits: int = 0
    last_event: datetime | None = None
    # The start of the next published event that has not ended.
    next_event: datetime | None = None

    def held(self, *, this_year: bool, kind: EventKind | None = None) -> int:
        counts = self.held_this_year if this_year else self.held_overall
        return counts.get(kind, 0) if kind else sum(counts.values())

    @property
    def step_number(self) -> int | None:
        return self.step.step_number if self.step else None


def region_rows(now: datetime | None = None) -> list[RegionRow]:
    """Every region with its numbers, in region code order; seven queries in all, two of
    them kept while the data is unchanged."""
    now = now or utcnow()
    rows = {region.id: RegionRow(region) for region in all_regions()}
    for region_id, record in regions.current_steps().items():
        rows[region_id].step = record

    year_start = local_to_utc(datetime(utc_to_local(now).year, 1, 1))
    held = and_(Event.status.in_(HELD_STATUSES), Event.ends_at < now)
    coming = and_(Event.status == EventStatus.PUBLISHED, Event.ends_at >= now)
    # Held events per region and kind, and the next coming one, in one pass over the events.
    for region_id, kind, overall, this_year, last, next_start in db.session.execute(
        select(
            Event.region_id,
            Event.kind,
            func.count().filter(held),
            func.count().filter(held, Event.starts_at >= year_start),
            func.max(Event.starts_at).filter(held),
            func.min(Event.starts_at).filter(coming),
        )
        .where(Event.region_id.is_not(None), or_(held, coming))
        .group_by(Event.region_id, Event.kind)
    ):
        row = rows[region_id]
        if overall:
            row.held_overall[kind] = overall
            row.held_this_year[kind] = this_year
        if last is not None and (row.last_event is None or last > row.last_event):
            row.last_event = last
        if next_start is not None and (row.next_event is None or next_start < row.next_event):
            row.next_event = next_start

    for region_id, reached in regions.people_reached_by_region().items():
        rows[region_id].reached = reached
    for region_id, average in regions.average_feedback_by_region().items():
        rows[region_id].feedback = average
    for region_id, count in db.session.execute(
        select(VisitRequest.region_id, func.count())
        .where(VisitRequest.status.in_(OPEN_VISIT_STATUSES))
        .group_by(VisitRequest.region_id)
    ).all():
        rows[region_id].open_visits = count
    return list(rows.values())


# Sorting (server-side, so the table sorts without JavaScript)

SORT_KEYS = (
    "region",
    "step",
    "held_this_year",
    "held_overall",
    "reached",
    "feedback",
    "open_visits",
    "last_event",
    "next_event",
)
# Swedish alphabetical order: å, ä, ö come after z.
_SWEDISH = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003"})


def sort_value(row: RegionRow, key: str, kind: EventKind | None = None):
    """The value a column sorts by; None sorts last."""
    if key == "region":
        return row.region.name.lower().translate(_SWEDISH)
    if key == "step":
        return row.step_number
    if key in ("held_this_year", "held_overall"):
        return row.held(this_year=key == "held_this_year", kind=kind)
    return getattr(row, key)


def sorted_rows(rows: list[RegionRow], key: str, descending: bool, kind: EventKind | None = None) -> list[RegionRow]:
    """Rows sorted by a column, regions without a value last either way, ties by region name."""
    by_name = sorted(rows, key=lambda row: sort_value(row, "region"))
    present = [row for row in by_name if sort_value(row, key, kind) is not None]
    missing = [row for row in by_name if sort_value(row, key, kind) is None]
    return sorted(present, key=lambda row: sort_value(row, key, kind), reverse=descending) + missing


# The tile map

MEASURES = ("step", "held_this_year", "held_overall", "reached", "open_visits", "feedback")

# (col, row) of each region's tile: a rough picture of Sweden from Norrbotten down to Skåne.
TILES = {
    "25": (2, 0),
    "24": (2, 1),
    "23": (1, 2),
    "22": (2, 2),
    "20": (1, 3),
    "21": (2, 3),
    "17": (0, 4),
    "18": (1, 4),
    "19": (2, 4),
    "03": (3, 4),
    "14": (0, 5),
    "05": (1, 5),
    "04": (2, 5),
    "01": (3, 5),
    "13": (0, 6),
    "06": (1, 6),
    "08": (2, 6),
    "09": (3, 6),
    "12": (0, 7),
    "07": (1, 7),
    "10": (2, 7),
}
TILE_WIDTH, TILE_HEIGHT, TILE_GAP = 132, 80, 6
# Fill and text colour of each level, from "none" (0) to the most (5); every pair has a
# contrast of at least 4.5:1 (WCAG AA for text), which tests/test_overview.py checks.
PALETTE = (
    ("#f3f4f6", "#1f2328"),
    ("#deebf7", "#1f2328"),
    ("#9ecae1", "#1f2328"),
    ("#2171b5", "#ffffff"),
    ("#08519c", "#ffffff"),
    ("#08306b", "#ffffff"),
)
LEVELS = len(PALETTE) - 1


@dataclass
class Tile:
    row: RegionRow
    x: int
    y: int
    level: int
    value: object
    fill: str
    text_colour: str
    name_lines: list[str]


@dataclass
class LegendEntry:
    fill: str
    label: str


def measure_value(row: RegionRow, measure: str, kind: EventKind | None = None):
    if measure == "step":
        return row.step_number
    return sort_value(row, measure, kind)


def _level(value, measure: str, top) -> int:
    if value is None or value == 0:
        return 0
    if measure == "step":
        return min(int(value), LEVELS)
    return max(1, min(LEVELS, math.ceil(LEVELS * value / top)))


def _name_lines(name: str) -> list[str]:
    # Long two-word names ("Jämtland Härjedalen") take two lines to fit the tile.
    first, space, rest = name.partition(" ")
    return [first, rest] if space and len(name) > 12 else [name]


def tile_map(
    rows: list[RegionRow], measure: str, kind: EventKind | None = None, *, steps: list | None = None
) -> tuple[list[Tile], list[LegendEntry]]:
    """The tiles, coloured in levels of the measure, and the legend that explains the levels
    (`steps`: the collaboration steps, when the caller has them already)."""
    values = {row.region.code: measure_value(row, measure, kind) for row in rows}
    top = max((v for v in values.values() if v is not None), default=0) or 0
    tiles = []
    for row in rows:
        col, line = TILES[row.region.code]
        value = values[row.region.code]
        level = _level(value, measure, top)
        fill, text_colour = PALETTE[level]
        tiles.append(
            Tile(
                row,
                col * (TILE_WIDTH + TILE_GAP),
                line * (TILE_HEIGHT + TILE_GAP),
                level,
                value,
                fill,
                text_colour,
                _name_lines(row.region.name),
            )
        )
    return tiles, _legend(measure, top, steps)


def _legend(measure: str, top, steps: list | None) -> list[LegendEntry]:
    if measure == "step":
        entries = [LegendEntry(PALETTE[0][0], _("No step recorded"))]
        for step in steps if steps is not None else regions.steps():
            entries.append(LegendEntry(PALETTE[min(step.number, LEVELS)][0], _("Step %(n)d", n=step.number)))
        return entries
    entries = [LegendEntry(PALETTE[0][0], _("None") if measure != "feedback" else _("No results"))]
    if not top:
        return entries
    if measure == "feedback":
        for level in range(1, LEVELS + 1):
            low, high = top * (level - 1) / LEVELS, top * level / LEVELS
            entries.append(LegendEntry(PALETTE[level][0], f"{low:.1f}–{high:.1f}"))
        return entries
    for level in range(1, LEVELS + 1):
        low, high = math.floor(top * (level - 1) / LEVELS) + 1, math.floor(top * level / LEVELS)
        if low <= high:
            entries.append(LegendEntry(PALETTE[level][0], str(low) if low == high else f"{low}–{high}"))
    return entries


def map_size() -> tuple[int, int]:
    columns = max(col for col, _ in TILES.values()) + 1
    lines = max(line for _, line in TILES.values()) + 1
    return columns * (TILE_WIDTH + TILE_GAP) - TILE_GAP, lines * (TILE_HEIGHT + TILE_GAP) - TILE_GAP


# CSV for Excel


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # Swedish Excel's decimal comma
    return str(value)


def _local_day(moment: datetime | None) -> str:
    return utc_to_local(moment).date().isoformat() if moment else ""


def overview_csv(rows: list[RegionRow], locale: str) -> bytes:
    """UTF-8 with BOM, semicolon-separated, one line per region, events per kind in their own columns."""
    step_names = {step.number: step.name_for(locale) for step in regions.steps()}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    kinds = list(EventKind)
    writer.writerow(
        [
            _("County code"),
            _("Region"),
            _("Current step"),
            _("Step name"),
            _("Step date"),
            _("Events held this year"),
            *[_("%(kind)s this year", kind=KIND_LABELS[kind]) for kind in kinds],
            _("Events held overall"),
            *[_("%(kind)s overall", kind=KIND_LABELS[kind]) for kind in kinds],
            _("Participants reached"),
            _("Average feedback"),
            _("Open visit requests"),
            _("Last event"),
            _("Next event"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    row.region.code,
                    row.region.name,
                    _number(row.step_number),
                    step_names.get(row.step_number, "") if row.step else "",
                    row.step.recorded_on.isoformat() if row.step else "",
                    row.held(this_year=True),
                    *[row.held(this_year=True, kind=kind) for kind in kinds],
                    row.held(this_year=False),
                    *[row.held(this_year=False, kind=kind) for kind in kinds],
                    row.reached,
                    _number(row.feedback),
                    row.open_visits,
                    _local_day(row.last_event),
                    _local_day(row.next_event),
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def this_year(now: datetime | None = None) -> int:
    return utc_to_local(now or utcnow()).year
