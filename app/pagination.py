"""Pages of list results, with the page number read safely from the query string."""

from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db

MAX_PAGE = 10_000


def requested_page() -> int:
    """`?page=N` when N is a sensible page number, else the first page (a huge N would be an
    offset the database cannot hold)."""
    raw = request.args.get("page", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


def paginate(query: Select, *, per_page: int) -> Pagination:
    return db.paginate(query, page=requested_page(), per_page=per_page, error_out=False)
