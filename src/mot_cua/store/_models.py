"""What the store returns: dossier states, stored events, append results, verify reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, JsonValue

from mot_cua.errors import brief
from mot_cua.lifecycle import allowed_events

__all__ = [
    "ROLES",
    "AppendResult",
    "Difference",
    "DossierState",
    "Role",
    "StoredEvent",
    "TokenInfo",
    "VerifyReport",
    "trusted",
]

Role = Literal["desk", "agency", "auditor", "admin"]
_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__

#: Token roles: ``desk`` (receives dossiers and records events), ``agency`` (records events on
#: dossiers routed to its agency), ``auditor`` (reads only), ``admin`` (everything).
ROLES: tuple[Role, ...] = ("desk", "agency", "auditor", "admin")


class StoredEvent(BaseModel):
    """One row of the append-only event log.

    Args:
        code: the dossier code.
        version: the dossier's version after this event (1 for the first event, no gaps).
        event: the lifecycle event name.
        at: when it happened (the instant the lifecycle counts with).
        actor: who did it (the authenticated principal over HTTP).
        payload: the payload as the lifecycle recorded it.
        recorded_at: when the store committed it.
        idempotency_key: the writer's key, if it gave one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    version: int
    event: str
    at: dt.datetime
    actor: str
    payload: dict[str, JsonValue]
    recorded_at: dt.datetime
    idempotency_key: str | None = None


class DossierState(BaseModel):
    """The current state of a stored dossier (one row of the current-state table).

    Every field after ``deciding_unit`` is derived from the events by the lifecycle;
    ``overdue_from`` is the instant after which an open dossier counts as overdue (its due
    moment; its receipt when it had more than one supplement request, Decision 766/QĐ-TTg;
    none while the clock stands still) and ``apology_by`` the last day for the apology with a
    new date (Decree 61/2018/NĐ-CP; none once an extension was given or while paused).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    version: int
    procedure_id: str | None
    time_limit: str
    channel: str | None
    field: str | None
    receiving_unit: str | None
    deciding_unit: str | None
    agency: str | None
    status: str
    regime: str | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    provisional: bool
    paused_since: dt.datetime | None
    pauses: list[list[str | None]]
    supplement_rounds: list[list[str | None]]
    extensions: int
    outcome: str | None
    timeliness: str | None
    finished_at: dt.datetime | None
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    stopped_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    findings: list[dict[str, JsonValue]]
    overdue_from: dt.datetime | None
    apology_by: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def allowed_events(self) -> tuple[str, ...]:
        """The events the lifecycle allows now."""
        return allowed_events(self.status)

    @property
    def etag(self) -> str:
        """The HTTP entity tag: the version, quoted (``"3"``)."""
        return f'"{self.version}"'

    def overdue_at(self, instant: dt.datetime) -> bool:
        """Whether the dossier is open and overdue at ``instant``."""
        return self.overdue_from is not None and instant > self.overdue_from

    def to_json_dict(self) -> dict[str, Any]:
        """JSON-ready dict (ISO 8601 instants), with ``allowed_events``."""
        data = self.model_dump(mode="json")
        data["allowed_events"] = list(self.allowed_events)
        return data


def trusted(cls: type[_M], data: dict[str, Any]) -> _M:
    """An instance from complete data the store wrote itself, without validation.

    What ``cls.model_construct(**data)`` builds (the same ``__dict__``, in field order, and
    fields set), at a fraction of its cost: ``model_construct`` walks every field's aliases
    and defaults, which for a 30-field state is most of an append's result. Incomplete data
    goes through ``model_construct``.
    """
    fields = cls.__pydantic_fields__
    if len(data) != len(fields) or cls.__pydantic_post_init__ is not None:
        return cls.model_construct(**data)
    try:
        values = {name: data[name] for name in fields}
    except KeyError:
        return cls.model_construct(**data)
    m = cls.__new__(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


@dataclass(frozen=True)
class AppendResult:
    """The outcome of :meth:`Store.append` / :meth:`Store.create`.

    ``duplicate`` is true when every event was already stored under its idempotency key: nothing
    was applied and ``events`` are the stored ones.
    """

    state: DossierState
    events: tuple[StoredEvent, ...]
    duplicate: bool = False
    #: The whole replayed history (internal: the store's cache of committed histories).
    _history: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class Difference:
    """One disagreement found by :meth:`Store.verify` between the stored and replayed state."""

    code: str
    field: str
    stored: Any
    replayed: Any

    def __str__(self) -> str:
        return (
            f"{self.code}: {self.field}: stored {brief(self.stored)}, "
            f"replayed {brief(self.replayed)}"
        )


@dataclass(frozen=True)
class VerifyReport:
    """What :meth:`Store.verify` found: dossiers and events checked, every difference."""

    dossiers: int
    events: int
    differences: tuple[Difference, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether every replayed history equals the current-state table."""
        return not self.differences


class TokenInfo(BaseModel):
    """An API token as the store keeps it (never the secret)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    role: Role
    agency: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the token is not revoked."""
        return self.revoked_at is None
