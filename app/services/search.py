"""Searching a list for what someone typed: the text anywhere in any of several columns."""

from sqlalchemy import ColumnElement, or_

ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere, its own `%` and `_` taken as they are."""
    return "%" + text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_") + "%"


def any_contains(search: str, *columns) -> ColumnElement[bool]:
    """Rows where one of the `columns` holds `search` in lower case: give a column as
    func.lower(column), or as it is when it is stored in lower case (an email address)."""
    pattern = contains_pattern(search.lower())
    return or_(*(column.like(pattern, escape=ESCAPE) for column in columns))
