"""Double opt-in for "keep me informed": when the mailbox's owner confirmed it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keep_informed_confirmed_at", sa.DateTime(), nullable=True))
    # Agreements given before this revision came through the form alone: they wait for a
    # confirmation like new ones, except those made through an invitation link.
    op.execute(
        "UPDATE registration SET keep_informed_confirmed_at = keep_informed_at "
        "WHERE keep_informed_at IS NOT NULL AND id IN (SELECT registration_id FROM invitation "
        "WHERE registration_id IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("keep_informed_confirmed_at")
