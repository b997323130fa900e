"""The request and response models of the contract's ``due`` (loaded on first use)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.contract._errors import ErrorDetail

__all__ = [
    "DueBatchError",
    "DueRequest",
    "DueResponse",
    "PauseObject",
    "TraceItem",
    "UncertainDayItem",
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
