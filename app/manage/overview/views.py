"""The national overview for organisers: every region's progress as a table, a tile map and CSV."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from app.display.i18n import current_locale
from app.display.labels import KIND_LABELS
from app.manage.blueprint import bp
from app.models import EventKind
from app.services import overview, regions
from app.services.overview import MEASURES, SORT_KEYS
from app.web.downloads import csv_download

MEASURE_LABELS = {
    "step": _l("Current step"),
    "held_this_year": _l("Events held this year"),
    "held_overall": _l("Events held overall"),
    "reached": _l("Participants reached"),
    "open_visits": _l("Open visit requests"),
    "feedback": _l("Average feedback"),
}
COLUMN_LABELS = {
    "region": _l("Region"),
    **MEASURE_LABELS,
    "last_event": _l("Last event"),
    "next_event": _l("Next event"),
}


def _choice(name: str, allowed, default: str) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else default


def _view_args() -> dict:
    """The page's settings from the query string; anything unknown falls back to the default."""
    kind_value = _choice("kind", [k.value for k in EventKind], "")
    return {
        "sort": _choice("sort", SORT_KEYS, "region"),
        "dir": _choice("dir", ("asc", "desc"), "asc"),
        "measure": _choice("measure", MEASURES, "step"),
        "kind": kind_value,
    }


@bp.get("/overview")
def overview_page():
    """All 21 regions side by side, sortable by any column, and a map coloured by a chosen measure."""
    args = _view_args()
    kind = EventKind(args["kind"]) if args["kind"] else None
    rows = overview.region_rows()
    has_feedback = any(row.feedback is not None for row in rows)
    measures = [m for m in MEASURES if m != "feedback" or has_feedback]
    if args["measure"] not in measures:
        args["measure"] = "step"
    steps = regions.steps()
    tiles, legend = overview.tile_map(rows, args["measure"], kind, steps=steps)
    width, height = overview.map_size()
    return render_template(
        "manage/overview/overview.html",
        rows=overview.sorted_rows(rows, args["sort"], args["dir"] == "desc", kind),
        args=args,
        kind=kind,
        tiles=tiles,
        legend=legend,
        map_width=width,
        map_height=height,
        measures=[(m, MEASURE_LABELS[m]) for m in measures],
        measure_label=MEASURE_LABELS[args["measure"]],
        columns=COLUMN_LABELS,
        kinds=KIND_LABELS,
        steps={s.number: s for s in steps},
        year=overview.this_year(),
        tile_width=overview.TILE_WIDTH,
        tile_height=overview.TILE_HEIGHT,
    )


@bp.get("/overview.csv")
def overview_export():
    """The overview table as CSV for Excel, with events held per kind."""
    args = _view_args()
    rows = overview.sorted_rows(overview.region_rows(), args["sort"], args["dir"] == "desc")
    return csv_download(overview.overview_csv(rows, current_locale()), "regions-overview.csv")
