"""Errors and warnings raised by mot_cua.

Every error mot_cua raises derives from :class:`MotCuaError`; most also derive from the builtin
exception of the same nature, so ``except ValueError`` keeps working in code that does not know
about mot_cua. Every warning derives from :class:`MotCuaWarning`.

Errors carry data (the offending value, a field path, a state, an event index) and their message
says what is wrong, where, and how to fix it.

The tree::

    MotCuaError
    ├── InvalidInputError (ValueError)          bad argument or value given by the caller
    │   ├── NaiveDatetimeError                  a datetime without a UTC offset
    │   ├── TimeLimitParseError                 text that is not a time limit
    │   ├── UnsupportedMethodError              a counting method that cannot handle this limit
    │   └── InvalidPauseError                   pauses that overlap, end before they start, ...
    ├── CalendarRangeError (ValueError)         a date outside the years a calendar covers
    ├── CalendarDataError (ValueError)          a malformed override table
    ├── CatalogError (ValueError)               a malformed catalogue (lists every problem)
    ├── InvalidIdentifierError (ValueError)     a CCCD, tax code or dossier code that is invalid
    ├── UnknownProcedureError (LookupError)     no procedure with that id or code
    ├── UnknownAgencyError (LookupError)        no agency with that code
    ├── TransitionRejected                      an event the dossier lifecycle does not allow
    ├── BusinessRuleError (ValueError)          a transition missing what the law requires
    └── RouteError (ValueError)                 an inter-agency route that does not fit

    MotCuaWarning (UserWarning)
    ├── CatalogWarning                          a suspicious (not invalid) catalogue value
    ├── ProvisionalCalendarWarning              a year whose official schedule is not published yet
    ├── ComplianceWarning                       late apology, second extension, ...
    └── RouteBudgetWarning                      step budgets that leave slack in the limit
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BusinessRuleError",
    "CalendarDataError",
    "CalendarRangeError",
    "CatalogError",
    "CatalogWarning",
    "ComplianceWarning",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidPauseError",
    "MotCuaError",
    "MotCuaWarning",
    "NaiveDatetimeError",
    "ProvisionalCalendarWarning",
    "RouteBudgetWarning",
    "RouteError",
    "TimeLimitParseError",
    "TransitionRejected",
    "UnknownAgencyError",
    "UnknownProcedureError",
    "UnsupportedMethodError",
]


class MotCuaError(Exception):
    """Root of every error mot_cua raises.

    Args:
        message: what is wrong, where, and how to fix it.
        **details: structured data about the failure (kept on :attr:`details`).
    """

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def __str__(self) -> str:
        return self.message


class InvalidInputError(MotCuaError, ValueError):
    """A value given to a public function is not acceptable."""


class NaiveDatetimeError(InvalidInputError):
    """A datetime without a UTC offset was given where an instant is needed.

    mot_cua never guesses the time zone of a naive datetime: attach one, e.g.
    ``dt.replace(tzinfo=mot_cua.VN_TZ)``.
    """


class TimeLimitParseError(InvalidInputError):
    """Text that cannot be read as a time limit; the message quotes the text."""


class UnsupportedMethodError(InvalidInputError):
    """The chosen counting method cannot handle this time limit (e.g. 0.3 day in half-day slots)."""


class InvalidPauseError(InvalidInputError):
    """Pauses or excluded intervals that are inconsistent (overlap, end before start, ...)."""


class CalendarRangeError(MotCuaError, ValueError):
    """A date lies outside the years a :class:`~mot_cua.calendar.WorkingCalendar` covers.

    mot_cua never clamps: build a calendar with a wider range, or check the date.
    """


class CalendarDataError(MotCuaError, ValueError):
    """A calendar override table (shipped or supplied) is malformed."""


class CatalogError(MotCuaError, ValueError):
    """A procedure catalogue is malformed; the message lists every problem with its location."""


class InvalidIdentifierError(MotCuaError, ValueError):
    """An identifier (CCCD, tax code, dossier code) is not valid."""


class UnknownProcedureError(MotCuaError, LookupError):
    """No procedure with the given id or national code."""


class UnknownAgencyError(MotCuaError, LookupError):
    """No agency with the given code."""


class TransitionRejected(MotCuaError):
    """An event the dossier lifecycle does not allow in the dossier's current state."""


class BusinessRuleError(MotCuaError, ValueError):
    """A transition lacks what the law requires (reasons for a refusal, the missing items, ...)."""


class RouteError(MotCuaError, ValueError):
    """An inter-agency route is inconsistent (empty stage, budgets exceeding the limit, ...)."""


class MotCuaWarning(UserWarning):
    """Root of every warning mot_cua emits."""


class CatalogWarning(MotCuaWarning):
    """A catalogue value that is allowed but suspicious (a very long limit, a level mismatch, ...).

    The message lists each value with its location. Silence it with
    ``warnings.simplefilter("ignore", CatalogWarning)`` once you have checked the data.
    """


class ProvisionalCalendarWarning(MotCuaWarning):
    """A computation touched a year whose official schedule is not published yet.

    The answer follows the Labour Code rules but may change when the Government announces the
    year's swaps. Silence it with ``warnings.simplefilter("ignore", ProvisionalCalendarWarning)``
    once you have checked :attr:`~mot_cua.deadlines.Deadline.provisional` yourself.
    """


class ComplianceWarning(MotCuaWarning):
    """A legal but risky act: an apology later than the law asks, a second extension, ..."""


class RouteBudgetWarning(MotCuaWarning):
    """The step budgets of a route leave unused time inside the procedure's limit."""
