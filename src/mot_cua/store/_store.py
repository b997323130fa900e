"""The :class:`Store`: append-only histories and their current state in one database."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine, Row

from mot_cua.calendar import WorkingCalendar
from mot_cua.deadlines import DeadlinePolicy
from mot_cua.errors import (
    AccessDeniedError,
    ConcurrencyError,
    InvalidInputError,
    MotCuaError,
    StoreError,
    UnknownDossierError,
    brief,
)
from mot_cua.lifecycle import TRANSITIONS
from mot_cua.limits import TimeLimit
from mot_cua.store._hot import Head, HotPath, hot_path
from mot_cua.store._lock import WriterLock
from mot_cua.store._models import (
    ROLES,
    AppendResult,
    Difference,
    DossierState,
    Role,
    StoredEvent,
    TokenInfo,
    VerifyReport,
    trusted,
)
from mot_cua.store._project import PROJECTED, Meta, project, replay
from mot_cua.store._schema import DOSSIERS, EVENTS, FINDINGS, TOKENS, VERSION_TABLE
from mot_cua.store._tokens import Principal, hash_secret, new_secret
from mot_cua.timezone import VN_TZ, ensure_aware

__all__ = ["EventInput", "Store", "normalise_url"]

_SCHEMA_HEAD = "0001"
_STATES = tuple(TRANSITIONS)
_FILTERS = frozenset(
    {
        "status",
        "agency",
        "received_from",
        "received_to",
        "overdue_at",
        "due_within",
        "at",
        "finding",
        "visible_to",
    }
)
_HISTORY_CACHE = 10_000
#: Connections a forked child inherited from its parent's writer (kept, never touched).
_FORKED: list[Any] = []
_STATE_COLUMNS = [c for c in DOSSIERS.c if c.name not in ("time_limit", "created_key")]

# Statements built once: SQLAlchemy then reuses their compiled form (building a statement and
# its cache key costs more than SQLite's own work for one append).
_SELECT_ROW = sa.select(*DOSSIERS.c).where(DOSSIERS.c.code == sa.bindparam("p_code"))
# What an append reads: the fixed columns, the version, the scope and the findings so far.
_FIXED = ("code", "procedure_id", "channel", "field", "receiving_unit", "deciding_unit")
_SELECT_FOR_APPEND = sa.select(
    *(DOSSIERS.c[n] for n in (*_FIXED, "created_at", "version", "agency", "time_limit")),
    DOSSIERS.c.findings,
).where(DOSSIERS.c.code == sa.bindparam("p_code"))
_SELECT_FOR_APPEND_LOCKED = _SELECT_FOR_APPEND.with_for_update()
_SELECT_EVENTS = (
    sa.select(EVENTS).where(EVENTS.c.code == sa.bindparam("p_code")).order_by(EVENTS.c.version)
)
_INSERT_EVENTS = EVENTS.insert()
_INSERT_FINDINGS = FINDINGS.insert()
_UPDATE_STATE = (
    DOSSIERS.update()
    .where(DOSSIERS.c.code == sa.bindparam("p_code"), DOSSIERS.c.version == sa.bindparam("p_old"))
    .values({name: sa.bindparam(name) for name in (*PROJECTED, "updated_at")})
)
_UPDATE_WITH_EVENT = _UPDATE_STATE.add_cte(
    EVENTS.insert()
    .values({c.name: sa.bindparam(f"e_{c.name}", type_=c.type) for c in EVENTS.c})
    .cte("new_event")
)


@dataclass(frozen=True)
class EventInput:
    """One event to append: name, instant, actor, payload and an optional idempotency key.

    Args:
        event: the lifecycle event name (``receive``, ``start``, ...).
        at: when it happened (aware); ``None``: the store's clock at the time of appending.
        actor: who did it.
        payload: the lifecycle payload (``reason``, ``missing``, ``outcome``, ...).
        idempotency_key: a key unique per dossier; an event retried with the same key is not
            applied twice.
    """

    event: str
    at: dt.datetime | None = None
    actor: str = "system"
    payload: Mapping[str, Any] | None = None
    idempotency_key: str | None = None


def normalise_url(url: str) -> str:
    """A SQLAlchemy URL from what a user types: a path means SQLite, PostgreSQL uses psycopg 3.

    >>> normalise_url("dossiers.db")
    'sqlite:///dossiers.db'
    >>> normalise_url("postgresql://u@localhost/mc")
    'postgresql+psycopg://u@localhost/mc'
    """
    text = url.strip()
    if not text:
        raise InvalidInputError(
            "the store URL is empty; give a file path (SQLite) or postgresql://user@host/db",
            field="url",
        )
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise InvalidInputError(
            f"the store URL {brief(text, 60)} contains a control character; give a file path "
            "(SQLite) or postgresql://user@host/db",
            field="url",
        )
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" not in text:
        return "sqlite:///" + text
    return text


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def _sqlite_setup(engine: Engine, synchronous: str) -> None:
    @sa_event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA synchronous = {synchronous}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa_event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the write lock at BEGIN, so two writers never deadlock upgrading a
        # read lock; readers start a plain deferred transaction (WAL: they never block).
        write = conn.get_execution_options().get("mot_cua_write", False)
        # Straight to the driver: SQLAlchemy's execution path would cost more than the BEGIN.
        driver: Any = conn.connection.driver_connection
        driver.execute("BEGIN IMMEDIATE" if write else "BEGIN")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(VN_TZ)


def _positive(value: int | None, name: str) -> None:
    if value is not None and (not isinstance(value, int) or value < 1):
        raise InvalidInputError(
            f"{name} must be a whole number ≥ 1, not {brief(value)}", field=name
        )


def _text_arg(value: str | None, name: str, *, max_len: int = 128) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise InvalidInputError(
            f"{name} must be non-empty text of at most {max_len} characters, not {brief(value)}",
            field=name,
        )
    return value.strip()


class Store:
    """Dossier histories in SQLite or PostgreSQL: an append-only event log and a current-state
    table kept equal to the log's replay by the lifecycle.

    Args:
        url: a SQLAlchemy URL (``sqlite:///path.db``, ``postgresql+psycopg://...``), a file path
            (SQLite), or ``postgresql://...`` (read as psycopg 3).
        calendar: the working calendar (default :meth:`WorkingCalendar.vietnam` without
            per-call provisional warnings; ``DossierState.provisional`` says when a due date
            depends on an unpublished year).
        policy: the deadline policy every dossier is counted with.
        clock: "now" (aware) for events appended without ``at``.
        pool_size: connections kept open.
        sqlite_synchronous: SQLite's ``synchronous`` setting. ``NORMAL`` (default, WAL mode):
            a committed event survives the crash of any process; the last transactions before a
            power loss or an operating-system crash may be rolled back. ``FULL``: they survive
            that too, at the cost of one disk flush per commit.
        pg_synchronous_commit: PostgreSQL's ``synchronous_commit`` for the store's sessions.
            ``on`` (default): an acknowledged event is on disk. ``off``: the commit returns
            before the server flushes its log, so a server crash may lose the last acknowledged
            transactions (never part of one: an event and its state stay together); several
            times the throughput where disk flushes are slow.

    Raises:
        InvalidInputError: an empty URL.
        StoreError: the database cannot be reached or the URL is not understood.

    >>> store = Store("sqlite://")   # an in-memory database, for examples
    >>> store.init()
    '0001'
    >>> _ = store.create("H29-250303-0001", time_limit="10 ngày làm việc", agency="so-tp")
    >>> from mot_cua import VN_TZ
    >>> r = store.append("H29-250303-0001", "receive", expected_version=0,
    ...                  at=dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN_TZ))
    >>> r.state.version, r.state.status, r.state.due_at.isoformat()
    (1, 'received', '2025-03-17T17:00:00+07:00')
    >>> store.verify().ok
    True
    """

    def __init__(
        self,
        url: str,
        *,
        calendar: WorkingCalendar | None = None,
        policy: DeadlinePolicy | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        pool_size: int = 8,
        sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL",
        pg_synchronous_commit: Literal["on", "off"] = "on",
    ) -> None:
        if pg_synchronous_commit not in ("on", "off"):
            raise InvalidInputError(
                f"pg_synchronous_commit must be 'on' or 'off', not {brief(pg_synchronous_commit)}",
                field="pg_synchronous_commit",
            )
        if sqlite_synchronous not in ("NORMAL", "FULL"):
            raise InvalidInputError(
                f"sqlite_synchronous must be 'NORMAL' or 'FULL', not {brief(sqlite_synchronous)}",
                field="sqlite_synchronous",
            )
        self.url = normalise_url(url)
        self._calendar = calendar or WorkingCalendar.vietnam(on_provisional="ignore")
        self._policy = policy or DeadlinePolicy()
        self._clock = clock or _utcnow
        self._writer_lock: Any = contextlib.nullcontext()
        try:
            if self.url.startswith("sqlite"):
                memory = self.url in ("sqlite://", "sqlite:///:memory:")
                self.engine = sa.create_engine(
                    self.url,
                    poolclass=sa.pool.StaticPool if memory else sa.pool.QueuePool,
                    connect_args={"check_same_thread": False, "timeout": 60},
                    **({} if memory else {"pool_size": pool_size, "max_overflow": 2 * pool_size}),
                )
                _sqlite_setup(self.engine, sqlite_synchronous)
                # Writers take turns before SQLite's write lock, which would make them poll
                # with growing sleeps: threads on a lock, processes on a file lock (_lock.py).
                database = self.engine.url.database
                uri = str(self.engine.url.query.get("uri", "")).lower() == "true"
                self._writer_lock = WriterLock(None if memory or uri else database)
            else:
                self.engine = sa.create_engine(
                    self.url,
                    pool_size=pool_size,
                    max_overflow=2 * pool_size,
                    # No pre-ping (one more round trip per transaction): a connection the
                    # server dropped fails once with a StoreError and the pool replaces it.
                    pool_recycle=3600,
                    connect_args={"options": f"-c synchronous_commit={pg_synchronous_commit}"}
                    if self.url.startswith("postgresql")
                    else {},
                )
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
            raise StoreError(
                f"cannot use the store URL {_redact(self.url)}: {exc}; use sqlite:///path.db or "
                "postgresql://user@host/db",
                url=_redact(self.url),
            ) from exc
        # Histories are append-only, so the events 1..v of a dossier at version v never change:
        # a writer that finds the version it cached skips reloading them.
        self._histories: OrderedDict[str, tuple[int, tuple[dict[str, Any], ...]]] = OrderedDict()
        self._histories_lock = threading.Lock()
        # The append path at the driver level (``_hot.py``); ``None``: SQLAlchemy Core only.
        self._hot: HotPath | None = hot_path(self.engine.dialect.name, self.engine.dialect.driver)
        # SQLite: the connection of the hot path, kept between appends (see ``_raw_write``).
        self._hold = self.dialect == "sqlite"
        self._held: tuple[Any, int] | None = None

    # -- lifecycle of the store -------------------------------------------------------------

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return str(self.engine.dialect.name)

    def close(self) -> None:
        """Close every pooled connection."""
        with self._writer_lock:
            held, self._held = self._held, None
        if held is not None and held[1] == os.getpid():
            held[0].close()
        elif held is not None:
            _FORKED.append(held[0])
        if isinstance(self._writer_lock, WriterLock):
            self._writer_lock.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def init(self) -> str:
        """Create or upgrade the tables with the shipped Alembic migrations; returns the revision.

        Raises:
            StoreError: the database refused (unreachable, no permission, ...).
        """
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", "mot_cua.store:migrations")
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except sa.exc.SQLAlchemyError as exc:
            raise self._db_error("init", exc) from exc
        return self.revision() or _SCHEMA_HEAD

    def revision(self) -> str | None:
        """The schema revision in the database (``None``: not initialised)."""
        try:
            with self.engine.connect() as conn:
                if not sa.inspect(conn).has_table(VERSION_TABLE):
                    return None
                value = conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        except sa.exc.SQLAlchemyError as exc:
            raise self._db_error("read the schema revision", exc) from exc
        return None if value is None else str(value)

    def check(self) -> None:
        """Raise unless the database holds the current schema.

        Raises:
            StoreError: not initialised or at another revision (run ``mot-cua store init``).
        """
        rev = self.revision()
        if rev != _SCHEMA_HEAD:
            state = "is not initialised" if rev is None else f"is at schema revision {rev}"
            raise StoreError(
                f"the store {_redact(self.url)} {state}; run: mot-cua store init "
                f"{_redact(self.url)}",
                url=_redact(self.url),
                revision=rev,
            )

    def _db_error(self, what: str, exc: Exception) -> StoreError:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        hint = ""
        if "no such table" in reason or "does not exist" in reason:
            hint = f"; is the store initialised? run: mot-cua store init {_redact(self.url)}"
        return StoreError(
            f"store {_redact(self.url)}: cannot {what}: {reason}{hint}",
            url=_redact(self.url),
        )

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._writer_lock, self.engine.connect() as conn:
                conn.execution_options(mot_cua_write=True)
                with conn.begin():
                    yield conn
        except sa.exc.IntegrityError as exc:
            raise ConcurrencyError(
                f"another writer changed the same dossier first ({str(exc.orig).splitlines()[0]});"
                " reload it and retry",
            ) from exc
        except sa.exc.SQLAlchemyError as exc:
            raise self._db_error("write", exc) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise self._db_error("read", exc) from exc

    # -- dossiers ------------------------------------------------------------------------------

    def _meta(self, code: str, time_limit: Any, agency: str | None) -> Meta:
        limit = time_limit if isinstance(time_limit, TimeLimit) else _limit(time_limit)[0]
        return Meta(code, limit, agency, self._calendar, self._policy)

    def _resolve_procedure(
        self, procedure_id: str, channel: str | None
    ) -> tuple[TimeLimit, str | None, str | None]:
        from mot_cua.catalog import Catalog

        procedure = Catalog.default().get(procedure_id)
        limit = procedure.limit_for(channel or procedure.channels[0])
        if limit is None:
            raise InvalidInputError(
                f"procedure {brief(procedure_id)} has no sourced time limit in the catalogue; pass "
                "time_limit='...'",
                field="time_limit",
            )
        return limit, procedure.field, procedure.lead_agency

    def create(
        self,
        code: str,
        *,
        time_limit: TimeLimit | str | None = None,
        procedure_id: str | None = None,
        channel: str | None = None,
        field: str | None = None,
        receiving_unit: str | None = None,
        agency: str | None = None,
        events: Sequence[EventInput | Mapping[str, Any]] = (),
        idempotency_key: str | None = None,
        principal: Principal | None = None,
    ) -> AppendResult:
        """Create a dossier (version 0, state ``new``) and append its first events atomically.

        Args:
            code: the dossier code (unique in the store).
            time_limit: the procedure's limit; default: the catalogue's for ``procedure_id``.
            procedure_id: the procedure (``Catalog.default()`` id) it belongs to.
            channel: ``in_person``, ``online`` or ``postal``.
            field: the procedure's field (MaLinhVuc); default: the catalogue's.
            receiving_unit: the unit that received it.
            agency: the agency that handles it (``transfer`` changes it); default: the
                receiving unit, else the procedure's lead agency.
            events: first events, e.g. ``[EventInput("receive", at=...)]``.
            idempotency_key: a retried creation with the same key returns the stored dossier.
            principal: who creates it (checked against its scope; actors of the events).

        Returns:
            The new state and its events.

        Raises:
            ConcurrencyError: a dossier with this code exists (created with another key).
            InvalidInputError: no time limit, an unknown channel, bad text.
            UnknownProcedureError: ``procedure_id`` is not in the catalogue.
            TransitionRejected, BusinessRuleError: a first event the lifecycle refuses.
            AccessDeniedError: ``principal`` may not create it.
        """
        code = _text_arg(code, "code", max_len=64) or ""
        if channel is not None and channel not in ("in_person", "online", "postal"):
            raise InvalidInputError(
                f"channel {brief(channel)} is unknown; use in_person, online or postal",
                field="channel",
            )
        limit, field, lead = self._creation_limit(code, time_limit, procedure_id, channel, field)
        receiving_unit = _text_arg(receiving_unit, "receiving_unit")
        agency = _text_arg(agency, "agency") or receiving_unit or lead
        if principal is not None:
            principal.check_create(agency=agency, receiving_unit=receiving_unit)
        row = self._new_row(
            code,
            limit,
            agency,
            procedure_id=procedure_id,
            channel=channel,
            field=field,
            receiving_unit=receiving_unit,
            idempotency_key=idempotency_key,
        )
        items = [self._input(e, principal) for e in events]
        with self._write() as conn:
            duplicate = self._insert_new(conn, row, idempotency_key)
            if duplicate is not None:
                return duplicate
            if not items:
                return AppendResult(self._state(conn, code), ())
            result = self._append_in(conn, code, items, expected_version=0)
        self._remember(code, result)  # committed: only now may the cache hold this history
        return result

    def _creation_limit(
        self,
        code: str,
        time_limit: TimeLimit | str | None,
        procedure_id: str | None,
        channel: str | None,
        field: str | None,
    ) -> tuple[TimeLimit, str | None, str | None]:
        """A new dossier's limit, field and the procedure's lead agency (``None`` when the limit
        is given): ``time_limit``, else the catalogue's for ``procedure_id`` and ``channel``."""
        if time_limit is not None:
            limit = time_limit if isinstance(time_limit, TimeLimit) else TimeLimit.parse(time_limit)
            return limit, field, None
        if procedure_id is None:
            raise InvalidInputError(
                f"dossier {code}: give time_limit='10 ngày làm việc' or a procedure_id from "
                "the catalogue",
                field="time_limit",
            )
        limit, proc_field, lead = self._resolve_procedure(procedure_id, channel)
        return limit, field or proc_field, lead

    def _new_row(
        self,
        code: str,
        limit: TimeLimit,
        agency: str | None,
        *,
        procedure_id: str | None,
        channel: str | None,
        field: str | None,
        receiving_unit: str | None,
        idempotency_key: str | None,
    ) -> dict[str, Any]:
        """The ``dossiers`` row of a new dossier: version 0, state ``new``, stamped now."""
        now = self._clock()
        meta = self._meta(code, limit, agency)
        return {
            "code": code,
            "procedure_id": procedure_id,
            "time_limit": limit.model_dump(mode="json"),
            "channel": channel,
            "field": field,
            "receiving_unit": receiving_unit,
            "deciding_unit": agency,
            "created_key": idempotency_key,
            "created_at": now,
            "updated_at": now,
            **project(meta, replay(meta, [])),
        }

    def _insert_new(
        self, conn: Connection, row: dict[str, Any], idempotency_key: str | None
    ) -> AppendResult | None:
        """Insert a new dossier's row; a retried creation (same key) gets the stored dossier.

        Raises:
            ConcurrencyError: a dossier with this code exists (created with another key).
        """
        code = row["code"]
        existing = conn.execute(
            sa.select(DOSSIERS.c.version, DOSSIERS.c.created_key).where(DOSSIERS.c.code == code)
        ).first()
        if existing is not None:
            if idempotency_key is not None and existing.created_key == idempotency_key:
                state = self._state(conn, code)
                return AppendResult(state, tuple(self._events(conn, code)), duplicate=True)
            raise ConcurrencyError(
                f"dossier {code} already exists (version {existing.version}); append events "
                "to it, or choose another code",
                dossier=code,
                expected_version=None,
                current_version=existing.version,
            )
        conn.execute(DOSSIERS.insert(), row)
        return None

    def _input(
        self, item: EventInput | Mapping[str, Any], principal: Principal | None
    ) -> EventInput:
        if isinstance(item, Mapping):
            data = dict(item)
            if "event" not in data:
                raise InvalidInputError(
                    'an event needs an "event" name, e.g. {"event": "receive"}', field="event"
                )
            name = data.pop("event")
            at = data.pop("at", None)
            actor = data.pop("actor", "system")
            key = data.pop("idempotency_key", None)
            payload = data.pop("payload", None) or {}
            item = EventInput(str(name), at, str(actor), {**payload, **data}, key)
        if item.at is not None and isinstance(item.at, str):
            try:
                parsed = dt.datetime.fromisoformat(item.at)
            except ValueError:
                raise InvalidInputError(
                    f"at={brief(item.at)} is not an ISO 8601 instant; write e.g. "
                    "2025-03-03T09:00+07:00",
                    field="at",
                ) from None
            item = EventInput(item.event, parsed, item.actor, item.payload, item.idempotency_key)
        at = ensure_aware(item.at, name="at") if item.at is not None else None
        actor = principal.name if principal is not None else item.actor
        key = _text_arg(item.idempotency_key, "idempotency_key", max_len=200)
        return EventInput(item.event, at, actor, dict(item.payload or {}), key)

    def append(
        self,
        code: str,
        event: str,
        *,
        at: dt.datetime | None = None,
        actor: str = "system",
        expected_version: int | None = None,
        idempotency_key: str | None = None,
        principal: Principal | None = None,
        **payload: Any,
    ) -> AppendResult:
        """Append one event, validated by the lifecycle, and update the current state.

        Args:
            code: the dossier.
            event: the lifecycle event (``receive``, ``start``, ``request_supplement``, ...).
            at: when it happened (aware); default: the store's clock.
            actor: who did it (replaced by ``principal.name`` when a principal is given).
            expected_version: the version the writer saw; a different current version raises
                :class:`~mot_cua.errors.ConcurrencyError`. ``None``: append to whatever the
                current version is (the lifecycle still checks the event against it).
            idempotency_key: retried with the same key, the event is not applied twice.
            principal: the authenticated caller (checked against the dossier's scope).
            **payload: the lifecycle payload (``reason``, ``missing``, ``outcome``, ...).

        Returns:
            The new state and the stored event (``duplicate=True`` for a retried key).

        Raises:
            ConcurrencyError: ``expected_version`` is not the current version.
            UnknownDossierError: no such dossier.
            TransitionRejected: the lifecycle does not allow the event in the current state.
            BusinessRuleError: the event lacks what the law requires.
            InvalidInputError: an unusable payload or idempotency key reused for another event.
            AccessDeniedError: ``principal`` may not write to this dossier.
        """
        item = EventInput(event, at, actor, payload, idempotency_key)
        return self.append_many(
            code, [item], expected_version=expected_version, principal=principal
        )

    def append_many(
        self,
        code: str,
        events: Sequence[EventInput | Mapping[str, Any]],
        *,
        expected_version: int | None = None,
        principal: Principal | None = None,
    ) -> AppendResult:
        """Append several events to one dossier in one transaction: all of them or none.

        Args and Raises: as :meth:`append`; ``events`` are :class:`EventInput` or mappings
        ``{"event", "at", "actor", "idempotency_key", **payload}``.
        """
        items = [self._input(e, principal) for e in events]
        if not items:
            raise InvalidInputError(f"dossier {code}: no events to append", dossier=code)
        result = None
        if self._hot is not None:
            result = self._append_hot(code, items, expected_version, principal)
        if result is None:  # no hot path, or a retried idempotency key: the general path
            with self._write() as conn:
                result = self._append_in(
                    conn, code, items, expected_version=expected_version, principal=principal
                )
        self._remember(code, result)  # committed: only now may the cache hold this history
        return result

    # -- the append path ----------------------------------------------------------------------
    #
    # Two ways to run the same steps: ``_append_hot`` talks to the DBAPI connection with the
    # pre-rendered SQL of ``_hot.py`` (every append on SQLite and psycopg); ``_append_in`` goes
    # through SQLAlchemy Core (``create`` with events, a retried idempotency key, other
    # drivers). Both read the row under the write lock, check scope, keys and version, replay
    # the history with the new events through the lifecycle (``_plan``) and write the event
    # rows and the projected state in the same transaction.

    @contextmanager
    def _raw_write(self) -> Iterator[Any]:
        """A write transaction on the DBAPI connection itself (see ``_hot.py``)."""
        hot = self._hot
        assert hot is not None
        dialect = self.engine.dialect
        with self._writer_lock:
            # SQLite's writers take turns on the lock above, so one connection serves them
            # all: it stays checked out between appends (a pool checkout and check-in cost
            # about a tenth of an append). Never across a fork: SQLite forbids it.
            raw, self._held = self._held, None
            if raw is not None and raw[1] != os.getpid():
                _FORKED.append(raw[0])  # the parent's: never used, closed or returned here
                raw = None
            try:
                conn = raw[0] if raw is not None else self.engine.raw_connection()
            except sa.exc.SQLAlchemyError as exc:
                raise self._db_error("write", exc) from exc
            driver: Any = conn.driver_connection
            try:
                hot.begin(driver)
                yield driver
                dialect.do_commit(driver)
            except BaseException as exc:
                try:
                    dialect.do_rollback(driver)
                    clean = True
                except Exception:
                    clean = False
                if not isinstance(exc, dialect.loaded_dbapi.Error):
                    # A refusal (the lifecycle's, a stale version...): nothing was written.
                    if clean and self._hold:
                        self._held = (conn, os.getpid())
                    else:
                        conn.close()
                    raise
                if dialect.is_disconnect(exc, driver, None):
                    conn.invalidate(exc)  # the pool replaces a connection the server dropped
                conn.close()
                if isinstance(exc, dialect.loaded_dbapi.IntegrityError):
                    raise ConcurrencyError(
                        f"another writer changed the same dossier first "
                        f"({str(exc).splitlines()[0]}); reload it and retry",
                    ) from exc
                raise self._db_error("write", exc) from exc
            if self._hold:
                self._held = (conn, os.getpid())
            else:
                conn.close()

    def _append_hot(
        self,
        code: str,
        items: Sequence[EventInput],
        expected_version: int | None,
        principal: Principal | None,
    ) -> AppendResult | None:
        """The append at the driver level; ``None`` when a key was used already (the general
        path then returns the stored result)."""
        hot = self._hot
        assert hot is not None
        with self._raw_write() as driver:
            head = hot.head(driver, code)
            if head is None:
                raise UnknownDossierError(
                    f"no dossier {brief(code)} in the store; create it first", dossier=code
                )
            self._check_scope(head, principal)
            keys = [i.idempotency_key for i in items if i.idempotency_key is not None]
            if keys and hot.keys_used(driver, code, keys):
                return None
            self._check_version(head, expected_version)
            history = self._cached_history(head, lambda: hot.history(driver, code))
            plan = self._plan(head, history, items)
            done = hot.write(driver, code, head.version, plan.events, plan.values)
            if done != 1:  # pragma: no cover - the row lock makes this unreachable
                raise ConcurrencyError(
                    f"dossier {code} changed while appending; retry", dossier=code
                )
            if plan.findings:
                hot.insert_findings(driver, plan.findings)
        return self._result(head, plan)

    def _lock_row(self, conn: Connection, code: str) -> Head:
        query = _SELECT_FOR_APPEND_LOCKED if self.dialect == "postgresql" else _SELECT_FOR_APPEND
        row = conn.execute(query, {"p_code": code}).first()
        if row is None:
            raise UnknownDossierError(
                f"no dossier {brief(code)} in the store; create it first", dossier=code
            )
        c = tuple(row)  # the columns of _SELECT_FOR_APPEND, in Head's order
        return Head(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], len(c[10]))

    def _check_scope(self, head: Head, principal: Principal | None) -> None:
        if principal is not None:
            principal.check_write(head.code, agency=head.agency, receiving_unit=head.receiving_unit)

    def _check_version(self, head: Head, expected_version: int | None) -> None:
        """After the idempotency keys (a retry with a stale version gets the stored result)."""
        if expected_version is not None and expected_version != head.version:
            raise ConcurrencyError(
                f"dossier {head.code} is at version {head.version}, not {expected_version}: "
                "another writer appended first; reload it, decide again and retry with "
                f"expected_version={head.version}",
                dossier=head.code,
                expected_version=expected_version,
                current_version=head.version,
            )

    def _duplicates(
        self, conn: Connection, code: str, items: Sequence[EventInput]
    ) -> list[StoredEvent] | None:
        keys = [i.idempotency_key for i in items if i.idempotency_key is not None]
        if not keys:
            return None
        found = {
            e.idempotency_key: e
            for e in (
                _event(r)
                for r in conn.execute(
                    sa.select(EVENTS).where(
                        EVENTS.c.code == code, EVENTS.c.idempotency_key.in_(keys)
                    )
                )
            )
        }
        if not found:
            return None
        stored: list[StoredEvent] = []
        for item in items:
            prior = found.get(item.idempotency_key)
            if prior is None or prior.event != item.event:
                raise InvalidInputError(
                    f"dossier {code}: idempotency key {brief(item.idempotency_key)} was already "
                    "used"
                    + (
                        f" for event {brief(prior.event)} (version {prior.version})"
                        if prior is not None
                        else " in the same batch of a retried request"
                    )
                    + "; a retry must resend the same events with the same keys, and a new "
                    "event needs a new key",
                    dossier=code,
                    field="idempotency_key",
                )
            stored.append(prior)
        return stored

    def _append_in(
        self,
        conn: Connection,
        code: str,
        items: Sequence[EventInput],
        *,
        expected_version: int | None,
        principal: Principal | None = None,
    ) -> AppendResult:
        """The append through SQLAlchemy Core, in the transaction of ``conn``."""
        head = self._lock_row(conn, code)
        self._check_scope(head, principal)
        duplicates = self._duplicates(conn, code, items)
        if duplicates is not None:
            return AppendResult(self._state(conn, code), tuple(duplicates), duplicate=True)
        self._check_version(head, expected_version)
        history = self._cached_history(
            head, lambda: [_replay_item(e) for e in self._events(conn, code)]
        )
        plan = self._plan(head, history, items)
        params = {**plan.values, "p_code": code, "p_old": head.version}
        if self.dialect == "postgresql" and len(plan.events) == 1:
            # One round trip instead of two: the event row is inserted by a CTE of the update.
            params.update({f"e_{k}": v for k, v in plan.events[0].items()})
            done = conn.execute(_UPDATE_WITH_EVENT, params)
        else:
            conn.execute(_INSERT_EVENTS, plan.events)
            done = conn.execute(_UPDATE_STATE, params)
        if done.rowcount != 1:  # pragma: no cover - the row lock makes this unreachable
            raise ConcurrencyError(f"dossier {code} changed while appending; retry", dossier=code)
        if plan.findings:
            conn.execute(_INSERT_FINDINGS, plan.findings)
        return self._result(head, plan)

    def _plan(
        self, head: Head, history: list[dict[str, Any]], items: Sequence[EventInput]
    ) -> _Plan:
        """Replay the history and the new events through the lifecycle: the rows to write."""
        code, version = head.code, head.version
        # An event without ``at`` is stamped now, under the dossier's lock: concurrent writers
        # can then never record events out of time order.
        now = self._clock()
        history += [
            {"event": i.event, "at": i.at or now, "actor": i.actor, **(i.payload or {})}
            for i in items
        ]
        meta = self._meta(code, _head_limit(head)[0], head.deciding_unit)
        lc = replay(meta, history)
        recorded = lc.history
        events = [
            {
                "code": code,
                "version": version + offset + 1,
                "event": entry.event,
                "at": entry.at,
                "actor": item.actor,
                "payload": dict(entry.payload),
                "recorded_at": now,
                "idempotency_key": item.idempotency_key,
            }
            for offset, (item, entry) in enumerate(zip(items, recorded[version:], strict=True))
        ]
        values = project(meta, lc)
        values["updated_at"] = now
        findings = [
            {
                "code": code,
                "position": i,
                "finding": f["code"],
                "version": int(f["event_index"]) + 1,
                "at": dt.datetime.fromisoformat(str(f["at"])),
            }
            for i, f in enumerate(values["findings"])
            if i >= head.findings
        ]
        # What the lifecycle recorded (normalised payloads), as the events table now holds it.
        replayed = [
            {"event": e.event, "at": e.at, "actor": h["actor"], **e.payload}
            for e, h in zip(recorded, history, strict=True)
        ]
        return _Plan(events, values, findings, replayed)

    def _result(self, head: Head, plan: _Plan) -> AppendResult:
        data = {
            "code": head.code,
            "procedure_id": head.procedure_id,
            "channel": head.channel,
            "field": head.field,
            "receiving_unit": head.receiving_unit,
            "deciding_unit": head.deciding_unit,
            "created_at": head.created_at,
            "time_limit": _head_limit(head)[1],
            **plan.values,
        }
        state = trusted(DossierState, data)
        stored = [trusted(StoredEvent, e) for e in plan.events]
        return AppendResult(state, tuple(stored), _history=tuple(plan.replayed))

    def _cached_history(
        self, head: Head, load: Callable[[], list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        with self._histories_lock:
            cached = self._histories.get(head.code)
        if cached is not None and cached[0] == head.version:
            return list(cached[1])
        if head.version == 0:
            return []
        return load()

    def _remember(self, code: str, result: AppendResult) -> None:
        """Keep a committed history for the next append on this dossier (see ``__init__``)."""
        if result.duplicate or not result._history:
            return
        with self._histories_lock:
            self._histories[code] = (result.state.version, result._history)
            self._histories.move_to_end(code)
            while len(self._histories) > _HISTORY_CACHE:
                self._histories.popitem(last=False)

    def get(self, code: str, *, principal: Principal | None = None) -> DossierState:
        """The current state of a dossier.

        Raises:
            UnknownDossierError: no such dossier.
            AccessDeniedError: out of ``principal``'s scope.
        """
        with self._read() as conn:
            state = self._state(conn, code)
        if principal is not None:
            principal.check_read(code, agency=state.agency, receiving_unit=state.receiving_unit)
        return state

    def _state(self, conn: Connection, code: str) -> DossierState:
        row = conn.execute(_SELECT_ROW, {"p_code": code}).first()
        if row is None:
            raise UnknownDossierError(f"no dossier {brief(code)} in the store", dossier=code)
        return _state(row)

    def history(self, code: str, *, principal: Principal | None = None) -> list[StoredEvent]:
        """Every stored event of a dossier, oldest first.

        Raises:
            UnknownDossierError: no such dossier.
            AccessDeniedError: out of ``principal``'s scope.
        """
        self.get(code, principal=principal)
        with self._read() as conn:
            return self._events(conn, code)

    def _events(self, conn: Connection, code: str) -> list[StoredEvent]:
        return [_event(r) for r in conn.execute(_SELECT_EVENTS, {"p_code": code})]

    # -- queries ----------------------------------------------------------------------------

    def _filters(self, filters: Mapping[str, Any]) -> list[sa.ColumnElement[bool]]:
        unknown = sorted(set(filters) - _FILTERS)
        if unknown:
            raise InvalidInputError(
                f"unknown filter {brief(unknown[0])}; filters: {', '.join(sorted(_FILTERS))}",
                field=unknown[0],
            )
        return self._where(**filters)

    def _where(
        self,
        *,
        status: str | Sequence[str] | None = None,
        agency: str | None = None,
        received_from: dt.datetime | None = None,
        received_to: dt.datetime | None = None,
        overdue_at: dt.datetime | None = None,
        due_within: int | None = None,
        at: dt.datetime | None = None,
        finding: str | None = None,
        visible_to: Principal | None = None,
    ) -> list[sa.ColumnElement[bool]]:
        c = DOSSIERS.c
        where: list[sa.ColumnElement[bool]] = []
        if status is not None:
            wanted = [status] if isinstance(status, str) else list(status)
            bad = [x for x in wanted if x not in _STATES]
            if bad:
                raise InvalidInputError(
                    f"status {brief(bad[0])} is unknown; statuses: {', '.join(_STATES)}",
                    field="status",
                )
            where.append(c.status.in_(wanted))
        if agency is not None:
            where.append(c.agency == agency)
        if received_from is not None:
            where.append(c.received_at >= ensure_aware(received_from, name="received_from"))
        if received_to is not None:
            where.append(c.received_at < ensure_aware(received_to, name="received_to"))
        if overdue_at is not None:
            where.append(c.overdue_from < ensure_aware(overdue_at, name="overdue_at"))
        if due_within is not None:
            if due_within < 0:
                raise InvalidInputError(
                    f"due_within must be ≥ 0 working days, not {due_within}", field="due_within"
                )
            now = ensure_aware(at, name="at") if at is not None else self._clock()
            today = now.astimezone(VN_TZ).date()
            last = self._calendar._quiet_add(today, due_within) if due_within else today
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
            where += [c.overdue_from >= now, c.overdue_from < end]
        if finding is not None:
            where.append(
                sa.exists().where(FINDINGS.c.code == c.code, FINDINGS.c.finding == finding)
            )
        if visible_to is not None and visible_to.agency is not None:
            where.append(
                sa.or_(c.agency == visible_to.agency, c.receiving_unit == visible_to.agency)
            )
        return where

    def find(
        self,
        *,
        limit: int | None = None,
        after: str | None = None,
        **filters: Any,
    ) -> list[DossierState]:
        """Dossiers matching every filter given (indexed queries).

        Ordered by code; with ``overdue_at`` or ``due_within``, most urgent first (by the
        instant they become overdue, then code). ``after`` pages in the same order.

        Args:
            limit: at most this many (a page); ``after``: the last code of the previous page.
            status: one status or several (``"received"``, ``["processing", ...]``).
            agency: the agency a dossier is routed to now.
            received_from, received_to: received in ``[from, to)``.
            overdue_at: open and overdue at this instant (its due moment passed, the clock not
                stopped; or more than one supplement request, Decision 766/QĐ-TTg).
            due_within: open, not overdue at ``at`` (default now) and due by the end of the
                N-th working day after ``at``'s date (0: today).
            finding: has a lifecycle finding with this code (``late_apology``, ...).
            visible_to: only what this principal may read.

        Raises:
            InvalidInputError: a naive instant or a negative ``due_within``.
        """
        _positive(limit, "limit")
        c = DOSSIERS.c
        query = sa.select(*c).where(*self._filters(filters))
        if filters.get("overdue_at") is None and filters.get("due_within") is None:
            query = query.order_by(c.code)
            if after is not None:
                query = query.where(c.code > after)
        else:  # most urgent first, in the order of the index the filter reads
            query = query.order_by(c.overdue_from, c.code)
            if after is not None:  # keyset: after the (overdue_from, code) of that dossier
                last = sa.select(c.overdue_from).where(c.code == after).scalar_subquery()
                query = query.where(
                    sa.or_(c.overdue_from > last, sa.and_(c.overdue_from == last, c.code > after))
                )
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            return [_state(r) for r in conn.execute(query)]

    def codes(self, **filters: Any) -> list[str]:
        """The codes of the dossiers :meth:`find` would return (no rows materialised)."""
        query = sa.select(DOSSIERS.c.code).where(*self._filters(filters))
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def count(self, **filters: Any) -> int:
        """How many dossiers :meth:`find` would return."""
        query = sa.select(sa.func.count()).select_from(DOSSIERS).where(*self._filters(filters))
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def apologies_owed(
        self,
        by: dt.date,
        *,
        agency: str | None = None,
        visible_to: Principal | None = None,
        limit: int | None = None,
    ) -> list[DossierState]:
        """The worklist of the apology-and-extension form: open dossiers whose last day for it
        (one working day before the due date, Decree 61/2018/NĐ-CP) is ``by`` or earlier and
        that have not had an extension; most urgent first. Dossiers whose clock stands still
        are left out (their due date will move).

        Raises:
            InvalidInputError: ``by`` is not a date.
        """
        if not isinstance(by, dt.date) or isinstance(by, dt.datetime):
            raise InvalidInputError(f"by must be a date, not {brief(by)}", field="date")
        _positive(limit, "limit")
        where = self._where(agency=agency, visible_to=visible_to)
        query = (
            sa.select(*DOSSIERS.c)
            .where(DOSSIERS.c.apology_by <= by, *where)
            .order_by(DOSSIERS.c.apology_by, DOSSIERS.c.code)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            return [_state(r) for r in conn.execute(query)]

    # -- verify, import, export ---------------------------------------------------------------

    def _all_histories(self, conn: Connection) -> Iterator[tuple[Any, list[StoredEvent]]]:
        rows = conn.execute(sa.select(DOSSIERS).order_by(DOSSIERS.c.code)).yield_per(1000)
        events = conn.execute(
            sa.select(EVENTS).order_by(EVENTS.c.code, EVENTS.c.version)
        ).yield_per(5000)
        grouped = itertools.groupby((_event(e) for e in events), key=lambda e: e.code)
        pending = next(grouped, None)
        for row in rows:
            while pending is not None and pending[0] < row.code:
                orphan = list(pending[1])
                yield _orphan(orphan[0].code), orphan
                pending = next(grouped, None)
            if pending is not None and pending[0] == row.code:
                yield row, list(pending[1])
                pending = next(grouped, None)
            else:
                yield row, []
        while pending is not None:
            orphan = list(pending[1])
            yield _orphan(orphan[0].code), orphan
            pending = next(grouped, None)

    def verify(self, *, limit: int | None = None) -> VerifyReport:
        """Replay every history and compare it with the current-state table.

        Checks, for each dossier: versions 1..N without gaps, the stored version equal to N,
        every projected column (status, due moment, clock, findings, ...) equal to the replay,
        and the findings index. A history the lifecycle refuses is one difference.

        Args:
            limit: stop after this many differences.

        Returns:
            The counts and every difference found.
        """
        _positive(limit, "limit")
        diffs: list[Difference] = []
        dossiers = events = 0
        with self._read() as conn:
            findings: dict[str, list[str]] = {}
            for f in conn.execute(
                sa.select(FINDINGS.c.code, FINDINGS.c.finding).order_by(
                    FINDINGS.c.code, FINDINGS.c.position
                )
            ):
                findings.setdefault(f.code, []).append(f.finding)
            for row, history in self._all_histories(conn):
                dossiers += 1
                events += len(history)
                diffs += self._verify_one(row, history, findings.get(row.code, []))
                if limit is not None and len(diffs) >= limit:
                    break
        return VerifyReport(dossiers, events, tuple(diffs))

    def _verify_one(
        self, row: Any, history: list[StoredEvent], findings: list[str]
    ) -> list[Difference]:
        code = row.code
        if row.version is None:
            return [Difference(code, "dossier", "missing", f"{len(history)} events")]
        versions = [e.version for e in history]
        if versions != list(range(1, len(history) + 1)):
            return [Difference(code, "versions", versions, list(range(1, len(history) + 1)))]
        meta = self._meta(code, row.time_limit, row.deciding_unit)
        try:
            values = project(meta, replay(meta, [_replay_item(e) for e in history]))
        except MotCuaError as exc:
            return [Difference(code, "history", "stored", f"refused by the lifecycle: {exc}")]
        out = []
        stored = row._mapping
        for name in PROJECTED:
            if _norm(stored[name]) != _norm(values[name]):
                out.append(Difference(code, name, stored[name], values[name]))
        expected = [str(f["code"]) for f in values["findings"]]
        if findings != expected:
            out.append(Difference(code, "findings index", findings, expected))
        return out

    def import_dossiers(
        self,
        dossiers: Iterable[Mapping[str, Any]],
        *,
        time_limit: TimeLimit | str | None = None,
    ) -> int:
        """Import dossiers with their history (``Dossier`` JSON), each in its own transaction.

        Args:
            dossiers: mappings in the form of :class:`~mot_cua.models.Dossier` (``code``,
                ``procedure_id``, ``channel``, ``receiving_unit``, ``deciding_unit``,
                ``history``; other fields are ignored), e.g. parsed JSON Lines.
            time_limit: the limit when the procedure is not in the catalogue.

        Returns:
            The number of dossiers imported.

        Raises:
            InvalidInputError: a dossier without history or without code (``index`` given).
            ConcurrencyError: a code already in the store.
            TransitionRejected, BusinessRuleError: a history the lifecycle refuses.
        """
        count = 0
        for index, data in enumerate(dossiers):
            code = data.get("code")
            history = data.get("history")
            if not isinstance(code, str) or not isinstance(history, list) or not history:
                raise InvalidInputError(
                    f"dossier #{index + 1} ({code or 'no code'}) has no history; the store keeps "
                    "events, so import dossiers with their history",
                    index=index,
                )
            events = [
                {
                    "event": h["event"],
                    "at": h["at"],
                    "actor": h.get("actor") or "system",
                    **(h.get("payload") or {}),
                }
                for h in history
            ]
            try:
                self.create(
                    code,
                    time_limit=time_limit if time_limit is not None else None,
                    procedure_id=data.get("procedure_id") if time_limit is None else None,
                    channel=data.get("channel"),
                    receiving_unit=data.get("receiving_unit"),
                    agency=data.get("deciding_unit") or data.get("receiving_unit"),
                    events=events,
                )
            except MotCuaError as exc:
                raise type(exc)(f"dossier #{index + 1} ({code}): {exc}", index=index) from exc
            count += 1
        return count

    def iter_dossiers(self, *, batch: int = 1000) -> Iterator[DossierState]:
        """Every dossier, ordered by code, streamed."""
        with self._read() as conn:
            rows = conn.execute(sa.select(*DOSSIERS.c).order_by(DOSSIERS.c.code)).yield_per(batch)
            for r in rows:
                yield _state(r)

    # -- tokens -----------------------------------------------------------------------------

    def create_token(
        self, name: str, role: Role | str, *, agency: str | None = None
    ) -> tuple[TokenInfo, str]:
        """Create an API token; returns it and its secret (shown once, never stored).

        Raises:
            InvalidInputError: an unknown role, an agency token without agency, a name in use.
        """
        clean = _text_arg(name, "name", max_len=100) or ""
        if role not in ROLES:
            raise InvalidInputError(
                f"role {brief(role)} is unknown; use one of: {', '.join(ROLES)}", field="role"
            )
        if role == "agency" and agency is None:
            raise InvalidInputError(
                "an agency token needs --agency CODE (the agency whose dossiers it may change)",
                field="agency",
            )
        secret = new_secret()
        row = {
            "name": clean,
            "role": role,
            "agency": _text_arg(agency, "agency"),
            "secret_sha256": hash_secret(secret),
            "created_at": self._clock(),
        }
        try:
            with self._write() as conn:
                conn.execute(TOKENS.insert(), row)
        except ConcurrencyError:
            raise InvalidInputError(
                f"a token named {brief(clean)} exists already; choose another name or revoke it",
                field="name",
            ) from None
        info = TokenInfo.model_validate({k: v for k, v in row.items() if k != "secret_sha256"})
        return info, secret

    def tokens(self) -> list[TokenInfo]:
        """Every token (active and revoked), by name."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(
                    TOKENS.c.name,
                    TOKENS.c.role,
                    TOKENS.c.agency,
                    TOKENS.c.created_at,
                    TOKENS.c.revoked_at,
                ).order_by(TOKENS.c.name)
            )
            return [TokenInfo(**r._mapping) for r in rows]

    def revoke_token(self, name: str) -> TokenInfo:
        """Revoke a token by name (kept for the record, refused from now on).

        Raises:
            InvalidInputError: no active token with that name.
        """
        with self._write() as conn:
            done = conn.execute(
                TOKENS.update()
                .where(TOKENS.c.name == name, TOKENS.c.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )
            if done.rowcount != 1:
                raise InvalidInputError(
                    f"no active token named {brief(name)}; see mot-cua token list", field="name"
                )
        return next(t for t in self.tokens() if t.name == name)

    def authenticate(self, secret: str) -> Principal:
        """The principal of a bearer secret.

        Raises:
            AccessDeniedError: unknown or revoked secret (``details["status"] == 401``).
        """
        with self._read() as conn:
            row = conn.execute(
                sa.select(TOKENS.c.name, TOKENS.c.role, TOKENS.c.agency).where(
                    TOKENS.c.secret_sha256 == hash_secret(secret),
                    TOKENS.c.revoked_at.is_(None),
                )
            ).first()
        if row is None:
            raise AccessDeniedError(
                "the bearer token is unknown or revoked; ask the operator for a token "
                "(mot-cua token create)",
                status=401,
            )
        return Principal(row.name, row.role, row.agency)


# -- row conversions ---------------------------------------------------------------------------


def _event(row: Row[Any]) -> StoredEvent:
    return trusted(StoredEvent, dict(row._mapping))


def _replay_item(e: StoredEvent) -> dict[str, Any]:
    return {"event": e.event, "at": e.at, "actor": e.actor, **e.payload}


_LIMITS: dict[str, tuple[TimeLimit, str]] = {}


def _limit(value: Any) -> tuple[TimeLimit, str]:
    """A stored limit (its JSON form) and its Vietnamese text, parsed once per distinct value."""
    key = repr(sorted(value.items())) if isinstance(value, Mapping) else repr(value)
    found = _LIMITS.get(key)
    if found is None:
        limit = TimeLimit.model_validate(value)
        found = (limit, limit.to_text("vi"))
        if len(_LIMITS) < 10_000:
            _LIMITS[key] = found
    return found


def _limit_text(value: Any) -> str:
    return _limit(value)[1]


_LIMIT_TEXTS: dict[str, tuple[TimeLimit, str]] = {}


def _head_limit(head: Head) -> tuple[TimeLimit, str]:
    """The limit of a row read for an append (SQLite's hot path reads the JSON as text)."""
    value = head.time_limit
    if not isinstance(value, str):
        return _limit(value)
    found = _LIMIT_TEXTS.get(value)
    if found is None:
        found = _limit(json.loads(value))
        if len(_LIMIT_TEXTS) < 10_000:
            _LIMIT_TEXTS[value] = found
    return found


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one append writes: event rows, the projected state (with ``updated_at``), the new
    findings' index rows, and the whole replayed history (for the writer's cache)."""

    events: list[dict[str, Any]]
    values: dict[str, Any]
    findings: list[dict[str, Any]]
    replayed: list[dict[str, Any]]


def _state(row: Row[Any]) -> DossierState:
    data = {c.name: row._mapping[c.name] for c in _STATE_COLUMNS}
    data["time_limit"] = _limit_text(row._mapping["time_limit"])
    return trusted(DossierState, data)


def _orphan(code: str) -> Any:
    """A stand-in row for events whose dossier row is missing (``verify`` reports it)."""
    return SimpleNamespace(code=code, version=None)


def _norm(value: Any) -> Any:
    """Comparable form: instants as UTC ISO text, tuples as lists."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value
