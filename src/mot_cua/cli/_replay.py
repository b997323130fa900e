"""``mot-cua replay``: replay a dossier history file through the lifecycle.

The file::

    {"procedure": {"time_limit": "10 ngày làm việc"},      # or "procedure_id": "<catalogue id>"
     "events": [{"event": "receive", "at": "2025-03-03T09:00+07:00", "actor": "desk"}, ...]}

Options in the file (all optional): ``code``, ``regime``, ``pause_policy`` (``pause`` |
``restart``), ``apology_reading`` (``working_day`` | ``calendar_day``).

Each event is an object ``{"event", "at", "actor"?, ...payload}`` (a nested ``"payload"``
object is merged in; the same key twice with different values is an error), or a recorded
history entry as ``Dossier.history`` serialises it. Instants without an offset are read in
Asia/Ho_Chi_Minh.

Exit codes: 0 the history is legal; 1 an event is illegal, breaks a business rule or goes back
in time (with ``--json``, a JSON error on standard output with ``error`` = ``illegal_event`` |
``business_rule``, ``message``, the event ``index``, ``event``, ``state`` and the events
``allowed`` in that state); 2 the file or an option is unusable (one line on standard error
saying what to fix: not JSON, no ``events`` list, no procedure, unknown ``procedure_id``, an
event without ``event`` or ``at``, an unreadable date, an unknown payload key, regime or
pause policy).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mot_cua.cli._output import print_json
from mot_cua.deadlines import DeadlinePolicy
from mot_cua.errors import BusinessRuleError, InvalidInputError, TransitionRejected
from mot_cua.lifecycle import Lifecycle, allowed_events
from mot_cua.limits import TimeLimit

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``replay`` sub-command."""
    p = sub.add_parser(
        "replay",
        help="replay a dossier history file: final status, due date, timeliness, findings",
        description="Replay a dossier history (JSON) through the legal lifecycle.",
    )
    p.add_argument("history", help="history file (JSON), or - for standard input")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _read(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"cannot read history file {path!r}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{path}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise InvalidInputError(
            f"{path}: expected an object with an 'events' list, e.g. "
            '{"procedure": {"time_limit": "10 ngày làm việc"}, "events": [{"event": "receive", '
            '"at": "2025-03-03T09:00+07:00"}]}'
        )
    return data


def _time_limit(data: dict[str, Any], path: str) -> TimeLimit:
    procedure = data.get("procedure")
    if isinstance(procedure, dict) and procedure.get("time_limit"):
        return TimeLimit.parse(str(procedure["time_limit"]))
    if data.get("procedure_id"):
        from mot_cua.catalog import Catalog  # catalog comes after lifecycle: import lazily

        found = Catalog.default().get(str(data["procedure_id"])).time_limit
        if found is None:
            raise InvalidInputError(
                f"{path}: procedure {data['procedure_id']!r} has no sourced time limit; give "
                '"procedure": {"time_limit": "..."} instead'
            )
        return found
    raise InvalidInputError(
        f'{path}: say which procedure: "procedure": {{"time_limit": "10 ngày làm việc"}} or '
        '"procedure_id": "<catalogue id>"'
    )


def _options(data: dict[str, Any], path: str) -> dict[str, Any]:
    """The :class:`Lifecycle` options the file sets, checked (bad values exit with code 2)."""
    options: dict[str, Any] = {"code": str(data.get("code") or Path(path).stem)}
    if data.get("regime"):
        options["regime"] = data["regime"]  # checked by Lifecycle (InvalidInputError)
    pause_policy = data.get("pause_policy")
    if pause_policy:
        if pause_policy not in ("pause", "restart"):
            raise InvalidInputError(
                f"{path}: pause_policy {pause_policy!r} is unknown; use 'pause' or 'restart'"
            )
        options["policy"] = DeadlinePolicy(pause_policy=pause_policy)
    if data.get("apology_reading"):
        options["apology_reading"] = data["apology_reading"]
    return options


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua replay``."""
    data = _read(args.history)
    limit = _time_limit(data, args.history)
    options = _options(data, args.history)
    try:
        lc = Lifecycle.replay(data["events"], limit, **options)
    except (TransitionRejected, BusinessRuleError) as exc:
        state = exc.details.get("state")
        allowed = exc.details.get("allowed")
        if allowed is None and isinstance(state, str):
            allowed = allowed_events(state)
        error = {
            "error": "illegal_event" if isinstance(exc, TransitionRejected) else "business_rule",
            "message": str(exc),
            "index": exc.details.get("index"),
            "event": exc.details.get("event"),
            "state": state,
            "allowed": list(allowed or []),
        }
        if args.json:
            print_json(error)
        else:
            print(f"mot-cua: illegal history: {exc}", file=sys.stderr)
        return 1
    summary = lc.to_dict()
    if args.json:
        print_json(summary)
        return 0
    due = lc.due_at
    print(
        f"Status:       {summary['status']} ({summary['status_label']}, "
        f"code {summary['national_status_code']})"
    )
    print(f"Due:          {due:%H:%M %A %d/%m/%Y}" if due else "Due:          (no clock)")
    print(f"Timeliness:   {summary['timeliness'] or '(not finished)'}")
    print(f"Regime:       {summary['regime']}")
    if lc.findings:
        print("Findings:")
        for f in lc.findings:
            print(f"  #{f.event_index} {f.code}: {f.message} [{f.basis}]")
    return 0
