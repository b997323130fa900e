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
    │   ├── InvalidPauseError                   pauses that overlap, end before they start, ...
    │   └── RecordError                         a flat record that is invalid (file, line, column)
    ├── CalendarRangeError (ValueError)         a date outside the years a calendar covers
    ├── CalendarDataError (ValueError)          a malformed override table
    ├── CatalogError (ValueError)               a malformed catalogue (lists every problem)
    ├── InputFileError (ValueError)             an input file that cannot be read or parsed
    ├── InvalidIdentifierError (ValueError)     a CCCD, tax code or dossier code that is invalid
    ├── UnknownProcedureError (LookupError)     no procedure with that id or code
    ├── UnknownAgencyError (LookupError)        no agency with that code
    ├── TransitionRejected                      an event the dossier lifecycle does not allow
    ├── BusinessRuleError (ValueError)          a transition missing what the law requires
    ├── RouteError (ValueError)                 an inter-agency route that does not fit
    ├── ReportConsistencyError (RuntimeError)   a report breaking its own identities (a bug)
    ├── FormError (ValueError)                  a statutory form the data cannot fill
    ├── UnknownFormError (LookupError)          no such form in the dossier's regime
    ├── StoreError                              the dossier store cannot do it (not initialised...)
    │   ├── ConcurrencyError                    another writer changed the dossier first
    │   └── UnknownDossierError (LookupError)   no dossier with that code in the store
    └── AccessDeniedError (PermissionError)     no valid token (401) or out of its scope (403)

    MotCuaWarning (UserWarning)
    ├── CatalogWarning                          a suspicious (not invalid) catalogue value
    ├── ProvisionalCalendarWarning              a year whose official schedule is not published yet
    ├── ComplianceWarning                       late apology, second extension, ...
    └── RouteBudgetWarning                      step budgets that leave slack in the limit
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessDeniedError",
    "BusinessRuleError",
    "CalendarDataError",
    "CalendarRangeError",
    "CatalogError",
    "CatalogWarning",
    "ComplianceWarning",
    "ConcurrencyError",
    "FormError",
    "InputFileError",
    "InvalidIdentifierError",
    "InvalidInputError",
    "InvalidPauseError",
    "MotCuaError",
    "MotCuaWarning",
    "NaiveDatetimeError",
    "ProvisionalCalendarWarning",
    "RecordError",
    "ReportConsistencyError",
    "RouteBudgetWarning",
    "RouteError",
    "StoreError",
    "TimeLimitParseError",
    "TransitionRejected",
    "UnknownAgencyError",
    "UnknownDossierError",
    "UnknownFormError",
    "UnknownProcedureError",
    "UnsupportedMethodError",
    "brief",
    "require",
]


class MotCuaError(Exception):
    """Root of every error mot_cua raises.

    Args:
        message: what is wrong, where, and how to fix it.
        **details: structured data about the failure (kept on :attr:`details`).
    """

    def __init__(self, message: str, **details: Any) -> None:
        # One line, always: a line break that came in with the caller's text (a label, a path, a
        # value) is shown escaped, so a log line or the CLI's one-line error stays one line.
        message = str(message).replace("\r", "\\r").replace("\n", "\\n")
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


class RecordError(InvalidInputError):
    """A flat dossier record that cannot be used; the message names the file, line and column.

    :attr:`details` carries ``file``, ``line`` and ``column``. Fix the cell, or pass
    ``skip_invalid=True`` (``--skip-invalid``) to report on the other rows and list this one.
    """


class CalendarRangeError(MotCuaError, ValueError):
    """A date lies outside the years a :class:`~mot_cua.calendar.WorkingCalendar` covers.

    mot_cua never clamps: build a calendar with a wider range, or check the date.
    """


class CalendarDataError(MotCuaError, ValueError):
    """A calendar override table (shipped or supplied) is malformed."""


class CatalogError(MotCuaError, ValueError):
    """A procedure catalogue is malformed; the message lists every problem with its location."""


class InputFileError(MotCuaError, ValueError):
    """An input file (or text, or stream) that cannot be read or parsed.

    Raised by :mod:`mot_cua.files` for a missing file, a directory, a device, a file over the size
    limit, bytes that are not UTF-8, JSON or TOML that does not parse, nesting too deep, integers
    too long. :attr:`details` holds ``path`` and, where known, ``line``, ``column`` (both from 1)
    and ``offset`` (byte or character offset from 0).
    """


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


class StoreError(MotCuaError):
    """The dossier store cannot do what was asked (not initialised, unreachable, bad URL, ...)."""


class ConcurrencyError(StoreError):
    """Another writer appended to the dossier first (optimistic concurrency).

    ``details`` carries ``dossier``, ``expected_version`` and ``current_version``: reload the
    dossier, decide again, and retry with the current version.
    """


class UnknownDossierError(StoreError, LookupError):
    """No dossier with the given code in the store."""


class AccessDeniedError(MotCuaError, PermissionError):
    """A request without a valid token (``details["status"] == 401``) or outside its scope (403)."""


class FormError(MotCuaError, ValueError):
    """A statutory form cannot be filled from the data given.

    A receipt for a dossier with no due moment, an apology without a new date, a refusal without
    reasons, ... ``details`` carries ``form``, ``dossier`` and, where known, the ``field``.
    """


class UnknownFormError(MotCuaError, LookupError):
    """No form of that name or number exists in the dossier's regime.

    For example the stop notice (form 05 of Circular 03/2025/TT-VPCP) before 1 July 2025.
    ``details`` carries ``form``, ``regime`` and ``available`` (the forms that do exist).
    """


class ReportConsistencyError(MotCuaError, RuntimeError):
    """A report whose columns break the identities of its own definition (a mot_cua bug)."""


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


def require(value: object, kind: type | tuple[type, ...], name: str, what: str) -> None:
    """Refuse an argument of the wrong type with an :class:`InvalidInputError` naming it.

    Args:
        value: the argument.
        kind: the accepted type(s).
        name: the argument's name (the error's ``field``).
        what: what to pass instead, for the message.

    Raises:
        InvalidInputError: ``value`` is not of ``kind`` (a ``bool`` never counts as a number).

    >>> require(None, str, "command", "a command name")
    Traceback (most recent call last):
    ...
    mot_cua.errors.InvalidInputError: command must be a command name, not NoneType
    """
    if not isinstance(value, kind) or (
        isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        raise InvalidInputError(f"{name} must be {what}, not {type(value).__name__}", field=name)


def brief(value: object, width: int = 80) -> str:
    """A short, one-line description of a caller's value for an error message.

    It never fails on ``value``.

    ``repr(value)``, cut to ``width`` characters (``...`` marks the cut), with line breaks and
    other control characters escaped. Where ``repr`` itself fails (an int over 4,300 digits,
    which Python refuses to print, even inside a list; an object whose ``__repr__`` raises) the
    value is described instead: ``<int of 4401 digits>``, ``<list>``.

    Args:
        value: anything.
        width: the longest text returned (at least 8).

    Returns:
        The description.

    Raises:
        InvalidInputError: ``width`` is not a whole number.

    >>> brief("3 ngày\\nlàm việc")
    "'3 ngày\\\\nlàm việc'"
    >>> brief(10**5000)
    '<int of 5001 digits>'
    >>> brief("x" * 100, 12)
    "'xxxxxxxx..."
    """
    require(width, int, "width", "a whole number of characters, e.g. 80")
    try:
        text = repr(value)
    except Exception:  # an int over 4,300 digits, or a __repr__ that raises
        text = _described(value)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    width = max(width, 8)
    return text if len(text) <= width else text[: width - 3] + "..."


def _described(value: object) -> str:
    if isinstance(value, int):
        # bit_length * log10(2) can be one short of the digit count; check the boundary.
        digits = int(value.bit_length() * 0.30102999566398120) + 1
        if abs(value) < 10 ** (digits - 1):
            digits -= 1
        return f"<int of {digits} digits>"
    return f"<{type(value).__name__}>"
