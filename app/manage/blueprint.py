"""The one blueprint of every organisers' page, whichever domain's folder its view is in, so
its endpoints read `manage.<view>`; every page on it needs a logged-in user."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.before_request
@login_required
def require_login():
    """Every page here is for logged-in organisers."""
