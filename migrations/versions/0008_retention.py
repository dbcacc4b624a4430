"""Retention of participants' personal data: months per event, and when a registration was erased.

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention_months", sa.Integer(), server_default="12", nullable=False))

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("retention_months")
