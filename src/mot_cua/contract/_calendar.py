"""The calendar operations: a year's days off and worked days; why one day is what it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.calendar import DayInfo, WorkingCalendar
from mot_cua.contract._common import calendar_for, validated
from mot_cua.errors import InvalidInputError, require

__all__ = [
    "CalendarDay",
    "CalendarYearRequest",
    "CalendarYearResponse",
    "ExplainDayRequest",
    "ExplainDayResponse",
    "day_object",
    "handle_calendar_year",
    "handle_explain_day",
]


class CalendarYearRequest(BaseModel):
    """Input of ``calendar``: a year."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    year: int = Field(description="the year, e.g. 2026")
    culture_day: bool = Field(default=True, description="treat 24/11 as a day off")


class CalendarDay(BaseModel):
    """A day off on a weekday, or a worked weekend day, with its reason and source."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    date: str = Field(json_schema_extra={"format": "date"})
    weekday: str = Field(description="English weekday name")
    kind: str
    label: str
    label_en: str | None
    source: str
    status: str = Field(description="legal status: enacted or pending")
    origin: str = Field(description="where the answer came from")


class CalendarYearResponse(BaseModel):
    """Output of ``calendar``."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    year: int
    working_days: int
    provisional: bool
    official_through: int
    days_off: list[CalendarDay]
    worked_days: list[CalendarDay]


class ExplainDayRequest(BaseModel):
    """Input of ``explain``: a date."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    date: str = Field(description="ISO date, e.g. 2025-01-29", json_schema_extra={"format": "date"})
    culture_day: bool = Field(default=True, description="treat 24/11 as a day off")


class ExplainDayResponse(BaseModel):
    """Output of ``explain``: whether the day is worked, why, and where the answer came from."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    date: str = Field(json_schema_extra={"format": "date"})
    weekday: str
    working: bool
    kind: str
    label: str
    label_en: str | None
    source: str
    provisional: bool
    status: str
    origin: str


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_object(d: DayInfo, *, full: bool = False) -> dict[str, Any]:
    """The contract's JSON of a :class:`~mot_cua.calendar.DayInfo`.

    Args:
        d: the day.
        full: also ``working`` and ``provisional`` (the ``explain`` shape).

    Returns:
        A JSON-ready dict.

    >>> day_object(calendar_for().explain(dt.date(2025, 9, 2)))["label_en"]
    'National Day'
    """
    require(d, DayInfo, "d", "a DayInfo (WorkingCalendar.explain(date))")
    out: dict[str, Any] = {
        "date": d.date.isoformat(),
        "weekday": _WEEKDAYS[d.date.weekday()],
        "kind": d.kind.value,
        "label": d.label,
        "label_en": d.label_en,
        "source": d.source,
        "status": str(getattr(d, "status", "enacted")),
        "origin": str(getattr(d, "origin", "")),
    }
    if full:
        out["working"] = d.working
        out["provisional"] = d.provisional
    return out


def _check_year(cal: WorkingCalendar, year: int) -> None:
    if not cal.first_year <= year <= cal.last_year:
        raise InvalidInputError(
            f"year {year} is outside the calendar ({cal.first_year}-{cal.last_year}); choose a "
            f"year from {cal.first_year} to {cal.last_year}",
            field="year",
        )


def handle_calendar_year(
    request: CalendarYearRequest | Mapping[str, Any], *, calendar_file: str | None = None
) -> dict[str, Any]:
    """A year's non-working weekdays and worked weekend days, and its count of working days.

    Args:
        request: a :class:`CalendarYearRequest` or its JSON object.
        calendar_file: a user calendar file (trusted: the CLI's ``--calendar-file``).

    Returns:
        A JSON-ready dict matching :class:`CalendarYearResponse`.

    Raises:
        InvalidInputError: a bad field, or a year outside the calendar.

    >>> handle_calendar_year({"year": 2025})["working_days"]
    250
    """
    req = validated(CalendarYearRequest, request, what="a calendar request")
    cal = calendar_for(culture_day=req.culture_day, calendar_file=calendar_file)
    _check_year(cal, req.year)
    return {
        "year": req.year,
        "working_days": cal.working_days_in_year(req.year),
        "provisional": req.year > cal.official_last_year,
        "official_through": cal.official_last_year,
        "days_off": [day_object(d) for d in cal.days_off(req.year)],
        "worked_days": [day_object(d) for d in cal.worked_days(req.year)],
    }


def handle_explain_day(
    request: ExplainDayRequest | Mapping[str, Any], *, calendar_file: str | None = None
) -> dict[str, Any]:
    """Whether a day is a working day, why, with its source, legal status and origin.

    Args:
        request: an :class:`ExplainDayRequest` or its JSON object.
        calendar_file: a user calendar file (trusted).

    Returns:
        A JSON-ready dict matching :class:`ExplainDayResponse`.

    Raises:
        InvalidInputError: a date that is not ISO 8601.
        CalendarRangeError: a date outside the calendar.

    >>> handle_explain_day({"date": "2025-01-29"})["working"]
    False
    """
    req = validated(ExplainDayRequest, request, what="an explain request")
    try:
        day = dt.date.fromisoformat(req.date)
    except ValueError as exc:
        raise InvalidInputError(
            f"date {req.date[:40]!r} is not an ISO date; write e.g. 2025-01-29", field="date"
        ) from exc
    cal = calendar_for(culture_day=req.culture_day, calendar_file=calendar_file)
    return day_object(cal.explain(day), full=True)
