"""``mot-cua due``: the legal due date of one dossier, or of many (``--batch``, JSON Lines)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from mot_cua.cli._output import (
    LINE_ENCODER,
    add_calendar_file,
    calendar_file,
    code_label,
    fmt_instant,
    gettext,
    print_json,
)

__all__ = ["register", "request_from_args", "run", "run_batch"]

_METHODS = ("days", "half-days", "working-time")


def register(sub: Any) -> None:
    """Add the ``due`` sub-command."""
    p = sub.add_parser(
        "due",
        help="compute the due date (ngày hẹn trả kết quả) of a dossier",
        description="Compute the legal due date on the Vietnamese public-sector calendar. "
        "With --batch, read one JSON request per line on standard input and write one JSON "
        "line per input line, in order (see docs/cli.md).",
    )
    p.add_argument("--received", default=None, help="receipt instant, ISO 8601 (default +07:00)")
    p.add_argument("--limit", default=None, help="time limit, e.g. '3 ngày làm việc', 'same day'")
    p.add_argument("--procedure", default=None, help="a catalogue procedure id instead of --limit")
    p.add_argument("--channel", choices=["in_person", "postal", "online"], default=None)
    p.add_argument("--method", choices=_METHODS, default=None)
    p.add_argument("--cutoff", default=None, help="receipt cut-off HH:MM (default 15:00), or none")
    p.add_argument("--office-hours", default=None, help="sessions, e.g. 07:30-11:30,13:30-17:00")
    p.add_argument(
        "--half-day-slots",
        default=None,
        help="ends of the morning and afternoon slots for --method half-days, e.g. 11:30,16:00",
    )
    p.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="START/END",
        help="interval during which the clock stops (repeatable)",
    )
    p.add_argument("--pause-policy", choices=["pause", "restart"], default=None)
    p.add_argument("--roll", choices=["any_day_off", "statutory"], default=None)
    p.add_argument("--due-time", choices=["closing", "end_of_day"], default=None)
    p.add_argument("--outside-hours", choices=["next_working_day", "as_received"], default=None)
    p.add_argument(
        "--ignore-worked-saturdays",
        action="store_true",
        help="treat Saturdays declared worked as days off (how some systems count)",
    )
    p.add_argument("--no-culture-day", action="store_true", help="do not treat 24/11 as a day off")
    p.add_argument("--no-trace", action="store_true", help="leave the trace out of --json")
    p.add_argument(
        "--batch", action="store_true", help="JSON Lines on stdin → JSON Lines on stdout"
    )
    add_calendar_file(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def request_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The contract's due request that the options describe (absent options stay absent)."""
    req: dict[str, Any] = {"received": args.received}
    for key in ("limit", "procedure", "channel", "method", "cutoff", "office_hours"):
        value = getattr(args, key)
        if value is not None:
            req[key] = value
    for key in ("half_day_slots", "pause_policy", "roll", "due_time", "outside_hours"):
        value = getattr(args, key)
        if value is not None:
            req[key] = value
    if args.ignore_worked_saturdays:
        req["worked_saturdays"] = False
    if args.no_culture_day:
        req["culture_day"] = False
    if args.pause:
        req["pauses"] = list(args.pause)
    if args.no_trace:
        req["trace"] = False
    return req


def _batch_defaults(args: argparse.Namespace) -> dict[str, Any]:
    """Options given on the command line in batch mode: defaults for every line."""
    req = request_from_args(args)
    if req.get("received") is None:
        del req["received"]
    req.pop("trace", None)
    return req


def run_batch(args: argparse.Namespace) -> int:
    """``due --batch``: one JSON line out per JSON line in, in order; a summary on stderr."""
    from mot_cua.contract import handle_due_item
    from mot_cua.files import read_jsonl

    defaults = _batch_defaults(args)
    cal_file = calendar_file(args)
    ok = failed = 0
    started = time.perf_counter()
    write = sys.stdout.write
    encode = LINE_ENCODER.encode
    for number, value in read_jsonl(sys.stdin, what="due request"):
        item = {**defaults, **value} if defaults and isinstance(value, dict) else value
        out = handle_due_item(item, line=number, calendar_file=cal_file)
        if "error" in out:
            failed += 1
        else:
            ok += 1
        write(encode(out) + "\n")
    _summary("due", ok, failed, started)
    return 0


def _summary(what: str, ok: int, failed: int, started: float) -> None:
    seconds = time.perf_counter() - started
    rate = (ok + failed) / seconds if seconds > 0 else 0.0
    sys.stderr.write(
        gettext(
            "mot-cua {what} --batch: {ok} ok, {failed} failed, {seconds:.2f} s "
            "({rate:,.0f} lines/s)"
        ).format(what=what, ok=ok, failed=failed, seconds=seconds, rate=rate)
        + "\n"
    )


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua due``."""
    if args.batch:
        return run_batch(args)
    from mot_cua.contract import handle_due
    from mot_cua.errors import InvalidInputError

    if args.received is None:
        raise InvalidInputError(
            "--received is missing; give the receipt instant, e.g. 2025-04-25T10:00",
            field="received",
        )
    out = handle_due(request_from_args(args), calendar_file=calendar_file(args))
    if args.json:
        print_json(out)
        return 0
    _print(out)
    return 0


def _print(out: dict[str, Any]) -> None:
    import datetime as dt

    def at(key: str) -> str:
        return fmt_instant(dt.datetime.fromisoformat(out[key]))

    rows = [
        (gettext("Due"), at("due_at")),
        (gettext("Received"), at("received_at")),
        (gettext("Deemed receipt"), at("deemed_receipt")),
        (gettext("Limit"), gettext("{limit} (method: {method})").format(**out)),
    ]
    width = max(len(label) for label, _ in rows) + 2
    for i, (label, value) in enumerate(rows):
        print(f"{label + ':':<{width}}{value}")
        if i == 0 and out["provisional"]:
            print("  " + gettext("PROVISIONAL: the year's official schedule is not published yet"))
        if i == 0:
            for u in out.get("uncertain_days", []):
                print(
                    "  "
                    + gettext("UNCERTAIN: {date} {label} is {status} law [{source}]").format(**u)
                )
    if out.get("trace"):
        print(gettext("Trace") + ":")
        from mot_cua.i18n import format_date

        days = [format_date(dt.date.fromisoformat(t["date"]), _lang()) for t in out["trace"]]
        day_width = max(len(d) for d in days)  # weekday names differ in length: align the columns
        for day, t in zip(days, out["trace"], strict=True):
            source = f"  [{t['source']}]" if t["source"] else ""
            print(f"  {day:<{day_width}}  {code_label(t['kind']):<15} {t['label']}{source}")


def _lang() -> str:
    from mot_cua.cli._output import lang

    return lang()
