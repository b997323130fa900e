"""The ``due`` operation: one dossier's legal due moment (CLI ``due``, ``POST /v1/due``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.contract._common import calendar_for, parse_instant, pause_of, policy_for
from mot_cua.contract._errors import ErrorDetail, error_object
from mot_cua.deadlines import compute_due
from mot_cua.errors import InvalidInputError, MotCuaError, brief, require
from mot_cua.limits import Deadline

if TYPE_CHECKING:
    from mot_cua.catalog import Catalog

__all__ = [
    "DueBatchError",
    "DueRequest",
    "DueResponse",
    "PauseObject",
    "TraceItem",
    "UncertainDayItem",
    "deadline_object",
    "handle_due",
    "handle_due_item",
]

_Method = Literal["days", "half-days", "working-time"]


class PauseObject(BaseModel):
    """A pause as an object (the text form ``"START/END"`` is accepted too)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    start: str = Field(description="when the clock stops, ISO 8601 (default +07:00)")
    end: str = Field(description="when it runs again, ISO 8601 (default +07:00)")
    label: str | None = Field(default=None, description="why (shown in the trace)")


class DueRequest(BaseModel):
    """Input of ``due``: a receipt and a limit (or a catalogue procedure), and policy choices.

    Absent fields take the library's defaults (:class:`~mot_cua.deadlines.DeadlinePolicy`).
    """

    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str | int | None = Field(default=None, description="echoed back (batch lines)")
    received: str = Field(description="receipt instant, ISO 8601; without offset +07:00")
    limit: str | None = Field(default=None, description="time limit, e.g. '3 ngày làm việc'")
    procedure: str | None = Field(default=None, description="catalogue procedure id (no limit)")
    channel: Literal["in_person", "postal", "online"] | None = Field(
        default=None, description="channel, for a procedure with channel-specific limits"
    )
    method: _Method | None = None
    cutoff: str | None = Field(default=None, description="HH:MM, or null/'none' for no cut-off")
    office_hours: str | None = Field(default=None, description="e.g. 07:30-11:30,13:30-17:00")
    half_day_slots: str | list[str] | None = Field(default=None, description="e.g. 11:30,16:00")
    due_time: Literal["closing", "end_of_day"] | None = None
    roll: Literal["any_day_off", "statutory"] | None = None
    worked_saturdays: bool | None = None
    outside_hours: Literal["next_working_day", "as_received"] | None = None
    pause_policy: Literal["pause", "restart"] | None = None
    hours_per_day: float | None = Field(default=None, gt=0, le=24)
    pauses: list[str | PauseObject] = Field(default_factory=list)
    culture_day: bool = Field(default=True, description="treat 24/11 as a day off")
    trace: bool | None = Field(
        default=None, description="include the trace (default: true; false in batch mode)"
    )


_FIELDS = frozenset(DueRequest.model_fields)


class TraceItem(BaseModel):
    """One step of the computation: a day skipped, a pause, the deemed receipt, ..."""

    model_config = ConfigDict(defer_build=True)

    date: str = Field(json_schema_extra={"format": "date"})
    kind: str
    label: str
    source: str | None


class UncertainDayItem(BaseModel):
    """A day the answer depended on whose legal status is not settled."""

    model_config = ConfigDict(defer_build=True)

    date: str = Field(json_schema_extra={"format": "date"})
    status: str
    label: str
    source: str


class DueResponse(BaseModel):
    """Output of ``due`` (and of ``mot-cua schema Deadline``: a Deadline as JSON)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str | int | None = Field(default=None, description="the request's id (batch only)")
    due_at: str = Field(json_schema_extra={"format": "date-time"})
    due_date: str = Field(json_schema_extra={"format": "date"})
    received_at: str = Field(json_schema_extra={"format": "date-time"})
    deemed_receipt: str = Field(json_schema_extra={"format": "date-time"})
    limit: str = Field(description="the limit as text, e.g. '3 ngày làm việc'")
    limit_unit: str
    limit_value: float
    method: str
    provisional: bool
    uncertain_days: list[UncertainDayItem]
    trace: list[TraceItem] | None = Field(default=None, description="absent when not asked")


class DueBatchError(BaseModel):
    """A batch line that failed: its id (if readable), line number and the error object."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str | int | None = None
    line: int | None = None
    error: ErrorDetail


#: Text of the limits seen (TimeLimit.parse returns the same object for the same text): the
#: object itself is kept so that its id is not reused while the entry lives.
_LIMITS: dict[int, tuple[Any, str, str, float]] = {}


def deadline_object(d: Deadline, *, trace: bool = True) -> dict[str, Any]:
    """The contract's JSON of a :class:`~mot_cua.limits.Deadline`.

    Args:
        d: the deadline.
        trace: include the trace (built lazily by the library: leave it out for speed).

    Returns:
        A JSON-ready dict matching :class:`DueResponse`.

    >>> from mot_cua import compute_due, VN_TZ
    >>> import datetime as dt
    >>> d = compute_due(dt.datetime(2025, 4, 25, 10, tzinfo=VN_TZ), "3 ngày làm việc")
    >>> deadline_object(d, trace=False)["due_at"]
    '2025-04-29T17:00:00+07:00'
    """
    require(d, Deadline, "d", "a Deadline (compute_due(...))")
    limit = d.limit
    described = _LIMITS.get(id(limit))
    if described is None or described[0] is not limit:
        if len(_LIMITS) >= 4096:
            _LIMITS.clear()
        described = _LIMITS[id(limit)] = (limit, str(limit), limit.unit.value, limit.value)
    uncertain = getattr(d, "uncertain_days", ())
    due_at = d.due_at
    out: dict[str, Any] = {
        "due_at": due_at.isoformat(),
        "due_date": due_at.date().isoformat(),
        "received_at": d.received_at.isoformat(),
        "deemed_receipt": d.deemed_receipt.isoformat(),
        "limit": described[1],
        "limit_unit": described[2],
        "limit_value": described[3],
        "method": d.method.value,
        "provisional": d.provisional,
        "uncertain_days": [
            {
                "date": u.date.isoformat(),
                "status": str(u.status.value),
                "label": u.label,
                "source": u.source,
            }
            for u in uncertain
        ],
    }
    if trace:
        out["trace"] = [
            {"date": t.date.isoformat(), "kind": t.kind.value, "label": t.label, "source": t.source}
            for t in d.trace
        ]
    return out


def _limit(data: Mapping[str, Any], catalog: Catalog | None) -> Any:
    limit = data.get("limit")
    procedure = data.get("procedure")
    if limit is not None and procedure is not None:
        raise InvalidInputError("give either limit or procedure, not both", field="limit")
    if limit is not None:
        if not isinstance(limit, str):
            raise InvalidInputError(
                f"limit must be a text such as '3 ngày làm việc', not {brief(limit, 40)}",
                field="limit",
            )
        return limit
    if procedure is None:
        raise InvalidInputError(
            "give limit (e.g. '3 ngày làm việc') or procedure (a catalogue id)", field="limit"
        )
    if not isinstance(procedure, str):
        raise InvalidInputError("procedure must be a catalogue id (text)", field="procedure")
    from mot_cua.catalog import Catalog

    cat = catalog if catalog is not None else Catalog.default()
    channel = data.get("channel")
    return cat.limit_for(procedure, channel) if channel is not None else cat.limit_for(procedure)


def _compute(
    data: Mapping[str, Any], catalog: Catalog | None, calendar_file: str | None, *, trace: bool
) -> dict[str, Any]:
    if not _FIELDS.issuperset(data):
        name = sorted(data.keys() - _FIELDS)[0]
        raise InvalidInputError(
            f"unknown field {brief(name)}; the due request takes {', '.join(sorted(_FIELDS))}",
            field=name,
        )
    if "received" not in data:
        raise InvalidInputError(
            "received is missing; give the receipt instant, e.g. 2025-04-25T10:00",
            field="received",
        )
    received = parse_instant(data["received"], name="received")
    limit = data.get("limit")
    if limit.__class__ is not str or "procedure" in data:  # the common case is a text limit
        limit = _limit(data, catalog)
    pauses = data.get("pauses")
    if pauses and not isinstance(pauses, (list, tuple)):
        raise InvalidInputError("pauses must be a list", field="pauses")
    calendar = calendar_for(culture_day=data.get("culture_day", True), calendar_file=calendar_file)
    deadline = compute_due(
        received,
        limit,
        calendar=calendar,
        policy=policy_for(data),
        pauses=[pause_of(p, i) for i, p in enumerate(pauses)] if pauses else (),
    )
    show = data.get("trace")
    if show is not None and not isinstance(show, bool):
        raise InvalidInputError("trace must be true or false", field="trace")
    return deadline_object(deadline, trace=trace if show is None else show)


def handle_due(
    request: DueRequest | Mapping[str, Any],
    *,
    catalog: Catalog | None = None,
    calendar_file: str | None = None,
) -> dict[str, Any]:
    """Compute one due moment: the contract's ``due`` operation.

    Args:
        request: a :class:`DueRequest` or its JSON object (checked field by field).
        catalog: the catalogue for ``procedure`` (default: the shipped one).
        calendar_file: a user calendar file (trusted: the CLI's ``--calendar-file``).

    Returns:
        A JSON-ready dict matching :class:`DueResponse` (``trace`` included unless
        ``"trace": false``).

    Raises:
        MotCuaError: any problem of the request (InvalidInputError naming the field,
            TimeLimitParseError, CalendarRangeError, UnknownProcedureError, ...).

    >>> r = handle_due({"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"})
    >>> r["due_at"], r["provisional"]
    ('2025-04-29T17:00:00+07:00', False)
    """
    data = request.model_dump(exclude_unset=True) if isinstance(request, BaseModel) else request
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"a due request must be a JSON object, not {type(data).__name__}")
    out = _compute(data, catalog, calendar_file, trace=True)
    if "id" in data:
        out = {"id": data["id"], **out}
    return out


def handle_due_item(
    data: object,
    *,
    line: int | None = None,
    catalog: Catalog | None = None,
    calendar_file: str | None = None,
) -> dict[str, Any]:
    """One batch item: the due object (without trace unless asked), or an error object.

    Never raises a :class:`~mot_cua.errors.MotCuaError`: a bad item gives
    ``{"id", "line", "error": {...}}`` (see :class:`DueBatchError`) so the batch goes on.

    Args:
        data: the parsed JSON line (or an :class:`~mot_cua.errors.InputFileError` for a line
            that did not parse).
        line: the line number (1-based), echoed in errors.
        catalog: the catalogue for ``procedure``.
        calendar_file: a user calendar file.

    Returns:
        A JSON-ready dict.

    >>> handle_due_item({"id": 7, "received": "2025-04-25T10:00", "limit": "1 ngày"})["due_date"]
    '2025-04-26'
    >>> handle_due_item({"id": 8, "limit": "1 ngày"}, line=2)["error"]["field"]
    'received'
    """
    ident = data.get("id") if isinstance(data, Mapping) else None
    if not isinstance(ident, (str, int)) or isinstance(ident, bool):
        ident = None
    try:
        if isinstance(data, MotCuaError):
            raise data
        if not isinstance(data, Mapping):
            raise InvalidInputError(
                f"a batch line must be a JSON object, not {type(data).__name__}"
            )
        out = _compute(data, catalog, calendar_file, trace=False)
    except Exception as exc:  # a bad line must never stop the batch
        return {"id": ident, "line": line, **error_object(exc)}
    return {"id": ident, **out}
