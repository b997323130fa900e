"""The Vietnamese public-sector working calendar (ngày làm việc).

A working day is Monday–Friday (the 40-hour week of state agencies, Decision 188/1999/QĐ-TTg), minus
the official days off, plus the Saturdays the Government declares worked (làm bù). Vietnam has no
regional public holidays: one national calendar, with per-agency additions (closures such as
typhoon days) layered on top (mot_cua rules §2).

The days off come from four layers, applied in order; each day can say where its answer came
from (:attr:`DayInfo.origin`) and how settled its law is (:attr:`DayInfo.status`):

1. ``holidays.VN`` (the `holidays` package), through a table generated at build time
   (``mot_cua/data/calendar_vn.json``, by ``scripts/build_calendar_tables.py``; no ``holidays``
   object is built at run time): Labour Code 2019 Art. 112 (2012 Art. 115 before 2021): New Year,
   five days of lunar Tết (labelled from the lunar date), Hùng Kings (10/3 lunar), 30/4, 1/5, 2/9
   plus an adjacent day, compensatory days (nghỉ bù) and the Government swaps it knows with their
   worked Saturdays.
2. mot_cua's shipped table (``mot_cua/data/calendar_overrides.toml``): decisions the package
   lacks, e.g. the 2026 New Year swap (Friday 2/1/2026 off, Saturday 10/1/2026 worked, Official
   Letter 12729/VPCP-KGVX of 25/12/2025), and Vietnam Culture Day (24/11 from 2026), a *pending*
   day: announced, not yet law (:class:`LegalStatus`, :meth:`WorkingCalendar.uncertain_days`).
3. The user's calendar file (``WorkingCalendar.vietnam(data=PATH)`` or the environment variable
   ``MOT_CUA_CALENDAR_FILE``), in the same format: swaps announced after the release.
4. The caller's overrides (:class:`CalendarOverride`): agency closures, extra worked days.

**Coverage.** Years up to :attr:`WorkingCalendar.official_last_year` (2026 for
:meth:`WorkingCalendar.vietnam`) have a published schedule. Later years are answered from the
Labour Code rules but are *provisional*: a :class:`~mot_cua.errors.ProvisionalCalendarWarning` is
emitted (once per calendar object and year) and deadlines carry ``provisional=True``. Dates
outside ``first_year..last_year`` raise :class:`~mot_cua.errors.CalendarRangeError`; nothing is
ever clamped.

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

import bisect
import datetime as dt
import functools
import itertools
import operator
import os
import re
import sys
import warnings
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex

from mot_cua.errors import (
    CalendarDataError,
    CalendarRangeError,
    InvalidInputError,
    ProvisionalCalendarWarning,
    brief,
)
from mot_cua.limits import LegalStatus

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from mot_cua._values.calendar import CalendarOverride, DayInfo, _DataFile
    from mot_cua.limits import UncertainDay

__all__ = [
    "CalendarOverride",
    "DayInfo",
    "DayKind",
    "LegalStatus",
    "UncertainDay",
    "WorkingCalendar",
    "calendar_from_cli",
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
#: Environment variable naming a calendar file applied by :meth:`WorkingCalendar.vietnam`.
CALENDAR_FILE_ENV = "MOT_CUA_CALENDAR_FILE"

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


class _Special:
    """A day that differs from an ordinary weekday/weekend, before packing into tables."""

    __slots__ = ("kind", "label", "label_en", "origin", "source", "status")

    def __init__(
        self,
        kind: DayKind,
        label: str,
        label_en: str,
        source: str,
        status: LegalStatus = LegalStatus.ENACTED,
        origin: str = "caller",
    ) -> None:
        self.kind = kind
        self.label = label
        self.label_en = label_en
        self.source = source
        self.status = status
        self.origin = origin


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
            (:class:`~mot_cua.errors.CalendarRangeError`). ``"warn"`` warns once per calendar
            object and year.

    Raises:
        InvalidInputError: a year that is not an ``int`` (``"2020"``, ``2.5``, ``None``), a
            ``special_days`` item that is not a :class:`DayInfo`, a bad ``on_provisional``.
        CalendarRangeError: a year outside 1–9998 (e.g. ``official_last_year=-4``).

    >>> cal = WorkingCalendar(first_year=2025, last_year=2025)
    >>> cal.add_working_days(dt.date(2025, 1, 3), 1)   # Friday -> Monday, no holidays
    datetime.date(2025, 1, 6)
    >>> WorkingCalendar(first_year="2025", last_year=2025)
    Traceback (most recent call last):
    ...
    mot_cua.errors.InvalidInputError: first_year must be a year as an int, such as 2026, ...
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
        first = _check_year(first_year, "first_year")
        last = _check_year(last_year, "last_year")
        official = None
        if official_last_year is not None:
            official = _check_year(official_last_year, "official_last_year")
        if not isinstance(name, str):
            raise InvalidInputError(
                f"name must be a str, not {type(name).__name__}; pass a short label such as "
                "'my-agency'",
                field="name",
            )
        from mot_cua._values.calendar import DayInfo

        days = _check_items(special_days, DayInfo, "special_days", "DayInfo(date=..., ...)")
        specials = {
            d.date: _Special(d.kind, d.label, d.label_en, d.source, d.status, d.origin)
            for d in days
        }
        working = {d.date: d.working for d in days}
        self._init(first, last, specials, working, official, name, on_provisional)

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
        *,
        vietnam: bool = False,
    ) -> None:
        if not isinstance(on_provisional, str) or on_provisional not in (
            "warn",
            "ignore",
            "raise",
        ):
            raise InvalidInputError(
                f"on_provisional must be 'warn', 'ignore' or 'raise', not {brief(on_provisional)}",
                field="on_provisional",
            )
        if first_year > last_year:
            raise InvalidInputError(
                f"invalid calendar range {first_year}..{last_year}: first_year must not exceed "
                "last_year",
                first_year=first_year,
                last_year=last_year,
            )
        self._vn = vietnam
        self.name = name
        self.first_year = first_year
        self.last_year = last_year
        self.official_last_year = last_year if official_last_year is None else official_last_year
        self._specials = specials
        base = _date(first_year, 1, 1).toordinal()
        end = _date(last_year, 12, 31).toordinal()
        n = end - base + 1
        self._build_tables(base, n, working_override)
        prov = (
            _date(self.official_last_year + 1, 1, 1).toordinal()
            if (self.official_last_year < last_year)
            else end + 1
        )
        self._prov_ord = prov
        self.on_provisional: OnProvisional = on_provisional
        # The hot paths compare against this: past the end of time when warnings are off, and
        # once every provisional year has warned (warn once per calendar and year).
        self._warn_ord = prov if on_provisional != "ignore" else sys.maxsize
        self._warned: set[int] = set()
        # 1 on each provisional day whose year has not warned yet (the hot paths test it).
        flags = bytearray(n)
        if prov <= end:
            flags[prov - base :] = b"\x01" * (end + 1 - prov)
        self._wflag = flags
        self._np_tables: tuple[Any, Any, Any] | None = None
        pending = sorted(d for d, s in specials.items() if s.status is LegalStatus.PENDING)
        self._pending_ords = [d.toordinal() for d in pending]
        self._pending_days = tuple(
            _Pending(d, specials[d].status, specials[d].label, specials[d].source) for d in pending
        )
        self._pending_models: tuple[UncertainDay, ...] | None = None

    def _build_tables(self, base: int, n: int, working_override: dict[dt.date, bool]) -> None:
        """``_work`` (1 per working day), ``_cum`` (working days before each day), ``_nth``."""
        first = (base + 6) % 7  # date.weekday() of the first day, from its ordinal
        week = bytes(1 if (first + k) % 7 < 5 else 0 for k in range(7))  # Monday–Friday
        work = bytearray((week * (n // 7 + 1))[:n])
        for d, w in working_override.items():
            i = d.toordinal() - base
            if 0 <= i < n:
                work[i] = 1 if w else 0
        self._base = base
        self._n = n
        self._work = bytes(work)
        self._cum = [0, *itertools.accumulate(work)]
        self._nth = list(itertools.compress(range(base, base + n), work))
        self._nwork = len(self._nth)
        # The same days as date objects: the hot path returns one instead of building it.
        self._nth_dates = list(map(_fromordinal, self._nth))

    @classmethod
    def vietnam(
        cls,
        *,
        first_year: int = VIETNAM_FIRST_YEAR,
        last_year: int = VIETNAM_LAST_YEAR,
        culture_day: bool = True,
        worked_saturdays: bool = True,
        shipped_overrides: bool = True,
        overrides: Iterable[CalendarOverride | Mapping[str, Any]] = (),
        on_provisional: OnProvisional = "warn",
        data: str | os.PathLike[str] | None = None,
    ) -> WorkingCalendar:
        """The Vietnamese public-sector calendar (cached per set of arguments).

        Args:
            first_year: first covered year (not before 2014, the first year mot_cua checked).
            last_year: last covered year (at most 2100); years after the official ones are
                provisional.
            culture_day: treat 24/11 (Vietnam Culture Day, from 2026) as a day off. It is a
                *pending* day (:class:`LegalStatus`): the Labour Code amendment it needs was not
                passed in the newest sources, so results that depend on it list it in their
                ``uncertain_days``; ``False`` makes it an ordinary working day.
            worked_saturdays: count Saturdays declared worked (làm bù) as working days. ``False``
                reproduces systems that cannot represent them.
            shipped_overrides: apply mot_cua's override table (``False`` shows what ``holidays``
                alone says, for comparison).
            overrides: the caller's own decisions (closures, extra worked days), applied last:
                :class:`CalendarOverride` objects or mappings with the same fields.
            on_provisional: ``"warn"`` (default), ``"ignore"`` or ``"raise"`` when a call touches
                a year after the official ones (see :class:`WorkingCalendar`).
            data: a calendar file (TOML, the format of the shipped override table) applied on
                top of the shipped table; it may raise ``official_last_year`` and declare days
                pending. Default: the file named by the environment variable
                ``MOT_CUA_CALENDAR_FILE``, if set. Each path is read once per process.

        Returns:
            The calendar; the same object for the same arguments (a small LRU cache).

        Raises:
            CalendarRangeError: ``first_year`` before 2014 or ``last_year`` beyond 2100.
            InvalidInputError: an argument of the wrong type (names it and how to fix it).
            CalendarDataError: the calendar file is malformed (lists every problem by row).
            InputFileError: the calendar file cannot be read.

        >>> WorkingCalendar.vietnam().official_last_year
        2026
        """
        if (
            data is None
            and type(overrides) is tuple
            and not overrides
            and type(first_year) is int
            and type(last_year) is int
            and first_year == VIETNAM_FIRST_YEAR
            and last_year == VIETNAM_LAST_YEAR
            and culture_day is True
            and worked_saturdays is True
            and shipped_overrides is True
            and type(on_provisional) is str
            and on_provisional == "warn"
            and not _env_calendar_file()
        ):
            return _default_vietnam()  # the hot path of compute_due without a calendar
        first, last, flags = _vietnam_args(
            first_year, last_year, culture_day, worked_saturdays, shipped_overrides, on_provisional
        )
        rows = _check_overrides(overrides, "overrides")
        if data is None:
            data = _env_calendar_file()
        user = None if data is None else _user_rows(_check_path(data))
        return _vietnam(first, last, *flags, rows, on_provisional, user)

    def with_overrides(
        self, overrides: Iterable[CalendarOverride | Mapping[str, Any]]
    ) -> WorkingCalendar:
        """Return a new calendar with the caller's decisions applied on top of this one.

        ``day_off`` rows become :attr:`DayKind.CLOSURE`, ``worked_day`` rows
        :attr:`DayKind.WORKED_DAY`.

        Args:
            overrides: :class:`CalendarOverride` objects, or mappings with the same fields.

        Returns:
            A new calendar (this one is unchanged).

        Raises:
            CalendarRangeError: an override lies outside the calendar's years.
            InvalidInputError: an item is not an override (names its index).

        >>> cal = WorkingCalendar.vietnam().with_overrides([{"date": dt.date(2025, 9, 19),
        ...     "kind": "day_off", "label": "Nghỉ do bão", "source": "Notice 12/TB of 18/9/2025"}])
        >>> cal.is_working_day(dt.date(2025, 9, 19)), cal.explain(dt.date(2025, 9, 19)).origin
        (False, 'caller override')
        """
        rows = _check_overrides(overrides, "overrides")
        specials = dict(self._specials)
        working = {d: self._quiet_is_working(d) for d in specials}
        for o in rows:
            self._index(o.date, "override date")
            kind = DayKind.CLOSURE if o.kind == "day_off" else DayKind.WORKED_DAY
            specials[o.date] = _Special(
                kind, o.label, o.label_en or o.label, o.source, o.status, "caller override"
            )
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
            vietnam=self._vn,
        )
        return new

    def without_worked_saturdays(self) -> WorkingCalendar:
        """This calendar with every worked weekend day treated as a day off.

        Reproduces the systems that hard-code Saturday and Sunday as days off; used by
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
                f"{name} must be a datetime.date, not {type(d).__name__} ({brief(d)})", field=name
            )
        return d

    def _index(self, d: object, name: str = "d") -> int:
        day = self._check_date(d, name)
        i = day.toordinal() - self._base
        if i < 0 or i >= self._n:
            self._out_of_range(day, name)
        return i

    def _range_fix(self, year: int) -> str:
        """A fix for a date in ``year`` outside this calendar that actually works."""
        if self._vn:
            if year < VIETNAM_FIRST_YEAR:
                return (
                    f"mot_cua's Vietnamese calendar starts on {VIETNAM_FIRST_YEAR}-01-01 and has "
                    f"no sourced data for {year}; check the date, or build a "
                    "WorkingCalendar(first_year=..., last_year=..., special_days=...) from your "
                    "own sourced days off"
                )
            if year > TABLE_LAST_YEAR:
                return (
                    f"mot_cua's Vietnamese calendar ends on {TABLE_LAST_YEAR}-12-31; check the date"
                )
            if year < self.first_year:
                return f"pass calendar=WorkingCalendar.vietnam(first_year={year})"
            return (
                f"pass calendar=WorkingCalendar.vietnam(last_year={year}) (any year up to "
                f"{TABLE_LAST_YEAR}; years after {self.official_last_year} are provisional)"
            )
        if not 1 <= year <= 9998:
            return "check the date"
        lo, hi = min(year, self.first_year), max(year, self.last_year)
        return f"build the calendar with first_year={lo}, last_year={hi}"

    def _out_of_range(self, d: dt.date, name: str = "date") -> None:
        raise CalendarRangeError(
            f"{d.isoformat()} is outside the calendar '{self.name}' "
            f"({self.first_day.isoformat()} to {self.last_day.isoformat()}); mot_cua never clamps: "
            + self._range_fix(d.year),
            date=d,
            field=name,
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
        if self.on_provisional == "warn" and d.year not in self._warned:
            # Once per calendar and year: later calls touching the year cost nothing extra.
            self._warned.add(d.year)
            lo = max(_date(d.year, 1, 1).toordinal() - self._base, 0)
            hi = min(_date(d.year, 12, 31).toordinal() - self._base + 1, self._n)
            self._wflag[lo:hi] = bytes(hi - lo)
            if len(self._warned) > self.last_year - self.official_last_year - 1:
                self._warn_ord = sys.maxsize
            message += " (warned once per calendar and year)"
            warnings.warn(ProvisionalCalendarWarning(message), stacklevel=stacklevel)

    # -- legal status --------------------------------------------------------------------

    def uncertain_days(self, first: dt.date, last: dt.date) -> tuple[UncertainDay, ...]:
        """The days in ``[first, last]`` (both included) whose law is not settled.

        A result computed over that span depends on each listed day's answer: report the days
        next to the result (``Deadline.uncertain_days``). Costs two binary searches, emits no
        warning, and returns ``()`` when ``last < first``.

        Args:
            first: first day of the span.
            last: last day of the span.

        Returns:
            The pending days, in date order.

        Raises:
            CalendarRangeError: ``first`` or ``last`` lies outside the calendar.
            InvalidInputError: ``first`` or ``last`` is not a ``datetime.date``.

        >>> cal = WorkingCalendar.vietnam()
        >>> day, = cal.uncertain_days(dt.date(2026, 11, 23), dt.date(2026, 11, 25))
        >>> day.date, day.status
        (datetime.date(2026, 11, 24), <LegalStatus.PENDING: 'pending'>)
        """
        lo = self._index(first, "first") + self._base
        hi = self._index(last, "last") + self._base
        if hi < lo or not self._pending_ords:
            return ()
        models = self._pending_models
        if models is None:
            from mot_cua._values.limits import UncertainDay

            models = self._pending_models = tuple(
                UncertainDay(date=u.date, status=u.status, label=u.label, source=u.source)
                for u in self._pending_days
            )
        return models[self._pending_slice(lo, hi)]

    def _pending_between(self, first: dt.date, last: dt.date) -> tuple[_Pending, ...]:
        """:meth:`uncertain_days` as plain values (for results built without pydantic)."""
        lo, hi = first.toordinal(), last.toordinal()
        return self._pending_days[self._pending_slice(lo, hi)] if hi >= lo else ()

    def _pending_slice(self, lo: int, hi: int) -> slice:
        """Where the pending days with ordinals in ``[lo, hi]`` sit in ``_pending_days``."""
        ords = self._pending_ords
        i = bisect.bisect_left(ords, lo)
        return slice(i, bisect.bisect_right(ords, hi, lo=i))

    # -- single days ---------------------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day.

        >>> WorkingCalendar.vietnam().is_working_day(dt.date(2026, 1, 2))
        False
        """
        i = d.toordinal() - self._base if type(d) is _date else -1
        if i < 0 or i >= self._n:
            i = self._index(d)
        if i + self._base >= self._warn_ord and self._wflag[i]:
            self._warn(i + self._base)
        return bool(self._work[i])

    def explain(self, d: dt.date) -> DayInfo:
        """Why ``d`` is or is not a working day, with the source of the rule.

        >>> print(WorkingCalendar.vietnam().explain(dt.date(2025, 1, 27)))
        2025-01-27 (Mon): day off, Tết Nguyên Đán: 28 tháng Chạp [Labour Code 2019 (45/2019/QH14)
        Art. 112(1)(b); Tết days of 2025: Official Letter 8726/VPCP-KGVX of 26/11/2024]
        >>> WorkingCalendar.vietnam().explain(dt.date(2026, 11, 24)).status
        <LegalStatus.PENDING: 'pending'>
        """
        from mot_cua._values.calendar import DayInfo

        return DayInfo(**self._explain_fields(d))

    def _explain_fields(self, d: dt.date) -> dict[str, Any]:
        """The fields of :meth:`explain`'s answer, without building the model."""
        i = self._index(d)
        day = _fromordinal(self._base + i)
        provisional = self._base + i >= self._prov_ord
        special = self._specials.get(day)
        working = bool(self._work[i])
        if special is not None:
            return {
                "date": day,
                "working": working,
                "kind": special.kind,
                "label": special.label,
                "label_en": special.label_en,
                "source": special.source,
                "provisional": provisional,
                "status": special.status,
                "origin": special.origin,
            }
        saturday = day.weekday() == 5
        return {
            "date": day,
            "working": working,
            "kind": DayKind.WORKDAY if working else DayKind.WEEKEND,
            "label": "Ngày làm việc" if working else "Thứ Bảy" if saturday else "Chủ nhật",
            "label_en": "Working day" if working else "Saturday" if saturday else "Sunday",
            "source": WEEK_SOURCE,
            "provisional": provisional,
            "origin": "weekly rule",
        }

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
        if n > 0:  # the common case, inlined; the result is never before the start
            k = self._cum[i + 1] + n - 1
            if k >= self._nwork:
                self._beyond(d, n)
            o = self._nth[k]
            if o >= self._warn_ord and self._wflag[o - self._base]:
                self._warn(o)
            return self._nth_dates[k]
        o = self._add_ord(i, n, d)
        w = self._warn_ord
        if o >= w or self._base + i >= w:
            top = o if o > self._base + i else self._base + i
            if self._wflag[top - self._base]:
                self._warn(top)
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
        past = edge.year + (1 if n >= 0 else -1)
        raise CalendarRangeError(
            f"{brief(abs(n))} working days {'after' if n >= 0 else 'before'} {d.isoformat()} fall "
            f"{'after' if n >= 0 else 'before'} {edge.isoformat()}, the "
            f"{'end' if n >= 0 else 'start'} of calendar '{self.name}'; mot_cua never clamps: "
            + self._range_fix(past),
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
        top = i if i > j else j
        if top + self._base >= self._warn_ord and self._wflag[top]:
            self._warn(top + self._base)
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

    def _year_span(self, year: object) -> tuple[int, int]:
        """Indexes of 1 January and 31 December of ``year`` (checked)."""
        if not (isinstance(year, int) and not isinstance(year, bool)):
            raise InvalidInputError(
                f"year must be an int such as 2026, not {type(year).__name__} {brief(year)}",
                field="year",
            )
        if not self.first_year <= year <= self.last_year:
            raise CalendarRangeError(
                f"year {brief(year)} is outside the calendar '{self.name}' "
                f"({self.first_day.isoformat()} "
                f"to {self.last_day.isoformat()}); "
                + (self._range_fix(year) if 1 <= year <= 9998 else "check the year"),
                field="year",
                year=year,
            )
        return (
            _date(year, 1, 1).toordinal() - self._base,
            _date(year, 12, 31).toordinal() - self._base,
        )

    def _year_days(self, year: int) -> Iterable[DayInfo]:
        self._year_span(year)
        for d in sorted(self._specials):
            if d.year == year:
                yield self.explain(d)

    def days_off(self, year: int) -> list[DayInfo]:
        """Weekdays (Monday–Friday) of ``year`` that are not working days, with reasons.

        >>> [d.date.day for d in WorkingCalendar.vietnam().days_off(2026) if d.date.month == 1]
        [1, 2]
        """
        days = list(self._year_days(year))
        return [x for x in days if not x.working and x.date.weekday() < 5]

    def worked_days(self, year: int) -> list[DayInfo]:
        """Saturdays and Sundays of ``year`` that are working days, with reasons."""
        days = list(self._year_days(year))
        return [x for x in days if x.working and x.date.weekday() >= 5]

    def working_days_in_year(self, year: int) -> int:
        """Number of working days in ``year``.

        >>> WorkingCalendar.vietnam().working_days_in_year(2025)
        250
        """
        start, end = self._year_span(year)
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

        try:
            arr = np.asarray(dates)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"{name} must be an array of numpy datetime64[D]: {exc}", field=name
            ) from None
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
            # NaT (the int64 minimum) always lands out of range, so it is looked for only then.
            if (lo < 0 or hi >= self._n) and np.isnat(arr).any():
                raise InvalidInputError(
                    f"{name} holds NaT (not a time) at index "
                    f"{int(np.argmax(np.isnat(arr.reshape(-1))))}; drop or fill missing dates",
                    field=name,
                )
            if lo < 0 or hi >= self._n:
                bad = arr.reshape(-1)[int(np.argmax(((idx < 0) | (idx >= self._n)).reshape(-1)))]
                text = str(bad)
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    raise CalendarRangeError(
                        f"{name} holds {text}, outside the calendar '{self.name}' "
                        f"({self.first_day.isoformat()} to {self.last_day.isoformat()}); check "
                        "the dates",
                        field=name,
                    )
                self._out_of_range(_date.fromisoformat(text), name)
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
            if abs(step) > self._nwork and idx.size:
                self._beyond(_fromordinal(self._base + int(idx.reshape(-1)[0])), step)
            step = max(-self._nwork - 1, min(step, self._nwork + 1))  # out of range either way
            # cum[i] = working days strictly before day i; cum[i + 1] = up to and including it.
            # step 0: the day itself if it is a working day, else the next one. One gather into
            # a fresh array, then in place: no temporary for idx + 1 or for the sum.
            k = cum[1:].take(idx) if step > 0 else cum.take(idx)
            k += step - 1 if step > 0 else step
        else:
            steps = _np_steps(n)
            forward = (steps > 0).view(np.int8)
            try:
                if steps.shape == idx.shape:  # the common case: in place, no temporaries
                    pos = idx + forward
                    k = cum.take(pos)
                    k += steps
                    k -= forward
                else:
                    k = cum[idx + forward] + (steps - forward)
            except ValueError as exc:
                raise InvalidInputError(
                    f"n has shape {steps.shape}, which does not broadcast against dates of shape "
                    f"{idx.shape}: {exc}",
                    field="n",
                ) from None
        if k.size:
            lo, hi = int(k.min()), int(k.max())
            if lo < 0 or hi >= self._nwork:
                raise CalendarRangeError(
                    f"a result of add_working_days_array falls outside calendar '{self.name}' "
                    f"({self.first_day.isoformat()} to {self.last_day.isoformat()}); build the "
                    "calendar with a wider first_year/last_year",
                )
            top = max(self._nth[hi], self._base + int(idx.max()))
            if top >= self._warn_ord and self._wflag[top - self._base]:
                self._warn(top)
        result: np.ndarray[Any, np.dtype[np.datetime64]] = nth.take(k).view("datetime64[D]")
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
        if ia.size and ib.size and ia.shape == ib.shape:
            top = self._base + max(int(ia.max()), int(ib.max()))
            if top >= self._warn_ord and self._wflag[top - self._base]:
                self._warn(top)
        try:
            result: np.ndarray[Any, np.dtype[np.int64]] = cum[ib + 1] - cum[ia + 1]
        except ValueError as exc:
            raise InvalidInputError(
                f"a (shape {ia.shape}) and b (shape {ib.shape}) do not broadcast: {exc}",
                field="b",
            ) from None
        return result

    def __repr__(self) -> str:
        return (
            f"WorkingCalendar(name={brief(self.name)}, years={self.first_year}..{self.last_year}, "
            f"official_through={self.official_last_year})"
        )


def _check_int(n: object) -> int:
    if isinstance(n, SupportsIndex) and not isinstance(n, bool | type):
        # int, numpy integers (a class such as ``int`` passes the protocol check, not the call)
        try:
            return operator.index(n)
        except TypeError:
            pass
    elif isinstance(n, float) and n.is_integer():
        return int(n)
    raise InvalidInputError(
        f"n must be a whole number of working days, not {brief(n)}; fractional days are handled "
        "by mot_cua.compute_due with a counting method",
        field="n",
    )


def _np_steps(n: Any) -> Any:
    """An array of whole numbers of working days (integers, or floats without a fraction)."""
    import numpy as np

    try:
        steps = np.asarray(n)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"n must be whole numbers of working days: {exc}") from None
    if steps.dtype.kind in "iu":
        return steps.astype(np.int64, copy=False)  # read only: never changed in place
    if steps.dtype.kind == "f" and bool(np.isfinite(steps).all()):
        whole = np.trunc(steps)
        if bool((whole == steps).all()) and bool((np.abs(steps) < 2**62).all()):
            return whole.astype(np.int64)
    raise InvalidInputError(
        f"n must be whole numbers of working days, not an array of {steps.dtype} "
        f"{brief(n)}; fractional days are handled by mot_cua.compute_due",
        field="n",
    )


def _check_year(value: object, field: str) -> int:
    """A year argument: a plain int between 1 and 9998 (not a bool, str or float)."""
    if type(value) is int and 1 <= value <= 9998:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9998:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        raise CalendarRangeError(
            f"{field}={brief(value)} is not a year mot_cua can represent; pass a year between 1 "
            "and "
            "9998",
            field=field,
        )
    hint = ""
    if (
        isinstance(value, str)
        and value.strip().isascii()
        and value.strip().isdigit()
        and len(value) < 20
    ):
        hint = f" (write {field}={int(value.strip())}, without quotes)"
    raise InvalidInputError(
        f"{field} must be a year as an int, such as 2026, not {type(value).__name__} "
        f"{brief(value)}{hint}",
        field=field,
    )


def _check_bool(value: object, field: str) -> bool:
    if value is True or value is False:
        return value
    raise InvalidInputError(
        f"{field} must be True or False, not {type(value).__name__} {brief(value)}",
        field=field,
    )


def _check_items(items: object, cls: type[Any], field: str, example: str) -> list[Any]:
    """An iterable (not a str or mapping) whose every item is a ``cls``."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise InvalidInputError(
            f"{field} must be a list of {cls.__name__}, not {type(items).__name__} "
            f"{brief(items)}; pass [{example}, ...]",
            field=field,
        )
    out = list(items)
    for i, item in enumerate(out):
        if not isinstance(item, cls):
            raise InvalidInputError(
                f"{field}[{i}] must be a {cls.__name__}, not {type(item).__name__} "
                f"{brief(item)}; build it as {example}",
                field=field,
                index=i,
            )
    return out


def _check_overrides(items: object, field: str) -> tuple[CalendarOverride, ...]:
    """Caller overrides: CalendarOverride objects or mappings of its fields."""
    if isinstance(items, tuple) and not items:
        return ()
    from pydantic import ValidationError

    from mot_cua._values.calendar import CalendarOverride

    example = "CalendarOverride(date=..., kind='day_off', label=..., source=...)"
    if isinstance(items, tuple) and all(type(o) is CalendarOverride for o in items):
        return items
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise InvalidInputError(
            f"{field} must be a list of CalendarOverride (or of mappings with its fields), not "
            f"{type(items).__name__} {brief(items)}; pass [{example}, ...]",
            field=field,
        )
    out: list[CalendarOverride] = []
    for i, item in enumerate(items):
        if isinstance(item, CalendarOverride):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise InvalidInputError(
                f"{field}[{i}] must be a CalendarOverride or a mapping, not "
                f"{type(item).__name__} {brief(item)}; build it as {example}",
                field=field,
                index=i,
            )
        try:
            out.append(CalendarOverride.model_validate(dict(item)))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()
            )
            raise InvalidInputError(
                f"{field}[{i}]: {problems}; each override needs date, kind ('day_off' or "
                "'worked_day'), label and source",
                field=field,
                index=i,
            ) from None
    return tuple(out)


def _check_path(path: object) -> str:
    if isinstance(path, str | os.PathLike):
        text = os.fspath(path)
        if isinstance(text, str) and text.strip():
            return text
    raise InvalidInputError(
        f"data must be the path of a calendar file (str or pathlib.Path), not "
        f"{type(path).__name__} {brief(path)}",
        field="data",
    )


# -- the Vietnamese calendar ------------------------------------------------------------------

_LABOUR_CODE_2019 = "Labour Code 2019 (45/2019/QH14) Art. 112"
_LABOUR_CODE_2012 = "Labour Code 2012 (10/2012/QH13) Art. 115"
_NOT_RECORDED = "document number not recorded in mot_cua"
#: The Government document that fixed each year's Tết days (Labour Code 2019 Art. 112(1)(b)
#: leaves the choice of the five days to the Prime Minister). Years absent: not recorded.
_TET_SOURCES = {
    2019: "Official Letter 6519/VPCP-KGVX of 11/7/2018",
    2025: "Official Letter 8726/VPCP-KGVX of 26/11/2024",
    2026: "Announcement 9441/TB-BNV of 16/10/2025",
}
#: The Government document behind each year's swaps (hoán đổi ngày làm việc).
_SWAP_SOURCES = {
    2018: "Official Letter 6519/VPCP-KGVX of 11/7/2018",
    2019: "Official Letter 6519/VPCP-KGVX of 11/7/2018",
    2024: "Official Letter 2450/VPCP-KGVX of 12/4/2024",
    2025: "Announcement 6150/TB-BLĐTBXH (2024)",
    2026: "Announcement 9441/TB-BNV of 16/10/2025",
}


def _labour_code(year: int) -> str:
    return _LABOUR_CODE_2019 if year >= 2021 else _LABOUR_CODE_2012


def _swap_source(year: int) -> str:
    return _SWAP_SOURCES.get(
        year, f"Government swap notice for {year}, as carried by holidays.VN ({_NOT_RECORDED})"
    )


def _tet_source(year: int) -> str:
    doc = _TET_SOURCES.get(year, f"the year's Prime Minister decision ({_NOT_RECORDED})")
    return f"{_labour_code(year)}(1)(b); Tết days of {year}: {doc}"


# -- data files -------------------------------------------------------------------------------


class _Rows:
    """A validated data file: its official last year (or None) and rows with their origins."""

    __slots__ = ("official_last_year", "rows", "where")

    def __init__(
        self, where: str, official_last_year: int | None, rows: tuple[tuple[_AnyRow, str], ...]
    ) -> None:
        self.where = where
        self.official_last_year = official_last_year
        self.rows = rows


_SHIPPED = "mot_cua/data/calendar_overrides.toml"


_SHIPPED_ORIGIN = "mot_cua shipped table row {n}"


def _shipped_text() -> str:
    from importlib import resources

    return resources.files("mot_cua.data").joinpath("calendar_overrides.toml").read_text("utf-8")


@functools.cache
def _shipped_rows() -> _Rows:
    """The shipped table as the calendars use it: read as trusted data, without pydantic.

    The file is ours and checked in full by :func:`_validated_shipped_rows` in the tests
    (``tests/test_lazy_models.py``: same rows, same origins), so a calendar built from it does
    not pay for the validation (issue 10 §3).
    """
    import tomllib

    text = _shipped_text()
    raw = tomllib.loads(text)
    lines = _row_lines(text)
    rows = tuple(
        (_PlainRow(item), _SHIPPED_ORIGIN.format(n=n) + f" (line {lines[n - 1]})")
        for n, item in enumerate(raw["override"], start=1)
    )
    return _Rows(_SHIPPED, raw["coverage"]["official_last_year"], rows)


@functools.cache
def _validated_shipped_rows() -> _Rows:
    """The shipped table read through the data-file schema (every check of a user's file)."""
    return _parse_rows(_shipped_text(), _SHIPPED, _SHIPPED_ORIGIN, require_coverage=True)


class _PlainRow:
    """A row of the shipped table with the attributes of ``_DataRow`` (trusted data)."""

    __slots__ = (
        "confidence",
        "date",
        "kind",
        "label",
        "label_en",
        "option",
        "source",
        "status",
        "yearly",
    )

    def __init__(self, item: Mapping[str, Any]) -> None:
        self.date: dt.date = item["date"]
        self.kind: str = item["kind"]
        self.label: str = item["label"]
        self.source: str = item["source"]
        self.label_en: str | None = item.get("label_en")
        self.confidence: str | None = item.get("confidence")
        self.status = LegalStatus(item.get("status", LegalStatus.ENACTED))
        self.yearly: bool = item.get("yearly", False)
        self.option: str | None = item.get("option")


class _Pending:
    """A pending day as plain values (:class:`UncertainDay`'s fields)."""

    __slots__ = ("date", "label", "source", "status")

    def __init__(self, date: dt.date, status: LegalStatus, label: str, source: str) -> None:
        self.date = date
        self.status = status
        self.label = label
        self.source = source


_AnyRow = Any  # a ``_DataRow`` (validated file) or a ``_PlainRow`` (the shipped table)


def shipped_overrides() -> tuple[int, tuple[CalendarOverride, ...]]:
    """The shipped override table: (last official year, rows).

    Raises:
        CalendarDataError: the data file is malformed (names the row and field).

    >>> year, rows = shipped_overrides()
    >>> year, rows[0].date.isoformat()
    (2026, '2026-01-02')
    """
    data = _validated_shipped_rows()
    assert data.official_last_year is not None  # required by _parse_rows
    return data.official_last_year, tuple(r for r, _ in data.rows)


def _parse_overrides(text: str, where: str) -> tuple[int, tuple[CalendarOverride, ...]]:
    data = _parse_rows(text, where, "calendar file " + where + " row {n}", require_coverage=True)
    assert data.official_last_year is not None  # required above
    return data.official_last_year, tuple(r for r, _ in data.rows)


def _row_lines(text: str) -> list[int]:
    """Line number (from 1) of each ``[[override]]`` header, in order."""
    return [
        n
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip().replace(" ", "").startswith("[[override]]")
    ]


def _parse_rows(text: str, where: str, origin: str, *, require_coverage: bool) -> _Rows:
    """Validate a calendar data file, listing every problem with its row in one error."""
    from pydantic import ValidationError

    from mot_cua._values.calendar import _DataFile
    from mot_cua.errors import InputFileError
    from mot_cua.files import parse_toml

    try:
        raw = parse_toml(text, what="calendar file", source=where)
    except InputFileError as exc:
        raise CalendarDataError(f"not valid TOML: {exc}", file=where, **exc.details) from None
    lines = _row_lines(text)

    def at(row_no: int) -> str:
        line = f" (line {lines[row_no - 1]})" if row_no <= len(lines) else ""
        return f"row {row_no}{line}"

    problems: list[str] = []
    data: _DataFile | None = None
    try:
        data = _DataFile.model_validate(raw)
    except ValidationError as exc:
        for e in exc.errors():
            loc = list(e["loc"])
            if len(loc) >= 2 and loc[0] == "override" and isinstance(loc[1], int):
                rest = "".join(f".{p}" for p in loc[2:])
                problems.append(f"{at(loc[1] + 1)}{rest}: {e['msg']}")
            else:
                problems.append(f"{'.'.join(str(p) for p in loc) or 'file'}: {e['msg']}")
    if data is not None:
        problems.extend(_data_problems(data, at, require_coverage=require_coverage))
    if problems or data is None:
        raise CalendarDataError(
            f"{where}: {len(problems)} problem(s): " + "; ".join(problems) + " (each "
            "[[override]] row needs date, kind = 'day_off' or 'worked_day', label and source; "
            "optional label_en, confidence, status = 'enacted' or 'pending', yearly)",
            file=where,
            problems=problems,
        )
    rows = tuple(
        (row, origin.format(n=n) + (f" (line {lines[n - 1]})" if n <= len(lines) else ""))
        for n, row in enumerate(data.override, start=1)
    )
    last = data.coverage.official_last_year if data.coverage is not None else None
    return _Rows(where, last, rows)


def _data_problems(data: _DataFile, at: Any, *, require_coverage: bool) -> list[str]:
    """Problems a schema cannot see: duplicates, years out of range, empty sources."""
    problems: list[str] = []
    if require_coverage and data.coverage is None:
        problems.append("[coverage]: missing (official_last_year and source)")
    if data.coverage is not None and not (
        VIETNAM_FIRST_YEAR <= data.coverage.official_last_year <= TABLE_LAST_YEAR
    ):
        problems.append(
            f"[coverage].official_last_year: {data.coverage.official_last_year} is not between "
            f"{VIETNAM_FIRST_YEAR} and {TABLE_LAST_YEAR}"
        )
    seen: dict[dt.date, int] = {}
    for row_no, row in enumerate(data.override, start=1):
        if row.date in seen:
            problems.append(
                f"{at(row_no)}: repeats the date {row.date.isoformat()} of row "
                f"{seen[row.date]}; keep one row per date"
            )
        seen.setdefault(row.date, row_no)
        if not VIETNAM_FIRST_YEAR <= row.date.year <= TABLE_LAST_YEAR:
            problems.append(
                f"{at(row_no)}.date: {row.date.isoformat()} is outside the years of mot_cua's "
                f"Vietnamese calendar ({VIETNAM_FIRST_YEAR}-{TABLE_LAST_YEAR})"
            )
        if row.yearly and (row.date.month, row.date.day) == (2, 29):
            problems.append(f"{at(row_no)}: a yearly row cannot fall on 29 February")
        if not row.source.strip():
            problems.append(f"{at(row_no)}.source: empty; name the deciding document")
        if not row.label.strip():
            problems.append(f"{at(row_no)}.label: empty; say what the day is")
    return problems


@functools.lru_cache(maxsize=8)
def _user_rows(path: str) -> _Rows:
    """A user's calendar file, read once per process (through :mod:`mot_cua.files`)."""
    from mot_cua.files import read_text

    text = read_text(path, what="calendar file")
    return _parse_rows(text, path, "calendar file " + path + " row {n}", require_coverage=False)


def calendar_from_cli(path: str | None) -> WorkingCalendar:
    """The calendar a command-line command uses: ``--calendar-file PATH``, else the default.

    The default is :meth:`WorkingCalendar.vietnam`, which applies the file named by
    ``MOT_CUA_CALENDAR_FILE`` when that variable is set; an explicit ``path`` wins over it.

    Args:
        path: the value of ``--calendar-file`` (``None`` when not given).

    Returns:
        The calendar.

    Raises:
        CalendarDataError: the file is malformed (every problem, by row and line).
        InputFileError: the file cannot be read.

    >>> calendar_from_cli(None) is WorkingCalendar.vietnam()
    True
    """
    if path is None:
        return WorkingCalendar.vietnam()
    return WorkingCalendar.vietnam(data=path)


# -- the generated table of holidays.VN ---------------------------------------------------------

#: Years of the generated table (``scripts/build_calendar_tables.py``).
TABLE_FIRST_YEAR = VIETNAM_FIRST_YEAR
TABLE_LAST_YEAR = 2100
_TABLE_FILE = "calendar_vn.json"


def _jdn(d: dt.date) -> int:
    return d.toordinal() + 1721425


def _new_moon_jdn(k: int) -> int:
    """Julian day number of the k-th new moon since 1900-01-01, in Vietnam (UTC+7).

    The standard astronomical series (J. Meeus, *Astronomical Algorithms*, ch. 49, abridged)
    as used for the Vietnamese lunisolar calendar.
    """
    import math

    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    sin = math.sin
    c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
    c1 -= 0.4068 * sin(mpr * dr) - 0.0161 * sin(dr * 2 * mpr)
    c1 -= 0.0004 * sin(dr * 3 * mpr)
    c1 += 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
    c1 -= 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
    c1 -= 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
    c1 += 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return int(jd1 + c1 - delta_t + 0.5 + 7 / 24)


def lunar_month_start(d: dt.date) -> dt.date:
    """The first day of the lunar month containing ``d`` (Vietnamese calendar, UTC+7).

    >>> lunar_month_start(dt.date(2025, 1, 27))   # tháng Chạp of Giáp Thìn began 31/12/2024
    datetime.date(2024, 12, 31)
    """
    j = _jdn(d)
    k = int((j - 2415021.076998695) / 29.530588853)
    while _new_moon_jdn(k + 1) <= j:
        k += 1
    while _new_moon_jdn(k) > j:
        k -= 1
    return _fromordinal(_new_moon_jdn(k) - 1721425)


_MUNG = ("1st", "2nd", "3rd")


def tet_label(d: dt.date, new_year: dt.date) -> tuple[str, str]:
    """Vietnamese and English labels of a Tết day, from its lunar date.

    Args:
        d: a day of the Tết holiday.
        new_year: the lunar new year's day (mùng 1 tháng Giêng) of that Tết.

    >>> tet_label(dt.date(2025, 1, 27), dt.date(2025, 1, 29))[0]   # 2025 had no 30 tháng Chạp
    'Tết Nguyên Đán: 28 tháng Chạp'
    """
    offset = d.toordinal() - new_year.toordinal()
    if offset >= 0:
        n = offset + 1
        nth = _MUNG[n - 1] if n <= 3 else f"{n}th"
        return (f"Tết Nguyên Đán: mùng {n} tháng Giêng", f"Lunar New Year: {nth} day of month 1")
    length = new_year.toordinal() - lunar_month_start(new_year - dt.timedelta(days=1)).toordinal()
    n = length + offset + 1
    eve = offset == -1
    return (
        f"Tết Nguyên Đán: {n} tháng Chạp" + (" (Giao thừa)" if eve else ""),
        f"Lunar New Year: {n}th day of month 12" + (" (New Year's Eve)" if eve else ""),
    )


def build_vietnam_table(
    first_year: int = TABLE_FIRST_YEAR, last_year: int = TABLE_LAST_YEAR
) -> dict[str, Any]:
    """What ``holidays.VN`` says for the years, as the JSON table shipped in the package.

    Used by ``scripts/build_calendar_tables.py`` (and by the test that checks the shipped file
    equals it); needs the ``holidays`` package, which the run-time calendar does not import.
    Tết labels are computed from the lunar date (:func:`tet_label`), not copied.

    Returns:
        ``{"holidays_version", "first_year", "last_year", "labels", "days_off", "worked_days"}``:
        ``days_off`` rows are ``[iso date, category, label index]`` with category ``holiday``,
        ``tet``, ``compensatory``, ``swap`` or ``culture``; ``labels`` rows ``[vi, en]``.

    >>> table = build_vietnam_table(2025, 2025)
    >>> iso, category, label = table["days_off"][1]
    >>> iso, category, table["labels"][label][0]
    ('2025-01-27', 'tet', 'Tết Nguyên Đán: 28 tháng Chạp')
    """
    import holidays

    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    plain = holidays.country_holidays("VN", years=years, observed=False, language="vi")
    new_years = sorted(d for d, x in plain.items() if x == "Tết Nguyên Đán")
    labels: list[list[str]] = []
    index: dict[tuple[str, str], int] = {}
    days: list[list[Any]] = []
    for day, label in sorted(vi.items()):
        label_en = en.get(day, label)
        if "Văn hóa Việt Nam" in label:
            cat = "culture"
        elif label_en.startswith("Day off (substituted"):
            cat = "swap"
        elif "Tết" in label and "Dương lịch" not in label:
            # The five Tết days are chosen each year around the lunar new year (Art. 112(1)(b)).
            cat = "tet"
            new_year = next(d for d in new_years if abs((d - day).days) < 15)
            label, label_en = tet_label(day, new_year)
        elif day not in plain:
            cat = "compensatory"
        else:
            cat = "holiday"
        key = (label, label_en)
        if key not in index:
            index[key] = len(labels)
            labels.append([label, label_en])
        days.append([day.isoformat(), cat, index[key]])
    worked = [d.isoformat() for d in sorted(vi.weekend_workdays) if d.year in years]
    return {
        "holidays_version": getattr(holidays, "__version__", "unknown"),
        "first_year": first_year,
        "last_year": last_year,
        "labels": labels,
        "days_off": days,
        "worked_days": worked,
    }


@functools.cache
def _vietnam_table() -> dict[str, Any]:
    import json
    from importlib import resources

    text = resources.files("mot_cua.data").joinpath(_TABLE_FILE).read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


_CATEGORY_KIND = {
    "holiday": DayKind.HOLIDAY,
    "tet": DayKind.HOLIDAY,
    "compensatory": DayKind.COMPENSATORY,
    "swap": DayKind.SWAP_DAY_OFF,
    "culture": DayKind.HOLIDAY,
}


def _table_source(cat: str, year: int) -> str:
    if cat == "tet":
        return _tet_source(year)
    if cat == "swap":
        return _swap_source(year)
    if cat == "compensatory":
        return _labour_code(year) + "(3)"
    if cat == "culture":
        return "Politburo Resolution 80-NQ/TW of 7/1/2026 (Vietnam Culture Day), as in holidays.VN"
    return _labour_code(year)


def _base_days(
    first_year: int,
    last_year: int,
    culture_day: bool,  # noqa: FBT001
    worked_saturdays: bool,  # noqa: FBT001
) -> tuple[dict[dt.date, _Special], dict[dt.date, bool]]:
    """The days of the generated holidays.VN table within the years."""
    table = _vietnam_table()
    labels = table["labels"]
    specials: dict[dt.date, _Special] = {}
    working: dict[dt.date, bool] = {}
    lo, hi = f"{first_year:04d}", f"{last_year + 1:04d}"
    origin = "holidays.VN"
    for iso, cat, li in table["days_off"]:
        if not lo <= iso < hi or (cat == "culture" and not culture_day):
            continue
        day = _date.fromisoformat(iso)
        label, label_en = labels[li]
        specials[day] = _Special(
            _CATEGORY_KIND[cat],
            label,
            label_en,
            _table_source(cat, day.year),
            LegalStatus.ENACTED,
            origin,
        )
        working[day] = False
    if worked_saturdays:
        for iso in table["worked_days"]:
            if lo <= iso < hi:
                day = _date.fromisoformat(iso)
                specials[day] = _Special(
                    DayKind.WORKED_DAY,
                    "Làm bù (hoán đổi ngày làm việc)",
                    "Worked day (swap)",
                    _swap_source(day.year),
                    LegalStatus.ENACTED,
                    origin,
                )
                working[day] = True
    return specials, working


def _apply_rows(
    specials: dict[dt.date, _Special],
    working: dict[dt.date, bool],
    data: _Rows,
    years: range,
    *,
    culture_day: bool,
    worked_saturdays: bool,
) -> None:
    """Apply a data file's rows (in order) on top of the days so far."""
    for row, origin in data.rows:
        if row.option == "culture_day" and not culture_day:
            continue
        if row.kind == "worked_day" and not worked_saturdays:
            continue
        todo = range(row.date.year, years.stop) if row.yearly else (row.date.year,)
        for year in todo:
            if year not in years:
                continue
            day = row.date.replace(year=year)
            label_en = row.label_en or row.label
            if row.kind == "worked_day":
                specials[day] = _Special(
                    DayKind.WORKED_DAY, row.label, label_en, row.source, row.status, origin
                )
                working[day] = True
                continue
            kind = DayKind.HOLIDAY if row.yearly else DayKind.SWAP_DAY_OFF
            specials[day] = _Special(kind, row.label, label_en, row.source, row.status, origin)
            working[day] = False
            if row.yearly and day.weekday() >= 5:
                _compensate(specials, working, day, row, origin, years)


def _compensate(
    specials: dict[dt.date, _Special],
    working: dict[dt.date, bool],
    day: dt.date,
    row: _AnyRow,
    origin: str,
    years: range,
) -> None:
    """The compensatory day of a yearly holiday on a weekend: the next free weekday."""
    nxt = day
    while True:
        nxt += dt.timedelta(days=1)
        if nxt.year not in years:
            return
        if nxt.weekday() >= 5:
            continue
        other = specials.get(nxt)
        if other is None or working.get(nxt, True):
            break
    specials[nxt] = _Special(
        DayKind.COMPENSATORY,
        f"{row.label} (nghỉ bù)",
        f"{row.label_en or row.label} (observed)",
        f"{row.source}; compensatory day: {_labour_code(nxt.year)}(3)",
        row.status,
        origin,
    )
    working[nxt] = False


_VIETNAM_CACHE_SIZE = 16

# ``os.environ.get`` costs ~0.7 µs (it encodes the key and decodes the value on every call), a
# sixth of a whole ``compute_due``; CPython's ``os.environ`` keeps the encoded mapping it updates
# in ``_data``, which answers the usual "not set" in ~50 ns. Fall back to the public API elsewhere.
_ENV_DATA: Any = getattr(os.environ, "_data", None)
try:
    _ENV_KEY: Any = os.environ.encodekey(CALENDAR_FILE_ENV)
except AttributeError:  # pragma: no cover - not CPython's os._Environ
    _ENV_DATA = None


def _env_calendar_file() -> str | None:
    """The value of ``MOT_CUA_CALENDAR_FILE``, or None when it is unset or empty."""
    if isinstance(_ENV_DATA, dict) and not _ENV_DATA.get(_ENV_KEY):
        return None
    return os.environ.get(CALENDAR_FILE_ENV) or None


def _vietnam_args(
    first_year: object,
    last_year: object,
    culture_day: object,
    worked_saturdays: object,
    shipped_overrides: object,
    on_provisional: object,
) -> tuple[int, int, list[bool]]:
    """The checked years and flags of :meth:`WorkingCalendar.vietnam` (off its fast path).

    Raises:
        CalendarRangeError: a year out of the Vietnamese calendar's range.
        InvalidInputError: an argument of the wrong type.
    """
    first = _check_year(first_year, "first_year")
    last = _check_year(last_year, "last_year")
    flags = [
        _check_bool(v, f)
        for v, f in (
            (culture_day, "culture_day"),
            (worked_saturdays, "worked_saturdays"),
            (shipped_overrides, "shipped_overrides"),
        )
    ]
    if first < VIETNAM_FIRST_YEAR:
        raise CalendarRangeError(
            f"first_year={first}: mot_cua's Vietnamese calendar starts in "
            f"{VIETNAM_FIRST_YEAR} (the first year whose swaps it has checked); pass "
            f"first_year >= {VIETNAM_FIRST_YEAR}, or build a WorkingCalendar(first_year=..., "
            "special_days=...) from your own sourced data for earlier years",
            first_year=first,
        )
    if last > TABLE_LAST_YEAR or last < first:
        raise CalendarRangeError(
            f"last_year={last}: choose a year between first_year ({first}) and {TABLE_LAST_YEAR}",
            last_year=last,
        )
    if not isinstance(on_provisional, str) or on_provisional not in ("warn", "ignore", "raise"):
        raise InvalidInputError(
            f"on_provisional must be 'warn', 'ignore' or 'raise', not {brief(on_provisional)}",
            field="on_provisional",
        )
    return first, last, flags


@functools.cache
def _default_vietnam() -> WorkingCalendar:
    """``WorkingCalendar.vietnam()`` with every default (kept apart from the bounded cache)."""
    return _vietnam(VIETNAM_FIRST_YEAR, VIETNAM_LAST_YEAR, True, True, True, (), "warn", None)  # noqa: FBT003


@functools.lru_cache(maxsize=_VIETNAM_CACHE_SIZE)
def _vietnam(
    first_year: int,
    last_year: int,
    culture_day: bool,  # noqa: FBT001 - private, positional for the cache
    worked_saturdays: bool,  # noqa: FBT001
    use_shipped: bool,  # noqa: FBT001
    overrides: tuple[CalendarOverride, ...],
    on_provisional: OnProvisional,
    user: _Rows | None = None,
) -> WorkingCalendar:
    # With the shipped table, its (pending) yearly row is the one source of Culture Day.
    specials, working = _base_days(
        first_year, last_year, culture_day and not use_shipped, worked_saturdays
    )
    shipped = _shipped_rows()
    official_last = shipped.official_last_year or last_year
    years = range(first_year, last_year + 1)
    if use_shipped:
        _apply_rows(
            specials,
            working,
            shipped,
            years,
            culture_day=culture_day,
            worked_saturdays=worked_saturdays,
        )
    name = "vietnam"
    if user is not None:
        _apply_rows(
            specials,
            working,
            user,
            years,
            culture_day=culture_day,
            worked_saturdays=worked_saturdays,
        )
        if user.official_last_year is not None:
            official_last = max(official_last, user.official_last_year)
        name = "vietnam+file"
    cal = WorkingCalendar.__new__(WorkingCalendar)
    cal._init(
        first_year, last_year, specials, working, official_last, name, on_provisional, vietnam=True
    )
    if overrides:
        cal = cal.with_overrides(overrides)
        cal.name = name + "+overrides"
    return cal


def __getattr__(name: str) -> Any:
    # The pydantic models load on first use, so that what needs only the plain parts (the CLI's
    # ``due``) never imports pydantic (issue 10 §3; docs/design.md, "Models load lazily").
    if name in ("CalendarOverride", "DayInfo", "_DataFile", "_DataRow", "_Coverage"):
        from mot_cua._values import calendar

        value = globals()[name] = getattr(calendar, name)
        return value
    if name == "UncertainDay":
        from mot_cua._values.limits import UncertainDay

        globals()[name] = UncertainDay
        return UncertainDay
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
