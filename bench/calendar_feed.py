"""How long the /calendar.ics feed takes to build with many events.

    .venv/bin/python bench/calendar_feed.py                 # 10,000 events in a scratch SQLite file
    .venv/bin/python bench/calendar_feed.py --events 20000
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/scratch_test .venv/bin/python bench/calendar_feed.py

The database is emptied and migrated first: never point it at data you want to keep.
The feed gets --events public events (one in nine cancelled) plus a tenth as many drafts,
which it must leave out. The target is under 1 s for 10,000 events, for the whole
request (query and calendar).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DESCRIPTION = (
    "ESF-projektet *Validering i Östergötland – en väg in* bjuder in representanter från kommuner, "
    "vuxenutbildningar, Arbetsförmedlingen, arbetslivet och politiker.\n\n"
    "Vi informerar om projektet och inspirerar till [regional samverkan](https://example.com/samverkan)."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch}/feed_test.db"
        os.environ["TEST_DATABASE_URL"] = url
        os.environ["PAGE_CACHE_SECONDS"] = "0"  # every run builds the feed, none is a kept copy
        from flask_migrate import upgrade
        from sqlalchemy import insert, select

        from app import create_app
        from app.extensions import db
        from app.models import Event, EventKind, EventStatus, Region
        from app.services.text import markdown_to_html
        from config import TestingConfig
        from tests.fixtures.database import _reset_database

        app = create_app(TestingConfig)
        _reset_database(app.config["SQLALCHEMY_DATABASE_URI"])
        with app.app_context():
            upgrade()
            regions = db.session.scalars(select(Region.id)).all()
            # From tomorrow, hour by hour: all ahead, so the feed holds every one of them.
            start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=1)
            html = markdown_to_html(DESCRIPTION)
            statuses = [EventStatus.PUBLISHED] * 8 + [EventStatus.CANCELLED]
            drafts = args.events // 10
            rows = [
                dict(
                    kind=EventKind.INSPIRATION_DAY,
                    title=f"Inspirationsdag om validering nr {n}",
                    description=DESCRIPTION,
                    description_html=html,
                    region_id=regions[n % len(regions)],
                    venue_name="Missionskyrkan",
                    venue_address="Apotekaregatan 1",
                    venue_city="Linköping",
                    online_url="",
                    starts_at=start + timedelta(hours=n),
                    ends_at=start + timedelta(hours=n + 7),
                    invitation_only=False,
                    sequence=n % 3,
                    status=EventStatus.DRAFT if n >= args.events else statuses[n % len(statuses)],
                    created_at=start,
                    updated_at=start + timedelta(seconds=n),
                )
                for n in range(args.events + drafts)
            ]
            db.session.execute(insert(Event), rows)
            db.session.commit()
            public = db.session.scalar(select(db.func.count(Event.id)).where(Event.status != EventStatus.DRAFT))
            assert public == args.events

        client = app.test_client()
        timings = []
        for _ in range(args.runs):
            began = time.perf_counter()
            response = client.get("/calendar.ics")
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200
        etag = response.headers["ETag"]
        began = time.perf_counter()
        not_modified = client.get("/calendar.ics", headers={"If-None-Match": etag})
        conditional = time.perf_counter() - began
        assert not_modified.status_code == 304
        assert response.data.count(b"BEGIN:VEVENT") == public

        print(f"database: {url.split(':', 1)[0]}")
        print(f"events in the feed: {public}, drafts left out: {drafts} ({len(response.data) / 1e6:.1f} MB)")
        print(
            f"GET /calendar.ics: median {statistics.median(timings):.3f} s, best {min(timings):.3f} s "
            f"over {args.runs} runs (target: under 1 s)"
        )
        print(f"GET /calendar.ics with If-None-Match: {conditional * 1000:.1f} ms → 304")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
