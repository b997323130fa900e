"""The error object of the JSON contract, built from a :class:`~mot_cua.errors.MotCuaError`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mot_cua.errors import InvalidInputError, MotCuaError, require

__all__ = [
    "ErrorDetail",
    "ErrorResponse",
    "error_object",
    "error_type",
    "from_validation_error",
    "one_line",
]

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_URL = re.compile(r"\s*For further information visit \S+")
_PYDANTIC = re.compile(
    r"\d+ validation errors? for \w+\s*;?\s*|Value error, |\s*\[type=[^\]]*\]|\s*\[input_[^\]]*\]"
)
_MAX_TEXT = 300
#: Detail keys copied into the error object, in this order, when the error carries them.
_DETAIL_KEYS = (
    "field",
    "index",
    "line",
    "column",
    "offset",
    "path",
    "event",
    "state",
    "allowed",
    "value",
    "problems",
)


def error_type(exc: BaseException) -> str:
    """The stable code of an error class: its name without ``Error``, in snake case.

    >>> from mot_cua.errors import CalendarRangeError, TransitionRejected
    >>> error_type(CalendarRangeError("x")), error_type(TransitionRejected("x"))
    ('calendar_range', 'transition_rejected')
    """
    if not isinstance(exc, MotCuaError):
        return "internal"
    name = type(exc).__name__
    if name.endswith("Error") and name != "Error":
        name = name[: -len("Error")]
    return _CAMEL.sub("_", name).lower()


def one_line(message: str, problems: Any = None) -> str:
    """A message on one line: ``"N problems; first: ..."`` for a multi-line list of problems.

    >>> one_line("2 problems in c.toml:\\n  a\\n  b", ["a", "b"])
    '2 problems; first: a'
    >>> one_line("bad value\\n  For further information visit https://errors.pydantic.dev/2")
    'bad value'
    """
    require(message, str, "message", "text")
    text = _PYDANTIC.sub("", _URL.sub("", message)).strip()
    if isinstance(problems, (list, tuple)) and len(problems) > 1:
        return f"{len(problems)} problems; first: {_flat(str(problems[0]))}"
    if isinstance(problems, (list, tuple)) and len(problems) == 1 and "\n" in text:
        return _flat(str(problems[0]))
    return _flat(text)


def _flat(text: str) -> str:
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    return "; ".join(parts)


def _json_safe(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value if not isinstance(value, int) or abs(value) < 10**18 else str(value)
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if depth < 2 and isinstance(value, (list, tuple)):
        return [_json_safe(v, depth + 1) for v in value]
    if depth < 2 and isinstance(value, Mapping):
        return {str(k): _json_safe(v, depth + 1) for k, v in value.items()}
    return _json_safe(repr(value)) if depth < 3 else None


def error_object(exc: BaseException) -> dict[str, Any]:
    """The contract's error object ``{"error": {"type", "message", "field"?, ...}}``.

    ``type`` is :func:`error_type`; ``message`` is one line (what, where, how to fix); the
    optional keys come from the error's :attr:`~mot_cua.errors.MotCuaError.details` (``field``,
    ``index``, ``line``, ``column``, ``path``, ``event``, ``state``, ``allowed``, ``value``,
    ``problems``). Any other exception gives ``type`` ``"internal"`` and no detail (never a
    stack trace).

    Args:
        exc: the error.

    Returns:
        A JSON-ready dict.

    >>> from mot_cua.errors import InvalidInputError
    >>> error_object(InvalidInputError("limit: say '3 ngày làm việc'", field="limit"))
    {'error': {'type': 'invalid_input', 'message': "limit: say '3 ngày làm việc'", \
'field': 'limit'}}
    """
    if isinstance(exc, ValidationError):
        exc = from_validation_error(exc)
    if not isinstance(exc, MotCuaError):
        return {
            "error": {
                "type": "internal",
                "message": f"internal error ({type(exc).__name__}); please report it",
            }
        }
    details = exc.details
    body: dict[str, Any] = {
        "type": error_type(exc),
        "message": one_line(exc.message, details.get("problems")),
    }
    for key in _DETAIL_KEYS:
        value = details.get(key)
        if value is not None:
            body[key] = _json_safe(value)
    return {"error": body}


def _loc(loc: tuple[int | str, ...], prefix: str = "") -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def from_validation_error(exc: ValidationError, *, prefix: str = "") -> InvalidInputError:
    """Turn pydantic's error into one :class:`~mot_cua.errors.InvalidInputError` line.

    Args:
        exc: pydantic's error.
        prefix: a field path to put before pydantic's locations (e.g. ``"pauses[0]"``).

    Returns:
        The error, with ``field`` (the first location) and ``problems`` (every one).

    >>> from pydantic import BaseModel, ValidationError
    >>> class M(BaseModel):
    ...     year: int
    >>> try:
    ...     M(year="x")
    ... except ValidationError as exc:
    ...     print(from_validation_error(exc))
    year: Input should be a valid integer, unable to parse string as an integer
    """
    require(exc, ValidationError, "exc", "a pydantic ValidationError")
    require(prefix, str, "prefix", "text")
    problems = []
    for err in exc.errors(include_url=False):
        where = _loc(tuple(err.get("loc", ())), prefix)
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {msg}" if where else msg)
    errors = exc.errors(include_url=False)
    field = (_loc(tuple(errors[0].get("loc", ())), prefix) or None) if errors else None
    if not problems:
        problems = ["invalid value"]
    message = problems[0]
    if len(problems) > 1:
        message = f"{len(problems)} problems; first: {problems[0]}"
    return InvalidInputError(message, field=field, problems=problems)


class ErrorDetail(BaseModel):
    """The body of an error object."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    type: str = Field(description="stable code, e.g. invalid_input, calendar_range")
    message: str = Field(description="one line: what is wrong, where, how to fix it")
    field: str | None = None
    index: int | None = Field(default=None, description="event index (from 0)")
    line: int | None = Field(default=None, description="line of an input file (from 1)")
    column: int | None = None
    offset: int | None = None
    path: str | None = None
    event: str | None = None
    state: str | None = None
    allowed: list[str] | None = None
    value: Any = None
    problems: list[str] | None = Field(default=None, description="every problem, when several")


class ErrorResponse(BaseModel):
    """What every command prints under ``--json`` when it fails (exit code 2)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    error: ErrorDetail
