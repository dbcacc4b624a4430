from flask import Blueprint

bp = Blueprint("registrations", __name__)

from app.registrations import views  # noqa: E402,F401
