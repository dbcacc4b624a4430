"""Feedback surveys: questions and options, personal links, who answered, and the answers.

Response and answer ids are random (no sequence), so storage order does not tell who
answered first in an anonymous survey.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_survey_event_id_event"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sa.UniqueConstraint("event_id", name=op.f("uq_survey_event_id")),
    )
    op.create_table(
        "survey_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_survey_link_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["survey.id"], name=op.f("fk_survey_link_survey_id_survey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_link")),
        sa.UniqueConstraint("survey_id", "registration_id", name="uq_survey_link_survey_id_registration_id"),
        sa.UniqueConstraint("token", name="uq_survey_link_token"),
    )
    with op.batch_alter_table("survey_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_link_registration_id"), ["registration_id"], unique=False)

    op.create_table(
        "survey_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "rating",
                "single_choice",
                "multiple_choice",
                "yes_no",
                "free_text",
                name="questionkind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("key", sa.String(length=30), nullable=False),
        sa.Column("text_sv", sa.String(length=500), nullable=False),
        sa.Column("text_en", sa.String(length=500), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("low_label_sv", sa.String(length=100), nullable=False),
        sa.Column("low_label_en", sa.String(length=100), nullable=False),
        sa.Column("high_label_sv", sa.String(length=100), nullable=False),
        sa.Column("high_label_en", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["survey.id"], name=op.f("fk_survey_question_survey_id_survey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_question")),
    )
    with op.batch_alter_table("survey_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_question_survey_id"), ["survey_id"], unique=False)

    op.create_table(
        "survey_respondent",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_survey_respondent_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["survey.id"], name=op.f("fk_survey_respondent_survey_id_survey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("survey_id", "registration_id", name=op.f("pk_survey_respondent")),
    )
    with op.batch_alter_table("survey_respondent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_respondent_registration_id"), ["registration_id"], unique=False)

    op.create_table(
        "survey_response",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("edit_key_hash", sa.String(length=64), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_survey_response_registration_id_registration"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["survey.id"], name=op.f("fk_survey_response_survey_id_survey"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
        sa.UniqueConstraint("edit_key_hash", name="uq_survey_response_edit_key_hash"),
        sa.UniqueConstraint("survey_id", "registration_id", name="uq_survey_response_survey_id_registration_id"),
    )
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_response_survey_id"), ["survey_id"], unique=False)

    op.create_table(
        "survey_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text_sv", sa.String(length=200), nullable=False),
        sa.Column("text_en", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_question.id"],
            name=op.f("fk_survey_option_question_id_survey_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_option")),
    )
    with op.batch_alter_table("survey_option", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_option_question_id"), ["question_id"], unique=False)

    op.create_table(
        "survey_answer",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("response_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["survey_option.id"],
            name=op.f("fk_survey_answer_option_id_survey_option"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_question.id"],
            name=op.f("fk_survey_answer_question_id_survey_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
            name=op.f("fk_survey_answer_response_id_survey_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer")),
    )
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answer_option_id"), ["option_id"], unique=False)
        batch_op.create_index("ix_survey_answer_question_id_number", ["question_id", "number"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_answer_response_id"), ["response_id"], unique=False)


def downgrade():
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_answer_response_id"))
        batch_op.drop_index("ix_survey_answer_question_id_number")
        batch_op.drop_index(batch_op.f("ix_survey_answer_option_id"))

    op.drop_table("survey_answer")
    with op.batch_alter_table("survey_option", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_option_question_id"))

    op.drop_table("survey_option")
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_response_survey_id"))

    op.drop_table("survey_response")
    with op.batch_alter_table("survey_respondent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_respondent_registration_id"))

    op.drop_table("survey_respondent")
    with op.batch_alter_table("survey_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_question_survey_id"))

    op.drop_table("survey_question")
    with op.batch_alter_table("survey_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_link_registration_id"))

    op.drop_table("survey_link")
    op.drop_table("survey")
