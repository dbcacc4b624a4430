"""Checks every request passes before any view sees it."""

from flask import abort, request
from werkzeug.routing import IntegerConverter


def refuse_nul_bytes() -> None:
    """No text we store or look up may hold a NUL byte (PostgreSQL refuses them): answer 400."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    if "\x00" in request.path:
        abort(400)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in routes: a number larger than the database's integer is no id,
    so the page is not found (instead of an overflow error in the query)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
