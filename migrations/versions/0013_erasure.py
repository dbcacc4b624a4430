"""Erasure and retention: the suppression list of unsubscribed addresses (keyed hashes only),
visit requests marked when their contact is erased, mail linked to the visit request it is
about, and when a contact was last invited (the address book's retention runs from it).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "suppressed_address",
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("address_hash", name=op.f("pk_suppressed_address")),
    )

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_invited_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("visit_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_request_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_visit_request_id"), ["visit_request_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_visit_request_id_visit_request"),
            "visit_request",
            ["visit_request_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_message_visit_request_id_visit_request"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_message_visit_request_id"))
        batch_op.drop_column("visit_request_id")

    with op.batch_alter_table("visit_request", schema=None) as batch_op:
        batch_op.drop_column("erased_at")

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("last_invited_at")

    op.drop_table("suppressed_address")
