"""budget sweeps as jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 01:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sweeps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("options_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stop_requested", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("stage", sa.String(length=255), nullable=True),
        sa.Column("solved", sa.Integer(), nullable=False),
        sa.Column("latest", sa.String(length=255), nullable=True),
        sa.Column("elapsed", sa.Float(), nullable=True),
        sa.Column("error_json", sa.Text(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.Column("json_sha256", sa.String(length=64), nullable=True),
        sa.Column("workbook_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"]),
        sa.ForeignKeyConstraint(["json_sha256"], ["blobs.sha256"]),
        sa.ForeignKeyConstraint(["workbook_sha256"], ["blobs.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sweeps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sweeps_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sweeps_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sweeps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sweeps_status"))
        batch_op.drop_index(batch_op.f("ix_sweeps_plan_id"))
    op.drop_table("sweeps")
