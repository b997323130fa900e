"""The initial store schema: events, current state, findings, tokens.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from mot_cua.store._schema import Json, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "mot_cua_dossiers",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("procedure_id", sa.String(128)),
        sa.Column("time_limit", Json, nullable=False),
        sa.Column("channel", sa.String(16)),
        sa.Column("field", sa.String(200)),
        sa.Column("receiving_unit", sa.String(128)),
        sa.Column("deciding_unit", sa.String(128)),
        sa.Column("agency", sa.String(128)),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("regime", sa.String(32)),
        sa.Column("received_at", UTCDateTime),
        sa.Column("due_at", UTCDateTime),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("paused_since", UTCDateTime),
        sa.Column("pauses", Json, nullable=False),
        sa.Column("supplement_rounds", Json, nullable=False),
        sa.Column("extensions", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16)),
        sa.Column("timeliness", sa.String(16)),
        sa.Column("finished_at", UTCDateTime),
        sa.Column("resolved_at", UTCDateTime),
        sa.Column("returned_at", UTCDateTime),
        sa.Column("stopped_at", UTCDateTime),
        sa.Column("withdrawn_at", UTCDateTime),
        sa.Column("findings", Json, nullable=False),
        sa.Column("overdue_from", UTCDateTime),
        sa.Column("apology_by", sa.Date),
        sa.Column("created_key", sa.String(200)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    for column in ("status", "agency", "received_at"):
        op.create_index(f"ix_mot_cua_dossiers_{column}", "mot_cua_dossiers", [column])
    for column in ("overdue_from", "apology_by"):  # partial: only open dossiers have them
        op.create_index(
            f"ix_mot_cua_dossiers_{column}",
            "mot_cua_dossiers",
            [column],
            sqlite_where=sa.text(f"{column} IS NOT NULL"),
            postgresql_where=sa.text(f"{column} IS NOT NULL"),
        )
    op.create_table(
        "mot_cua_events",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Column("idempotency_key", sa.String(200)),
        sa.ForeignKeyConstraint(["code"], ["mot_cua_dossiers.code"], name="fk_mot_cua_events_code"),
        sa.UniqueConstraint("code", "idempotency_key", name="uq_mot_cua_events_idempotency"),
    )
    op.create_table(
        "mot_cua_findings",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("finding", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(
            ["code"], ["mot_cua_dossiers.code"], name="fk_mot_cua_findings_code"
        ),
    )
    op.create_index("ix_mot_cua_findings_finding", "mot_cua_findings", ["finding"])
    op.create_table(
        "mot_cua_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(128)),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
        sa.UniqueConstraint("name", name="uq_mot_cua_tokens_name"),
        sa.UniqueConstraint("secret_sha256", name="uq_mot_cua_tokens_secret"),
    )


def downgrade() -> None:
    """Drop the four tables (the events are lost: back them up first)."""
    for table in ("mot_cua_tokens", "mot_cua_findings", "mot_cua_events", "mot_cua_dossiers"):
        op.drop_table(table)
