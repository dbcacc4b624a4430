from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/manage")

from app.manage import (  # noqa: E402,F401
    agenda_views,
    contact_views,
    feedback_views,
    invitation_views,
    mail_views,
    overview_views,
    participant_views,
    views,
    visit_views,
)
