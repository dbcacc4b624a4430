"""After a change, how many times is a page rendered? Issue 17: once for all workers and
machines (kept pages shared through Redis, app/cache/shared_pages.py), not once per worker.

Against the server with the page cache as deployed: ROUNDS times, a change public pages
show is committed in the runner's process (a no-op UPDATE of the sample event through the
ORM, which raises the content version like any edit), then REQUESTS visitors each open a
connection of their own (so the kernel hands them to different workers) and ask for the
event page. An answer that ran more than the content version's one statement was
rendered; `X-Worker` (bench/wsgi_bench.py) says which worker answered.
"""

from statistics import median

from sqlalchemy import update

from bench.client import Browser
from bench.context import BenchContext, failed

ROUNDS = 5
REQUESTS = 30


def _change(event_id: int) -> None:
    from app.extensions import db
    from app.models import Event

    db.session.execute(update(Event).where(Event.id == event_id).values(sequence=Event.sequence))
    db.session.commit()


def measure_shared_renders(ctx: BenchContext) -> dict:
    path = f"/events/{ctx.sample.event_id}"
    renders, workers = [], []
    try:
        for _ in range(ROUNDS):
            with ctx.app.app_context():
                _change(ctx.sample.event_id)
            rendered, answered = 0, set()
            for _ in range(REQUESTS):
                browser = Browser(ctx.base)
                try:
                    answer = browser.get(path)
                finally:
                    browser.close()
                if answer.status != 200:
                    return failed(RuntimeError(f"{path} answered {answer.status}"))
                rendered += (answer.sql_count or 0) > 1
                answered.add(answer.headers.get("X-Worker"))
            renders.append(rendered)
            workers.append(len(answered))
    except OSError as error:
        return failed(error)
    return {
        "status": "measured",
        "redis": bool(ctx.redis_url),
        "changes": ROUNDS,
        "requests_per_change": REQUESTS,
        "renders_per_change": renders,
        "workers_answering": workers,
        "renders_median": median(renders),
        "workers_median": median(workers),
    }
