"""mot_cua: Vietnamese administrative procedures done right.

The everyday names are importable from here; see the docs for the module of each.

>>> import datetime as dt
>>> import mot_cua
>>> mot_cua.compute_due(dt.datetime(2026, 2, 13, 10, 0, tzinfo=mot_cua.VN_TZ),
...                     "3 ngày làm việc").due_date
datetime.date(2026, 2, 25)
"""

from mot_cua.calendar import CalendarOverride, DayInfo, DayKind, WorkingCalendar
from mot_cua.deadlines import (
    DeadlinePolicy,
    Pause,
    compute_due,
    latest_apology_date,
    timeliness,
)
from mot_cua.errors import (
    BusinessRuleError,
    CalendarDataError,
    CalendarRangeError,
    CatalogError,
    ComplianceWarning,
    InvalidIdentifierError,
    InvalidInputError,
    InvalidPauseError,
    MotCuaError,
    MotCuaWarning,
    NaiveDatetimeError,
    ProvisionalCalendarWarning,
    RouteBudgetWarning,
    RouteError,
    TimeLimitParseError,
    TransitionRejected,
    UnknownAgencyError,
    UnknownProcedureError,
    UnsupportedMethodError,
)
from mot_cua.hours import OfficeHours, Session
from mot_cua.limits import Deadline, Method, TimeLimit, Timeliness, TimeUnit, TraceEntry, TraceKind
from mot_cua.timezone import VN_TZ, ensure_aware, localize

__version__ = "0.1.0"

__all__ = [
    "VN_TZ",
    "BusinessRuleError",
    "CalendarDataError",
    "CalendarOverride",
    "CalendarRangeError",
    "CatalogError",
    "ComplianceWarning",
    "DayInfo",
    "DayKind",
    "Deadline",
    "DeadlinePolicy",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidPauseError",
    "Method",
    "MotCuaError",
    "MotCuaWarning",
    "NaiveDatetimeError",
    "OfficeHours",
    "Pause",
    "ProvisionalCalendarWarning",
    "RouteBudgetWarning",
    "RouteError",
    "Session",
    "TimeLimit",
    "TimeLimitParseError",
    "TimeUnit",
    "Timeliness",
    "TraceEntry",
    "TraceKind",
    "TransitionRejected",
    "UnknownAgencyError",
    "UnknownProcedureError",
    "UnsupportedMethodError",
    "WorkingCalendar",
    "compute_due",
    "ensure_aware",
    "latest_apology_date",
    "localize",
    "timeliness",
]
