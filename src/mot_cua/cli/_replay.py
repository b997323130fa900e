"""``mot-cua replay`` and ``mot-cua validate``: a dossier history through the lifecycle.

The history file (JSON; ``-`` for standard input)::

    {"procedure": {"time_limit": "10 ngày làm việc"},      # or "procedure_id": "<catalogue id>"
     "events": [{"event": "receive", "at": "2025-03-03T09:00+07:00", "actor": "desk"}, ...]}

Options in the file (all optional): ``code``, ``channel``, ``regime``, ``pause_policy``
(``pause`` | ``restart``), ``apology_reading`` (``working_day`` | ``calendar_day``),
``culture_day``. Each event is ``{"event", "at", "actor"?, ...payload}`` (a nested ``payload``
object is merged in), or a recorded history entry as ``Dossier.history`` serialises it. Instants
without an offset are read in Asia/Ho_Chi_Minh.

Exit codes: 0 the history replays; 2 anything else: the file or an option is unusable, or an
event is illegal or breaks a business rule (under ``--json`` the error object names the event
``index``, ``event``, ``state`` and the events ``allowed`` there). ``validate`` checks the
history against the transition table and the clock-free rules and exits 0 with ``valid`` true
or false (an illegal history is its answer, not an error).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from mot_cua.cli._output import (
    add_calendar_file,
    calendar_file,
    code_label,
    fmt_instant,
    gettext,
    print_json,
    print_jsonl,
    read_input_json,
)

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``replay`` and ``validate`` sub-commands."""
    p = sub.add_parser(
        "replay",
        help="replay a dossier history file: final status, due date, timeliness, findings",
        description="Replay a dossier history (JSON) through the legal lifecycle. With --batch, "
        "read one history per line on standard input (JSON Lines).",
    )
    p.add_argument("history", nargs="?", default=None, help="history file (JSON), or - for stdin")
    p.add_argument(
        "--batch", action="store_true", help="JSON Lines on stdin → JSON Lines on stdout"
    )
    add_calendar_file(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)
    v = sub.add_parser(
        "validate",
        help="check a dossier history against the legal transitions (no clock)",
        description="Check a history file with the transition table and the rules that need "
        "no clock; prints valid or the first problem.",
    )
    v.add_argument("history", help="history file (JSON), or - for standard input")
    v.add_argument("--json", action="store_true", help="print one JSON object")
    v.set_defaults(func=run_validate)


def _history(path: str | None) -> Any:
    from mot_cua.errors import InvalidInputError

    if path is None:
        raise InvalidInputError("give a history file (or - for standard input), or use --batch")
    return read_input_json(path, what="history file")


def _code(path: str) -> str:
    return "stdin" if path == "-" else Path(path).stem[:100]


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua replay``."""
    if args.batch:
        return _run_batch(args)
    from mot_cua.contract import handle_replay

    data = _history(args.history)
    summary = handle_replay(data, calendar_file=calendar_file(args), code=_code(args.history))
    if args.json:
        print_json(summary)
        return 0
    _print(summary)
    return 0


def _print(summary: dict[str, Any]) -> None:
    import datetime as dt

    due = summary.get("due_at")
    due_text = fmt_instant(dt.datetime.fromisoformat(due)) if due else gettext("(no clock)")
    rows = [
        (
            gettext("Status"),
            gettext("{status} ({status_label}, code {national_status_code})").format(**summary),
        ),
        (gettext("Due"), due_text),
        (
            gettext("Timeliness"),
            code_label(summary["timeliness"])
            if summary["timeliness"]
            else gettext("(not finished)"),
        ),
        (gettext("Regime"), str(summary["regime"])),
    ]
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label + ':':<{width}}{value}")
    if summary.get("provisional"):
        print("  " + gettext("PROVISIONAL: the year's official schedule is not published yet"))
    if summary.get("findings"):
        print(gettext("Findings") + ":")
        for f in summary["findings"]:
            print(f"  {f['code']}: {f['message']}")


def _run_batch(args: argparse.Namespace) -> int:
    from mot_cua.contract import error_object, handle_replay
    from mot_cua.errors import MotCuaError
    from mot_cua.files import read_jsonl

    cal_file = calendar_file(args)
    ok = failed = 0
    started = time.perf_counter()
    for number, value in read_jsonl(sys.stdin, what="history"):
        ident = value.get("id") if isinstance(value, dict) else None
        try:
            if isinstance(value, MotCuaError):
                raise value
            out = {
                "id": ident,
                **handle_replay(value, calendar_file=cal_file, code=f"line-{number}"),
            }
            ok += 1
        except Exception as exc:  # a bad line must never stop the batch
            out = {"id": ident, "line": number, **error_object(exc)}
            failed += 1
        print_jsonl(out)
    _summary("replay", ok, failed, started)
    return 0


def _summary(what: str, ok: int, failed: int, started: float) -> None:
    from mot_cua.cli._due import _summary as summary

    summary(what, ok, failed, started)


def run_validate(args: argparse.Namespace) -> int:
    """Handle ``mot-cua validate``."""
    from mot_cua.contract import handle_history_validate

    out = handle_history_validate(_history(args.history))
    if args.json:
        print_json(out)
        return 0
    if out["valid"]:
        print(gettext("valid: every event is legal (final state {state})").format(**out))
    else:
        print(gettext("invalid: {message}").format(**out))
        print(
            "  "
            + gettext("allowed in state {state}: {allowed}").format(
                state=out["state"], allowed=", ".join(out["allowed"]) or "—"
            )
        )
    return 0
