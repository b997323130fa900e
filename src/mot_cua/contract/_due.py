"""The ``due`` operation: one dossier's legal due moment (CLI ``due``, ``POST /v1/due``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mot_cua.contract._common import (
    POLICY_FIELDS,
    _policy_or_none,
    calendar_for,
    parse_instant,
    pause_of,
)
from mot_cua.deadlines import _due_values
from mot_cua.errors import InvalidInputError, MotCuaError, brief, require
from mot_cua.limits import _Lazy

if TYPE_CHECKING:
    from mot_cua.catalog import Catalog
    from mot_cua.contract._due_models import (
        DueBatchError,
        DueRequest,
        DueResponse,
        PauseObject,
        TraceItem,
        UncertainDayItem,
    )
    from mot_cua.limits import Deadline

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
    from mot_cua.limits import Deadline

    require(d, Deadline, "d", "a Deadline (compute_due(...))")
    return _object_of(d.__dict__, trace=trace)


def _object_of(values: Mapping[str, Any], *, trace: bool) -> dict[str, Any]:
    """The contract's JSON of a deadline's field values (a Deadline's, or the plain ones)."""
    limit = values["limit"]
    described = _LIMITS.get(id(limit))
    if described is None or described[0] is not limit:
        if len(_LIMITS) >= 4096:
            _LIMITS.clear()
        described = _LIMITS[id(limit)] = (limit, str(limit), limit.unit.value, limit.value)
    uncertain = values.get("uncertain_days", ())
    due_at = values["due_at"]
    out: dict[str, Any] = {
        "due_at": due_at.isoformat(),
        "due_date": due_at.date().isoformat(),
        "received_at": values["received_at"].isoformat(),
        "deemed_receipt": values["deemed_receipt"].isoformat(),
        "limit": described[1],
        "limit_unit": described[2],
        "limit_value": described[3],
        "method": values["method"].value,
        "provisional": values["provisional"],
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
        steps = values["trace"]
        out["trace"] = [
            {"date": t.date.isoformat(), "kind": t.kind.value, "label": t.label, "source": t.source}
            for t in (steps.get() if type(steps) is _Lazy else steps)
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
    values = _due_values(
        received,
        limit,
        calendar,
        _policy_or_none(data),
        [pause_of(p, i) for i, p in enumerate(pauses)] if pauses else (),
        plain=True,
    )
    show = data.get("trace")
    if show is not None and not isinstance(show, bool):
        raise InvalidInputError("trace must be true or false", field="trace")
    return _object_of(values, trace=trace if show is None else show)


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
    data: object = request
    if not isinstance(request, Mapping):
        from pydantic import BaseModel

        if isinstance(request, BaseModel):
            data = request.model_dump(exclude_unset=True)
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
        from mot_cua.contract._errors import error_object

        return {"id": ident, "line": line, **error_object(exc)}
    return {"id": ident, **out}


#: The fields of :class:`DueRequest` (equal to its ``model_fields`` by test), read without it:
#: the policy fields and these.
_OWN = ("id", "received", "limit", "procedure", "channel", "pauses", "culture_day", "trace")
_FIELDS = frozenset((*_OWN, *POLICY_FIELDS))

_MODELS = frozenset(
    {"DueBatchError", "DueRequest", "DueResponse", "PauseObject", "TraceItem", "UncertainDayItem"}
)


def __getattr__(name: str) -> Any:
    # The request and response models load on first use (the CLI's ``due`` never needs them).
    if name in _MODELS:
        from mot_cua.contract import _due_models

        return getattr(_due_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
