"""Invitations with their history, the address book, import previews, and the
registrations' "keep me informed" agreement.

Revision ID: 0005
Revises: 0007
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
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
            nullable=True,
        ),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "manual", "import", "registration", "invitation", name="contactsource", native_enum=False, length=30
            ),
            nullable=False,
        ),
        sa.Column("consent_note", sa.String(length=500), nullable=False),
        sa.Column("unsubscribe_token", sa.String(length=64), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_contact_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("email", name="uq_contact_email"),
        sa.UniqueConstraint("unsubscribe_token", name="uq_contact_unsubscribe_token"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_region_id"), ["region_id"], unique=False)
        batch_op.create_index("ix_contact_sector", ["sector"], unique=False)

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum("invitations", "contacts", name="importpurpose", native_enum=False, length=30),
            nullable=False,
        ),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_import_batch_created_by_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_import_batch_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_batch_event_id"), ["event_id"], unique=False)

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
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
            nullable=True,
        ),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "sent",
                "opened",
                "registered",
                "declined",
                "bounced",
                "revoked",
                name="invitationstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_invitation_contact_id_contact"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_invitation_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["user.id"], name=op.f("fk_invitation_invited_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_invitation_registration_id_registration"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("event_id", "email", name="uq_invitation_event_id_email"),
        sa.UniqueConstraint("token", name="uq_invitation_token"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index("ix_invitation_event_id_status", ["event_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitation_registration_id"), ["registration_id"], unique=False)

    op.create_table(
        "invitation_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column(
            "step",
            sa.Enum(
                "sent",
                "resent",
                "reminded",
                "opened",
                "registered",
                "declined",
                "bounced",
                "revoked",
                name="invitationstep",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_invitation_history_invitation_id_invitation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_history")),
    )
    with op.batch_alter_table("invitation_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_history_invitation_id"), ["invitation_id"], unique=False)

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keep_informed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("keep_informed_at")

    with op.batch_alter_table("invitation_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_history_invitation_id"))

    op.drop_table("invitation_history")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_registration_id"))
        batch_op.drop_index("ix_invitation_event_id_status")
        batch_op.drop_index(batch_op.f("ix_invitation_contact_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_event_id"))
        batch_op.drop_index(batch_op.f("ix_import_batch_created_by_id"))

    op.drop_table("import_batch")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_sector")
        batch_op.drop_index(batch_op.f("ix_contact_region_id"))

    op.drop_table("contact")
