"""The reference page: a bare Flask + Jinja app, none of Samverkan's code.

    gunicorn -c deploy/gunicorn.conf.py bench.bare_app:app

One route, `/events/<id>`, renders an event page much like Samverkan's (the same
layout, an 8-item agenda with speakers, autoescaped, a base template and a macro;
11 kB, in the middle of the cached public pages' 2-23 kB) from data held in memory.
No database, no session, no extensions, no request hooks: what Flask and Jinja alone
cost for a page of this size on this machine.
bench/run.py serves it with the same gunicorn recipe as the app (deploy/gunicorn.conf.py,
so the same workers, threads and access logger) and reports the app's cached public
pages as a ratio of its requests per second (issue 17: at least 0.6×).
"""

from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).with_name("bare_templates")))

MENU = [("Evenemang", "/"), ("Regioner", "/regions/"), ("Arkiv", "/events/archive"), ("Be om ett besök", "/visit")]
TITLES = [
    "Välkommen och inledning",
    "Läget för validering i Sverige",
    "Erfarenheter från regionen",
    "Validering i praktiken",
    "Samtal: arbetsgivarnas behov",
    "Fika och mingel",
    "Branschvalidering",
    "Vägledning före validering",
]
SPEAKERS = [
    {"name": "Lena Gustafsson", "role": "Rektor", "organisation": "Komvux"},
    {"name": "Fatima Ahmed", "role": "Projektledare", "organisation": "Region Kronoberg"},
    {"name": "Johan Lindqvist", "role": "Utvecklingsledare", "organisation": "Arbetsförmedlingen"},
]
ITEMS = 8
START = datetime(2027, 1, 12, 9, 0)


def _items() -> list[dict]:
    items = []
    for n in range(ITEMS):
        starts, ends = START + timedelta(minutes=25 * n), START + timedelta(minutes=25 * (n + 1))
        title = f"{TITLES[n % len(TITLES)]} ({n + 1})"
        items.append(
            {
                "id": 1000 + n,
                "title": title,
                "room": ["Stora salen", "Sal B"][n % 2],
                "starts": starts.strftime("%H:%M"),
                "ends": ends.strftime("%H:%M"),
                "starts_iso": starts.isoformat() + "+01:00",
                "ends_iso": ends.isoformat() + "+01:00",
                "speakers": SPEAKERS[: n % 3 + 1] if n % 4 else [],
                "description_html": f"<p>{title}: samtal och frågor om <strong>validering</strong>.</p>",
            }
        )
    return items


EVENT = {
    "kind": "Inspirationsdag",
    "title": "Inspirationsdag om vägledning och validering i Växjö",
    "when": "tisdag 12 januari 2027, 09:00–15:40",
    "starts_iso": START.isoformat() + "+01:00",
    "venue_name": "Stadshuset",
    "venue_address": "Drottninggatan 42",
    "venue_city": "Växjö",
    "region_code": "07",
    "region_name": "Kronoberg",
    "seats_left": 42,
    "day": "tisdag 12 januari 2027",
    "day_iso": START.date().isoformat(),
    "description_html": "<p>Välkommen till en dag om <strong>validering</strong> för kommuner, vuxenutbildning, "
    "Arbetsförmedlingen, arbetsgivare och politiker.</p>\n<ul>\n<li>Läget i landet</li>\n"
    "<li>Erfarenheter från regionerna</li>\n<li>Nästa steg</li>\n</ul>",
}
AGENDA = _items()


@app.get("/events/<int:event_id>")
def page(event_id: int):
    return render_template("event.html", event={**EVENT, "id": event_id}, items=AGENDA, menu=MENU)


@app.get("/events/<int:event_id>/agenda/<int:item_id>.ics")
def item_ics(event_id: int, item_id: int):
    return "", 404


@app.get("/healthz")
def healthz():
    return "ok"
