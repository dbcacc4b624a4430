"""Files people download from a page: kept by no browser or proxy, as what they hold is personal."""

from flask import Response, make_response


def csv_download(data: bytes | str, filename: str) -> Response:
    """A CSV file for Excel, saved as `filename`."""
    response = make_response(data)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_download(data: bytes, filename: str) -> Response:
    """A PDF (badges, certificates) saved as `filename`."""
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
