"""``mot-cua route``: plan an inter-agency route and track a dossier along it.

* ``mot-cua route plan ROUTE.json --received 2025-03-03T09:00 [--json]``: each step's planned start
  and due moment, and the route's due moment. ``ROUTE`` is a route file or a shipped template id
  (``decree63-birth``, ...).
* ``mot-cua route track TRACK.json [--json]``: per-step status and delay attribution. The file holds
  ``{"route": <route object, file name or template id>, "received_at": ..., "handovers": [{"from":
  ..., "to": ..., "at": ..., "note": ...}], "pauses": ["START/END", ...], "finished_at": ...,
  "now": ...}``, or ``{"route": ..., "dossier": <Dossier JSON>}`` (hand-overs, pauses and the
  return are read from the dossier's history). Times without an offset mean Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from mot_cua.calendar import WorkingCalendar
from mot_cua.cli._due import parse_instant
from mot_cua.cli._output import print_json
from mot_cua.deadlines import DeadlinePolicy, Pause
from mot_cua.errors import InvalidInputError, RouteError
from mot_cua.hours import OfficeHours
from mot_cua.limits import Method
from mot_cua.models import Dossier
from mot_cua.routing import (
    HandOver,
    Route,
    RoutePlan,
    RouteTracking,
    check_route,
    load_route,
    load_template,
    plan,
    template_ids,
    track,
    track_dossier,
)
from mot_cua.timezone import VN_TZ

__all__ = ["register"]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--method", choices=[m.value for m in Method], default=Method.DAYS.value)
    p.add_argument(
        "--office-hours",
        default=str(OfficeHours.default()),
        help="sessions, e.g. 07:30-11:30,13:30-17:00",
    )
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
    pp.add_argument("route", help=f"route file, or a template id ({', '.join(template_ids())})")
    pp.add_argument("--received", required=True, help="receipt instant, ISO 8601 (default +07:00)")
    _common(pp)
    pp.set_defaults(func=run_plan)
    pt = rsub.add_parser("track", help="per-step status and who made the dossier late")
    pt.add_argument("dossier", help="tracking file (see mot-cua route --help)")
    pt.add_argument("--route", default=None, help="route file or template id (overrides the file)")
    pt.add_argument("--now", default=None, help="current instant (default: the file's or now)")
    _common(pt)
    pt.set_defaults(func=run_track)


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path!r}: {exc.strerror}", path=path) from exc
    except ValueError as exc:
        raise InvalidInputError(f"{path!r} is not valid JSON: {exc}", path=path) from exc


def _route(ref: Any, base: Path | None = None) -> Route:
    if isinstance(ref, dict):
        return load_route(ref)
    if not isinstance(ref, str):
        raise RouteError("'route' must be a route object, a file name or a template id")
    path = Path(ref) if base is None or Path(ref).is_absolute() else base / ref
    if path.is_file():
        return load_route(path.read_text(encoding="utf-8"), route_id=path.stem)
    if Path(ref).is_file():
        return load_route(Path(ref).read_text(encoding="utf-8"), route_id=Path(ref).stem)
    if ref in template_ids():
        return load_template(ref)
    raise RouteError(
        f"route {ref!r} is neither a file nor a template id; templates: {', '.join(template_ids())}"
    )


def _configure(route: Route, args: argparse.Namespace) -> Route:
    if args.select is not None:
        route = route.select([s.strip() for s in args.select.split(",") if s.strip()])
    if args.set_budget:
        budgets: dict[str, str] = {}
        for item in args.set_budget:
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise InvalidInputError(
                    f"--set-budget {item!r}: write STEP=LIMIT, e.g. thuong-tru='2 ngày làm việc'"
                )
            budgets[key.strip()] = value.strip()
        route = route.with_budgets(budgets)
    return route


def _policy(args: argparse.Namespace) -> DeadlinePolicy:
    return DeadlinePolicy(
        method=args.method,
        office_hours=OfficeHours.parse(args.office_hours),
        worked_saturdays=not args.ignore_worked_saturdays,
    )


def _fmt(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{value:%H:%M %a %d/%m/%Y}"


def run_plan(args: argparse.Namespace) -> int:
    """Handle ``mot-cua route plan``."""
    route = _configure(_route(args.route), args)
    policy = _policy(args)
    received = parse_instant(args.received, name="--received")
    check = check_route(route, policy=policy, extended=args.extended)
    result = plan(
        route,
        received,
        calendar=WorkingCalendar.vietnam(),
        policy=policy,
        extended=args.extended,
    )
    if args.json:
        data = result.to_dict()
        data["slack_days"] = check.slack_days
        data["scope"] = None if check.scope is None else check.scope.value
        print_json(data)
        return 0
    _print_plan(result)
    if check.slack_days:
        print(f"Slack: {check.slack_days:g} working days not assigned to any step")
    return 0


def _print_plan(result: RoutePlan) -> None:
    print(f"Route {result.route_id}: received {_fmt(result.received_at)}")
    for s in result.steps:
        budget = "không tính thời hạn" if s.clock_stops else str(s.budget)
        print(
            f"  {s.stage + 1}. {s.key:<20} {s.agency:<32} {budget:<22} "
            f"{_fmt(s.planned_start)} → {_fmt(s.planned_due)}"
        )
    print(f"Due (ngày hẹn trả): {_fmt(result.due_at)}")
    if result.provisional:
        print("  (PROVISIONAL: the year's official schedule is not published yet)")


def _instant(data: dict[str, Any], key: str, *, where: str = "") -> dt.datetime | None:
    value = data.get(key)
    name = f"{where}.{key}" if where else key
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{name!r} must be an ISO 8601 text, not {value!r}", field=name)
    return parse_instant(value, name=name)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InvalidInputError(f"{key!r} must be a JSON list, not {value!r}", field=key)
    return value


def _handover(item: Any, index: int) -> HandOver:
    where = f"handovers[{index}]"
    if not isinstance(item, dict):
        raise InvalidInputError(
            f'{where} must be an object {{"from": ..., "to": ..., "at": ..., "note": ...}}, '
            f"not {item!r}",
            field=where,
        )
    codes: dict[str, str] = {}
    for key in ("from", "to"):
        code = item.get(key, item.get(f"{key}_agency"))
        if not isinstance(code, str) or not code:
            raise InvalidInputError(
                f"{where}: {key!r} must be an agency code, not {code!r}", field=f"{where}.{key}"
            )
        codes[key] = code
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidInputError(
            f"{where}: 'note' must be a text, not {note!r}", field=f"{where}.note"
        )
    at = _instant(item, "at", where=where)
    if at is None:
        raise InvalidInputError(
            f"{where}: 'at' is missing; give the hand-over instant, e.g. 2025-03-04T10:00",
            field=f"{where}.at",
        )
    return HandOver(from_agency=codes["from"], to_agency=codes["to"], at=at, note=note)


def _pause(item: Any, index: int) -> Pause:
    if not isinstance(item, str):
        raise InvalidInputError(
            f"pauses[{index}] must be a text START/END, e.g. 2025-03-07T16:00/2025-03-12T10:00, "
            f"not {item!r}",
            field=f"pauses[{index}]",
        )
    return Pause.parse(item)


def run_track(args: argparse.Namespace) -> int:
    """Handle ``mot-cua route track``."""
    data = _read_json(args.dossier)
    if not isinstance(data, dict):
        raise InvalidInputError(f"{args.dossier!r} must hold a JSON object")
    ref = args.route if args.route is not None else data.get("route")
    if ref is None:
        raise InvalidInputError(
            f'{args.dossier!r} names no route: add "route" to the file or pass --route'
        )
    route = _configure(_route(ref, Path(args.dossier).parent), args)
    policy = _policy(args)
    now = (
        parse_instant(args.now, name="--now")
        if args.now is not None
        else _instant(data, "now") or dt.datetime.now(VN_TZ)
    )
    result: RouteTracking
    if "dossier" in data:
        dossier = Dossier.from_dict(data["dossier"])
        result = track_dossier(route, dossier, now=now, policy=policy, extended=args.extended)
    else:
        received = _instant(data, "received_at")
        if received is None:
            raise InvalidInputError(f"{args.dossier!r}: give 'received_at' or a 'dossier'")
        handovers = [_handover(h, i) for i, h in enumerate(_list(data, "handovers"))]
        pauses = [_pause(p, i) for i, p in enumerate(_list(data, "pauses"))]
        result = track(
            route,
            received,
            handovers,
            pauses=pauses,
            finished_at=_instant(data, "finished_at"),
            now=now,
            policy=policy,
            extended=args.extended,
        )
    if args.json:
        print_json(result.to_dict())
        return 0
    print(
        f"Route {result.route_id}: due {_fmt(result.due_at)}; finished {_fmt(result.finished_at)}"
    )
    for s in result.steps:
        verdict = s.timeliness.label if s.timeliness else ("CHẬM" if s.behind else "")
        late = f" (+{s.late_by_days:g} ngày làm việc)" if s.late_by_days else ""
        print(
            f"  {s.stage + 1}. {s.key:<20} {s.agency:<32} {s.state.label:<14} "
            f"hạn {_fmt(s.live_due or s.planned_due)}  {verdict}{late}"
        )
    if result.late:
        print(f"LATE (quá hạn); apology owed by: {result.responsible_agency}")
    if result.behind_now:
        print(f"Behind schedule now: {', '.join(result.behind_now)}")
    return 0
