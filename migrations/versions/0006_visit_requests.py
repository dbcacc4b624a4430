"""Visit requests (from regions and proposed to them), their notes, and region contacts.

Revision ID: 0006
Revises: 0008
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "region_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_region_contact_region_id_region"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_contact")),
    )
    with op.batch_alter_table("region_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_region_contact_region_id"), ["region_id"], unique=False)

    op.create_table(
        "visit_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "origin", sa.Enum("request", "proposal", name="visitorigin", native_enum=False, length=30), nullable=False
        ),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "new",
                "in_review",
                "accepted",
                "declined",
                "scheduled",
                name="visitstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "inspiration_day",
                "workshop",
                "regional_conference",
                "national_conference",
                "webinar",
                name="eventkind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("period_text", sa.String(length=200), nullable=False),
        sa.Column("audience_sectors", sa.JSON(), nullable=False),
        sa.Column("audience_size", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=True),
        sa.Column("privacy_notice_version", sa.String(length=40), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["user.id"], name=op.f("fk_visit_request_assignee_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_visit_request_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_visit_request_event_id_event"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_visit_request_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_request")),
        sa.UniqueConstraint("token", name="uq_visit_request_token"),
    )
    with op.batch_alter_table("visit_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_request_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_request_region_id"), ["region_id"], unique=False)
        batch_op.create_index("ix_visit_request_status_created_at", ["status", "created_at"], unique=False)

    op.create_table(
        "visit_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_request_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("answer", "internal", "reply", name="visitnotekind", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_visit_note_author_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["visit_request_id"],
            ["visit_request.id"],
            name=op.f("fk_visit_note_visit_request_id_visit_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_note")),
    )
    with op.batch_alter_table("visit_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_note_visit_request_id"), ["visit_request_id"], unique=False)


def downgrade():
    with op.batch_alter_table("visit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_note_visit_request_id"))

    op.drop_table("visit_note")
    with op.batch_alter_table("visit_request", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_request_status_created_at")
        batch_op.drop_index(batch_op.f("ix_visit_request_region_id"))
        batch_op.drop_index(batch_op.f("ix_visit_request_event_id"))

    op.drop_table("visit_request")
    with op.batch_alter_table("region_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_contact_region_id"))

    op.drop_table("region_contact")
