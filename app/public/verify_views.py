"""Anyone holding a certificate of attendance checks that it is genuine (issue 16): the
code printed on it shows the name, the event and its dates, and nothing else. Rate-limited,
so codes cannot be tried by the thousand."""

from flask import current_app, redirect, render_template, request, url_for

from app.documents import normalise_code
from app.extensions import limiter
from app.public.views import bp
from app.services import attendance

# A code is 12 characters; typed with spaces and dashes a little more. Longer is not one.
MAX_TYPED = 40


def _limit():
    return current_app.config["CERTIFICATE_VERIFY_RATE_LIMIT"]


@bp.get("/verify")
@limiter.limit(_limit)
def verify():
    """The form to type a certificate's code; a typed code goes on to its answer."""
    typed = request.args.get("code")
    if typed is None:
        return render_template("public/verify.html", typed="", problem=False)
    code = normalise_code(typed[:MAX_TYPED])
    if not code:
        return render_template("public/verify.html", typed=typed[:MAX_TYPED], problem=True), 400
    return redirect(url_for("public.verified", code=code))


@bp.get("/verify/<code>")
@limiter.limit(_limit)
def verified(code: str):
    """Whether a certificate with this code was issued, and to whom for which event."""
    certificate = attendance.verify(code[:MAX_TYPED])
    return render_template(
        "public/verified.html", code=normalise_code(code[:MAX_TYPED]) or "", certificate=certificate
    ), (200 if certificate else 404)
