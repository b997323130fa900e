"""The pydantic models of :mod:`mot_cua.deadlines` (loaded on first use; import them from there)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mot_cua._values.limits import Deadline, TimeLimit, TraceEntry, UncertainDay
from mot_cua.deadlines import _DEFAULTS, _parse_instant
from mot_cua.errors import InvalidPauseError, brief
from mot_cua.hours import OfficeHours, wall_clock
from mot_cua.limits import Method

__all__ = ["Deadline", "DeadlinePolicy", "Pause", "TimeLimit", "TraceEntry", "UncertainDay"]


class DeadlinePolicy(BaseModel):
    """The choices that vary between provinces and systems, each with its documented default.

    Args:
        method: how working days are counted (default ``days``, the Civil Code reading).
        cutoff: receipts at or after this time count from the next working day (default 15:00;
            ``None`` disables it). Not applied to limits in hours (Civil Code Art. 147). A
            wall-clock time in Asia/Ho_Chi_Minh (``+07:00`` is accepted and dropped; other
            offsets are refused).
        office_hours: the agency's sessions (default 07:30–11:30 & 13:30–17:00).
        due_time: ``"closing"`` (default): due at the close of office hours of the due date;
            ``"end_of_day"``: due at 23:59:59 (Civil Code Art. 148, "24:00 of the last day");
            days method only.
        roll: which days off make a calendar-day or month period roll forward.
            ``"any_day_off"`` (default): every official non-working day, swap days included;
            ``"statutory"``: only weekly rest days and statutory holidays (Art. 148 read
            narrowly): the period ends on the first day on or after its last day that is neither.
        worked_saturdays: count Saturdays declared worked (default ``True``).
        outside_hours: receipts on a day off or after closing: ``"next_working_day"`` (default:
            deemed received at the start of the next working day) or ``"as_received"`` (count
            from the receipt's own calendar date, days off included; a receipt at or after the
            cut-off counts from the next calendar day).
        pause_policy: ``"pause"`` (default; time used before the pause counts) or ``"restart"``
            (the full limit runs again from the resumption of each pause that began before the
            due moment).
        half_day_slots: ends of the morning and afternoon slots for ``method="half-days"``;
            default: the ends of the first and last office session (wall-clock times, like
            ``cutoff``).
        hours_per_day: office hours in one working day for ``method="working-time"``; default:
            the length of the office sessions.
        hours_outside_working_time: an appointment computed in clock hours ("48 giờ") that falls
            outside working time: ``"next_working_time"`` (default; moved to the next office
            opening, the raw instant kept as ``Deadline.raw_due_at``; Civil Code 2015 Art.
            148(5) read for hours, medium) or ``"keep"`` (the clock instant as computed).

    >>> DeadlinePolicy().cutoff
    datetime.time(15, 0)
    >>> DeadlinePolicy(method="half-days", half_day_slots=("11:30", "16:00")).method
    <Method.HALF_DAYS: 'half-days'>
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: Method = _DEFAULTS["method"]
    cutoff: dt.time | None = _DEFAULTS["cutoff"]
    office_hours: OfficeHours = Field(default_factory=OfficeHours.default)
    due_time: Literal["closing", "end_of_day"] = _DEFAULTS["due_time"]
    roll: Literal["any_day_off", "statutory"] = _DEFAULTS["roll"]
    worked_saturdays: bool = _DEFAULTS["worked_saturdays"]
    outside_hours: Literal["next_working_day", "as_received"] = _DEFAULTS["outside_hours"]
    pause_policy: Literal["pause", "restart"] = _DEFAULTS["pause_policy"]
    half_day_slots: tuple[dt.time, dt.time] | None = _DEFAULTS["half_day_slots"]
    hours_per_day: float | None = Field(default=_DEFAULTS["hours_per_day"], gt=0, le=24)
    hours_outside_working_time: Literal["next_working_time", "keep"] = _DEFAULTS[
        "hours_outside_working_time"
    ]

    @field_validator("cutoff")
    @classmethod
    def _cutoff_wall_clock(cls, value: dt.time | None) -> dt.time | None:
        return None if value is None else wall_clock(value, name="cutoff")

    @field_validator("half_day_slots")
    @classmethod
    def _slots_wall_clock(
        cls, value: tuple[dt.time, dt.time] | None
    ) -> tuple[dt.time, dt.time] | None:
        if value is None:
            return None
        return (
            wall_clock(value[0], name="half_day_slots[0]"),
            wall_clock(value[1], name="half_day_slots[1]"),
        )

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.half_day_slots is not None and self.half_day_slots[0] >= self.half_day_slots[1]:
            raise ValueError("half_day_slots: the morning slot must end before the afternoon one")
        if self.due_time == "end_of_day" and self.method is not Method.DAYS:
            raise ValueError(
                f"due_time='end_of_day' applies to the days method only; the {self.method.value} "
                "method ends at a slot's or an office session's end: leave due_time='closing'"
            )
        return self

    @property
    def seconds_per_day(self) -> float:
        """Office seconds in one working day (``hours_per_day``, else the sessions' length)."""
        if self.hours_per_day is not None:
            return self.hours_per_day * 3600
        return self.office_hours.minutes_per_day * 60.0

    @property
    def slots(self) -> tuple[dt.time, dt.time]:
        """Ends of the morning and afternoon slots."""
        if self.half_day_slots is not None:
            return self.half_day_slots
        return self.office_hours.workday[0].end, self.office_hours.closing


_DEFAULT_POLICY = DeadlinePolicy()

# pydantic copies this set before changing it (model_copy), so one instance serves every result.
_FIELDS_SET = set(Deadline.model_fields)


class Pause(BaseModel):
    """An interval during which the clock stands still (supplement, tax payment, ...).

    Args:
        start: when the clock stops (e.g. the applicant is notified of a supplement request).
        end: when it runs again (the supplement arrives, the payment is confirmed).
        label: why (shown in the trace).

    >>> import datetime as dt
    >>> Pause.parse("2025-03-07T16:00/2025-03-12T10:00").end.isoformat()
    '2025-03-12T10:00:00+07:00'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.datetime
    end: dt.datetime
    label: str = "Tạm dừng tính thời hạn"

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name in ("start", "end"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(
                    f"{name}={getattr(self, name).isoformat()} has no UTC offset; add one "
                    "(e.g. +07:00)"
                )
        if self.end < self.start:
            raise ValueError(
                f"the pause ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )
        return self

    @classmethod
    def parse(cls, text: str, *, label: str = "Tạm dừng tính thời hạn") -> Pause:
        """Read ``START/END`` (ISO 8601; without an offset, Asia/Ho_Chi_Minh).

        Raises:
            InvalidPauseError: the text is not two instants separated by ``/``, or the label is
                not text.

        >>> Pause.parse("2025-03-07")
        Traceback (most recent call last):
        ...
        mot_cua.errors.InvalidPauseError: cannot read pause '2025-03-07'; write START/END, ...
        """
        if not isinstance(text, str):
            raise InvalidPauseError(
                f"a pause must be text START/END, e.g. 2025-03-07T16:00/2025-03-12T10:00, not "
                f"{brief(text)}",
                value=text,
            )
        if not isinstance(label, str):
            raise InvalidPauseError(
                f"a pause's label must be text, not {brief(label)}", value=label
            )
        parts = text.split("/")
        if len(parts) != 2:
            raise InvalidPauseError(
                f"cannot read pause {brief(text)}; write START/END, e.g. "
                "2025-03-07T16:00/2025-03-12T10:00",
                value=text,
            )
        try:
            start = _parse_instant(parts[0].strip(), "start")
            end = _parse_instant(parts[1].strip(), "end")
            return cls(start=start, end=end, label=label)
        except (ValueError, ValidationError) as exc:
            raise InvalidPauseError(
                f"invalid pause {brief(text)}: {_msg(exc)}", value=text
            ) from exc


def _msg(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)
