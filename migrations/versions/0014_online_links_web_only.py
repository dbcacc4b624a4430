"""Online links are http(s) addresses only: one stored before the check (a javascript:
or data: address) is removed, so no page ever links to it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE event SET online_url = '' WHERE online_url <> '' "
        "AND lower(online_url) NOT LIKE 'http://%' AND lower(online_url) NOT LIKE 'https://%'"
    )


def downgrade():
    pass  # what was removed was never safe to show
