"""``mot-cua route``: plan an inter-agency route and track a dossier along it.

* ``mot-cua route plan ROUTE --received 2025-03-03T09:00 [--json]``: each step's planned start
  and due moment, and the route's due moment. ``ROUTE`` is a route file or a shipped template id
  (``decree63-birth``, ...). With ``--batch``, one plan request per line on standard input
  (``{"received", "route"?, "budgets"?, ...}``; ``ROUTE`` and the options are the defaults).
* ``mot-cua route track TRACK.json [--json]``: per-step status and delay attribution. The file holds
  ``{"route": <route object, file name or template id>, "received_at": ..., "handovers": [{"from":
  ..., "to": ..., "at": ..., "note": ...}], "pauses": ["START/END", ...], "finished_at": ...,
  "now": ...}``, or ``{"route": ..., "dossier": <Dossier JSON>}`` (hand-overs, pauses and the
  return are read from the dossier's history). Times without an offset mean Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from mot_cua.errors import brief

if TYPE_CHECKING:
    from mot_cua.routing import Route

__all__ = ["register"]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--method", choices=["days", "half-days", "working-time"], default=None)
    p.add_argument("--office-hours", default=None, help="sessions, e.g. 07:30-11:30,13:30-17:00")
    p.add_argument(
        "--set-budget",
        action="append",
        default=[],
        metavar="STEP=LIMIT",
        help="set a step's budget, e.g. thuong-tru='2 ngày làm việc' (repeatable)",
    )
    p.add_argument(
        "--select",
        default=None,
        metavar="STEP,STEP",
        help="optional steps the applicant chose (e.g. Decree 63/2024 group 2)",
    )
    p.add_argument(
        "--extended",
        action="store_true",
        help="use the limit's extension (e.g. land in disadvantaged communes)",
    )
    p.add_argument(
        "--ignore-worked-saturdays",
        action="store_true",
        help="treat Saturdays declared worked as days off",
    )
    p.add_argument("--no-culture-day", action="store_true", help="do not treat 24/11 as a day off")
    add_calendar_file(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def register(sub: Any) -> None:
    """Add the ``route`` sub-command with ``plan`` and ``track``."""
    p = sub.add_parser(
        "route",
        help="inter-agency routing (liên thông): plan a route, track a dossier",
        description="Plan an inter-agency route and track a dossier along it.",
    )
    rsub = p.add_subparsers(dest="route_command", required=True, parser_class=type(p))
    pp = rsub.add_parser("plan", help="planned start and due moment of every step")
    pp.add_argument("route", nargs="?", default=None, help="route file, or a template id")
    pp.add_argument("--received", default=None, help="receipt instant, ISO 8601 (default +07:00)")
    pp.add_argument("--batch", action="store_true", help="JSON Lines on stdin → JSON Lines out")
    _common(pp)
    pp.set_defaults(func=run_plan)
    pt = rsub.add_parser("track", help="per-step status and who made the dossier late")
    pt.add_argument("dossier", help="tracking file (see mot-cua route --help), or -")
    pt.add_argument("--route", default=None, help="route file or template id (overrides the file)")
    pt.add_argument("--now", default=None, help="current instant (default: the file's or now)")
    _common(pt)
    pt.set_defaults(func=run_track)


def _load(ref: object, base: Path | None = None) -> Route | None:
    """A route from a file name (read through mot_cua.files), else ``None`` (an id or object)."""
    from mot_cua.routing import load_route, template_ids

    if not isinstance(ref, str) or ref in template_ids():
        return None
    candidates = [Path(ref)] if base is None or Path(ref).is_absolute() else [base / ref, Path(ref)]
    for path in candidates:
        try:
            is_file = path.is_file()
        except (OSError, ValueError):  # too long a name, a NUL byte: read_json says why
            is_file = True
        if is_file:
            return load_route(read_input_json(str(path), what="route file"), route_id=path.stem)
    return None


def _options(args: argparse.Namespace) -> dict[str, Any]:
    from mot_cua.errors import InvalidInputError

    opts: dict[str, Any] = {}
    if args.method is not None:
        opts["method"] = args.method
    if args.office_hours is not None:
        opts["office_hours"] = args.office_hours
    if args.select is not None:
        opts["select"] = [s.strip() for s in args.select.split(",") if s.strip()]
    if args.set_budget:
        budgets: dict[str, str] = {}
        for item in args.set_budget:
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise InvalidInputError(
                    f"--set-budget {brief(item)}: write STEP=LIMIT, e.g. thuong-tru='2 ngày làm "
                    "việc'",
                    field="set_budget",
                )
            budgets[key.strip()] = value.strip()
        opts["budgets"] = budgets
    if args.extended:
        opts["extended"] = True
    if args.ignore_worked_saturdays:
        opts["worked_saturdays"] = False
    if args.no_culture_day:
        opts["culture_day"] = False
    return opts


def run_plan(args: argparse.Namespace) -> int:
    """Handle ``mot-cua route plan``."""
    from mot_cua.contract import handle_route_plan
    from mot_cua.errors import InvalidInputError

    if args.batch:
        return _plan_batch(args)
    if args.route is None or args.received is None:
        raise InvalidInputError(
            "give a route (file or template id) and --received, e.g. mot-cua route plan "
            "decree63-birth --received 2025-03-03T09:00",
            field="route" if args.route is None else "received",
        )
    request = {"route": args.route, "received": args.received, **_options(args)}
    route = _load(args.route)
    if route is not None:
        del request["route"]
    out = handle_route_plan(request, route=route, calendar_file=calendar_file(args))
    if args.json:
        print_json(out)
        return 0
    _print_plan(out)
    return 0


def _plan_batch(args: argparse.Namespace) -> int:
    from mot_cua.contract import error_object, handle_route_plan
    from mot_cua.errors import MotCuaError
    from mot_cua.files import read_jsonl

    defaults = _options(args)
    if args.received is not None:
        defaults["received"] = args.received
    default_route = _load(args.route) if args.route is not None else None
    if args.route is not None and default_route is None:
        defaults["route"] = args.route
    cal_file = calendar_file(args)
    ok = failed = 0
    started = time.perf_counter()
    for number, value in read_jsonl(sys.stdin, what="route plan request"):
        ident = value.get("id") if isinstance(value, dict) else None
        try:
            if isinstance(value, MotCuaError):
                raise value
            item = {**defaults, **value} if isinstance(value, dict) else value
            route = default_route if isinstance(item, dict) and "route" not in item else None
            out = {"id": ident, **handle_route_plan(item, route=route, calendar_file=cal_file)}
            ok += 1
        except Exception as exc:  # a bad line must never stop the batch
            out = {"id": ident, "line": number, **error_object(exc)}
            failed += 1
        print_jsonl(out)
    from mot_cua.cli._due import _summary

    _summary("route plan", ok, failed, started)
    return 0


def _when(value: str | None) -> str:
    return fmt_instant(None if value is None else dt.datetime.fromisoformat(value))


def _print_plan(out: dict[str, Any]) -> None:
    print(
        gettext("Route {route}: received {at}").format(
            route=out["route"], at=_when(out["received_at"])
        )
    )
    for s in out["steps"]:
        budget = gettext("clock stops") if s["clock_stops"] else str(s["budget"])
        print(
            f"  {s['stage']}. {s['key']:<20} {s['agency']:<32} {budget:<22} "
            f"{_when(s['planned_start'])} → {_when(s['planned_due'])}"
        )
    print(gettext("Due") + f": {_when(out['due_at'])}")
    if out["provisional"]:
        print("  " + gettext("PROVISIONAL: the year's official schedule is not published yet"))
    if out.get("slack_days"):
        print(
            gettext("Slack: {days:g} working days not assigned to any step").format(
                days=out["slack_days"]
            )
        )


def run_track(args: argparse.Namespace) -> int:
    """Handle ``mot-cua route track``."""
    from mot_cua.contract import handle_route_track
    from mot_cua.errors import InvalidInputError

    data = read_input_json(args.dossier, what="tracking file")
    if not isinstance(data, dict):
        raise InvalidInputError(f"{brief(args.dossier)} must hold a JSON object", path=args.dossier)
    request = {**data, **_options(args)}
    if args.route is not None:
        request["route"] = args.route
    if args.now is not None:
        request["now"] = args.now
    if request.get("route") is None:
        raise InvalidInputError(
            f'{brief(args.dossier)} names no route: add "route" to the file or pass --route',
            field="route",
        )
    base = None if args.dossier == "-" else Path(args.dossier).parent
    route = _load(request["route"], base)
    if route is not None:
        del request["route"]
    out = handle_route_track(request, route=route, calendar_file=calendar_file(args))
    if args.json:
        print_json(out)
        return 0
    print(
        gettext("Route {route}: due {due}; finished {finished}").format(
            route=out["route"], due=_when(out["due_at"]), finished=_when(out["finished_at"])
        )
    )
    for s in out["steps"]:
        verdict = code_label(s["timeliness"]) if s["timeliness"] else ""
        verdict = verdict or (gettext("behind") if s["behind"] else "")
        late = f" (+{s['late_by_days']:g})" if s["late_by_days"] else ""
        print(
            f"  {s['stage']}. {s['key']:<20} {s['agency']:<32} {code_label(s['state']):<14} "
            f"{_when(s['live_due'] or s['planned_due'])}  {verdict}{late}"
        )
    if out["late"]:
        print(gettext("LATE; apology owed by: {agency}").format(agency=out["responsible_agency"]))
    if out["behind_now"]:
        print(gettext("Behind schedule now: {steps}").format(steps=", ".join(out["behind_now"])))
    return 0
