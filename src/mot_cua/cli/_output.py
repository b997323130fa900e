"""Shared helpers of the command line: language, JSON output, one-line errors, reading inputs.

Every command prints either human text in the chosen language (``--lang vi|en``,
``MOT_CUA_LANG``; Vietnamese by default) or, under ``--json``, exactly one JSON object. Errors
exit with code 2: one line on standard error, or under ``--json`` one error object on standard
output (:func:`mot_cua.contract.error_object`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from mot_cua.i18n import N_

__all__ = [
    "CALENDAR_ENV",
    "LINE_ENCODER",
    "add_calendar_file",
    "calendar_file",
    "code_label",
    "emit_error",
    "fmt_instant",
    "gettext",
    "lang",
    "print_json",
    "print_jsonl",
    "read_input_json",
    "set_lang",
]

#: The environment variable naming a calendar data file (like ``--calendar-file``).
CALENDAR_ENV = "MOT_CUA_CALENDAR_FILE"

_state: dict[str, str] = {"lang": "vi"}


def set_lang(code: str) -> None:
    """Choose the language of human output for this run (``vi`` or ``en``)."""
    _state["lang"] = code


def lang() -> str:
    """The language of human output for this run."""
    return _state["lang"]


def gettext(message: str) -> str:
    """Translate a message id (English) into the run's language with the gettext catalog."""
    from mot_cua.i18n import translator

    return translator(_state["lang"]).gettext(message)


def fmt_instant(value: dt.datetime | None) -> str:
    """An instant for people in the run's language, e.g. ``17:00 Thứ Ba, 29/04/2025``."""
    if value is None:
        return "—"
    from mot_cua.i18n import format_datetime

    return format_datetime(value, _state["lang"])


def print_json(obj: Any) -> None:
    """Print one JSON document (UTF-8, Vietnamese kept readable) on standard output."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


#: The encoder of batch lines, built once (json.dumps with options builds one per call).
LINE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def print_jsonl(obj: Any) -> None:
    """Print one compact JSON line (batch mode)."""
    sys.stdout.write(LINE_ENCODER.encode(obj) + "\n")


#: Human names of error types, translated (the JSON keeps the code).
_KINDS = {
    "invalid_input": N_("invalid input"),
    "input_file": N_("unusable file"),
    "calendar_range": N_("outside the calendar"),
    "time_limit_parse": N_("unreadable time limit"),
    "transition_rejected": N_("illegal event"),
    "business_rule": N_("business rule"),
    "catalog": N_("invalid catalogue"),
    "route": N_("invalid route"),
    "unknown_procedure": N_("unknown procedure"),
    "internal": N_("internal error"),
}


#: Human names of the codes shown in text output (trace kinds, step states, timeliness); the
#: JSON keeps the codes. An unknown code is shown as it is.
_CODES = {
    "deemed_receipt": N_("deemed receipt"),
    "skipped": N_("day off"),
    "worked_day": N_("worked day"),
    "rolled": N_("rolled forward"),
    "paused": N_("paused"),
    "restarted": N_("restarted"),
    "extended": N_("extended"),
    "pending": N_("pending"),
    "running": N_("running"),
    "done": N_("done"),
    "early": N_("early"),
    "on_time": N_("on time"),
    "late": N_("late"),
}


def code_label(code: str) -> str:
    """The translated name of a code of the JSON (``skipped`` → "day off" / "ngày nghỉ")."""
    label = _CODES.get(code)
    return code if label is None else gettext(label)


def emit_error(exc: BaseException, *, as_json: bool) -> int:
    """Report an error the contract's way and return the exit code (2).

    Args:
        exc: the error (a :class:`~mot_cua.errors.MotCuaError`, pydantic's error, or anything
            else, reported as ``internal`` without a stack trace).
        as_json: print the error object on standard output instead of a line on standard error.

    Returns:
        2.
    """
    from mot_cua.contract import error_object

    obj = error_object(exc)
    if as_json:
        print_json(obj)
        return 2
    body = obj["error"]
    if body["type"] == "internal":  # local run: name the failure so that it can be reported
        detail = " ".join(str(exc).split())[:200]
        body["message"] = f"internal error ({type(exc).__name__}: {detail}); please report it"
    kind = _KINDS.get(body["type"])
    label = gettext("error") + (f" ({gettext(kind)})" if kind else "")
    sys.stderr.write(f"mot-cua: {label}: {body['message']}\n")
    return 2


def add_calendar_file(parser: Any) -> None:
    """Add ``--calendar-file PATH`` (default ``$MOT_CUA_CALENDAR_FILE``) to a command."""
    parser.add_argument(
        "--calendar-file",
        default=None,
        metavar="PATH",
        help="calendar data file (TOML, the format of the shipped overrides); "
        f"default ${CALENDAR_ENV}",
    )


def calendar_file(args: Any) -> str | None:
    """The ``--calendar-file`` of a run (``$MOT_CUA_CALENDAR_FILE`` is applied by
    :meth:`~mot_cua.calendar.WorkingCalendar.vietnam` itself when no file is given)."""
    path: str | None = getattr(args, "calendar_file", None)
    return path or None


def read_input_json(path: str, *, what: str) -> Any:
    """Read a JSON input file through :mod:`mot_cua.files` (``-`` is standard input).

    Raises:
        InputFileError: the file cannot be read or parsed (path, line and column).
    """
    from mot_cua.files import decode_text, parse_json, read_json, stdin_bytes

    if path == "-":
        text = decode_text(stdin_bytes(what=what), what=what, source="<stdin>")
        return parse_json(text, what=what, source="<stdin>")
    return read_json(path, what=what)
