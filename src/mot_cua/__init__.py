"""mot_cua: Vietnamese administrative procedures done right.

The everyday names are importable from here; see the docs for the module of each.

>>> import datetime as dt
>>> import mot_cua
>>> mot_cua.compute_due(dt.datetime(2026, 2, 13, 10, 0, tzinfo=mot_cua.VN_TZ),
...                     "3 ngày làm việc").due_date
datetime.date(2026, 2, 25)
"""

from mot_cua.calendar import CalendarOverride, DayInfo, DayKind, WorkingCalendar
from mot_cua.catalog import Catalog
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
    CatalogWarning,
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
from mot_cua.identifiers import CCCD, MST, DossierCode, DossierCodeFormat
from mot_cua.interop import from_national, to_national
from mot_cua.limits import Deadline, Method, TimeLimit, Timeliness, TimeUnit, TraceEntry, TraceKind
from mot_cua.models import (
    Agency,
    Applicant,
    ApplicantKind,
    AuthorityLevel,
    Channel,
    Contact,
    Dossier,
    DossierStatus,
    Fee,
    FeePayment,
    HistoryEntry,
    LegalBasis,
    Location,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    Step,
    SubmittedDocument,
    TimeLimitVariant,
)
from mot_cua.timezone import VN_TZ, ensure_aware, localize

__version__ = "0.1.0"

__all__ = [
    "CCCD",
    "MST",
    "VN_TZ",
    "Agency",
    "Applicant",
    "ApplicantKind",
    "AuthorityLevel",
    "BusinessRuleError",
    "CalendarDataError",
    "CalendarOverride",
    "CalendarRangeError",
    "Catalog",
    "CatalogError",
    "CatalogWarning",
    "Channel",
    "ComplianceWarning",
    "Contact",
    "DayInfo",
    "DayKind",
    "Deadline",
    "DeadlinePolicy",
    "Dossier",
    "DossierCode",
    "DossierCodeFormat",
    "DossierStatus",
    "Fee",
    "FeePayment",
    "HistoryEntry",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidPauseError",
    "LegalBasis",
    "Location",
    "Method",
    "MotCuaError",
    "MotCuaWarning",
    "NaiveDatetimeError",
    "OfficeHours",
    "OnlineLevel",
    "Pause",
    "Procedure",
    "ProvisionalCalendarWarning",
    "RequiredDocument",
    "RouteBudgetWarning",
    "RouteError",
    "Session",
    "Step",
    "SubmittedDocument",
    "TimeLimit",
    "TimeLimitParseError",
    "TimeLimitVariant",
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
    "from_national",
    "latest_apology_date",
    "localize",
    "timeliness",
    "to_national",
]
