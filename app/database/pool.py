"""Connection pools as big as the threads that use them.

A gunicorn worker answers GUNICORN_THREADS requests at once (deploy/gunicorn.conf.py),
each in a session of its own. SQLAlchemy's default pool keeps 5 connections and opens up
to 10 more for a burst, closing each of those as it is returned: with 8 threads busy,
every request beyond the fifth opened a new PostgreSQL connection (a backend forked and
its settings sent), which under load was most of the time kept pages spent waiting and
gave them a p99 of a second. So the pool keeps one connection per thread
(DATABASE_POOL_SIZE); the overflow is left for a request that needs a second one.
SQLite's pools are its own affair (a file's connections are cheap, in-memory is static).
"""


def sized(options: dict, config) -> dict:
    """Engine options with the pool sized for the configured database."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return {"pool_size": config["DATABASE_POOL_SIZE"], **options}
    return options
