"""Bulk mail (invitations and their reminders) carries a one-click unsubscribe link
(RFC 8058 List-Unsubscribe): the outbox keeps the link of each message.

Added with op.add_column, so SQLite keeps the table (and its rows) as they are.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "outbox_message", sa.Column("list_unsubscribe", sa.String(length=500), server_default="", nullable=False)
    )


def downgrade():
    op.drop_column("outbox_message", "list_unsubscribe")  # not batch mode, as in upgrade()
