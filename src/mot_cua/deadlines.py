"""The deadline engine: from a receipt instant and a time limit to the legal due moment.

Rules (RULES.md §3–5):

* **Deemed receipt** (ngày tiếp nhận được tính): the receipt date if it is a working day and the
  receipt is before the cut-off (default 15:00: paper dossiers received after 15:00 go to the
  processing agency the next working day; Decree 61/2018 practice, Decree 23/2015 Art. 7 for
  certification); otherwise the next working day. Receipts after closing, on weekends or holidays
  (online filings) are deemed received at the start of the next working day. Limits in hours start
  at the receipt instant (Civil Code 2015 Art. 147), or at the next office opening when received
  outside office hours; the cut-off does not apply to them.
* **Periods in days** do not count their first day and end at the end of their last day; a
  calendar-day period ending on a day off ends on the next working day (Civil Code 2015
  Arts. 147–148). Sector rules on working days (ngày làm việc) prevail.
* **Counting methods** (:class:`~mot_cua.limits.Method`): ``days`` (default), ``half-days``
  (older one-stop software), ``working-time`` (N × office hours a day).
* **Pauses** (supplement requests, financial obligations, other excluded intervals) stop the clock;
  the time already used counts (Decree 61/2018; the Decision 766/QĐ-TTg formula subtracts
  supplement time). Some sector laws restart the clock instead: ``pause_policy="restart"``.
  Pausing keeps the due moment's time of day.

Every choice where practice varies is a field of :class:`DeadlinePolicy` with a documented default.

>>> import datetime as dt
>>> from mot_cua import compute_due, VN_TZ
>>> d = compute_due(dt.datetime(2025, 4, 25, 10, 0, tzinfo=VN_TZ), "3 ngày làm việc")
>>> d.due_at.isoformat(), d.method.value
('2025-04-29T17:00:00+07:00', 'days')
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from typing import Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mot_cua.calendar import WorkingCalendar
from mot_cua.errors import (
    InvalidInputError,
    InvalidPauseError,
    ProvisionalCalendarWarning,
    UnsupportedMethodError,
)
from mot_cua.hours import OfficeHours
from mot_cua.limits import (
    Deadline,
    Method,
    TimeLimit,
    Timeliness,
    TimeUnit,
    TraceEntry,
    TraceKind,
)
from mot_cua.timezone import VN_TZ, ensure_aware

__all__ = [
    "Deadline",
    "DeadlinePolicy",
    "Pause",
    "compute_due",
    "latest_apology_date",
    "timeliness",
]

_END_OF_DAY = dt.time(23, 59, 59)
_Moment = Literal["receipt", "resumption", "pause"]
_MIN = dt.date.min


class DeadlinePolicy(BaseModel):
    """The choices that vary between provinces and systems, each with its documented default.

    Args:
        method: how working days are counted (default ``days``, the Civil Code reading).
        cutoff: receipts at or after this time count from the next working day (default 15:00;
            ``None`` disables it). Not applied to limits in hours (Civil Code Art. 147).
        office_hours: the agency's sessions (default 07:30–11:30 & 13:30–17:00).
        due_time: ``"closing"`` (default): due at the close of office hours of the due date;
            ``"end_of_day"``: due at 23:59:59 (Civil Code Art. 148, "24:00 of the last day");
            days method only.
        roll: which days off make a calendar-day or month period roll forward.
            ``"any_day_off"`` (default): every official non-working day, swap days included;
            ``"statutory"``: only weekly rest days and statutory holidays (Art. 148 read narrowly).
        worked_saturdays: count Saturdays declared worked (default ``True``).
        outside_hours: receipts on a day off or after closing: ``"next_working_day"`` (default:
            deemed received at the start of the next working day) or ``"as_received"`` (count
            from the receipt date itself).
        pause_policy: ``"pause"`` (default; time used before the pause counts) or ``"restart"``
            (the full limit runs again from the last resumption).
        half_day_slots: ends of the morning and afternoon slots for ``method="half-days"``;
            default: the ends of the first and last office session.
        hours_per_day: office hours in one working day for ``method="working-time"``; default:
            the length of the office sessions.

    >>> DeadlinePolicy().cutoff
    datetime.time(15, 0)
    >>> DeadlinePolicy(method="half-days", half_day_slots=("11:30", "16:00")).method
    <Method.HALF_DAYS: 'half-days'>
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: Method = Method.DAYS
    cutoff: dt.time | None = dt.time(15, 0)
    office_hours: OfficeHours = Field(default_factory=OfficeHours.default)
    due_time: Literal["closing", "end_of_day"] = "closing"
    roll: Literal["any_day_off", "statutory"] = "any_day_off"
    worked_saturdays: bool = True
    outside_hours: Literal["next_working_day", "as_received"] = "next_working_day"
    pause_policy: Literal["pause", "restart"] = "pause"
    half_day_slots: tuple[dt.time, dt.time] | None = None
    hours_per_day: float | None = Field(default=None, gt=0, le=24)

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
            InvalidPauseError: the text is not two instants separated by ``/``.
        """
        parts = text.split("/")
        if len(parts) != 2:
            raise InvalidPauseError(
                f"cannot read pause {text!r}; write START/END, e.g. "
                "2025-03-07T16:00/2025-03-12T10:00",
                value=text,
            )
        try:
            start, end = (_parse_instant(p.strip()) for p in parts)
            return cls(start=start, end=end, label=label)
        except (ValueError, ValidationError) as exc:
            raise InvalidPauseError(f"invalid pause {text!r}: {_msg(exc)}", value=text) from exc


def _msg(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(e["msg"] for e in exc.errors())
    return str(exc)


def _parse_instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


# -- the engine ---------------------------------------------------------------------------------


class DeadlineEngine:
    """The clock arithmetic of one computation: a calendar, a policy and the trace being built.

    Shared with :mod:`mot_cua.routing` so that a route's step clocks and the dossier's clock can
    never disagree. Package-internal: not exported from :mod:`mot_cua`, and its methods may change
    between releases; use :func:`compute_due`.
    """

    def __init__(self, cal: WorkingCalendar, policy: DeadlinePolicy) -> None:
        self.cal = cal
        self.policy = policy
        self.hours = policy.office_hours
        self.trace: list[TraceEntry] = []
        self.touched: list[dt.date] = []
        # Last day of a calendar-day or month period before rolling (pauses extend it).
        self.unrolled_end: dt.date | None = None
        # Where day counting started (deemed receipt date, half-day slot): a pause that begins
        # before it has used nothing and stops nothing.
        self.start_slot: tuple[dt.date, int] | None = None

    # days ------------------------------------------------------------------------------------
    def at(self, day: dt.date, t: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, t, tzinfo=VN_TZ)

    def working(self, day: dt.date) -> bool:
        return self.cal._quiet_is_working(day)

    def note(self, day: dt.date, kind: TraceKind, label: str, source: str | None = None) -> None:
        self.trace.append(TraceEntry(date=day, kind=kind, label=label, source=source))

    def skipped(self, after: dt.date, upto: dt.date) -> None:
        """Record the non-working days in (after, upto]."""
        day = after + dt.timedelta(days=1)
        while day <= upto:
            if not self.working(day):
                info = self.cal.explain(day)
                self.note(day, TraceKind.SKIPPED, info.label, info.source)
            day += dt.timedelta(days=1)

    def deemed_day(
        self, s: dt.datetime, *, cutoff: bool, what: _Moment = "receipt"
    ) -> tuple[dt.date, bool]:
        """The date the clock counts from, and whether it was moved off the date of ``s``.

        ``what`` says what ``s`` is, for the trace: a receipt (``deemed_receipt`` entries), a
        resumption after a pause (``paused`` entries), or the start of a pause (no entry: the
        pause's own entry explains it).
        """
        day, t = s.date(), s.time().replace(tzinfo=None)
        as_received = self.policy.outside_hours == "as_received"
        if not self.working(day):
            if as_received:
                return day, False
            nxt = self.cal._quiet_add(day, 0)
            self._moved(
                nxt,
                what,
                f"on a day off ({self.cal.explain(day).label})",
                "RULES.md §3: receipts on days off count from the next working day",
            )
            return nxt, True
        if t >= self.hours.closing and not as_received:
            nxt = self.cal._quiet_add(day, 1)
            self._moved(
                nxt,
                what,
                f"after closing ({self.hours.closing:%H:%M})",
                "RULES.md §3: receipts outside office hours count from the next working day",
            )
            return nxt, True
        if cutoff and self.policy.cutoff is not None and t >= self.policy.cutoff:
            nxt = self.cal._quiet_add(day, 1)
            self._moved(
                nxt,
                what,
                f"at or after the {self.policy.cutoff:%H:%M} cut-off",
                "Decree 61/2018 practice; Decree 23/2015 Art. 7 (RULES.md §3)",
            )
            return nxt, True
        return day, False

    def _moved(self, day: dt.date, what: _Moment, why: str, source: str | None) -> None:
        if what == "receipt":
            label = f"received {why}; counted from the next working day"
            self.note(day, TraceKind.DEEMED_RECEIPT, label, source)
        elif what == "resumption":
            label = f"resumed {why}; the clock runs again from the next working day"
            self.note(day, TraceKind.PAUSED, label, source)

    def due_clock(self, day: dt.date) -> dt.datetime:
        if self.policy.due_time == "end_of_day":
            return self.at(day, _END_OF_DAY)
        return self.at(day, self.hours.closing)

    # office time -----------------------------------------------------------------------------
    def next_office_instant(self, s: dt.datetime) -> dt.datetime:
        """``s`` if it is inside office hours on a working day, else the next opening."""
        day, t = s.date(), s.time().replace(tzinfo=None)
        if self.working(day):
            for session in self.hours.workday:
                if t < session.start:
                    return self.at(day, session.start)
                if t < session.end:
                    return s
        nxt = self.cal._quiet_add(day, 1)
        return self.at(nxt, self.hours.opening)

    def add_office_seconds(self, s: dt.datetime, seconds: int) -> dt.datetime:
        """Add office time to an instant; a result exactly at a session's end stays there."""
        pos = self.next_office_instant(s) if seconds > 0 else s
        if seconds <= 0:
            return pos
        day = pos.date()
        remaining = seconds
        # Finish the first (partial) day.
        for session in self.hours.workday:
            start = max(self.at(day, session.start), pos)
            end = self.at(day, session.end)
            if end <= start:
                continue
            available = int((end - start).total_seconds())
            if remaining <= available:
                return start + dt.timedelta(seconds=remaining)
            remaining -= available
        # Whole days, then the rest on the last day.
        day_len = self.hours.minutes_per_day * 60
        full, rest = divmod(remaining, day_len)
        if rest == 0:
            full, rest = full - 1, day_len
        day = self.cal._quiet_add(day, full + 1)
        for session in self.hours.workday:
            length = session.minutes * 60
            if rest <= length:
                return self.at(day, session.start) + dt.timedelta(seconds=rest)
            rest -= length
        raise AssertionError("unreachable: rest exceeds one day")  # pragma: no cover

    def office_seconds_between(self, a: dt.datetime, b: dt.datetime) -> int:
        """Office time in [a, b]."""
        if b <= a:
            return 0
        total = 0
        day = a.date()
        last = b.date()
        while day <= last:
            if self.working(day):
                for session in self.hours.workday:
                    start = max(self.at(day, session.start), a)
                    end = min(self.at(day, session.end), b)
                    if end > start:
                        total += int((end - start).total_seconds())
            day += dt.timedelta(days=1)
        return total

    # half-day slots --------------------------------------------------------------------------
    def slot_of(
        self, s: dt.datetime, *, cutoff: bool, what: _Moment = "receipt"
    ) -> tuple[dt.date, int]:
        morning_end, afternoon_end = self.policy.slots
        day, moved = self.deemed_day(s, cutoff=cutoff, what=what)
        if moved:
            return day, 0
        t = s.time().replace(tzinfo=None)
        if t < morning_end:
            return day, 0
        if t < afternoon_end:
            return day, 1
        nxt = self.cal._quiet_add(day, 1)
        self._moved(nxt, what, f"after the afternoon slot ended ({afternoon_end:%H:%M})", None)
        return nxt, 0

    def slot_instant(self, day: dt.date, part: int) -> dt.datetime:
        return self.at(day, self.policy.slots[part])


def _limit(limit: TimeLimit | str) -> TimeLimit:
    if isinstance(limit, TimeLimit):
        return limit
    if isinstance(limit, str):
        return TimeLimit.parse(limit)
    raise InvalidInputError(
        f"limit must be a TimeLimit or text such as '3 ngày làm việc', not {limit!r}",
        field="limit",
    )


def _base_due(
    eng: DeadlineEngine, s: dt.datetime, limit: TimeLimit
) -> tuple[dt.datetime, dt.datetime, tuple[dt.date, int] | None]:
    """Due moment from a (re)start instant: (deemed receipt, due_at, half-day slot of receipt)."""
    cal, policy = eng.cal, eng.policy
    unit, n = limit.unit, limit.value
    if unit is TimeUnit.HOURS:
        return s, s + dt.timedelta(hours=n), None
    if unit is TimeUnit.IMMEDIATELY:
        start = eng.next_office_instant(s)
        return start, start, None
    if unit is TimeUnit.WORKING_HOURS or (
        unit is TimeUnit.WORKING_DAYS and policy.method is Method.WORKING_TIME
    ):
        start = eng.next_office_instant(s)
        if start != s:
            eng.note(
                start.date(),
                TraceKind.DEEMED_RECEIPT,
                f"received outside office hours; the clock starts at {start:%H:%M %d/%m/%Y}",
                "Civil Code 2015 Art. 147; RULES.md §3",
            )
        per_unit = 3600.0 if unit is TimeUnit.WORKING_HOURS else policy.seconds_per_day
        due = eng.add_office_seconds(start, round(n * per_unit))
        eng.skipped(start.date(), due.date())
        return start, due, None
    if policy.method is Method.HALF_DAYS and unit in (TimeUnit.WORKING_DAYS, TimeUnit.SAME_DAY):
        slots = n * 2
        if not math.isclose(slots, round(slots)):
            raise UnsupportedMethodError(
                f"the half-days method counts in half working days; {limit} is not a multiple of "
                "0.5: use method='days' or 'working-time'",
                limit=str(limit),
            )
        day, part = eng.slot_of(s, cutoff=True)
        eng.start_slot = (day, part)
        deemed = s if day == s.date() else eng.at(day, policy.office_hours.opening)
        if unit is TimeUnit.SAME_DAY:
            return deemed, eng.slot_instant(day, 1), (day, part)
        total = part + round(slots)
        days, last = divmod(total, 2)
        due_day = cal._quiet_add(day, days) if days else day
        eng.skipped(day, due_day)
        return deemed, eng.slot_instant(due_day, last), (day, part)
    # Day-based units in the days method.
    day, moved = eng.deemed_day(s, cutoff=True)
    eng.start_slot = (day, 0)
    deemed = eng.at(day, policy.office_hours.opening) if moved else s
    if unit is TimeUnit.SAME_DAY:
        return deemed, eng.due_clock(day), None
    if unit is TimeUnit.WORKING_DAYS:
        whole = math.floor(n)
        frac = n - whole
        due_day = cal._quiet_add(day, whole) if whole else day
        if frac:
            # A fraction of a day is office time from the next working day's opening.
            nxt = cal._quiet_add(due_day, 1)
            due = eng.add_office_seconds(
                eng.at(nxt, policy.office_hours.opening), round(frac * policy.seconds_per_day)
            )
            eng.skipped(day, due.date())
            return deemed, due, None
        eng.skipped(day, due_day)
        return deemed, eng.due_clock(due_day), None
    # Calendar days and months: the first day is not counted (Civil Code Art. 147).
    if unit is TimeUnit.CALENDAR_DAYS:
        end = day + dt.timedelta(days=int(n))
    else:
        end = day + relativedelta(months=int(n))
    cal._index(end, "due date")
    eng.unrolled_end = end
    rolled = _roll(eng, end)
    return deemed, eng.due_clock(rolled), None


def _roll(eng: DeadlineEngine, end: dt.date) -> dt.date:
    """Roll a period's last day forward when it is a day off (Civil Code 2015 Art. 148)."""
    cal = eng.cal
    if eng.working(end):
        return end
    if eng.policy.roll == "statutory" and not cal.is_statutory_rest_day(end):
        return end
    target = cal._quiet_add(end, 0)
    day = end
    while day < target:
        info = cal.explain(day)
        eng.note(
            day,
            TraceKind.ROLLED,
            f"period ends on a day off ({info.label}); rolled to the next working day",
            "Civil Code 2015 Art. 148",
        )
        day += dt.timedelta(days=1)
    return target


def _check_pauses(
    pauses: Iterable[Pause | tuple[dt.datetime, dt.datetime]], received: dt.datetime
) -> list[Pause]:
    out: list[Pause] = []
    for index, p in enumerate(pauses):
        if not isinstance(p, Pause):
            try:
                start, end = p
                p = Pause(
                    start=ensure_aware(start, name=f"pauses[{index}].start"),
                    end=ensure_aware(end, name=f"pauses[{index}].end"),
                )
            except (TypeError, ValueError) as exc:
                raise InvalidPauseError(
                    f"pauses[{index}]: {_msg(exc)} (give a Pause or a (start, end) pair of aware "
                    "datetimes)",
                    index=index,
                ) from exc
        if p.start < received:
            raise InvalidPauseError(
                f"pauses[{index}] starts at {p.start.isoformat()}, before the receipt at "
                f"{received.isoformat()}; a clock cannot stop before it starts",
                index=index,
            )
        out.append(
            p.model_copy(
                update={"start": p.start.astimezone(VN_TZ), "end": p.end.astimezone(VN_TZ)}
            )
        )
    out.sort(key=lambda x: x.start)
    for a, b in itertools.pairwise(out):
        if b.start < a.end:
            raise InvalidPauseError(
                f"pauses overlap: {a.start.isoformat()}/{a.end.isoformat()} and "
                f"{b.start.isoformat()}/{b.end.isoformat()}; merge them into one",
            )
    return out


def apply_pause(
    eng: DeadlineEngine, limit: TimeLimit, due: dt.datetime, pause: Pause
) -> dt.datetime:
    """Move ``due`` by the clock time that ``pause`` stood still (keeps the time of day).

    Package-internal (shared with :mod:`mot_cua.routing`); use ``compute_due(..., pauses=...)``.
    """
    cal, policy, unit = eng.cal, eng.policy, limit.unit
    if pause.start >= due:
        eng.note(
            pause.start.date(),
            TraceKind.PAUSED,
            f"{pause.label}: began after the due moment, so it does not extend it",
        )
        return due
    if unit is TimeUnit.WORKING_HOURS or (
        unit is TimeUnit.WORKING_DAYS and policy.method is Method.WORKING_TIME
    ):
        shift = eng.office_seconds_between(pause.start, pause.end)
        new = eng.add_office_seconds(due, shift) if shift else due
        text = f"{shift // 60} office minutes"
    elif unit in (TimeUnit.HOURS, TimeUnit.IMMEDIATELY):
        new = due + (pause.end - pause.start)
        text = f"{pause.end - pause.start}"
    elif unit in (TimeUnit.CALENDAR_DAYS, TimeUnit.MONTHS):
        # The excluded days extend the period itself; roll again from its new last day.
        days = (pause.end.date() - pause.start.date()).days
        end = (eng.unrolled_end or due.date()) + dt.timedelta(days=days)
        cal._index(end, "due date")
        eng.unrolled_end = end
        new = dt.datetime.combine(_roll(eng, end) if days else due.date(), due.timetz())
        text = f"{days} days"
    elif policy.method is Method.HALF_DAYS:
        p_day, p_part = max(
            eng.slot_of(pause.start, cutoff=False, what="pause"), eng.start_slot or (_MIN, 0)
        )
        r_day, r_part = eng.slot_of(pause.end, cutoff=True, what="resumption")
        shift = 2 * cal._quiet_between(p_day, r_day) + r_part - p_part
        d_day = due.date()
        d_part = 0 if due.time().replace(tzinfo=None) <= policy.slots[0] else 1
        days, part = divmod(d_part + max(shift, 0), 2)
        new = eng.slot_instant(cal._quiet_add(d_day, days) if days else d_day, part)
        text = f"{max(shift, 0)} half-day slots"
    else:
        start_day = max(pause.start.date(), eng.start_slot[0] if eng.start_slot else _MIN)
        resume_day, _ = eng.deemed_day(pause.end, cutoff=True, what="resumption")
        shift = cal._quiet_between(start_day, resume_day)
        new_day = cal._quiet_add(due.date(), shift) if shift > 0 else due.date()
        new = dt.datetime.combine(new_day, due.timetz())
        text = f"{max(shift, 0)} working days"
    eng.note(
        pause.start.date(),
        TraceKind.PAUSED,
        f"{pause.label}: {pause.start:%d/%m/%Y %H:%M} to {pause.end:%d/%m/%Y %H:%M}, "
        f"due moment moved by {text}",
        "Decree 61/2018 (time used before a supplement request counts); RULES.md §5",
    )
    eng.touched.append(pause.end.date())
    return max(new, due)


def compute_due(
    received_at: dt.datetime,
    limit: TimeLimit | str,
    *,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    pauses: Sequence[Pause | tuple[dt.datetime, dt.datetime]] = (),
) -> Deadline:
    """Compute the legal due moment (ngày hẹn trả kết quả) of a dossier.

    Args:
        received_at: when the complete dossier was received (aware; converted to
            Asia/Ho_Chi_Minh).
        limit: the statutory limit, as a :class:`~mot_cua.limits.TimeLimit` or text.
        calendar: the working calendar (default :meth:`WorkingCalendar.vietnam`).
        policy: the counting policy (default :class:`DeadlinePolicy`).
        pauses: intervals during which the clock stands still (supplements, payments, excluded
            intervals); they must start after the receipt and not overlap.

    Returns:
        A frozen :class:`~mot_cua.limits.Deadline`. ``provisional`` is true (and a
        :class:`~mot_cua.errors.ProvisionalCalendarWarning` is emitted) when the computation
        touches a year whose official schedule is not published yet.

    Raises:
        NaiveDatetimeError: ``received_at`` or a pause has no UTC offset.
        TimeLimitParseError: ``limit`` is text that is not a time limit.
        UnsupportedMethodError: the method cannot count this limit (e.g. 0.3 day in half-days).
        InvalidPauseError: pauses overlap or start before the receipt.
        CalendarRangeError: the computation leaves the calendar's years.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> compute_due(dt.datetime(2025, 1, 23, 16, 0, tzinfo=VN_TZ), "trong ngày").due_date
    datetime.date(2025, 1, 24)
    >>> compute_due(dt.datetime(2025, 1, 6, 10, 0), "8 giờ làm việc")
    Traceback (most recent call last):
    ...
    mot_cua.errors.NaiveDatetimeError: received_at=2025-01-06T10:00:00 has no UTC offset; ...
    """
    received = ensure_aware(received_at, name="received_at")
    lim = _limit(limit)
    pol = policy if policy is not None else DeadlinePolicy()
    if not isinstance(pol, DeadlinePolicy):
        raise InvalidInputError(f"policy must be a DeadlinePolicy, not {pol!r}", field="policy")
    cal = calendar if calendar is not None else WorkingCalendar.vietnam()
    if not pol.worked_saturdays:
        cal = cal.without_worked_saturdays()
    checked = _check_pauses(pauses, received)
    eng = DeadlineEngine(cal, pol)
    deemed, due, _ = _base_due(eng, received, lim)
    if checked and pol.pause_policy == "restart":
        last = checked[-1]
        eng.note(
            last.end.date(),
            TraceKind.RESTARTED,
            f"{last.label}: the clock restarts in full from {last.end:%d/%m/%Y %H:%M}",
            "pause_policy='restart' (sector laws that restart the period; RULES.md §5)",
        )
        eng.trace = [t for t in eng.trace if t.kind is not TraceKind.SKIPPED]
        _, due, _ = _base_due(eng, last.end, lim)
    else:
        for p in checked:
            due = apply_pause(eng, lim, due, p)
    top = max([due.date(), received.date(), *eng.touched])
    provisional = cal.is_provisional(top)
    if provisional and cal.on_provisional == "warn":
        warnings.warn(
            ProvisionalCalendarWarning(
                f"due date {due.date().isoformat()} depends on {top.year}, whose official "
                f"schedule is not published yet (known through {cal.official_last_year}); "
                "Deadline.provisional is True"
            ),
            stacklevel=2,
        )
    elif provisional and cal.on_provisional == "raise":
        cal._warn(top.toordinal())
    trace = tuple(sorted(eng.trace, key=lambda t: t.date))
    return Deadline(
        received_at=received,
        deemed_receipt=deemed,
        limit=lim,
        method=pol.method,
        due_at=due,
        provisional=provisional,
        trace=trace,
    )


def timeliness(
    finished_at: dt.datetime,
    deadline: Deadline | dt.datetime,
    *,
    granularity: Literal["instant", "date"] = "instant",
) -> Timeliness:
    """Classify a finish as early, on time or late (trước hạn / đúng hạn / quá hạn).

    *Early* means finished on a day before the due date; *late* means after the due moment
    (``granularity="instant"``, the default: Decision 766/QĐ-TTg, end time ≤ appointment) or on a
    later day (``granularity="date"``, how date-only systems judge it).

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> due = dt.datetime(2025, 4, 29, 17, 0, tzinfo=VN_TZ)
    >>> timeliness(dt.datetime(2025, 4, 29, 17, 30, tzinfo=VN_TZ), due).value
    'late'
    >>> timeliness(dt.datetime(2025, 4, 29, 17, 30, tzinfo=VN_TZ), due, granularity="date").value
    'on_time'
    """
    finished = ensure_aware(finished_at, name="finished_at")
    due = (
        deadline.due_at
        if isinstance(deadline, Deadline)
        else ensure_aware(deadline, name="deadline")
    )
    if granularity not in ("instant", "date"):
        raise InvalidInputError(
            f"granularity must be 'instant' or 'date', not {granularity!r}", field="granularity"
        )
    if finished.date() < due.date():
        return Timeliness.EARLY
    late = finished > due if granularity == "instant" else finished.date() > due.date()
    return Timeliness.LATE if late else Timeliness.ON_TIME


def latest_apology_date(
    due: Deadline | dt.date,
    *,
    calendar: WorkingCalendar | None = None,
    reading: Literal["working_day", "calendar_day"] = "working_day",
) -> dt.date:
    """The last day on which an apology with a new date may be issued (form 04).

    Decree 61/2018 (and Decree 118/2025): no later than one day before the due date.
    ``reading="working_day"`` (default, RULES.md §5): the previous working day;
    ``"calendar_day"``: the previous calendar day (EXAMPLES.md row 37).

    >>> import datetime as dt
    >>> latest_apology_date(dt.date(2025, 5, 5))
    datetime.date(2025, 4, 29)
    >>> latest_apology_date(dt.date(2025, 5, 5), reading="calendar_day")
    datetime.date(2025, 5, 4)
    """
    day = due.due_date if isinstance(due, Deadline) else due
    if isinstance(day, dt.datetime):
        day = ensure_aware(day, name="due").date()
    if reading == "calendar_day":
        return day - dt.timedelta(days=1)
    if reading != "working_day":
        raise InvalidInputError(
            f"reading must be 'working_day' or 'calendar_day', not {reading!r}", field="reading"
        )
    cal = calendar if calendar is not None else WorkingCalendar.vietnam()
    return cal._quiet_add(day, -1)
