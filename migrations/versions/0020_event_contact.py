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
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=120), server_default="", nullable=False))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), server_default="", nullable=False))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=40), server_default="", nullable=False))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to", sa.String(length=254), server_default="", nullable=False))
    op.execute(
        'UPDATE event SET contact_name = (SELECT name FROM "user" WHERE "user".id = event.created_by_id), '
        'contact_email = (SELECT email FROM "user" WHERE "user".id = event.created_by_id) '
        "WHERE created_by_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("reply_to")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("contact_name")
