"""The pydantic models of :mod:`mot_cua.calendar` (loaded on first use; import them from there)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from mot_cua.calendar import _WEEKDAY, DayKind
from mot_cua.limits import LegalStatus

__all__ = ["CalendarOverride", "DayInfo"]


class CalendarOverride(BaseModel):
    """One decision on top of the base calendar: a day off, or a worked day.

    Args:
        date: the day.
        kind: ``"day_off"`` or ``"worked_day"``.
        label: Vietnamese label shown by :meth:`WorkingCalendar.explain`.
        source: the document that decides it (official letter, decision, agency notice).
        label_en: optional English label.
        confidence: optional confidence of the source (mot_cua rules scale: high, medium-high,
            medium, low).
        status: ``"enacted"`` (default) or ``"pending"`` (announced, not yet law: results that
            depend on the day list it in ``uncertain_days``).

    >>> CalendarOverride(date=dt.date(2025, 9, 19), kind="day_off",
    ...                  label="Nghỉ do bão", source="Agency notice 12/TB of 18/09/2025").kind
    'day_off'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    date: dt.date
    kind: Literal["day_off", "worked_day"]
    label: str
    source: str
    label_en: str | None = None
    confidence: str | None = None
    status: LegalStatus = LegalStatus.ENACTED


class DayInfo(BaseModel):
    """What :meth:`WorkingCalendar.explain` says about a day.

    ``status`` says how settled the law behind the answer is (:class:`LegalStatus`) and
    ``origin`` where the answer came from: ``"holidays.VN"``, ``"mot_cua shipped table row N"``,
    ``"calendar file PATH row N"``, ``"caller override"``, ``"weekly rule"`` (an ordinary
    weekday or weekend) or, for days given to the constructor, ``"caller"``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    date: dt.date
    working: bool
    kind: DayKind
    label: str
    label_en: str
    source: str
    provisional: bool = False
    status: LegalStatus = LegalStatus.ENACTED
    origin: str = "caller"

    def __str__(self) -> str:
        status = "working day" if self.working else "day off"
        flag = " (provisional)" if self.provisional else ""
        if self.status is LegalStatus.PENDING:
            flag += " (pending law)"
        return (
            f"{self.date.isoformat()} ({_WEEKDAY[self.date.weekday()]}): {status}{flag}, "
            f"{self.label} [{self.source}]"
        )


# -- data files -------------------------------------------------------------------------------


class _DataRow(CalendarOverride):
    """One row of a calendar data file (shipped table or the user's calendar file).

    ``yearly`` repeats the row on the same day of every later year the calendar covers (a new
    annual holiday); a yearly day off on a weekend brings a compensatory day on the next
    weekday (Labour Code 2019 Art. 112(3)). ``option`` names the :meth:`WorkingCalendar.vietnam`
    switch that turns the row off (``culture_day``).
    """

    yearly: bool = False
    option: Literal["culture_day"] | None = None


class _Coverage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    official_first_year: int | None = None
    official_last_year: int
    source: str


class _DataFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    coverage: _Coverage | None = None
    override: tuple[_DataRow, ...] = ()
