"""Registrations with their manage tokens; reminder days per event; mail linked to a registration.

Revision ID: 0002b
Revises: 0002
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002b"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column(
            "sector",
            sa.Enum(
                "municipality",
                "adult_education",
                "public_employment_service",
                "employer",
                "politician",
                "education_provider",
                "region",
                "other",
                name="sector",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("dietary_needs", sa.String(length=500), nullable=False),
        sa.Column("accessibility_needs", sa.String(length=500), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("privacy_notice_version", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "confirmed",
                "waitlisted",
                "cancelled",
                "attended",
                name="registrationstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("waitlisted_at", sa.DateTime(), nullable=True),
        sa.Column("manage_token", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("reminder_sent_at", sa.DateTime(), nullable=True),
        sa.Column("link_resent_at", sa.DateTime(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_registration_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("event_id", "email", name="uq_registration_event_id_email"),
        sa.UniqueConstraint("manage_token", name="uq_registration_manage_token"),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index("ix_registration_event_id_status", ["event_id", "status"], unique=False)

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_days", sa.Integer(), server_default="2", nullable=False))

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registration_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_registration_id"), ["registration_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_registration_id_registration"),
            "registration",
            ["registration_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_message_registration_id_registration"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_message_registration_id"))
        batch_op.drop_column("registration_id")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("reminder_days")

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_event_id_status")

    op.drop_table("registration")
