"""The first review store: users, rounds, submissions, decisions, audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
        sa.Column("uploaded_by", sa.String(100)),
        sa.Column("body", sa.String(200), index=True),
        sa.Column("level", sa.String(40)),
        sa.Column("year", sa.Integer),
        sa.Column("title", sa.String(300)),
        sa.Column("score", sa.Float),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("problems", sa.Integer, nullable=False),
        sa.Column("result_json", sa.Text, nullable=False),
        sa.Column("report_html", sa.LargeBinary),
        sa.Column("fingerprints", sa.JSON, nullable=False),
        sa.Column("problem_rules", sa.JSON, nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("rules_version", sa.String(80), nullable=False),
        sa.Column("audited_at", WHEN, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_at", WHEN, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.UniqueConstraint("submission_id", "fingerprint"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", WHEN, nullable=False, index=True),
        sa.Column("user", sa.String(100)),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(300), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_log", "decisions", "submissions", "rounds", "users"):
        op.drop_table(table)
