"""The content versions: raised by every change public pages show (row 1: events and
everything about them; row 2: who takes part), so kept pages are checked with one small query.

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}, {"id": 2, "version": 0}])


def downgrade():
    op.drop_table("content_version")
