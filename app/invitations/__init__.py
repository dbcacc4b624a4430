from flask import Blueprint

bp = Blueprint("invitations", __name__)

from app.invitations import views  # noqa: E402,F401
