from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from app.manage import agenda_views, mail_views, participant_views, views  # noqa: E402,F401
