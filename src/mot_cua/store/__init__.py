"""The dossier store (``mot_cua[store]``): append-only histories in SQLite or PostgreSQL.

Each dossier is an append-only list of lifecycle events (table ``mot_cua_events``, never updated
or deleted) and one current-state row (``mot_cua_dossiers``) that the store recomputes by
replaying the history through :class:`~mot_cua.lifecycle.Lifecycle` in the transaction that
appends the event, so it can never hold a state the lifecycle would refuse. Writers use
optimistic concurrency (``expected_version``) and idempotency keys; queries a desk needs are
indexed; :meth:`Store.verify` replays everything and reports each difference.

SQLAlchemy 2 Core, Alembic migrations shipped in the package, SQLite (WAL mode) by default and
PostgreSQL through psycopg 3. See docs/store.md.

>>> import datetime as dt
>>> from mot_cua import VN_TZ
>>> store = Store("sqlite://"); _ = store.init()
>>> _ = store.create("X-1", time_limit="3 ngày làm việc", agency="ubnd-xa")
>>> store.append("X-1", "receive", at=dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ)).state.status
'received'
>>> store.append("X-1", "start", at=dt.datetime(2025, 3, 3, 10, tzinfo=VN_TZ), expected_version=0)
Traceback (most recent call last):
...
mot_cua.errors.ConcurrencyError: dossier X-1 is at version 1, not 0: another writer appended ...
"""

from __future__ import annotations

from mot_cua.store._models import (
    ROLES,
    AppendResult,
    Difference,
    DossierState,
    Role,
    StoredEvent,
    TokenInfo,
    VerifyReport,
)
from mot_cua.store._records import RECORD_COLUMNS, export_records, to_record
from mot_cua.store._store import EventInput, Store, normalise_url
from mot_cua.store._tokens import Principal

__all__ = [
    "RECORD_COLUMNS",
    "ROLES",
    "AppendResult",
    "Difference",
    "DossierState",
    "EventInput",
    "Principal",
    "Role",
    "Store",
    "StoredEvent",
    "TokenInfo",
    "VerifyReport",
    "export_records",
    "normalise_url",
    "to_record",
]
