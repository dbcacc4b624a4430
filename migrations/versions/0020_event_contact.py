"""Each event names its contact (name, email, phone) for participants, and each mail may
carry a Reply-To: the event's contact rather than an address nobody reads.

Events made before this revision take their creator's name and address, so their pages
and mail name someone from the start.

Revision ID: 0020
Revises: 0014
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # op.add_column/op.drop_column, not batch mode: on SQLite a batch copies the table, and
    # dropping the old copy (foreign keys on) deletes every row that refers to it.
    op.add_column("event", sa.Column("contact_name", sa.String(length=120), server_default="", nullable=False))
    op.add_column("event", sa.Column("contact_email", sa.String(length=254), server_default="", nullable=False))
    op.add_column("event", sa.Column("contact_phone", sa.String(length=40), server_default="", nullable=False))
    op.add_column("outbox_message", sa.Column("reply_to", sa.String(length=254), server_default="", nullable=False))
    op.execute(
        'UPDATE event SET contact_name = (SELECT name FROM "user" WHERE "user".id = event.created_by_id), '
        'contact_email = (SELECT email FROM "user" WHERE "user".id = event.created_by_id) '
        "WHERE created_by_id IS NOT NULL"
    )


def downgrade():
    op.drop_column("outbox_message", "reply_to")
    for column in ("contact_phone", "contact_email", "contact_name"):
        op.drop_column("event", column)
