"""The history operations: check a recorded history; replay it through the lifecycle."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.contract._common import calendar_for, validated
from mot_cua.deadlines import DeadlinePolicy
from mot_cua.errors import BusinessRuleError, InvalidInputError, TransitionRejected
from mot_cua.lifecycle import Lifecycle, allowed_events, validate_history
from mot_cua.limits import TimeLimit

if TYPE_CHECKING:
    from mot_cua.catalog import Catalog

__all__ = [
    "FindingItem",
    "HistoryCheckResponse",
    "HistoryRequest",
    "ProcedureLimit",
    "ReplayResponse",
    "handle_history_validate",
    "handle_replay",
]


class ProcedureLimit(BaseModel):
    """The procedure of a history: its limit (other procedure fields are ignored)."""

    model_config = ConfigDict(defer_build=True, extra="allow")

    time_limit: str = Field(description="e.g. '10 ngày làm việc'")


class HistoryRequest(BaseModel):
    """A dossier history: the procedure (its limit, or a catalogue id) and the events.

    Each event is ``{"event", "at", "actor"?, ...payload}`` (a nested ``payload`` object is
    merged), or a history entry as ``Dossier.history`` serialises it; instants without an
    offset are read in Asia/Ho_Chi_Minh.
    """

    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str | int | None = Field(default=None, description="echoed back (batch lines)")
    code: str | None = Field(default=None, description="the dossier code (default: the file)")
    procedure: ProcedureLimit | None = None
    procedure_id: str | None = Field(default=None, description="a catalogue procedure id")
    channel: Literal["in_person", "postal", "online"] | None = None
    regime: str | None = Field(default=None, description="legal regime (default: by date)")
    pause_policy: Literal["pause", "restart"] | None = None
    apology_reading: Literal["working_day", "calendar_day"] | None = None
    culture_day: bool = Field(default=True, description="treat 24/11 as a day off")
    events: list[Any] = Field(description="the recorded events, oldest first")


class HistoryCheckResponse(BaseModel):
    """Output of ``history validate``: valid, or the first problem."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str | int | None = None
    valid: bool
    state: str
    index: int | None
    event: str | None
    allowed: list[str]
    message: str


class FindingItem(BaseModel):
    """A finding of a replay (late apology, second extension, ...)."""

    model_config = ConfigDict(defer_build=True, extra="allow")

    code: str
    message: str


class ReplayResponse(BaseModel):
    """Output of ``replay``: the summary a portal reads (:meth:`Lifecycle.to_dict`)."""

    model_config = ConfigDict(defer_build=True, extra="allow")

    id: str | int | None = None
    status: str | None
    status_label: str | None
    national_status_code: str | int | None
    due_at: str | None = Field(json_schema_extra={"format": "date-time"})
    provisional: bool
    paused: bool
    regime: str | None
    timeliness: str | None
    findings: list[FindingItem]


def _time_limit(req: HistoryRequest, catalog: Catalog | None) -> TimeLimit:
    if req.procedure is not None:
        return TimeLimit.parse(req.procedure.time_limit)
    if req.procedure_id:
        from mot_cua.catalog import Catalog  # catalog comes after lifecycle: import lazily

        cat = catalog if catalog is not None else Catalog.default()
        if req.channel is not None:
            return cat.limit_for(req.procedure_id, req.channel)
        return cat.limit_for(req.procedure_id)
    raise InvalidInputError(
        'say which procedure: "procedure": {"time_limit": "10 ngày làm việc"} or '
        '"procedure_id": "<catalogue id>"',
        field="procedure",
    )


def _options(req: HistoryRequest, code: str | None, calendar_file: str | None) -> dict[str, Any]:
    options: dict[str, Any] = {"code": req.code or code or "(unsaved)"}
    if req.regime:
        options["regime"] = req.regime
    if req.pause_policy:
        options["policy"] = DeadlinePolicy(pause_policy=req.pause_policy)
    if req.apology_reading:
        options["apology_reading"] = req.apology_reading
    options["calendar"] = calendar_for(culture_day=req.culture_day, calendar_file=calendar_file)
    return options


def handle_replay(
    request: HistoryRequest | Mapping[str, Any],
    *,
    catalog: Catalog | None = None,
    calendar_file: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """Replay a history through the legal lifecycle: final status, due date, findings.

    Args:
        request: a :class:`HistoryRequest` or its JSON object.
        catalog: the catalogue for ``procedure_id`` (default: the shipped one).
        calendar_file: a user calendar file (trusted).
        code: the dossier code when the request has none (the CLI passes the file name).

    Returns:
        A JSON-ready dict matching :class:`ReplayResponse`.

    Raises:
        TransitionRejected: an event is illegal where it occurs (``index``, ``event``,
            ``state``, ``allowed`` in the error object).
        BusinessRuleError: an event lacks what the law requires.
        InvalidInputError: an unusable request or event, naming the field or index.

    >>> handle_replay({"procedure": {"time_limit": "10 ngày làm việc"},
    ...     "events": [{"event": "receive", "at": "2025-03-03T09:00"}]})["status"]
    'received'
    """
    req = validated(HistoryRequest, request, what="a history")
    limit = _time_limit(req, catalog)
    options = _options(req, code, calendar_file)
    try:
        lc = Lifecycle.replay(req.events, limit, **options)
    except (TransitionRejected, BusinessRuleError) as exc:
        state = exc.details.get("state")
        if exc.details.get("allowed") is None and isinstance(state, str):
            with contextlib.suppress(InvalidInputError):
                exc.details["allowed"] = list(allowed_events(state))
        raise
    out = lc.to_dict()
    return {"id": req.id, **out} if req.id is not None else out


def handle_history_validate(
    request: HistoryRequest | Mapping[str, Any], *, catalog: Catalog | None = None
) -> dict[str, Any]:
    """Check a history with the transition table and the clock-free rules (no replay).

    Args:
        request: a :class:`HistoryRequest` or its JSON object (the procedure is optional).
        catalog: unused today; accepted for uniformity with :func:`handle_replay`.

    Returns:
        A JSON-ready dict matching :class:`HistoryCheckResponse`: an illegal history is an
        answer (``valid: false``), not an error.

    Raises:
        InvalidInputError: an unusable request or event (no ``event``, an unreadable ``at``).

    >>> handle_history_validate({"events": [{"event": "receive", "at": "2025-03-03T09:00"},
    ...     {"event": "refuse", "at": "2025-03-03T10:00"}]})["index"]
    1
    """
    req = validated(HistoryRequest, request, what="a history")
    check = validate_history(req.events, regime=req.regime)
    out = {
        "valid": check.valid,
        "state": str(check.state),
        "index": check.index,
        "event": check.event,
        "allowed": list(check.allowed),
        "message": check.message,
    }
    return {"id": req.id, **out} if req.id is not None else out
