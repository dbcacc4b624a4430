"""Checks every request passes before any view sees it."""

from flask import abort, request


def refuse_nul_bytes() -> None:
    """No text we store or look up may hold a NUL byte (PostgreSQL refuses them): answer 400."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    if "\x00" in request.path:
        abort(400)
