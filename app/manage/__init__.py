"""Organisers' pages, one sub-package per domain (views.py, and forms.py where it has forms),
with their templates in templates/manage/<domain>/. All of them are on the one `manage`
blueprint (blueprint.py), so every endpoint reads manage.<view>; access.py says which
events an organiser may open, forms.py and imports.py hold what several domains share.
Importing a domain's views module (below) registers its pages on bp.
"""

from app.manage.agenda import views as agenda_views  # noqa: F401
from app.manage.attendance import views as attendance_views  # noqa: F401  (badges, scan, certificates)
from app.manage.blueprint import bp
from app.manage.contacts import views as contact_views  # noqa: F401
from app.manage.events import views as event_views  # noqa: F401
from app.manage.feedback import views as feedback_views  # noqa: F401
from app.manage.invitations import views as invitation_views  # noqa: F401
from app.manage.mail import views as mail_views  # noqa: F401
from app.manage.overview import views as overview_views  # noqa: F401
from app.manage.participants import views as participant_views  # noqa: F401
from app.manage.questions import views as question_views  # noqa: F401
from app.manage.sessions import views as session_views  # noqa: F401  (parallel sessions, issue 16)
from app.manage.visits import views as visit_views  # noqa: F401

__all__ = ["bp"]
