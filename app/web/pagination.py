"""Pages of list results, with the page number read safely from the query string."""

from flask import request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.extensions import db
from app.web.params import link_args, whole_number

MAX_PAGE = 10_000


def requested_page() -> int:
    """`?page=N` when N is a sensible page number, else the first page (a huge N would be an
    offset the database cannot hold)."""
    return whole_number(request.args.get("page"), low=1, high=MAX_PAGE) or 1


def paginate(query: Select, *, per_page: int) -> Pagination:
    return db.paginate(query, page=requested_page(), per_page=per_page, error_out=False)


def page_url(endpoint: str, number: int) -> str:
    """The list at `endpoint` (this one) at page `number`, with the same path and filters."""
    values = request.view_args or {}
    return url_for(endpoint, page=number, **values, **link_args(request.args, drop=("page",), path_values=values))
