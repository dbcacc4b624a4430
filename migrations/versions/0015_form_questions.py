"""An event's own registration questions, their choices and the answers.

The fixed dietary and accessibility fields are not migrated here: existing events go on
asking them as fields (and their answers stay where they are) until an organiser turns a
field into a question from the event's questions page, which copies every registration's
answer into that question in the same transaction. Nothing is moved behind anyone's back,
and an event that never switches keeps working exactly as before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    # op.add_column/op.drop_column, not batch mode: on SQLite a batch copies the table, and
    # dropping the old copy (foreign keys on) deletes every row that refers to it.
    op.add_column("event", sa.Column("has_form_questions", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "form_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "short_text",
                "long_text",
                "single_choice",
                "multiple_choice",
                "yes_no",
                "number",
                "date",
                name="formquestionkind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("text_sv", sa.String(length=300), nullable=False),
        sa.Column("text_en", sa.String(length=300), nullable=False),
        sa.Column("help_sv", sa.String(length=500), nullable=False),
        sa.Column("help_en", sa.String(length=500), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("template_key", sa.String(length=40), nullable=False),
        sa.Column("shown_if_option_id", sa.Integer(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_form_question_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_question")),
    )
    with op.batch_alter_table("form_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_question_event_id"), ["event_id"], unique=False)

    op.create_table(
        "form_question_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text_sv", sa.String(length=200), nullable=False),
        sa.Column("text_en", sa.String(length=200), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["form_question.id"],
            name=op.f("fk_form_question_option_question_id_form_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_question_option")),
    )
    with op.batch_alter_table("form_question_option", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_question_option_question_id"), ["question_id"], unique=False)

    op.create_table(
        "form_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["form_question_option.id"],
            name=op.f("fk_form_answer_option_id_form_question_option"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["form_question.id"],
            name=op.f("fk_form_answer_question_id_form_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_form_answer_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_answer")),
    )
    with op.batch_alter_table("form_answer", schema=None) as batch_op:
        batch_op.create_index("ix_form_answer_question_id_option_id", ["question_id", "option_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_answer_registration_id"), ["registration_id"], unique=False)


def downgrade():
    with op.batch_alter_table("form_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_answer_registration_id"))
        batch_op.drop_index("ix_form_answer_question_id_option_id")

    op.drop_table("form_answer")
    with op.batch_alter_table("form_question_option", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_question_option_question_id"))

    op.drop_table("form_question_option")
    with op.batch_alter_table("form_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_question_event_id"))

    op.drop_table("form_question")
    op.drop_column("event", "has_form_questions")
