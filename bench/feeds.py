"""The national calendar feed (every region's events ahead and of the last month): how
long one full build takes at this scale (target: a 10,000-event feed in under 1 s), and
whether a repeat request with the validators of the first answer gets 304 Not Modified
instead of the whole file.

Calendar programs poll subscriptions every few minutes, forever; answering most of
those polls with 304 is what keeps the feeds cheap.
"""

from statistics import median

from bench.client import Browser
from bench.context import BenchContext, not_available
from bench.pages import PAGES, find_rule, path_for

FEED = next(page for page in PAGES if page.name == "/calendar.ics")
REPEATS = 3


def measure_feed(ctx: BenchContext) -> dict:
    if find_rule(ctx.app, FEED) is None:
        return not_available("no /calendar.ics route")
    path = path_for(ctx.app, FEED, ctx.sample)
    # Built afresh each time by the server without a page cache, as after a change.
    browser = Browser(ctx.uncached_base or ctx.base)
    try:
        answers = [browser.get(path) for _ in range(REPEATS)]
        last = answers[-1]
        validators = {}
        if etag := last.headers.get("ETag"):
            validators["If-None-Match"] = etag
        if modified := last.headers.get("Last-Modified"):
            validators["If-Modified-Since"] = modified
        repeat = browser.get(path, headers=validators) if validators else None
    finally:
        browser.close()
    return {
        "status": "measured",
        "events_in_feed": last.body.count("BEGIN:VEVENT"),
        "bytes": len(last.body.encode()),
        "full_build_ms": round(median(a.seconds for a in answers) * 1000, 1),
        "validators": sorted(validators),
        "repeat_status": repeat.status if repeat else None,
        "repeat_ms": round(repeat.seconds * 1000, 1) if repeat else None,
    }
