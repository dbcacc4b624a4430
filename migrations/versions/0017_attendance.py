"""Badges, check-in by QR code, attendance certificates and private online links (issue 16).

Each registration gets two codes: `checkin_code`, the unguessable code in its badge's QR
code, and `certificate_code`, printed on its certificate for anyone to verify it. Existing
registrations get theirs here. Each event gets `online_url_private` (the online link only
for those registered) and `certificate_with_survey` (the certificate attached to the
survey mail).

Columns are added with ALTER TABLE ... ADD COLUMN, never by batch mode recreating `event`
or `registration`: on SQLite that drops the table, and its foreign keys' ON DELETE CASCADE
would empty every table that points at it. The codes' uniqueness is a unique index, which
SQLite can add without recreating the table.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06

"""

import base64
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def _checkin_code() -> str:
    return secrets.token_urlsafe(32)  # as app.models.tokens.new_token


def _certificate_code() -> str:
    compact = base64.b32encode(secrets.token_bytes(10)).decode()[:12]  # as app.documents.verification
    return "-".join(compact[i : i + 4] for i in range(0, 12, 4))


def upgrade():
    op.add_column("event", sa.Column("online_url_private", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column(
        "event", sa.Column("certificate_with_survey", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("registration", sa.Column("checkin_code", sa.String(length=64), server_default="", nullable=False))
    op.add_column(
        "registration", sa.Column("certificate_code", sa.String(length=14), server_default="", nullable=False)
    )

    connection = op.get_bind()
    registration = sa.table("registration", sa.column("id"), sa.column("checkin_code"), sa.column("certificate_code"))
    ids = connection.execute(sa.select(registration.c.id)).scalars().all()
    for registration_id in ids:
        connection.execute(
            registration.update()
            .where(registration.c.id == registration_id)
            .values(checkin_code=_checkin_code(), certificate_code=_certificate_code())
        )

    op.create_index("ix_registration_checkin_code", "registration", ["checkin_code"], unique=True)
    op.create_index("ix_registration_certificate_code", "registration", ["certificate_code"], unique=True)


def downgrade():
    op.drop_index("ix_registration_certificate_code", table_name="registration")
    op.drop_index("ix_registration_checkin_code", table_name="registration")
    # Dropping a column is ALTER TABLE ... DROP COLUMN on SQLite 3.35+, no table recreated.
    op.drop_column("registration", "certificate_code")
    op.drop_column("registration", "checkin_code")
    op.drop_column("event", "certificate_with_survey")
    op.drop_column("event", "online_url_private")
