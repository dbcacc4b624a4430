"""An index for listing events in date order, so a page of the API stops early.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28

"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_starts_at_id", ["starts_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_starts_at_id")
