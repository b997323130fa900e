"""The append path at the driver level: pre-rendered SQL per dialect, values converted here.

One event per transaction costs a handful of statements (read the dossier's row, insert the
event, update the state, commit). Through SQLAlchemy Core each statement costs about twice
what SQLite itself does for it (parameter processing, the execution context, result rows), so
the append path talks to the DBAPI connection directly with SQL rendered once per dialect:
``sqlite3`` keeps the prepared statements of a connection (keyed by the SQL text) and psycopg 3
prepares a query on the server after its fifth execution on a connection.

Everything else stays where it was: the store replays the history through the lifecycle in
the same transaction and computes the state with the one projection function. The conversions
below write exactly what SQLAlchemy's column types write (:class:`~mot_cua.store._schema.
UTCDateTime`, JSON, dates), so a row written here reads back the same through SQLAlchemy;
the test suite checks that on both dialects (``tests/test_store_hot.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from mot_cua.errors import InvalidInputError, brief
from mot_cua.store._project import PROJECTED
from mot_cua.store._schema import DOSSIERS, EVENTS, FINDINGS, UTCDateTime
from mot_cua.timezone import VN_TZ

__all__ = ["EVENT_COLUMNS", "Head", "HotPath", "hot_path"]

_UTC = dt.UTC

#: The event row's columns, in the order the hot path binds them.
EVENT_COLUMNS = (
    "code",
    "version",
    "event",
    "at",
    "actor",
    "payload",
    "recorded_at",
    "idempotency_key",
)
_FINDING_COLUMNS = ("code", "position", "finding", "version", "at")
#: The state columns an append updates, in the order the hot path binds them.
_UPDATED = (*PROJECTED, "updated_at")
_HEAD_COLUMNS = (
    "procedure_id",
    "channel",
    "field",
    "receiving_unit",
    "deciding_unit",
    "created_at",
    "version",
    "agency",
    "time_limit",
)


@dataclass(frozen=True, slots=True)
class Head:
    """What an append reads from the dossier's row (under its write lock).

    ``time_limit`` is the stored JSON (text on SQLite, decoded on PostgreSQL);
    ``findings`` is how many findings the row holds.
    """

    code: str
    procedure_id: str | None
    channel: str | None
    field: str | None
    receiving_unit: str | None
    deciding_unit: str | None
    created_at: dt.datetime
    version: int
    agency: str | None
    time_limit: Any
    findings: int


def _naive_refused(value: dt.datetime) -> InvalidInputError:
    return InvalidInputError(
        f"naive datetime {brief(value)} cannot be stored: the store's clock must return aware "
        "instants, e.g. Store(url, clock=lambda: datetime.now(VN_TZ))",
        field="clock",
    )


# Instants recur from one append to the next (a dossier's receipt, its due moment, the commit
# time written twice): their text is kept. Equal instants in other zones are equal keys with the
# same UTC text.
_TIME_TEXT: dict[dt.datetime, str] = {}


def _sqlite_time(value: dt.datetime | None) -> str | None:
    """What :class:`UTCDateTime` and SQLite's ``DATETIME`` write: UTC, fixed-width ISO text."""
    if value is None:
        return None
    if value.utcoffset() is None:
        raise _naive_refused(value)
    text = _TIME_TEXT.get(value)
    if text is None:
        text = value.astimezone(_UTC).isoformat(" ", "microseconds")[:26]
        if len(_TIME_TEXT) >= 20_000:
            _TIME_TEXT.clear()
        _TIME_TEXT[value] = text
    return text


def _pg_time(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.utcoffset() is None:
        raise _naive_refused(value)
    return value.astimezone(_UTC)


def _sqlite_read_time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=_UTC).astimezone(VN_TZ)


def _pg_read_time(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # pragma: no cover - timestamptz is always read back aware
        value = value.replace(tzinfo=_UTC)
    return value.astimezone(VN_TZ)


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _same(value: Any) -> Any:
    return value


def _sqlite_json(value: Any) -> str:
    """SQLAlchemy's JSON type writes ``json.dumps(value)``; most lists here are empty."""
    return "[]" if value == [] else json.dumps(value)


def _binders(dialect: str) -> tuple[Callable[[Any], Any], ...]:
    """One converter per updated column, chosen from the column's declared type."""
    if dialect == "sqlite":
        time: Callable[[Any], Any] = _sqlite_time
        date: Callable[[Any], Any] = _sqlite_date
        as_json: Callable[[Any], Any] = _sqlite_json
    else:
        from psycopg.types.json import Jsonb

        time, date, as_json = _pg_time, _same, Jsonb
    out: list[Callable[[Any], Any]] = []
    for name in _UPDATED:
        kind = DOSSIERS.c[name].type
        if isinstance(kind, UTCDateTime):
            out.append(time)
        elif isinstance(kind, sa.JSON):
            out.append(as_json)
        elif isinstance(kind, sa.Date):
            out.append(date)
        else:
            out.append(_same)
    return tuple(out)


class HotPath:
    """Driver-level statements of the append path for one dialect (``sqlite``/``postgresql``).

    Args:
        dialect: the SQLAlchemy dialect name.
    """

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        pg = dialect == "postgresql"
        mark = "%s" if pg else "?"
        self._mark = mark
        self._binds = _binders(dialect)
        self._time: Callable[[Any], Any] = _pg_time if pg else _sqlite_time
        self._read_time: Callable[[Any], Any] = _pg_read_time if pg else _sqlite_read_time
        if pg:
            from psycopg.types.json import Jsonb

            self._json: Callable[[Any], Any] = Jsonb
            self._read_json: Callable[[Any], Any] = _same  # psycopg decodes jsonb itself
        else:
            self._json, self._read_json = json.dumps, json.loads
        length = "jsonb_array_length" if pg else "json_array_length"
        self.head_sql = (
            f"SELECT {', '.join(_HEAD_COLUMNS)}, {length}(findings) FROM {DOSSIERS.name} "
            f"WHERE code = {mark}" + (" FOR UPDATE" if pg else "")
        )
        marks = ", ".join([mark] * len(EVENT_COLUMNS))
        self.insert_event_sql = (
            f"INSERT INTO {EVENTS.name} ({', '.join(EVENT_COLUMNS)}) VALUES ({marks})"
        )
        sets = ", ".join(f"{name} = {mark}" for name in _UPDATED)
        self.update_sql = (
            f"UPDATE {DOSSIERS.name} SET {sets} WHERE code = {mark} AND version = {mark}"
        )
        # PostgreSQL: one round trip for one event, the event inserted by a CTE of the update.
        self.update_with_event_sql = (
            f"WITH new_event AS ({self.insert_event_sql}) {self.update_sql}"
        )
        self.insert_finding_sql = (
            f"INSERT INTO {FINDINGS.name} ({', '.join(_FINDING_COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(_FINDING_COLUMNS))})"
        )
        self.history_sql = (
            f"SELECT event, at, actor, payload FROM {EVENTS.name} "
            f"WHERE code = {mark} ORDER BY version"
        )

    # -- transactions ----------------------------------------------------------------------

    def begin(self, driver: Any) -> None:
        """Start a write transaction (SQLite: take the write lock now; psycopg starts one at
        the first statement)."""
        if self.dialect == "sqlite":
            driver.execute("BEGIN IMMEDIATE")

    # -- reads -----------------------------------------------------------------------------

    def head(self, driver: Any, code: str) -> Head | None:
        """The dossier's row (PostgreSQL: locked ``FOR UPDATE``), or ``None``."""
        row = driver.execute(self.head_sql, (code,)).fetchone()
        if row is None:
            return None
        p, c, f, r, d, created, version, agency, limit, findings = row
        return Head(code, p, c, f, r, d, self._read_time(created), version, agency, limit, findings)

    def keys_used(self, driver: Any, code: str, keys: Sequence[str]) -> bool:
        """Whether any of these idempotency keys is stored for the dossier already."""
        marks = ", ".join([self._mark] * len(keys))
        sql = (
            f"SELECT 1 FROM {EVENTS.name} "
            f"WHERE code = {self._mark} AND idempotency_key IN ({marks}) LIMIT 1"
        )
        return driver.execute(sql, (code, *keys)).fetchone() is not None

    def history(self, driver: Any, code: str) -> list[dict[str, Any]]:
        """The dossier's stored events as replay items (``{"event", "at", "actor", **payload}``)."""
        read_time, read_json = self._read_time, self._read_json
        return [
            {"event": event, "at": read_time(at), "actor": actor, **read_json(payload)}
            for event, at, actor, payload in driver.execute(self.history_sql, (code,))
        ]

    # -- writes ----------------------------------------------------------------------------

    def _event_params(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        time = self._time
        return (
            row["code"],
            row["version"],
            row["event"],
            time(row["at"]),
            row["actor"],
            self._json(row["payload"]),
            time(row["recorded_at"]),
            row["idempotency_key"],
        )

    def write(
        self,
        driver: Any,
        code: str,
        old_version: int,
        events: Sequence[Mapping[str, Any]],
        values: Mapping[str, Any],
    ) -> int:
        """Insert the event rows and update the state row (``values``: every updated column);
        returns how many state rows were updated (1 unless the version moved)."""
        update = [bind(values[name]) for bind, name in zip(self._binds, _UPDATED, strict=True)]
        update += (code, old_version)
        if self.dialect == "postgresql" and len(events) == 1:
            cur = driver.execute(
                self.update_with_event_sql, [*self._event_params(events[0]), *update]
            )
        else:
            params = [self._event_params(e) for e in events]
            if len(params) == 1:
                driver.execute(self.insert_event_sql, params[0])
            else:
                driver.cursor().executemany(self.insert_event_sql, params)
            cur = driver.execute(self.update_sql, update)
        return int(cur.rowcount)

    def insert_findings(self, driver: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Index new findings (``code``, ``position``, ``finding``, ``version``, ``at``)."""
        params = [
            (r["code"], r["position"], r["finding"], r["version"], self._time(r["at"]))
            for r in rows
        ]
        driver.cursor().executemany(self.insert_finding_sql, params)


def hot_path(dialect: str, driver: str) -> HotPath | None:
    """The hot path for a dialect and driver (``sqlite``/``pysqlite``,
    ``postgresql``/``psycopg``), or ``None`` where the store uses SQLAlchemy throughout."""
    if (dialect, driver) in (("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        return HotPath(dialect)
    return None
