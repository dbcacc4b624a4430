"""Agendas: timed items with rooms, speakers reused across items and events.

Revision ID: 0003
Revises: 0002b
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker")),
    )
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.create_index("ix_speaker_name", ["name"], unique=False)

    op.create_table(
        "agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("room", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_agenda_item_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item")),
    )
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.create_index("ix_agenda_item_event_id_starts_at", ["event_id", "starts_at"], unique=False)

    op.create_table(
        "agenda_item_speaker",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["agenda_item.id"], name=op.f("fk_agenda_item_speaker_item_id_agenda_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["speaker_id"], ["speaker.id"], name=op.f("fk_agenda_item_speaker_speaker_id_speaker")),
        sa.PrimaryKeyConstraint("item_id", "speaker_id", name=op.f("pk_agenda_item_speaker")),
    )
    with op.batch_alter_table("agenda_item_speaker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_item_speaker_speaker_id"), ["speaker_id"], unique=False)


def downgrade():
    with op.batch_alter_table("agenda_item_speaker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_item_speaker_speaker_id"))

    op.drop_table("agenda_item_speaker")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_item_event_id_starts_at")

    op.drop_table("agenda_item")
    with op.batch_alter_table("speaker", schema=None) as batch_op:
        batch_op.drop_index("ix_speaker_name")

    op.drop_table("speaker")
