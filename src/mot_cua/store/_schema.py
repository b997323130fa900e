"""The store's tables (SQLAlchemy 2 Core) and the column types they share.

Four tables, all prefixed ``mot_cua_`` so that they can live in a portal's own database beside
its tables (the Alembic version table is ``mot_cua_alembic_version`` for the same reason):

* ``mot_cua_events``: the append-only log, one row per lifecycle event, primary key
  ``(code, version)``; never updated or deleted.
* ``mot_cua_dossiers``: the current state of each dossier, a projection of its events
  recomputed by the lifecycle in the transaction that appends an event.
* ``mot_cua_findings``: the lifecycle's compliance findings, one row each (indexed by code).
* ``mot_cua_tokens``: API tokens, keeping only the SHA-256 of each secret.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

from mot_cua.errors import brief
from mot_cua.timezone import VN_TZ

__all__ = [
    "DOSSIERS",
    "EVENTS",
    "FINDINGS",
    "METADATA",
    "TOKENS",
    "VERSION_TABLE",
    "Json",
    "UTCDateTime",
]

#: Alembic's version table for the store's migrations (not the portal's own ``alembic_version``).
VERSION_TABLE = "mot_cua_alembic_version"

_UTC = dt.UTC


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """An instant: stored in UTC, read back aware in Asia/Ho_Chi_Minh.

    PostgreSQL keeps it as ``timestamp with time zone``; SQLite as fixed-width ISO text in UTC
    (``YYYY-MM-DD HH:MM:SS.ffffff``), so text comparison is time order and indexes work. A naive
    datetime is refused: the store never guesses a time zone.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Convert an aware instant to UTC (naive UTC for SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {brief(value)} cannot be stored; attach a time zone")
        value = value.astimezone(_UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Read back an aware instant in Asia/Ho_Chi_Minh."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=_UTC)
        return value.astimezone(VN_TZ)


#: JSON, as ``jsonb`` on PostgreSQL (queryable by portals) and text on SQLite.
Json: sa.types.TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")

METADATA = sa.MetaData()

DOSSIERS = sa.Table(
    "mot_cua_dossiers",
    METADATA,
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
    sa.Index("ix_mot_cua_dossiers_status", "status"),
    sa.Index("ix_mot_cua_dossiers_agency", "agency"),
    sa.Index("ix_mot_cua_dossiers_received_at", "received_at"),
)

# Only open dossiers have an overdue instant or an apology date: partial indexes keep just those
# rows (a fifth of a province's table, typically), so the desk's queries read a small index.
for _column in ("overdue_from", "apology_by"):
    sa.Index(
        f"ix_mot_cua_dossiers_{_column}",
        DOSSIERS.c[_column],
        sqlite_where=DOSSIERS.c[_column].is_not(None),
        postgresql_where=DOSSIERS.c[_column].is_not(None),
    )

EVENTS = sa.Table(
    "mot_cua_events",
    METADATA,
    sa.Column(
        "code",
        sa.String(64),
        sa.ForeignKey("mot_cua_dossiers.code", name="fk_mot_cua_events_code"),
        primary_key=True,
    ),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("event", sa.String(32), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("payload", Json, nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(200)),
    sa.UniqueConstraint("code", "idempotency_key", name="uq_mot_cua_events_idempotency"),
)

FINDINGS = sa.Table(
    "mot_cua_findings",
    METADATA,
    sa.Column(
        "code",
        sa.String(64),
        sa.ForeignKey("mot_cua_dossiers.code", name="fk_mot_cua_findings_code"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("finding", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_mot_cua_findings_finding", "finding"),
)

TOKENS = sa.Table(
    "mot_cua_tokens",
    METADATA,
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
