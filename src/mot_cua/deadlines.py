"""The deadline engine: from a receipt instant and a time limit to the legal due moment.

Rules (mot_cua rules §3–5; the exact semantics are in the docs page "Due dates"):

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
* **Appointments in clock hours** that fall outside working time move to the next working time
  (Civil Code 2015 Art. 148(5) read for hours; ``hours_outside_working_time``), keeping the raw
  instant on the result (``Deadline.raw_due_at``).
* **Counting methods** (:class:`~mot_cua.limits.Method`): ``days`` (default), ``half-days``
  (older one-stop software), ``working-time`` (N × office hours a day).
* **Pauses** (supplement requests, financial obligations, other excluded intervals) stop the clock;
  the time already used counts (Decree 61/2018; the Decision 766/QĐ-TTg formula subtracts
  supplement time). Some sector laws restart the clock instead: ``pause_policy="restart"``.
  Pausing keeps the due moment's time of day. A pause that begins after the due moment moves
  nothing, under either policy.

Every choice where practice varies is a field of :class:`DeadlinePolicy` with a documented default.
Invariants (tested with Hypothesis over every policy): the due moment is never before the receipt,
and a later receipt never gets an earlier due moment.

>>> import datetime as dt
>>> from mot_cua import compute_due, VN_TZ
>>> d = compute_due(dt.datetime(2025, 4, 25, 10, 0, tzinfo=VN_TZ), "3 ngày làm việc")
>>> d.due_at.isoformat(), d.method.value
('2025-04-29T17:00:00+07:00', 'days')
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

from dateutil.relativedelta import relativedelta

from mot_cua.calendar import CALENDAR_FILE_ENV, WorkingCalendar
from mot_cua.errors import (
    CalendarRangeError,
    InvalidInputError,
    InvalidPauseError,
    MotCuaError,
    UnsupportedMethodError,
    brief,
)
from mot_cua.hours import DEFAULT_WORKDAY
from mot_cua.limits import (
    Method,
    Timeliness,
    TimeUnit,
    TraceKind,
    _Lazy,
    _LimitLike,
    _plain_limit,
)
from mot_cua.timezone import VN_TZ, ensure_aware

if TYPE_CHECKING:
    from mot_cua._values.deadlines import DeadlinePolicy, Pause
    from mot_cua.limits import Deadline, TimeLimit, TraceEntry

__all__ = [
    "Deadline",
    "DeadlinePolicy",
    "Pause",
    "compute_due",
    "latest_apology_date",
    "timeliness",
]

_END_OF_DAY = dt.time(23, 59, 59)
_fromordinal = dt.date.fromordinal
_DAY = dt.timedelta(days=1)
_Moment = Literal["receipt", "resumption", "pause"]
_MIN = dt.date.min
_ART_148 = "Civil Code 2015 Art. 148"
_HOURS_ROLL = "Civil Code 2015 Art. 148(5), read for periods in hours (mot_cua rules §4; medium)"


#: The defaults of :class:`DeadlinePolicy`, in one place: its fields and the engine's default
#: policy (``policy=None``, computed without building the model) both read them.
_DEFAULTS: dict[str, Any] = {
    "method": Method.DAYS,
    "cutoff": dt.time(15, 0),
    "due_time": "closing",
    "roll": "any_day_off",
    "worked_saturdays": True,
    "outside_hours": "next_working_day",
    "pause_policy": "pause",
    "half_day_slots": None,
    "hours_per_day": None,
    "hours_outside_working_time": "next_working_time",
}
# Enum members cost ~0.2 µs per attribute access on the class: the hot paths use these.
_M_DAYS = Method.DAYS
_M_HALF_DAYS = Method.HALF_DAYS
_M_WORKING_TIME = Method.WORKING_TIME
_T_CALENDAR_DAYS = TimeUnit.CALENDAR_DAYS
_T_HOURS = TimeUnit.HOURS
_T_IMMEDIATELY = TimeUnit.IMMEDIATELY
_T_MONTHS = TimeUnit.MONTHS
_T_SAME_DAY = TimeUnit.SAME_DAY
_T_WORKING_DAYS = TimeUnit.WORKING_DAYS
_T_WORKING_HOURS = TimeUnit.WORKING_HOURS


class _Derived:
    """Values derived from one policy, computed once per policy object (not per call)."""

    __slots__ = (
        "as_received",
        "closing",
        "cutoff",
        "day_len",
        "end_of_day",
        "method",
        "opening",
        "per_day",
        "restart",
        "roll_hours",
        "sessions",
        "slots",
        "statutory",
    )

    def __init__(self, policy: DeadlinePolicy | None) -> None:
        if policy is None:  # the default policy, without building the model
            fields = _DEFAULTS
            sessions = DEFAULT_WORKDAY
        else:
            fields = {name: getattr(policy, name) for name in _DEFAULTS}
            sessions = tuple((s.start, s.end) for s in policy.office_hours.workday)
        self.sessions = sessions
        self.opening = sessions[0][0]
        self.closing = sessions[-1][1]
        self.day_len = sum(_seconds(b) - _seconds(a) for a, b in sessions)
        hours_per_day = fields["hours_per_day"]
        self.per_day = float(self.day_len) if hours_per_day is None else hours_per_day * 3600
        slots = fields["half_day_slots"]
        self.slots = (sessions[0][1], self.closing) if slots is None else slots
        self.cutoff = fields["cutoff"]
        self.as_received = fields["outside_hours"] == "as_received"
        self.end_of_day = fields["due_time"] == "end_of_day"
        self.method = fields["method"]
        self.restart = fields["pause_policy"] == "restart"
        self.statutory = fields["roll"] == "statutory"
        self.roll_hours = fields["hours_outside_working_time"] == "next_working_time"


_DERIVED: dict[int, tuple[DeadlinePolicy, _Derived]] = {}


def _derived(policy: DeadlinePolicy | None) -> _Derived:
    # Keyed by identity; the entry keeps its policy alive, so an id is never reused while cached.
    if policy is None:
        return _DEFAULT_DERIVED
    entry = _DERIVED.get(id(policy))
    if entry is not None and entry[0] is policy:
        return entry[1]
    found = _Derived(policy)
    if len(_DERIVED) >= 256:
        _DERIVED.clear()
    _DERIVED[id(policy)] = (policy, found)
    return found


def _parse_instant(text: str, name: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return ensure_aware(value, name=name)


# -- the engine ---------------------------------------------------------------------------------


class DeadlineEngine:
    """The clock arithmetic of one computation: a calendar, a policy and the trace being built.

    Shared with :mod:`mot_cua.routing` so that a route's step clocks and the dossier's clock can
    never disagree. Package-internal: not exported from :mod:`mot_cua`, and its methods may change
    between releases; use :func:`compute_due`.

    With ``record=False`` (what :func:`compute_due` uses) no trace is built: every method costs
    a few table look-ups whatever the span. The trace of a :class:`Deadline` is rebuilt, when
    first read, by running the same computation with ``record=True``.
    """

    __slots__ = (
        "_base",
        "_n",
        "_work",
        "cal",
        "p",
        "policy",
        "record",
        "start_slot",
        "touched",
        "trace",
        "unrolled_end",
    )

    def __init__(
        self, cal: WorkingCalendar, policy: DeadlinePolicy | None, *, record: bool = True
    ) -> None:
        self.cal = cal
        self._base = cal._base
        self._n = cal._n
        self._work = cal._work
        self.policy = policy  # None: the default policy
        self.p = _derived(policy)
        self.record = record
        self.trace: list[_Step] = []
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
        i = day.toordinal() - self._base
        if 0 <= i < self._n:
            return self._work[i] == 1
        return self.cal._quiet_is_working(day)  # raises CalendarRangeError

    def add(self, day: dt.date, n: int) -> dt.date:
        """``add_working_days(day, n)`` without warnings (the result reports provisional)."""
        i = day.toordinal() - self._base
        if 0 <= i < self._n:
            return _fromordinal(self.cal._add_ord(i, n, day))
        return self.cal._quiet_add(day, n)  # raises CalendarRangeError

    def note(self, day: dt.date, kind: TraceKind, label: str, source: str | None = None) -> None:
        if self.record:
            self.trace.append(_Step(day, kind, label, source))

    def skipped(self, after: dt.date, upto: dt.date) -> None:
        """Record the days off in (after, upto], and the worked weekend days counted there."""
        if self.record:
            self.counted(after + _DAY, upto)

    def counted(self, first: dt.date, last: dt.date) -> None:
        """Record the days off in [first, last], and the worked weekend days counted there."""
        if not self.record:
            return
        day = first
        while day <= last:
            working = self.working(day)
            if not working or day.weekday() >= 5:
                info = self.cal._explain_fields(day)
                kind = TraceKind.WORKED_DAY if working else TraceKind.SKIPPED
                self.note(day, kind, info["label"], info["source"])
            day += _DAY

    def _off_before(self, first: dt.date, deemed: dt.date) -> None:
        """Record the days off from the receipt date up to (not including) the deemed receipt."""
        day = first
        while day < deemed:
            if not self.working(day):
                info = self.cal._explain_fields(day)
                label = f"{info['label']}: day off between the receipt and the deemed receipt"
                self.note(day, TraceKind.SKIPPED, label, info["source"])
            day += _DAY

    def deemed_day(
        self, s: dt.datetime, *, cutoff: bool, what: _Moment = "receipt"
    ) -> tuple[dt.date, bool]:
        """The date the clock counts from, and whether it was moved off the date of ``s``.

        ``what`` says what ``s`` is, for the trace: a receipt (``deemed_receipt`` entries), a
        resumption after a pause (``paused`` entries), or the start of a pause (no entry: the
        pause's own entry explains it).
        """
        p = self.p
        day, t = s.date(), s.time()
        if p.as_received:
            return self._as_received(day, t, cutoff=cutoff, what=what)
        if not self.working(day):
            nxt = self.add(day, 0)
            if self.record:
                why = f"on a day off ({self.cal._explain_fields(day)['label']})"
                src = "mot_cua rules §3: receipts on days off count from the next working day"
                self._moved(day, nxt, what, why, src)
            return nxt, True
        if t >= p.closing:
            nxt = self.add(day, 1)
            if self.record:
                why = f"after closing ({p.closing:%H:%M})"
                src = "mot_cua rules §3: receipts after closing count from the next working day"
                self._moved(day, nxt, what, why, src)
            return nxt, True
        if cutoff and p.cutoff is not None and t >= p.cutoff:
            nxt = self.add(day, 1)
            if self.record:
                why = f"at or after the {p.cutoff:%H:%M} cut-off"
                src = "Decree 61/2018 practice; Decree 23/2015 Art. 7 (mot_cua rules §3)"
                self._moved(day, nxt, what, why, src)
            return nxt, True
        return day, False

    def _as_received(
        self, day: dt.date, t: dt.time, *, cutoff: bool, what: _Moment
    ) -> tuple[dt.date, bool]:
        """``outside_hours="as_received"``: the receipt's own date; the next one after a cut-off."""
        p = self.p
        if cutoff and p.cutoff is not None and t >= p.cutoff and self.working(day):
            nxt = day + _DAY
            self.cal._index(nxt, "deemed receipt")
            if self.record:
                why = f"at or after the {p.cutoff:%H:%M} cut-off"
                self._moved(
                    day,
                    nxt,
                    what,
                    why,
                    "Decree 61/2018 practice (mot_cua rules §3); outside_hours='as_received': "
                    "the next calendar day, days off included",
                    skip_days_off=False,
                )
            return nxt, True
        return day, False

    def _moved(
        self,
        first: dt.date,
        day: dt.date,
        what: _Moment,
        why: str,
        source: str | None,
        *,
        skip_days_off: bool = True,
    ) -> None:
        if what == "receipt":
            nxt = "the next working day" if skip_days_off else "the next day"
            label = f"received {why}; counted from {nxt}"
            self.note(day, TraceKind.DEEMED_RECEIPT, label, source)
            if skip_days_off:
                self._off_before(first, day)
        elif what == "resumption":
            label = f"resumed {why}; the clock runs again from the next working day"
            self.note(day, TraceKind.PAUSED, label, source)

    def due_clock(self, day: dt.date) -> dt.datetime:
        if self.p.end_of_day:
            return self.at(day, _END_OF_DAY)
        return self.at(day, self.p.closing)

    # office time -----------------------------------------------------------------------------
    def next_office_instant(self, s: dt.datetime) -> dt.datetime:
        """``s`` if it is inside office hours on a working day, else the next opening."""
        day, t = s.date(), s.time()
        if self.working(day):
            for start, end in self.p.sessions:
                if t < start:
                    return self.at(day, start)
                if t < end:
                    return s
        nxt = self.add(day, 1)
        return self.at(nxt, self.p.opening)

    def in_working_time(self, s: dt.datetime) -> bool:
        """Whether ``s`` lies in a session of a working day (a session's end included)."""
        t = s.time()
        return self.working(s.date()) and any(a <= t <= b for a, b in self.p.sessions)

    def add_office_seconds(self, s: dt.datetime, seconds: int) -> dt.datetime:
        """Add office time to an instant; a result exactly at a session's end stays there."""
        if seconds <= 0:
            return s
        pos = self.next_office_instant(s)
        day = pos.date()
        remaining = seconds
        # Finish the first (partial) day.
        for a, b in self.p.sessions:
            start = max(self.at(day, a), pos)
            end = self.at(day, b)
            if end <= start:
                continue
            available = int((end - start).total_seconds())
            if remaining <= available:
                return start + dt.timedelta(seconds=remaining)
            remaining -= available
        # Whole days, then the rest on the last day.
        full, rest = divmod(remaining, self.p.day_len)
        if rest == 0:
            full, rest = full - 1, self.p.day_len
        if full + 1 > self.cal._nwork:
            self.cal._beyond(day, full + 1)
        day = self.add(day, full + 1)
        for a, b in self.p.sessions:
            length = _seconds(b) - _seconds(a)
            if rest <= length:
                return self.at(day, a) + dt.timedelta(seconds=rest)
            rest -= length
        raise AssertionError("unreachable: rest exceeds one day")  # pragma: no cover

    def _office_seconds_in_day(self, day: dt.date, a: dt.time | None, b: dt.time | None) -> int:
        """Office seconds of ``day`` between the times ``a`` and ``b`` (None: day start/end)."""
        if not self.working(day):
            return 0
        lo = 0 if a is None else _seconds(a) + a.microsecond / 1e6
        hi = 86400 if b is None else _seconds(b) + b.microsecond / 1e6
        total = 0.0
        for start, end in self.p.sessions:
            x, y = max(_seconds(start), lo), min(_seconds(end), hi)
            if y > x:
                total += y - x
        return int(total)

    def office_seconds_between(self, a: dt.datetime, b: dt.datetime) -> int:
        """Office time in [a, b], in whole seconds (constant time, whatever the span)."""
        if b <= a:
            return 0
        da, db = a.date(), b.date()
        if da == db:
            return self._office_seconds_in_day(da, a.time(), b.time())
        first = self._office_seconds_in_day(da, a.time(), None)
        last = self._office_seconds_in_day(db, None, b.time())
        between = self.cal._quiet_between(da, db) - (1 if self.working(db) else 0)
        return first + between * self.p.day_len + last

    # half-day slots --------------------------------------------------------------------------
    def slot_of(
        self, s: dt.datetime, *, cutoff: bool, what: _Moment = "receipt"
    ) -> tuple[dt.date, int]:
        """The half-day slot ``(day, 0 | 1)`` in which counting starts.

        Under ``outside_hours="as_received"`` a receipt on a day off ``D`` is ``(D, 1)``: as if
        received in the last slot before the next working day (``add(D, k)`` equals ``add`` from
        the previous working day), and a receipt after the afternoon slot stays in it.
        """
        morning_end, afternoon_end = self.p.slots
        day, moved = self.deemed_day(s, cutoff=cutoff, what=what)
        if not self.working(day):
            return day, 1  # as_received only: days off are not skipped
        if moved:
            return day, 0
        t = s.time()
        if t < morning_end:
            return day, 0
        if t < afternoon_end or self.p.as_received:
            return day, 1
        nxt = self.add(day, 1)
        if self.record:
            self._moved(
                day, nxt, what, f"after the afternoon slot ended ({afternoon_end:%H:%M})", None
            )
        return nxt, 0

    def slot_instant(self, day: dt.date, part: int) -> dt.datetime:
        return self.at(day, self.p.slots[part])


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


_LIMITS: dict[str, TimeLimit] = {}


def _limit(limit: TimeLimit | str) -> TimeLimit:
    v = _V or _v()
    if isinstance(limit, str):
        found = _LIMITS.get(limit)
        if found is None:
            found = cast("TimeLimit", v.TimeLimit.parse(limit))
            if len(_LIMITS) >= 1024:
                _LIMITS.clear()
            _LIMITS[limit] = found
        return found
    if isinstance(limit, v.TimeLimit):
        return cast("TimeLimit", limit)
    raise InvalidInputError(
        f"limit must be a TimeLimit or text such as '3 ngày làm việc', not {brief(limit)}",
        field="limit",
    )


def _check_size(eng: DeadlineEngine, s: dt.datetime, limit: _LimitLike) -> None:
    """Refuse a limit that cannot end inside the calendar, before any date arithmetic."""
    unit, n = limit.unit, limit.value
    if unit is _T_SAME_DAY or unit is _T_IMMEDIATELY:
        return
    # A lower bound of the calendar days the period needs.
    if unit is _T_MONTHS:
        need = n * 28
    elif unit is _T_HOURS or unit is _T_WORKING_HOURS:
        need = n / 24
    elif unit is _T_WORKING_DAYS and eng.p.method is _M_WORKING_TIME:
        need = n * eng.p.per_day / 86400
    else:
        need = n
    cal = eng.cal
    left = cal._base + cal._n - s.toordinal()
    if need > left:
        raise CalendarRangeError(
            f"a limit of {limit} from {s:%d/%m/%Y} ends after {cal.last_day.isoformat()}, the "
            f"end of calendar '{cal.name}'; mot_cua never clamps: check the limit, or use a "
            "calendar with a later last_year (e.g. WorkingCalendar.vietnam(last_year=2100))",
            limit=str(limit),
            last_day=cal.last_day,
        )


def _base_due(
    eng: DeadlineEngine, s: dt.datetime, limit: _LimitLike, what: _Moment = "receipt"
) -> tuple[dt.datetime, dt.datetime, tuple[dt.date, int] | None]:
    """Due moment from a (re)start instant: (deemed receipt, due_at, half-day slot of receipt)."""
    method = eng.p.method
    unit = limit.unit
    if unit is _T_HOURS:
        return s, s + dt.timedelta(hours=limit.value), None
    if unit is _T_IMMEDIATELY:
        start = eng.next_office_instant(s)
        return start, start, None
    if unit is _T_WORKING_HOURS or (unit is _T_WORKING_DAYS and method is _M_WORKING_TIME):
        return _office_time_due(eng, s, limit, what)
    if method is _M_HALF_DAYS and (unit is _T_WORKING_DAYS or unit is _T_SAME_DAY):
        return _half_days_due(eng, s, limit, what)
    return _days_due(eng, s, limit, what)


def _office_time_due(
    eng: DeadlineEngine, s: dt.datetime, limit: _LimitLike, what: _Moment
) -> tuple[dt.datetime, dt.datetime, None]:
    start = eng.next_office_instant(s)
    if start != s and eng.record and what == "receipt":
        eng.note(
            start.date(),
            TraceKind.DEEMED_RECEIPT,
            f"received outside office hours; the clock starts at {start:%H:%M %d/%m/%Y}",
            "Civil Code 2015 Art. 147; mot_cua rules §3",
        )
        eng._off_before(s.date(), start.date())
    per_unit = 3600.0 if limit.unit is _T_WORKING_HOURS else eng.p.per_day
    due = eng.add_office_seconds(start, round(limit.value * per_unit))
    eng.skipped(start.date(), due.date())
    return start, due, None


def _half_days_due(
    eng: DeadlineEngine, s: dt.datetime, limit: _LimitLike, what: _Moment
) -> tuple[dt.datetime, dt.datetime, tuple[dt.date, int]]:
    n = limit.value
    slots = n * 2
    if not math.isclose(slots, round(slots)):
        raise UnsupportedMethodError(
            f"the half-days method counts in half working days; {limit} is not a multiple of "
            "0.5: use method='days' or 'working-time'",
            limit=str(limit),
        )
    day, part = eng.slot_of(s, cutoff=True, what=what)
    eng.start_slot = (day, part)
    deemed = s if day == s.date() else eng.at(day, eng.p.opening)
    if limit.unit is _T_SAME_DAY:
        due_day = day if eng.working(day) else eng.add(day, 0)
        due = eng.slot_instant(due_day, 1)
        if due < s:
            due = eng.slot_instant(eng.add(due_day, 1), 1)
        eng.counted(day, due.date())
        return deemed, due, (day, part)
    days, last = divmod(part + round(slots), 2)
    due_day = eng.add(day, days) if days else day
    eng.skipped(day, due_day)
    return deemed, eng.slot_instant(due_day, last), (day, part)


def _days_due(
    eng: DeadlineEngine, s: dt.datetime, limit: _LimitLike, what: _Moment
) -> tuple[dt.datetime, dt.datetime, None]:
    cal, unit, n = eng.cal, limit.unit, limit.value
    day, moved = eng.deemed_day(s, cutoff=True, what=what)
    eng.start_slot = (day, 0)
    deemed = eng.at(day, eng.p.opening) if moved else s
    if unit is _T_SAME_DAY:
        due_day = day if eng.working(day) else eng.add(day, 0)
        due = eng.due_clock(due_day)
        if due < s:
            due = eng.due_clock(eng.add(due_day, 1))
        eng.counted(day, due.date())
        return deemed, due, None
    if unit is _T_WORKING_DAYS:
        whole = math.floor(n)
        frac = n - whole
        due_day = eng.add(day, whole) if whole else day
        if frac:
            # A fraction of a day is office time from the next working day's opening.
            nxt = eng.add(due_day, 1)
            due = eng.add_office_seconds(eng.at(nxt, eng.p.opening), round(frac * eng.p.per_day))
            eng.skipped(day, due.date())
            return deemed, due, None
        eng.skipped(day, due_day)
        return deemed, eng.due_clock(due_day), None
    # Calendar days and months: the first day is not counted (Civil Code Art. 147).
    if unit is _T_CALENDAR_DAYS:
        end = day + dt.timedelta(days=int(n))
    else:
        end = day + relativedelta(months=int(n))
    cal._index(end, "due date")
    eng.unrolled_end = end
    return deemed, eng.due_clock(_roll(eng, end)), None


def _roll(eng: DeadlineEngine, end: dt.date) -> dt.date:
    """Roll a period's last day forward when it is a day off (Civil Code 2015 Art. 148)."""
    cal = eng.cal
    if eng.working(end):
        return end
    if eng.p.statutory:
        target = end
        while cal.is_statutory_rest_day(target):
            target += _DAY
    else:
        target = eng.add(end, 0)
    if eng.record:
        day = end
        while day < target:
            info = cal._explain_fields(day)
            eng.note(
                day,
                TraceKind.ROLLED,
                f"period ends on a day off ({info['label']}); rolled to the next working day",
                _ART_148,
            )
            day += _DAY
    return target


def _check_pauses(pauses: Any, received: dt.datetime, cal: WorkingCalendar) -> list[Pause]:
    if pauses is None or isinstance(pauses, (str, bytes, Mapping)):
        raise InvalidInputError(
            f"pauses must be a list of Pause or (start, end) pairs (or empty), not {brief(pauses)}",
            field="pauses",
        )
    try:
        items = list(pauses)
    except TypeError as exc:
        raise InvalidInputError(
            f"pauses must be a list of Pause or (start, end) pairs, not {brief(pauses)}",
            field="pauses",
        ) from exc
    out = [_one_pause(index, p, received, cal) for index, p in enumerate(items)]
    out.sort(key=lambda x: x.start)
    for a, b in itertools.pairwise(out):
        if b.start < a.end:
            raise InvalidPauseError(
                f"pauses overlap: {a.start.isoformat()}/{a.end.isoformat()} and "
                f"{b.start.isoformat()}/{b.end.isoformat()}; merge them into one",
            )
    return out


def _one_pause(index: int, p: object, received: dt.datetime, cal: WorkingCalendar) -> Pause:
    v = _V or _v()
    pause_cls = v.Pause
    where = f"pauses[{index}]"
    label = "Tạm dừng tính thời hạn"
    try:
        if isinstance(p, pause_cls):
            start_raw, end_raw, label = p.start, p.end, p.label
        elif isinstance(p, (str, bytes, Mapping)):
            raise InvalidInputError(f"{brief(p)} is not a Pause or a pair")
        else:
            start_raw, end_raw = p  # type: ignore[misc]
        start = ensure_aware(start_raw, name=f"{where}.start")
        end = ensure_aware(end_raw, name=f"{where}.end")
    except CalendarRangeError:
        raise
    except (TypeError, ValueError) as exc:
        text = exc.message if isinstance(exc, MotCuaError) else v._msg(exc)
        raise InvalidPauseError(
            f"{where}: {text} (give a Pause or a (start, end) pair of aware datetimes)",
            index=index,
        ) from exc
    if end < start:
        raise InvalidPauseError(
            f"{where} ends ({end.isoformat()}) before it starts ({start.isoformat()}); swap them",
            index=index,
        )
    if start < received:
        raise InvalidPauseError(
            f"{where} starts at {start.isoformat()}, before the receipt at "
            f"{received.isoformat()}; a clock cannot stop before it starts",
            index=index,
        )
    cal._index(end.date(), f"{where}.end")
    if isinstance(p, pause_cls) and start is p.start and end is p.end:
        return cast("Pause", p)  # already in Asia/Ho_Chi_Minh: ensure_aware returned them
    return cast("Pause", pause_cls.model_construct(start=start, end=end, label=label))


def apply_pause(
    eng: DeadlineEngine, limit: _LimitLike, due: dt.datetime, pause: Pause
) -> dt.datetime:
    """Move ``due`` by the clock time that ``pause`` stood still (keeps the time of day).

    Package-internal (shared with :mod:`mot_cua.routing`); use ``compute_due(..., pauses=...)``.
    Costs a few table look-ups whatever the pause's length.
    """
    method, unit = eng.p.method, limit.unit
    if pause.start >= due:
        if eng.record:
            eng.note(
                pause.start.date(),
                TraceKind.PAUSED,
                f"{pause.label}: began after the due moment, so it does not extend it",
            )
        return due
    if unit is _T_WORKING_HOURS or (unit is _T_WORKING_DAYS and method is _M_WORKING_TIME):
        shift = eng.office_seconds_between(pause.start, pause.end)
        new = eng.add_office_seconds(due, shift) if shift else due
        text = f"{shift // 60} office minutes"
    elif unit is _T_HOURS or unit is _T_IMMEDIATELY:
        try:
            new = due + (pause.end - pause.start)
        except OverflowError as exc:
            raise CalendarRangeError(
                f"{pause.label}: the due moment moves past the calendar's end", date=due.date()
            ) from exc
        text = str(pause.end - pause.start) if eng.record else ""
    elif unit is _T_CALENDAR_DAYS or unit is _T_MONTHS:
        new, text = _pause_calendar_days(eng, due, pause)
    elif method is _M_HALF_DAYS:
        new, text = _pause_half_days(eng, due, pause)
    else:
        cal = eng.cal
        start_day = max(pause.start.date(), eng.start_slot[0] if eng.start_slot else _MIN)
        resume_day, _ = eng.deemed_day(pause.end, cutoff=True, what="resumption")
        shift = cal._quiet_between(start_day, resume_day)
        new_day = eng.add(due.date(), shift) if shift > 0 else due.date()
        new = dt.datetime.combine(new_day, due.timetz())
        text = f"{max(shift, 0)} working days"
    if eng.record:
        eng.note(
            pause.start.date(),
            TraceKind.PAUSED,
            f"{pause.label}: {pause.start:%d/%m/%Y %H:%M} to {pause.end:%d/%m/%Y %H:%M}, "
            f"due moment moved by {text}",
            "Decree 61/2018 (time used before a supplement request counts); mot_cua rules §5",
        )
    eng.touched.append(pause.end.date())
    return max(new, due)


def _pause_calendar_days(
    eng: DeadlineEngine, due: dt.datetime, pause: Pause
) -> tuple[dt.datetime, str]:
    # The excluded days extend the period itself; roll again from its new last day.
    days = (pause.end.date() - pause.start.date()).days
    end = (eng.unrolled_end or due.date()) + dt.timedelta(days=days)
    eng.cal._index(end, "due date")
    eng.unrolled_end = end
    new = dt.datetime.combine(_roll(eng, end) if days else due.date(), due.timetz())
    return new, f"{days} days"


def _pause_half_days(
    eng: DeadlineEngine, due: dt.datetime, pause: Pause
) -> tuple[dt.datetime, str]:
    cal = eng.cal
    p_day, p_part = max(
        eng.slot_of(pause.start, cutoff=False, what="pause"), eng.start_slot or (_MIN, 0)
    )
    r_day, r_part = eng.slot_of(pause.end, cutoff=True, what="resumption")
    shift = 2 * cal._quiet_between(p_day, r_day) + r_part - p_part
    d_day = due.date()
    d_part = 0 if due.time() <= eng.p.slots[0] else 1
    days, part = divmod(d_part + max(shift, 0), 2)
    new = eng.slot_instant(eng.add(d_day, days) if days else d_day, part)
    return new, f"{max(shift, 0)} half-day slots"


def _run(
    cal: WorkingCalendar,
    policy: DeadlinePolicy | None,
    received: dt.datetime,
    limit: _LimitLike,
    pauses: Sequence[Pause],
    *,
    record: bool,
) -> tuple[dt.datetime, dt.datetime, dt.datetime | None, DeadlineEngine]:
    """One computation: (deemed receipt, due moment, raw due moment or None, the engine)."""
    eng = DeadlineEngine(cal, policy, record=record)
    if limit.value >= 366 or cal.last_year > 9000:
        # Smaller limits cannot overflow Python's dates: the calendar's own range checks apply.
        _check_size(eng, received, limit)
    deemed, due, _ = _base_due(eng, received, limit)
    if pauses and eng.p.restart:
        due = _restart(eng, limit, due, pauses)
    else:
        for p in pauses:
            due = apply_pause(eng, limit, due, p)
    raw = None
    if limit.unit is not _T_HOURS:
        return deemed, due, raw, eng
    cal._index(due.date(), "due date")
    if eng.p.roll_hours and not eng.in_working_time(due):
        raw, due = due, eng.next_office_instant(due)
        if eng.record:
            eng.note(
                due.date(),
                TraceKind.ROLLED,
                f"the appointment at {raw:%H:%M %d/%m/%Y} falls outside working time; moved "
                f"to the next working time, {due:%H:%M %d/%m/%Y}",
                _HOURS_ROLL,
            )
    return deemed, due, raw, eng


def _restart(
    eng: DeadlineEngine, limit: _LimitLike, due: dt.datetime, pauses: Sequence[Pause]
) -> dt.datetime:
    """``pause_policy="restart"``: the full limit runs again after each pause begun in time."""
    for p in pauses:
        if p.start >= due:
            if eng.record:
                eng.note(
                    p.start.date(),
                    TraceKind.PAUSED,
                    f"{p.label}: began after the due moment, so it does not restart the clock",
                )
            continue
        if eng.record:
            eng.note(
                p.end.date(),
                TraceKind.RESTARTED,
                f"{p.label}: the clock restarts in full from {p.end:%d/%m/%Y %H:%M}",
                "pause_policy='restart' (sector laws that restart the period; mot_cua rules §5)",
            )
            drop = (TraceKind.SKIPPED, TraceKind.WORKED_DAY)
            eng.trace = [t for t in eng.trace if t.kind not in drop]
        _, due, _ = _base_due(eng, p.end, limit, "resumption")
        eng.touched.append(p.end.date())
    return due


class _Step:
    """One trace entry as plain values (:class:`TraceEntry`'s fields), while the engine runs."""

    __slots__ = ("date", "kind", "label", "source")

    def __init__(self, date: dt.date, kind: TraceKind, label: str, source: str | None) -> None:
        self.date = date
        self.kind = kind
        self.label = label
        self.source = source


def _steps(
    cal: WorkingCalendar,
    policy: DeadlinePolicy | None,
    received: dt.datetime,
    limit: _LimitLike,
    pauses: Sequence[Pause],
) -> tuple[_Step, ...]:
    """The trace of a computation, in date order, as plain values."""
    eng = _run(cal, policy, received, limit, pauses, record=True)[3]
    return tuple(sorted(eng.trace, key=lambda t: t.date))


def _trace(
    cal: WorkingCalendar,
    policy: DeadlinePolicy | None,
    received: dt.datetime,
    limit: _LimitLike,
    pauses: Sequence[Pause],
) -> tuple[TraceEntry, ...]:
    entry = (_V or _v()).TraceEntry
    return tuple(
        entry(date=t.date, kind=t.kind, label=t.label, source=t.source)
        for t in _steps(cal, policy, received, limit, pauses)
    )


def _uncertain(
    cal: WorkingCalendar, spans: Iterable[tuple[dt.date, dt.date]], *, plain: bool = False
) -> tuple[Any, ...]:
    """The pending days in the spans: :class:`UncertainDay` values (plain ones if ``plain``)."""
    ords: list[int] = getattr(cal, "_pending_ords", None) or []
    if not ords:
        return ()
    days = cal._pending_between if plain else cal.uncertain_days
    found: dict[dt.date, Any] = {}
    for a, b in spans:
        lo, hi = a.toordinal(), b.toordinal()
        i = bisect.bisect_left(ords, lo)
        if lo <= hi and i < len(ords) and ords[i] <= hi:
            for u in days(a, b):
                found[u.date] = u
    return tuple(found[d] for d in sorted(found))


_DEFAULT_CALENDAR: list[tuple[object, WorkingCalendar]] = []
# os.environ.get costs half a microsecond (it encodes the key each time); the mapping behind it
# is read directly when the platform has one (POSIX), which is what a call costs in total.
_ENV_DATA: Mapping[Any, Any] | None = getattr(os.environ, "_data", None)
_ENV_KEY: Any = (
    os.environ.encodekey(CALENDAR_FILE_ENV)
    if _ENV_DATA is not None and hasattr(os.environ, "encodekey")
    else None
)


def _default_calendar() -> WorkingCalendar:
    """``WorkingCalendar.vietnam()``, remembered per value of the calendar-file variable."""
    if _ENV_KEY is not None and _ENV_DATA is not None:
        env: object = _ENV_DATA.get(_ENV_KEY)
    else:  # pragma: no cover - platforms without os.environ._data
        env = os.environ.get(CALENDAR_FILE_ENV)
    if _DEFAULT_CALENDAR and _DEFAULT_CALENDAR[0][0] == env:
        return _DEFAULT_CALENDAR[0][1]
    cal = WorkingCalendar.vietnam()
    _DEFAULT_CALENDAR[:] = [(env, cal)]
    return cal


def _spans(
    limit: _LimitLike,
    received: dt.datetime,
    deemed: dt.datetime,
    due: dt.datetime,
    raw: dt.datetime | None,
    top: dt.date,
    unrolled_end: dt.date | None,
    roll_hours: bool,  # noqa: FBT001 - private
) -> list[tuple[dt.date, dt.date]]:
    """The days whose status the answer depended on, as inclusive date ranges."""
    unit = limit.unit
    if unit is _T_HOURS:
        return [((raw or due).date(), due.date())] if roll_hours else []
    if unit is _T_CALENDAR_DAYS or unit is _T_MONTHS:
        end = unrolled_end or due.date()
        return [(received.date(), deemed.date()), (end, due.date())]
    return [(received.date(), top)]


_set = object.__setattr__


def _deadline(values: dict[str, Any]) -> Deadline:
    """A Deadline from values the engine built and checked (what ``model_construct`` does)."""
    v = _V or _v()
    d = v.Deadline.__new__(v.Deadline)
    _set(d, "__dict__", values)
    _set(d, "__pydantic_fields_set__", v._FIELDS_SET)
    _set(d, "__pydantic_extra__", None)
    _set(d, "__pydantic_private__", None)
    result: Deadline = d
    return result


_V: Any = None


def _v() -> Any:
    """The pydantic models results are built with (:mod:`mot_cua._values.deadlines`), on first use.

    Kept in a global so that the hot path pays one attribute look-up, not an import statement.
    """
    global _V  # noqa: PLW0603 - a cache of a module object
    from mot_cua._values import deadlines

    _V = deadlines
    return deadlines


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
        touches a year whose official schedule is not published yet; ``uncertain_days`` lists
        the days it depended on whose legal status is pending. Its ``trace`` is built when first
        read. The cost is a few microseconds, whatever the limit's length or the pauses' span.

    Raises:
        NaiveDatetimeError: ``received_at`` or a pause has no UTC offset.
        TimeLimitParseError: ``limit`` is text that is not a time limit.
        UnsupportedMethodError: the method cannot count this limit (e.g. 0.3 day in half-days).
        InvalidPauseError: pauses overlap, end before they start or start before the receipt.
        InvalidInputError: an argument has the wrong type (the message names it).
        CalendarRangeError: the receipt, a pause or the due moment lies outside the calendar's
            years (never clamped), however large the limit.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> compute_due(dt.datetime(2025, 1, 23, 16, 0, tzinfo=VN_TZ), "trong ngày").due_date
    datetime.date(2025, 1, 24)
    >>> compute_due(dt.datetime(2025, 1, 6, 10, 0), "8 giờ làm việc")
    Traceback (most recent call last):
    ...
    mot_cua.errors.NaiveDatetimeError: received_at=2025-01-06T10:00:00 has no UTC offset; ...
    """
    return _deadline(_due_values(received_at, limit, calendar, policy, pauses, plain=False))


def _due_values(
    received_at: dt.datetime,
    limit: TimeLimit | str,
    calendar: WorkingCalendar | None,
    policy: DeadlinePolicy | None,
    pauses: Sequence[Pause | tuple[dt.datetime, dt.datetime]],
    *,
    plain: bool,
) -> dict[str, Any]:
    """The fields of :func:`compute_due`'s :class:`Deadline`, computed once for both uses.

    With ``plain=True`` nothing here needs pydantic for a text limit without pauses: the limit
    is a ``_PlainLimit``, the uncertain days and the (lazy) trace plain values with the fields
    of :class:`UncertainDay` and :class:`TraceEntry`. The contract's ``due`` (CLI, HTTP) reads
    them as they are; the numbers are the same by construction (one engine), and by test.
    """
    received = ensure_aware(received_at, name="received_at")
    if plain and limit.__class__ is str:
        lim: _LimitLike = _plain_limit(limit)
    else:
        lim = cast("TimeLimit", limit) if type(limit) is (_V or _v()).TimeLimit else _limit(limit)
    pol, cal = _policy_and_calendar(policy, calendar)
    day0 = received.date()
    if not 0 <= day0.toordinal() - cal._base < cal._n:
        cal._index(day0, "received_at")
    empty = type(pauses) is tuple and not pauses
    checked = [] if empty else _check_pauses(pauses, received, cal)
    p = _derived(pol)
    touched: tuple[dt.date, ...] = ()
    fast = None
    if not checked and p.method is _M_DAYS and not p.as_received:
        fast = _fast_days(cal, p, received, lim)
    if fast is not None:
        deemed, due = fast
        raw, unrolled = None, None
    else:
        deemed, due, raw, eng = _run(cal, pol, received, lim, checked, record=False)
        touched, unrolled = tuple(eng.touched), eng.unrolled_end
    top = max(due.date(), day0, *touched) if touched else max(due.date(), day0)
    provisional = top.toordinal() >= cal._prov_ord
    if provisional:
        _provisional(cal, due, top)
    uncertain: tuple[Any, ...] = ()
    ords: list[int] | None = getattr(cal, "_pending_ords", None)
    if ords and _any_between(ords, day0, top):
        spans = _spans(lim, received, deemed, due, raw, top, unrolled, p.roll_hours)
        uncertain = _uncertain(cal, spans, plain=plain)
    return {
        "received_at": received,
        "deemed_receipt": deemed,
        "limit": lim,
        "method": p.method,
        "due_at": due,
        "raw_due_at": raw,
        "provisional": provisional,
        "uncertain_days": uncertain,
        "trace": _Lazy(_steps if plain else _trace, cal, pol, received, lim, checked),
        "extended_from": None,
        "extension_reason": None,
    }


def _policy_and_calendar(
    policy: DeadlinePolicy | None, calendar: WorkingCalendar | None
) -> tuple[DeadlinePolicy | None, WorkingCalendar]:
    """The checked policy (``None``: the default one) and calendar of a call (defaults reused)."""
    if policy is not None and not isinstance(policy, (_V or _v()).DeadlinePolicy):
        raise InvalidInputError(
            f"policy must be a DeadlinePolicy, not {brief(policy)}", field="policy"
        )
    cal = _default_calendar() if calendar is None else calendar
    if not isinstance(cal, WorkingCalendar):
        raise InvalidInputError(
            "calendar must be a WorkingCalendar (e.g. WorkingCalendar.vietnam()), not "
            f"{brief(cal)}",
            field="calendar",
        )
    if policy is not None and not policy.worked_saturdays:
        cal = cal.without_worked_saturdays()
    return policy, cal


def _default_policy() -> DeadlinePolicy:
    """``DeadlinePolicy()``, one shared instance."""
    policy: DeadlinePolicy = (_V or _v())._DEFAULT_POLICY
    return policy


def _any_between(ords: list[int], first: dt.date, last: dt.date) -> bool:
    """Whether a sorted list of ordinals has one in [first, last]."""
    i = bisect.bisect_left(ords, first.toordinal())
    return i < len(ords) and ords[i] <= last.toordinal()


def _provisional(cal: WorkingCalendar, due: dt.datetime, top: dt.date) -> None:
    """Warn (or raise) for a result that depends on a provisional year, per the calendar's policy.

    The calendar warns once per calendar object and year (``on_provisional="warn"``), so a bulk
    job on the default calendar pays for one warning, not one per call; the result itself always
    says ``provisional``.
    """
    if cal.on_provisional != "ignore":
        cal._warn(top.toordinal(), stacklevel=4)


def _fast_days(
    cal: WorkingCalendar, p: _Derived, s: dt.datetime, limit: _LimitLike
) -> tuple[dt.datetime, dt.datetime] | None:
    """Steps 2-4 of the exact semantics straight from the tables, for the commonest case.

    Whole working days or "same day", days method, ``next_working_day``, no pause; ``None``
    (the general engine then answers, or raises the range error) for anything else. Equal to the
    general engine by test (``tests/test_deadline_invariants.py``).
    """
    unit, n = limit.unit, limit.value
    same_day = unit is _T_SAME_DAY
    if not same_day and (unit is not _T_WORKING_DAYS or n != int(n) or n > cal._nwork):
        return None
    o = s.toordinal()
    i = o - cal._base
    t = s.time()
    if cal._work[i] and t < p.closing and (p.cutoff is None or t < p.cutoff):
        k0, e_ord, deemed = cal._cum[i + 1], o, s
    else:
        k = cal._cum[i + 1]  # nth[k] is the first working day after the receipt date
        if k >= cal._nwork:
            return None
        e_ord = cal._nth[k]
        k0, deemed = k + 1, dt.datetime.combine(_fromordinal(e_ord), p.opening, tzinfo=VN_TZ)
    if not same_day:
        k = k0 + int(n) - 1
        if k >= cal._nwork:
            return None
        e_ord = cal._nth[k]
    clock = _END_OF_DAY if p.end_of_day else p.closing
    return deemed, dt.datetime.combine(_fromordinal(e_ord), clock, tzinfo=VN_TZ)


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

    Raises:
        NaiveDatetimeError: an instant is naive or not a datetime.
        InvalidInputError: ``granularity`` is neither ``"instant"`` nor ``"date"``.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> due = dt.datetime(2025, 4, 29, 17, 0, tzinfo=VN_TZ)
    >>> timeliness(dt.datetime(2025, 4, 29, 17, 30, tzinfo=VN_TZ), due).value
    'late'
    >>> timeliness(dt.datetime(2025, 4, 29, 17, 30, tzinfo=VN_TZ), due, granularity="date").value
    'on_time'
    """
    if not isinstance(granularity, str) or granularity not in ("instant", "date"):
        raise InvalidInputError(
            f"granularity must be 'instant' or 'date', not {brief(granularity)}",
            field="granularity",
        )
    finished = ensure_aware(finished_at, name="finished_at")
    due = (
        cast("Deadline", deadline).due_at
        if isinstance(deadline, (_V or _v()).Deadline)
        else ensure_aware(cast("dt.datetime", deadline), name="deadline")
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
    ``reading="working_day"`` (default, mot_cua rules §5): the previous working day;
    ``"calendar_day"``: the previous calendar day. Either way the date must lie in the calendar.

    Raises:
        InvalidInputError: ``due`` is not a Deadline, date or aware datetime; ``reading`` or
            ``calendar`` is not one of the accepted values.
        CalendarRangeError: ``due`` (or the day before it) lies outside the calendar.

    >>> import datetime as dt
    >>> latest_apology_date(dt.date(2025, 5, 5))
    datetime.date(2025, 4, 29)
    >>> latest_apology_date(dt.date(2025, 5, 5), reading="calendar_day")
    datetime.date(2025, 5, 4)
    """
    if not isinstance(reading, str) or reading not in ("working_day", "calendar_day"):
        raise InvalidInputError(
            f"reading must be 'working_day' or 'calendar_day', not {brief(reading)}",
            field="reading",
        )
    if isinstance(due, (_V or _v()).Deadline):
        day = cast("Deadline", due).due_date
    elif isinstance(due, dt.datetime):
        day = ensure_aware(due, name="due").date()
    elif isinstance(due, dt.date):
        day = due
    else:
        raise InvalidInputError(
            f"due must be a Deadline or a datetime.date (e.g. date(2025, 5, 5)), not {brief(due)}",
            field="due",
        )
    cal = _default_calendar() if calendar is None else calendar
    if not isinstance(cal, WorkingCalendar):
        raise InvalidInputError(
            f"calendar must be a WorkingCalendar, not {brief(cal)}", field="calendar"
        )
    cal._index(day, "due")
    if reading == "calendar_day":
        before = day - _DAY if day > dt.date.min else day
        cal._index(before, "the day before the due date")
        return before
    return cal._quiet_add(day, -1)


_DEFAULT_DERIVED = _Derived(None)


def __getattr__(name: str) -> Any:
    # The pydantic models load on first use, so that what needs only the plain parts (the CLI's
    # ``due``) never imports pydantic (issue 10 §3; docs/design.md, "Models load lazily").
    if name in ("Deadline", "DeadlinePolicy", "Pause"):
        value = globals()[name] = getattr(_V or _v(), name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
