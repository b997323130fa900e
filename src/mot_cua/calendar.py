"""The Vietnamese public-sector working calendar (ngày làm việc).

A working day is Monday–Friday (the 40-hour week of state agencies, Decision 188/1999/QĐ-TTg), minus
the official days off, plus the Saturdays the Government declares worked (làm bù). Vietnam has no
regional public holidays: one national calendar, with per-agency additions (closures such as
typhoon days) layered on top (RULES.md §2).

The days off come from three layers, each able to explain itself with a source:

1. ``holidays.VN`` (the `holidays` package): Labour Code 2019 Art. 112 (2012 Art. 115 before 2021):
   New Year, five days of lunar Tết, Hùng Kings (10/3 lunar), 30/4, 1/5, 2/9 plus an adjacent day,
   compensatory days (nghỉ bù), Vietnam Culture Day 24/11 (Politburo Resolution 80-NQ/TW, from
   2026), and the Government swaps it knows with their worked Saturdays.
2. mot_cua's shipped override table (``mot_cua/data/calendar_overrides.toml``): decisions the
   package lacks, e.g. the 2026 New Year swap (Friday 2/1/2026 off, Saturday 10/1/2026 worked,
   Official Letter 12729/VPCP-KGVX of 25/12/2025).
3. The caller's overrides (:class:`CalendarOverride`): agency closures, extra worked days.

**Coverage.** Years up to :attr:`WorkingCalendar.official_last_year` (2026 for
:meth:`WorkingCalendar.vietnam`) have a published schedule. Later years are answered from the
Labour Code rules but are *provisional*: a :class:`~mot_cua.errors.ProvisionalCalendarWarning` is
emitted and deadlines carry ``provisional=True``. Dates outside ``first_year..last_year`` raise
:class:`~mot_cua.errors.CalendarRangeError`; nothing is ever clamped.

**Conventions** (every working-day library answers these differently; mot_cua's answers):

* ``add_working_days(d, n)``: the n-th working day strictly after ``d`` (``d`` itself never counts);
  ``n = 0`` returns ``d`` if it is a working day, else the next working day; ``n < 0`` the
  |n|-th working day strictly before ``d``.
* ``working_days_between(a, b)``: the number of working days ``x`` with ``a < x ≤ b``; negative
  when ``b < a`` (so ``working_days_between(a, add_working_days(a, n)) == n`` for n ≥ 1).
* Both cost a few list look-ups, whatever ``n`` or the span: the calendar precomputes cumulative
  counts (see docs/performance.md).

>>> cal = WorkingCalendar.vietnam()
>>> import datetime as dt
>>> cal.add_working_days(dt.date(2025, 4, 25), 3)   # Sat 26/4/2025 is worked (làm bù)
datetime.date(2025, 4, 29)
>>> cal.working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 25))   # over Tết 2026
3
>>> print(cal.explain(dt.date(2026, 1, 10)))
2026-01-10 (Sat): working day, Làm bù cho ngày nghỉ 02/01/2026 [Official Letter
12729/VPCP-KGVX of 25/12/2025]
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import sys
import warnings
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex

from pydantic import BaseModel, ConfigDict, ValidationError

from mot_cua.errors import (
    CalendarDataError,
    CalendarRangeError,
    InvalidInputError,
    ProvisionalCalendarWarning,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "CalendarOverride",
    "DayInfo",
    "DayKind",
    "WorkingCalendar",
]

_date = dt.date
_fromordinal = dt.date.fromordinal

OnProvisional = Literal["warn", "ignore", "raise"]

#: The 40-hour, Monday–Friday week of state agencies.
WEEK_SOURCE = "Decision 188/1999/QĐ-TTg (40-hour working week of state agencies, Mon–Fri)"
#: Earliest year mot_cua's Vietnamese calendar covers (its swap data is checked from there on).
VIETNAM_FIRST_YEAR = 2014
#: Default last year of :meth:`WorkingCalendar.vietnam` (provisional after the official years).
VIETNAM_LAST_YEAR = 2035

_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class DayKind(StrEnum):
    """Why a day is, or is not, a working day."""

    WORKDAY = "workday"
    """An ordinary Monday–Friday."""
    WORKED_DAY = "worked_day"
    """A Saturday or Sunday declared worked (làm bù), or an extra worked day."""
    WEEKEND = "weekend"
    """Saturday or Sunday (weekly rest days)."""
    HOLIDAY = "holiday"
    """A statutory public holiday (Labour Code 2019 Art. 112)."""
    COMPENSATORY = "compensatory"
    """A compensatory day off (nghỉ bù) for a holiday on a weekend (Art. 112(3))."""
    SWAP_DAY_OFF = "swap_day_off"
    """A weekday off in exchange for a worked Saturday (hoán đổi ngày làm việc)."""
    CLOSURE = "closure"
    """A caller-supplied closure (e.g. a typhoon day for one agency)."""

    @property
    def statutory_rest(self) -> bool:
        """Weekly rest days and statutory holidays (Civil Code 2015 Art. 148 reading)."""
        return self in (DayKind.WEEKEND, DayKind.HOLIDAY, DayKind.COMPENSATORY)


class CalendarOverride(BaseModel):
    """One decision on top of the base calendar: a day off, or a worked day.

    Args:
        date: the day.
        kind: ``"day_off"`` or ``"worked_day"``.
        label: Vietnamese label shown by :meth:`WorkingCalendar.explain`.
        source: the document that decides it (official letter, decision, agency notice).
        label_en: optional English label.
        confidence: optional confidence of the source (RULES.md scale).

    >>> CalendarOverride(date=dt.date(2025, 9, 19), kind="day_off",
    ...                  label="Nghỉ do bão", source="Agency notice 12/TB of 18/09/2025").kind
    'day_off'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    kind: Literal["day_off", "worked_day"]
    label: str
    source: str
    label_en: str | None = None
    confidence: str | None = None


class DayInfo(BaseModel):
    """What :meth:`WorkingCalendar.explain` says about a day."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    working: bool
    kind: DayKind
    label: str
    label_en: str
    source: str
    provisional: bool = False

    def __str__(self) -> str:
        status = "working day" if self.working else "day off"
        flag = " (provisional)" if self.provisional else ""
        return (
            f"{self.date.isoformat()} ({_WEEKDAY[self.date.weekday()]}): {status}{flag}, "
            f"{self.label} [{self.source}]"
        )


class _Special:
    """A day that differs from an ordinary weekday/weekend, before packing into tables."""

    __slots__ = ("kind", "label", "label_en", "source")

    def __init__(self, kind: DayKind, label: str, label_en: str, source: str) -> None:
        self.kind = kind
        self.label = label
        self.label_en = label_en
        self.source = source


class WorkingCalendar:
    """A working calendar over a fixed range of years, with constant-time day arithmetic.

    Most users want :meth:`vietnam`. The constructor builds a calendar from explicit special
    days (for tests, or another authority's calendar): Monday–Friday work, weekends rest, and
    each :class:`DayInfo` in ``special_days`` replaces the default for its date.

    Args:
        first_year: first year covered; earlier dates raise :class:`CalendarRangeError`.
        last_year: last year covered; later dates raise :class:`CalendarRangeError`.
        special_days: days that differ from the weekday/weekend default.
        official_last_year: last year whose schedule is official; later years are provisional.
            ``None`` means every covered year is official.
        name: a short name shown in messages.
        on_provisional: what a call touching a provisional year does: ``"warn"`` (default, a
            :class:`~mot_cua.errors.ProvisionalCalendarWarning`), ``"ignore"`` (no warning, and
            no cost: for bulk work that checks :meth:`is_provisional` itself) or ``"raise"``
            (:class:`~mot_cua.errors.CalendarRangeError`).
    """

    def __init__(
        self,
        *,
        first_year: int,
        last_year: int,
        special_days: Iterable[DayInfo] = (),
        official_last_year: int | None = None,
        name: str = "custom",
        on_provisional: OnProvisional = "warn",
    ) -> None:
        specials = {d.date: _Special(d.kind, d.label, d.label_en, d.source) for d in special_days}
        working = {d.date: d.working for d in special_days}
        self._init(
            first_year, last_year, specials, working, official_last_year, name, on_provisional
        )

    # -- construction --------------------------------------------------------------------

    def _init(
        self,
        first_year: int,
        last_year: int,
        specials: dict[dt.date, _Special],
        working_override: dict[dt.date, bool],
        official_last_year: int | None,
        name: str,
        on_provisional: OnProvisional = "warn",
    ) -> None:
        if on_provisional not in ("warn", "ignore", "raise"):
            raise InvalidInputError(
                f"on_provisional must be 'warn', 'ignore' or 'raise', not {on_provisional!r}",
                field="on_provisional",
            )
        if not (1 <= first_year <= last_year <= 9998):
            raise InvalidInputError(
                f"invalid calendar range {first_year}..{last_year}: first_year must not exceed "
                "last_year",
                first_year=first_year,
                last_year=last_year,
            )
        self.name = name
        self.first_year = first_year
        self.last_year = last_year
        self.official_last_year = last_year if official_last_year is None else official_last_year
        self._specials = specials
        base = _date(first_year, 1, 1).toordinal()
        end = _date(last_year, 12, 31).toordinal()
        n = end - base + 1
        work = bytearray(n)
        cum = [0] * (n + 1)
        nth: list[int] = []
        count = 0
        for i in range(n):
            o = base + i
            d = _fromordinal(o)
            w = working_override.get(d)
            if w is None:
                w = d.weekday() < 5
            if w:
                work[i] = 1
                nth.append(o)
                count += 1
            cum[i + 1] = count
        self._base = base
        self._n = n
        self._work = bytes(work)
        self._cum = cum
        self._nth = nth
        self._nwork = count
        prov = (
            _date(self.official_last_year + 1, 1, 1).toordinal()
            if (self.official_last_year < last_year)
            else end + 1
        )
        self._prov_ord = prov
        self.on_provisional: OnProvisional = on_provisional
        # The hot paths compare against this: past the end of time when warnings are off.
        self._warn_ord = prov if on_provisional != "ignore" else sys.maxsize
        self._np_tables: tuple[Any, Any, Any] | None = None

    @classmethod
    def vietnam(
        cls,
        *,
        first_year: int = VIETNAM_FIRST_YEAR,
        last_year: int = VIETNAM_LAST_YEAR,
        culture_day: bool = True,
        worked_saturdays: bool = True,
        shipped_overrides: bool = True,
        overrides: Sequence[CalendarOverride] = (),
        on_provisional: OnProvisional = "warn",
    ) -> WorkingCalendar:
        """The Vietnamese public-sector calendar (cached per set of arguments).

        Args:
            first_year: first covered year (not before 2014, the first year mot_cua checked).
            last_year: last covered year; years after the official ones are provisional.
            culture_day: treat 24/11 (Vietnam Culture Day, Politburo Resolution 80-NQ/TW, from
                2026) as a day off. ``holidays`` includes it; whether it is a legal day off depends
                on its enactment (RULES.md §2, medium), so it can be switched off.
            worked_saturdays: count Saturdays declared worked (làm bù) as working days. ``False``
                reproduces systems that cannot represent them (EXAMPLES.md rows 7, 12).
            shipped_overrides: apply mot_cua's override table (``False`` shows what ``holidays``
                alone says, e.g. for comparison; EXAMPLES.md row 25).
            overrides: the caller's own decisions (closures, extra worked days), applied last.
            on_provisional: ``"warn"`` (default), ``"ignore"`` or ``"raise"`` when a call touches
                a year after the official ones (see :class:`WorkingCalendar`).

        Raises:
            CalendarRangeError: ``first_year`` before 2014 or ``last_year`` beyond 2100.

        >>> WorkingCalendar.vietnam().official_last_year
        2026
        """
        if first_year < VIETNAM_FIRST_YEAR:
            raise CalendarRangeError(
                f"first_year={first_year}: mot_cua's Vietnamese calendar starts in "
                f"{VIETNAM_FIRST_YEAR} (the first year whose swaps it has checked); pass "
                f"first_year >= {VIETNAM_FIRST_YEAR} or build a WorkingCalendar from your own data",
                first_year=first_year,
            )
        if last_year > 2100 or last_year < first_year:
            raise CalendarRangeError(
                f"last_year={last_year}: choose a year between first_year ({first_year}) and 2100",
                last_year=last_year,
            )
        return _vietnam(
            first_year,
            last_year,
            culture_day,
            worked_saturdays,
            shipped_overrides,
            tuple(overrides),
            on_provisional,
        )

    def with_overrides(self, overrides: Iterable[CalendarOverride]) -> WorkingCalendar:
        """Return a new calendar with the caller's decisions applied on top of this one.

        ``day_off`` rows become :attr:`DayKind.CLOSURE`, ``worked_day`` rows
        :attr:`DayKind.WORKED_DAY`.

        Raises:
            CalendarRangeError: an override lies outside the calendar's years.
        """
        specials = dict(self._specials)
        working = {d: self._quiet_is_working(d) for d in specials}
        for o in overrides:
            self._index(o.date, "override date")
            kind = DayKind.CLOSURE if o.kind == "day_off" else DayKind.WORKED_DAY
            specials[o.date] = _Special(kind, o.label, o.label_en or o.label, o.source)
            working[o.date] = o.kind == "worked_day"
        return self._derive(specials, working, "+overrides")

    def _derive(
        self, specials: dict[dt.date, _Special], working: dict[dt.date, bool], suffix: str
    ) -> WorkingCalendar:
        """A calendar over the same years and settings with other special days."""
        new = WorkingCalendar.__new__(WorkingCalendar)
        new._init(
            self.first_year,
            self.last_year,
            specials,
            working,
            self.official_last_year,
            self.name + suffix,
            self.on_provisional,
        )
        return new

    def without_worked_saturdays(self) -> WorkingCalendar:
        """This calendar with every worked weekend day treated as a day off.

        Reproduces the systems that hard-code Saturday and Sunday as days off (PEERS.md); used by
        the ``worked_saturdays=False`` deadline policy.
        """
        cached: WorkingCalendar | None = self.__dict__.get("_no_sat")
        if cached is not None:
            return cached
        specials = {d: s for d, s in self._specials.items() if s.kind is not DayKind.WORKED_DAY}
        working = {d: self._quiet_is_working(d) for d in specials}
        new = self._derive(specials, working, "-worked-saturdays")
        self.__dict__["_no_sat"] = new
        return new

    # -- range and coverage --------------------------------------------------------------

    @property
    def first_day(self) -> dt.date:
        """First covered day."""
        return _fromordinal(self._base)

    @property
    def last_day(self) -> dt.date:
        """Last covered day."""
        return _fromordinal(self._base + self._n - 1)

    @property
    def official_years(self) -> range:
        """Years whose official schedule is known (not provisional)."""
        return range(self.first_year, min(self.official_last_year, self.last_year) + 1)

    def is_provisional(self, d: dt.date) -> bool:
        """Whether ``d`` lies in a year whose official schedule is not yet published."""
        return self._check_date(d).toordinal() >= self._prov_ord

    def _check_date(self, d: object, name: str = "d") -> dt.date:
        if isinstance(d, dt.datetime):
            raise InvalidInputError(
                f"{name}={d.isoformat()} is a datetime; the calendar works on dates: pass "
                f"{name}.date() (after converting to Asia/Ho_Chi_Minh)",
                field=name,
            )
        if not isinstance(d, dt.date):
            raise InvalidInputError(
                f"{name} must be a datetime.date, not {type(d).__name__} ({d!r})", field=name
            )
        return d

    def _index(self, d: object, name: str = "d") -> int:
        day = self._check_date(d, name)
        i = day.toordinal() - self._base
        if i < 0 or i >= self._n:
            self._out_of_range(day, name)
        return i

    def _out_of_range(self, d: dt.date, name: str = "date") -> None:
        raise CalendarRangeError(
            f"{name} {d.isoformat()} is outside the calendar '{self.name}' "
            f"({self.first_day.isoformat()} to {self.last_day.isoformat()}); mot_cua never clamps: "
            f"build the calendar with first_year/last_year covering {d.year}",
            date=d,
            first_day=self.first_day,
            last_day=self.last_day,
        )

    def _warn(self, ordinal: int, *, stacklevel: int = 3) -> None:
        d = _fromordinal(ordinal)
        message = (
            f"{d.isoformat()} lies in {d.year}, whose official schedule is not published yet "
            f"(calendar '{self.name}' is official through {self.official_last_year}); the "
            "answer follows the Labour Code rules and may change when the Government announces "
            "the year's swaps"
        )
        if self.on_provisional == "raise":
            raise CalendarRangeError(
                message + "; this calendar was built with on_provisional='raise'", date=d
            )
        if self.on_provisional == "warn":
            warnings.warn(ProvisionalCalendarWarning(message), stacklevel=stacklevel)

    # -- single days ---------------------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day.

        >>> WorkingCalendar.vietnam().is_working_day(dt.date(2026, 1, 2))
        False
        """
        i = d.toordinal() - self._base if type(d) is _date else -1
        if i < 0 or i >= self._n:
            i = self._index(d)
        if i + self._base >= self._warn_ord:
            self._warn(i + self._base)
        return bool(self._work[i])

    def explain(self, d: dt.date) -> DayInfo:
        """Why ``d`` is or is not a working day, with the source of the rule.

        >>> print(WorkingCalendar.vietnam().explain(dt.date(2025, 1, 29)))
        2025-01-29 (Wed): day off, Tết Nguyên Đán [Labour Code 2019 (45/2019/QH14) Art. 112]
        """
        i = self._index(d)
        day = _fromordinal(self._base + i)
        provisional = self._base + i >= self._prov_ord
        special = self._specials.get(day)
        working = bool(self._work[i])
        if special is not None:
            return DayInfo(
                date=day,
                working=working,
                kind=special.kind,
                label=special.label,
                label_en=special.label_en,
                source=special.source,
                provisional=provisional,
            )
        if working:
            return DayInfo(
                date=day,
                working=True,
                kind=DayKind.WORKDAY,
                label="Ngày làm việc",
                label_en="Working day",
                source=WEEK_SOURCE,
                provisional=provisional,
            )
        return DayInfo(
            date=day,
            working=False,
            kind=DayKind.WEEKEND,
            label="Thứ Bảy" if day.weekday() == 5 else "Chủ nhật",
            label_en="Saturday" if day.weekday() == 5 else "Sunday",
            source=WEEK_SOURCE,
            provisional=provisional,
        )

    def is_statutory_rest_day(self, d: dt.date) -> bool:
        """A weekly rest day or statutory holiday/compensatory day (not a swap or closure).

        This is the narrow reading of Civil Code 2015 Art. 148 used by the
        ``roll="statutory"`` policy for calendar-day periods.
        """
        i = self._index(d)
        if self._work[i]:
            return False
        special = self._specials.get(_fromordinal(self._base + i))
        return special is None or special.kind.statutory_rest

    # -- arithmetic ----------------------------------------------------------------------

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after ``d`` (see the module's conventions).

        Args:
            d: the start date (not counted).
            n: how many working days; 0 rolls a day off forward; negative goes backward.

        Raises:
            CalendarRangeError: ``d`` or the result lies outside the calendar.

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.add_working_days(dt.date(2025, 12, 31), 2)   # 2/1/2026 off (VPCP 12729)
        datetime.date(2026, 1, 6)
        >>> cal.add_working_days(dt.date(2026, 2, 16), 0)    # Tết rolls forward
        datetime.date(2026, 2, 23)
        >>> cal.add_working_days(dt.date(2025, 5, 5), -1)
        datetime.date(2025, 4, 29)
        """
        i = d.toordinal() - self._base if type(d) is _date else -1
        if i < 0 or i >= self._n:
            i = self._index(d)
        if type(n) is not int:
            n = _check_int(n)
        o = self._add_ord(i, n, d)
        if o >= self._warn_ord or self._base + i >= self._warn_ord:
            self._warn(max(o, self._base + i))
        return _fromordinal(o)

    def _add_ord(self, i: int, n: int, d: dt.date) -> int:
        if n > 0:
            k = self._cum[i + 1] + n - 1
        elif n == 0:
            if self._work[i]:
                return self._base + i
            k = self._cum[i + 1]
        else:
            k = self._cum[i] + n
        if k < 0 or k >= self._nwork:
            self._beyond(d, n)
        return self._nth[k]

    # Quiet versions for mot_cua's own engines, which report provisional results once, on
    # the result object, instead of warning at every step.
    def _quiet_add(self, d: dt.date, n: int) -> dt.date:
        return _fromordinal(self._add_ord(self._index(d), n, d))

    def _quiet_between(self, a: dt.date, b: dt.date) -> int:
        return self._cum[self._index(b, "b") + 1] - self._cum[self._index(a, "a") + 1]

    def _quiet_is_working(self, d: dt.date) -> bool:
        return bool(self._work[self._index(d)])

    def _beyond(self, d: dt.date, n: int) -> None:
        edge = self.last_day if n >= 0 else self.first_day
        raise CalendarRangeError(
            f"add_working_days({d.isoformat()}, {n}) falls beyond {edge.isoformat()}, the "
            f"{'end' if n >= 0 else 'start'} of calendar '{self.name}'; mot_cua never clamps: "
            "build the calendar with a wider first_year/last_year",
            date=d,
            n=n,
        )

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Number of working days ``x`` with ``a < x ≤ b``; negative when ``b < a``.

        >>> cal = WorkingCalendar.vietnam()
        >>> cal.working_days_between(dt.date(2025, 4, 25), dt.date(2025, 5, 5))  # Sat 26/4 worked
        4
        """
        i = a.toordinal() - self._base if type(a) is _date else -1
        if i < 0 or i >= self._n:
            i = self._index(a, "a")
        j = b.toordinal() - self._base if type(b) is _date else -1
        if j < 0 or j >= self._n:
            j = self._index(b, "b")
        top = self._base + (i if i > j else j)
        if top >= self._warn_ord:
            self._warn(top)
        return self._cum[j + 1] - self._cum[i + 1]

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d`` (``add_working_days(d, 1)``)."""
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: dt.date) -> dt.date:
        """The last working day strictly before ``d`` (``add_working_days(d, -1)``)."""
        return self.add_working_days(d, -1)

    def roll_forward(self, d: dt.date) -> dt.date:
        """``d`` if it is a working day, else the next one (``add_working_days(d, 0)``)."""
        return self.add_working_days(d, 0)

    # -- years ---------------------------------------------------------------------------

    def _year_days(self, year: int) -> Iterable[DayInfo]:
        self._index(_date(year, 1, 1), "year")
        self._index(_date(year, 12, 31), "year")
        for d in sorted(self._specials):
            if d.year == year:
                yield self.explain(d)

    def days_off(self, year: int) -> list[DayInfo]:
        """Weekdays (Monday–Friday) of ``year`` that are not working days, with reasons.

        >>> [d.date.day for d in WorkingCalendar.vietnam().days_off(2026) if d.date.month == 1]
        [1, 2]
        """
        return [x for x in self._year_days(year) if not x.working and x.date.weekday() < 5]

    def worked_days(self, year: int) -> list[DayInfo]:
        """Saturdays and Sundays of ``year`` that are working days, with reasons."""
        return [x for x in self._year_days(year) if x.working and x.date.weekday() >= 5]

    def working_days_in_year(self, year: int) -> int:
        """Number of working days in ``year``.

        >>> WorkingCalendar.vietnam().working_days_in_year(2025)
        250
        """
        start = self._index(_date(year, 1, 1), "year")
        end = self._index(_date(year, 12, 31), "year")
        return self._cum[end + 1] - self._cum[start]

    # -- batch (numpy) -------------------------------------------------------------------

    def _tables(self) -> tuple[Any, Any, Any]:
        if self._np_tables is None:
            try:
                import numpy as np
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise ImportError(
                    "the batch API needs numpy: pip install 'mot_cua[batch]'"
                ) from exc
            epoch = _date(1970, 1, 1).toordinal()
            self._np_tables = (
                np.asarray(self._cum, dtype=np.int64),
                np.asarray(self._nth, dtype=np.int64) - epoch,
                self._base - epoch,
            )
        return self._np_tables

    def _np_index(self, dates: Any, name: str) -> Any:
        import numpy as np

        arr = np.asarray(dates)
        if arr.dtype != np.dtype("datetime64[D]"):
            if not np.issubdtype(arr.dtype, np.datetime64):
                raise InvalidInputError(
                    f"{name} must be an array of numpy datetime64[D], not {arr.dtype}",
                    field=name,
                )
            arr = arr.astype("datetime64[D]")
        _, _, base = self._tables()
        idx = arr.view(np.int64) - base
        if idx.size:
            lo, hi = int(idx.min()), int(idx.max())
            if lo < 0 or hi >= self._n:
                bad = arr.reshape(-1)[int(np.argmax((idx < 0) | (idx >= self._n)))]
                self._out_of_range(_date.fromisoformat(str(bad)), name)
        return idx

    def add_working_days_array(
        self, dates: npt.ArrayLike, n: int | npt.ArrayLike
    ) -> np.ndarray[Any, np.dtype[np.datetime64]]:
        """Vectorised :meth:`add_working_days` on ``datetime64[D]`` arrays (``mot_cua[batch]``).

        Same conventions as the scalar method, including worked Saturdays (where numpy's
        ``busday_offset`` is wrong). ``n`` is one number or an array broadcast against ``dates``.

        >>> import numpy as np
        >>> days = np.array(["2025-04-25", "2026-02-13"], dtype="datetime64[D]")
        >>> WorkingCalendar.vietnam().add_working_days_array(days, 3)
        array(['2025-04-29', '2026-02-25'], dtype='datetime64[D]')
        """
        import numpy as np

        cum, nth, _ = self._tables()
        idx = self._np_index(dates, "dates")
        if np.ndim(n) == 0:
            step = _check_int(n.item() if isinstance(n, np.generic) else n)
            # cum[i] = working days strictly before day i; cum[i + 1] = up to and including it.
            # step 0: the day itself if it is a working day, else the next one.
            k = cum[idx + 1] + (step - 1) if step > 0 else cum[idx] + step
        else:
            steps = np.asarray(n, dtype=np.int64)
            forward = (steps > 0).view(np.int8)
            k = cum[idx + forward] + (steps - forward)
        if k.size:
            lo, hi = int(k.min()), int(k.max())
            if lo < 0 or hi >= self._nwork:
                raise CalendarRangeError(
                    f"a result of add_working_days_array falls outside calendar '{self.name}' "
                    f"({self.first_day.isoformat()} to {self.last_day.isoformat()}); build the "
                    "calendar with a wider first_year/last_year",
                )
            top = max(self._nth[hi], self._base + int(idx.max()))
            if top >= self._warn_ord:
                self._warn(top)
        result: np.ndarray[Any, np.dtype[np.datetime64]] = nth[k].view("datetime64[D]")
        return result

    def working_days_between_array(
        self, a: npt.ArrayLike, b: npt.ArrayLike
    ) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Vectorised :meth:`working_days_between` (``mot_cua[batch]``).

        >>> import numpy as np
        >>> a = np.array(["2025-04-25"], dtype="datetime64[D]")
        >>> b = np.array(["2025-05-05"], dtype="datetime64[D]")
        >>> WorkingCalendar.vietnam().working_days_between_array(a, b)
        array([4])
        """
        cum, _, _ = self._tables()
        ia = self._np_index(a, "a")
        ib = self._np_index(b, "b")
        if ia.size and ib.size:
            top = self._base + max(int(ia.max()), int(ib.max()))
            if top >= self._warn_ord:
                self._warn(top)
        result: np.ndarray[Any, np.dtype[np.int64]] = cum[ib + 1] - cum[ia + 1]
        return result

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(name={self.name!r}, years={self.first_year}..{self.last_year}, "
            f"official_through={self.official_last_year})"
        )


def _check_int(n: object) -> int:
    if isinstance(n, SupportsIndex) and not isinstance(n, bool):
        return operator.index(n)  # int, numpy integers
    if isinstance(n, float) and n.is_integer():
        return int(n)
    raise InvalidInputError(
        f"n must be a whole number of working days, not {n!r}; fractional days are handled "
        "by mot_cua.compute_due with a counting method",
        field="n",
    )


# -- the Vietnamese calendar ------------------------------------------------------------------

_LABOUR_CODE_2019 = "Labour Code 2019 (45/2019/QH14) Art. 112"
_LABOUR_CODE_2012 = "Labour Code 2012 (10/2012/QH13) Art. 115"
_CULTURE_DAY = (
    "Politburo Resolution 80-NQ/TW (Vietnam Culture Day, 24/11), as carried by holidays.VN"
)
_SWAP_SOURCES = {
    2018: "Official Letter 6519/VPCP-KGVX (2018)",
    2019: "Official Letter 6519/VPCP-KGVX (2018)",
    2024: "Official Letter 2450/VPCP-KGVX (2024)",
    2025: "Announcement 6150/TB-BLĐTBXH (2024)",
}


def _labour_code(year: int) -> str:
    return _LABOUR_CODE_2019 if year >= 2021 else _LABOUR_CODE_2012


def _swap_source(year: int) -> str:
    return _SWAP_SOURCES.get(
        year,
        f"Government swap notice for {year}, as carried by holidays.VN (document number not "
        "recorded in mot_cua)",
    )


class _OverrideFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    class Coverage(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")
        official_first_year: int
        official_last_year: int
        source: str

    coverage: Coverage
    override: tuple[CalendarOverride, ...] = ()


@functools.cache
def shipped_overrides() -> tuple[int, tuple[CalendarOverride, ...]]:
    """The shipped override table: (last official year, rows).

    Raises:
        CalendarDataError: the data file is malformed (names the row and field).
    """
    from importlib import resources

    text = resources.files("mot_cua.data").joinpath("calendar_overrides.toml").read_text("utf-8")
    return _parse_overrides(text, "mot_cua/data/calendar_overrides.toml")


def _parse_overrides(text: str, where: str) -> tuple[int, tuple[CalendarOverride, ...]]:
    import tomllib

    try:
        raw = tomllib.loads(text)
        data = _OverrideFile.model_validate(raw)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(f"{where}: not valid TOML: {exc}", file=where) from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise CalendarDataError(
            f"{where}: {problems} (each [[override]] row needs date, kind = 'day_off' or "
            "'worked_day', label and source)",
            file=where,
        ) from exc
    seen: set[dt.date] = set()
    for row_no, row in enumerate(data.override, start=1):
        if row.date in seen:
            raise CalendarDataError(
                f"{where}: override row {row_no} repeats the date {row.date.isoformat()}; keep "
                "one row per date",
                file=where,
                row=row_no,
            )
        seen.add(row.date)
    return data.coverage.official_last_year, data.override


@functools.cache
def _vietnam(
    first_year: int,
    last_year: int,
    culture_day: bool,  # noqa: FBT001 - private, positional for the cache
    worked_saturdays: bool,  # noqa: FBT001
    use_shipped: bool,  # noqa: FBT001
    overrides: tuple[CalendarOverride, ...],
    on_provisional: OnProvisional,
) -> WorkingCalendar:
    import holidays

    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    plain = holidays.country_holidays("VN", years=years, observed=False, language="vi")
    specials: dict[dt.date, _Special] = {}
    working: dict[dt.date, bool] = {}
    for day, label in sorted(vi.items()):
        label_en = en.get(day, label)
        if "Văn hóa Việt Nam" in label:
            if not culture_day:
                continue
            kind = DayKind.COMPENSATORY if day not in plain else DayKind.HOLIDAY
            source = _CULTURE_DAY
        elif label_en.startswith("Day off (substituted"):
            kind, source = DayKind.SWAP_DAY_OFF, _swap_source(day.year)
        elif "Tết" in label and "Dương lịch" not in label:
            # The five Tết days are chosen each year around the lunar new year (Art. 112(1)(b)).
            kind, source = DayKind.HOLIDAY, _labour_code(day.year)
        elif day not in plain:
            kind, source = DayKind.COMPENSATORY, _labour_code(day.year) + "(3)"
        else:
            kind, source = DayKind.HOLIDAY, _labour_code(day.year)
        specials[day] = _Special(kind, label, label_en, source)
        working[day] = False
    if worked_saturdays:
        for day in sorted(vi.weekend_workdays):
            if first_year <= day.year <= last_year:
                specials[day] = _Special(
                    DayKind.WORKED_DAY,
                    "Làm bù (hoán đổi ngày làm việc)",
                    "Worked day (swap)",
                    _swap_source(day.year),
                )
                working[day] = True
    official_last = last_year
    if use_shipped:
        official_last, rows = shipped_overrides()
        for row in rows:
            if not first_year <= row.date.year <= last_year:
                continue
            if row.kind == "worked_day" and not worked_saturdays:
                continue
            kind = DayKind.SWAP_DAY_OFF if row.kind == "day_off" else DayKind.WORKED_DAY
            specials[row.date] = _Special(kind, row.label, row.label_en or row.label, row.source)
            working[row.date] = row.kind == "worked_day"
    else:
        official_last = shipped_overrides()[0]
    cal = WorkingCalendar.__new__(WorkingCalendar)
    cal._init(first_year, last_year, specials, working, official_last, "vietnam", on_provisional)
    if overrides:
        cal = cal.with_overrides(overrides)
        cal.name = "vietnam+overrides"
    return cal
