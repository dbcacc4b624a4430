"""Inserting thousands of rows at once (an address list, its invitations and their mail)."""

import psycopg
from sqlalchemy import any_, bindparam, insert
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from app.cache import content_version
from app.extensions import db

BATCH = 1000


def bulk_insert(model, rows: list[dict]) -> None:
    """Insert plain rows as fast as the database allows, in the caller's transaction.

    PostgreSQL gets them through COPY: a multi-row INSERT makes psycopg rewrite a huge
    statement, and executemany sends a statement per row. SQLite's executemany runs
    in C and is fast as it is. Column defaults are filled in for keys a row lacks; no
    ids come back, so read them back by a unique key when they are needed.
    """
    if not rows:
        return
    table = model.__table__
    content_version.note_written(db.session(), table)
    session_connection = db.session.connection()
    if session_connection.dialect.name != "postgresql":
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(table), rows[start : start + BATCH])
        return
    dialect = session_connection.dialect
    columns = [column for column in table.columns if column.name in rows[0] or _has_default(column)]
    processors = [column.type.bind_processor(dialect) for column in columns]
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN"
    cursor = session_connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                values = []
                for column, process in zip(columns, processors, strict=True):
                    value = row[column.name] if column.name in row else _default(column)
                    values.append(process(value) if process else value)
                copy.write_row(values)
    except psycopg.Error as error:
        # As SQLAlchemy would raise it (an IntegrityError for a duplicate), for the caller to handle.
        raise DBAPIError.instance(statement, None, error, psycopg.Error) from error
    finally:
        cursor.close()


def _has_default(column) -> bool:
    return column.default is not None and (column.default.is_callable or column.default.is_scalar)


def _default(column):
    default = column.default
    return default.arg(None) if default.is_callable else default.arg


def among(column, values: list) -> list:
    """Conditions "column is one of values", one per query to run, for thousands of values.

    PostgreSQL takes them all as one array parameter; elsewhere they are split into
    IN lists of a few hundred (SQLite limits a statement's parameters).
    """
    if not values:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return [column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))]
    return [column.in_(values[start : start + 500]) for start in range(0, len(values), 500)]
