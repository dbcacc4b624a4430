"""Checks every request passes before any view sees it."""

from flask import abort, request


def refuse_nul_bytes() -> None:
    """No text we store or look up may hold a NUL byte (PostgreSQL refuses them): answer 400."""
    # A GET's body is read by no view (forms take theirs from POSTs), so it is not parsed here.
    for values in (request.args, request.form) if request.method not in ("GET", "HEAD") else (request.args,):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    if "\x00" in request.path:
        abort(400)
