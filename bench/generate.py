"""Load a benchmark data set into SQLite or PostgreSQL, fast.

    python -m bench.generate --scale 1 [--database-url URL] [--fresh | --if-needed] [--seed 8]

--if-needed keeps benchmark data that fits (this scale, every part whose model
exists) and regenerates benchmark data that does not; a database with other data
is only ever emptied with --fresh.

The schema comes from the migrations (what `flask db upgrade` runs), against
DATABASE_URL or --database-url; the rows come from `bench.dataset`. Rows go in as
bulk inserts: on PostgreSQL through COPY (psycopg), elsewhere as Core `insert()`
executemany in chunks: scale 50 (10,000 events, a million registrations, 1.3 million
survey answers) loads in 2-3 minutes on PostgreSQL on two cores, most of it spent
generating the rows in Python. Ids are given explicitly, so rows can point at each
other without a round trip; PostgreSQL's id sequences are moved past them afterwards.
Progress is printed per table. Last, the tables are vacuumed and analysed, as a
running site's would be.
"""

import argparse
import os
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import Table, func, insert, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import generate_password_hash

from bench.dataset import BENCH_ADMIN_EMAIL, BENCH_PASSWORD, OPTIONAL_PARTS, Dataset
from config import BASE_DIR, DevelopmentConfig, normalise_database_url

CHUNK = 5_000


def default_database_url(scale: int) -> str:
    return f"sqlite:///{BASE_DIR / 'instance' / f'bench-scale{scale}.db'}"


class Progress:
    """Rows written to one table, and how fast; redrawn in place on a terminal."""

    def __init__(self, label: str) -> None:
        self.label, self.rows, self.started = label, 0, time.perf_counter()
        self.live = sys.stdout.isatty()

    def add(self, rows: int) -> None:
        self.rows += rows
        if self.live:
            print(f"\r{self._line()}", end="", flush=True)

    def done(self) -> None:
        print(f"\r{self._line()}" if self.live else self._line(), flush=True)

    def _line(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        return f"  {self.label:<22} {self.rows:>10,} rows  {elapsed:6.1f} s  {self.rows / elapsed:>9,.0f} rows/s"


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _missing_defaults(table: Table, columns: set[str]) -> dict:
    """Values for the columns a row leaves out, from their Python defaults (COPY applies none)."""
    values = {}
    for column in table.columns:
        default = column.default
        if column.name in columns or default is None or column.primary_key:
            continue
        values[column.name] = default.arg(None) if default.is_callable else default.arg
    return values


def insert_rows(conn: Connection, table: Table, rows: Iterable[dict], label: str) -> int:
    """Write rows in chunks; keys the table lacks are dropped, with a warning, so a
    mapping written ahead of its model still loads what it can."""
    progress = Progress(label)
    prepare = None
    for chunk in _chunks(rows, CHUNK):
        if prepare is None:
            known = {key for key in chunk[0] if key in table.c}
            unknown = sorted(set(chunk[0]) - known)
            if unknown:
                print(f"  {label}: the table has no column {', '.join(unknown)}; left out")
            defaults = _missing_defaults(table, known)

            def prepare(row, known=known, defaults=defaults):
                return {**defaults, **{key: row[key] for key in known}}

        prepared = [prepare(row) for row in chunk]
        if conn.dialect.name == "postgresql":
            _copy(conn, table, prepared)
        else:
            conn.execute(insert(table), prepared)
        progress.add(len(chunk))
    progress.done()
    return progress.rows


def _copy(conn: Connection, table: Table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, with each value passed through its column type as an insert would."""
    names = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(conn.dialect) for name in names]
    quote = conn.dialect.identifier_preparer
    statement = f"COPY {quote.format_table(table)} ({', '.join(quote.quote(name) for name in names)}) FROM STDIN"
    cursor = conn.connection.driver_connection.cursor()
    with cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [process(row[name]) if process else row[name] for name, process in zip(names, processors, strict=True)]
            )


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the rows."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c and table.c.id.autoincrement in (True, "auto"):
            name = conn.dialect.identifier_preparer.format_table(table)
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
            )


def wipe(url: str) -> None:
    """Start from nothing: delete the SQLite file, or empty PostgreSQL's public schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def state(scale: int) -> str:
    """'ready' (this scale's data, with every part whose model exists), 'stale' (bench
    data of another scale or from before a model existed), 'empty', or 'other'
    (data that is not the benchmark's: never deleted without --fresh)."""
    import app.models
    from app.extensions import db
    from app.models import Event, User

    events = db.session.scalar(select(func.count(Event.id)))
    users = db.session.scalar(select(func.count(User.id)))
    bench_admin = db.session.scalar(select(User.id).where(User.email == BENCH_ADMIN_EMAIL))
    tables = set(inspect(db.engine).get_table_names())
    missing_parts = [
        name
        for part in OPTIONAL_PARTS
        for name in part.needs
        if (model := getattr(app.models, name, None)) is not None
        and (model.__tablename__ not in tables or db.session.execute(select(model).limit(1)).first() is None)
    ]
    db.session.rollback()
    if not bench_admin:
        return "empty" if events == 0 and users == 0 else "other"
    return "ready" if events == Dataset(scale, {}).event_count and not missing_parts else "stale"


def load(scale: int, seed: int, today: date | None = None) -> None:
    """Write the whole data set; optional parts only where their models exist."""
    import app.models
    from app.extensions import db
    from app.models import Event, Region, RegionStepRecord, User, event_organiser

    regions = dict(db.session.execute(select(Region.code, Region.id)).tuples().all())
    db.session.rollback()
    data = Dataset(
        scale, regions, seed=seed, today=today or date.today(), password_hash=generate_password_hash(BENCH_PASSWORD)
    )
    written: list[Table] = []
    with db.engine.begin() as conn:
        for table, rows, label in [
            (User.__table__, data.users(), "users"),
            (RegionStepRecord.__table__, data.step_records(), "region step records"),
            (Event.__table__, data.events_rows(), "events"),
            (event_organiser, data.event_organisers(), "event organisers"),
        ]:
            insert_rows(conn, table, rows, label)
            written.append(table)
    for part in OPTIONAL_PARTS:
        if missing := [name for name in part.needs if not hasattr(app.models, name)]:
            print(f"  {part.name:<22} not available yet (no app.models.{', '.join(missing)})")
            continue
        for model_name, rows in part.produce(data):
            model = getattr(app.models, model_name)
            try:
                with db.engine.begin() as conn:
                    insert_rows(conn, model.__table__, rows, model_name)
                written.append(model.__table__)
            except SQLAlchemyError as error:
                print(
                    f"  {model_name}: not loaded; adjust its *_row function in bench/dataset.py: "
                    f"{getattr(error, 'orig', None) or error}"
                )
    with db.engine.begin() as conn:
        _reset_sequences(conn, written)
    settle(db.engine)


def settle(engine) -> None:
    """Leave the tables as a running site's are: fresh statistics for the planner and, on
    PostgreSQL, a vacuum, which marks the bulk-loaded pages all-visible as autovacuum would
    have long since (without it, index-only scans read the table for every row)."""
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)" if conn.dialect.name == "postgresql" else "ANALYZE"))
    print(
        f"  {'vacuum and analyze' if engine.dialect.name == 'postgresql' else 'analyze':<22} "
        f"{time.perf_counter() - started:>22.1f} s"
    )


def generate(url: str, scale: int, *, seed: int = 8, fresh: bool = False, if_needed: bool = False) -> bool:
    """Migrate the database and fill it; False when --if-needed found the data already there."""
    url = normalise_database_url(url)
    os.environ["DATABASE_URL"] = url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        print(f"Emptying {parsed.render_as_string(hide_password=True)}")
        wipe(url)
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app(DevelopmentConfig)
    with app.app_context():
        try:
            upgrade()  # what `flask db upgrade` runs
            found = state(scale)
            if found == "ready" and if_needed:
                print(f"Scale {scale} data is already in the database; not generated again.")
                return False
            if found == "stale":
                print(
                    "The database holds benchmark data of another scale, or from before some models "
                    "existed; generating it again."
                )
                db.engine.dispose()
                wipe(url)
                upgrade()
            elif found != "empty":
                raise SystemExit(
                    "The database already holds data; pass --fresh to empty it first "
                    "(everything in it is deleted), or choose another database."
                )
            print(f"Generating scale {scale} (seed {seed}) into {parsed.render_as_string(hide_password=True)}")
            started = time.perf_counter()
            load(scale, seed)
            print(f"Done in {time.perf_counter() - started:.1f} s.")
        finally:
            # Every way out closes the pool's connections: one left to the garbage collector
            # is a ResourceWarning (an error under the suite's filterwarnings) on Python 3.13.
            db.engine.dispose()
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="1: 200 events; 50: 10,000 events")
    parser.add_argument("--database-url", help="default: $DATABASE_URL, else instance/bench-scale<N>.db")
    parser.add_argument("--seed", type=int, default=8)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fresh", action="store_true", help="empty the database first (deletes everything in it)")
    group.add_argument("--if-needed", action="store_true", help="do nothing when this scale's data is there")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    url = args.database_url or os.environ.get("DATABASE_URL") or default_database_url(args.scale)
    generate(url, args.scale, seed=args.seed, fresh=args.fresh, if_needed=args.if_needed)


if __name__ == "__main__":
    main()
