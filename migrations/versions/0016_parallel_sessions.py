"""Parallel sessions: slots of agenda items to choose one of, each session with its own
seats, and the choice each registration made per slot (issue 16).

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    # op.add_column/op.drop_column, not batch mode: on SQLite a batch copies the table, and
    # dropping the old copy (foreign keys on) deletes every row that refers to it.
    op.add_column("event", sa.Column("has_parallel_sessions", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "session_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("allow_none", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_session_slot_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_slot")),
    )
    with op.batch_alter_table("session_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_slot_event_id"), ["event_id"], unique=False)

    op.create_table(
        "parallel_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_parallel_session_agenda_item_id_agenda_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["session_slot.id"], name=op.f("fk_parallel_session_slot_id_session_slot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parallel_session")),
        sa.UniqueConstraint("agenda_item_id", name="uq_parallel_session_agenda_item_id"),
    )
    with op.batch_alter_table("parallel_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parallel_session_slot_id"), ["slot_id"], unique=False)

    op.create_table(
        "session_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column(
            "status", sa.Enum("seated", "waitlisted", name="choicestatus", native_enum=False, length=30), nullable=False
        ),
        sa.Column("waitlisted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_session_choice_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["parallel_session.id"],
            name=op.f("fk_session_choice_session_id_parallel_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["session_slot.id"], name=op.f("fk_session_choice_slot_id_session_slot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_choice")),
        sa.UniqueConstraint("registration_id", "slot_id", name="uq_session_choice_registration_id_slot_id"),
    )
    with op.batch_alter_table("session_choice", schema=None) as batch_op:
        batch_op.create_index("ix_session_choice_session_id_status", ["session_id", "status"], unique=False)


def downgrade():
    with op.batch_alter_table("session_choice", schema=None) as batch_op:
        batch_op.drop_index("ix_session_choice_session_id_status")

    op.drop_table("session_choice")
    with op.batch_alter_table("parallel_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parallel_session_slot_id"))

    op.drop_table("parallel_session")
    with op.batch_alter_table("session_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_slot_event_id"))

    op.drop_table("session_slot")

    op.drop_column("event", "has_parallel_sessions")
