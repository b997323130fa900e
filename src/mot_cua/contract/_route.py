"""The route operations: plan an inter-agency route; track a dossier along it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.contract._common import calendar_for, parse_instant, pause_of, validated
from mot_cua.deadlines import DeadlinePolicy
from mot_cua.errors import InvalidInputError, RouteError, brief
from mot_cua.hours import OfficeHours
from mot_cua.models import Dossier
from mot_cua.routing import (
    HandOver,
    Route,
    check_route,
    load_route,
    load_template,
    plan,
    template_ids,
    track,
    track_dossier,
)
from mot_cua.timezone import VN_TZ

__all__ = [
    "HandOverItem",
    "RouteOptions",
    "RoutePlanRequest",
    "RoutePlanResponse",
    "RouteTrackRequest",
    "RouteTrackResponse",
    "handle_route_plan",
    "handle_route_track",
    "resolve_route",
]

_Method = Literal["days", "half-days", "working-time"]


class RouteOptions(BaseModel):
    """Choices shared by ``route plan`` and ``route track``."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    route: dict[str, Any] | str | None = Field(
        default=None, description="a route object or a shipped template id"
    )
    method: _Method | None = None
    office_hours: str | None = Field(default=None, description="e.g. 07:30-11:30,13:30-17:00")
    budgets: dict[str, str] = Field(
        default_factory=dict, description="step budgets to set, e.g. {'thuong-tru': '2 ngày'}"
    )
    select: list[str] | None = Field(default=None, description="optional steps chosen")
    extended: bool = Field(default=False, description="use the limit's extension")
    worked_saturdays: bool = True
    culture_day: bool = True


class RoutePlanRequest(RouteOptions):
    """Input of ``route plan``: a route and a receipt."""

    id: str | int | None = Field(default=None, description="echoed back (batch lines)")
    received: str = Field(description="receipt instant, ISO 8601; without offset +07:00")


class HandOverItem(BaseModel):
    """A recorded hand-over between agencies."""

    model_config = ConfigDict(defer_build=True, extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", description="agency code handing over")
    to: str = Field(description="agency code receiving")
    at: str = Field(description="ISO 8601 instant")
    note: str | None = None


class RouteTrackRequest(RouteOptions):
    """Input of ``route track``: the hand-overs (or a dossier) of one dossier on a route."""

    received_at: str | None = Field(default=None, description="receipt instant")
    handovers: list[Any] = Field(default_factory=list, description="[{from, to, at, note?}]")
    pauses: list[Any] = Field(default_factory=list, description="START/END texts or objects")
    finished_at: str | None = None
    now: str | None = Field(default=None, description="current instant (default: now)")
    dossier: dict[str, Any] | None = Field(
        default=None, description="a Dossier (hand-overs, pauses and return from its history)"
    )


class RoutePlanResponse(BaseModel):
    """Output of ``route plan`` (:meth:`RoutePlan.to_dict` plus the route check)."""

    model_config = ConfigDict(defer_build=True, extra="allow")

    route: str
    received_at: str
    due_at: str
    provisional: bool
    steps: list[dict[str, Any]]
    slack_days: float | None
    scope: str | None


class RouteTrackResponse(BaseModel):
    """Output of ``route track`` (:meth:`RouteTracking.to_dict`)."""

    model_config = ConfigDict(defer_build=True, extra="allow")

    route: str
    provisional: bool
    due_at: str
    late: bool
    responsible_agency: str | None
    steps: list[dict[str, Any]]


def resolve_route(ref: object) -> Route:
    """A route from a route object or a shipped template id (no file is read here).

    Args:
        ref: a :class:`~mot_cua.routing.Route`, a route object (mapping) or a template id.

    Returns:
        The route.

    Raises:
        RouteError: malformed route, unknown template, or no route given.

    >>> resolve_route("decree63-birth").id
    'decree63-birth'
    """
    if isinstance(ref, Route):
        return ref
    if isinstance(ref, Mapping):
        return load_route(ref)
    if isinstance(ref, str) and ref in template_ids():
        return load_template(ref)
    if isinstance(ref, str):
        raise RouteError(
            f"route {ref[:60]!r} is not a template id; templates: {', '.join(template_ids())}",
            field="route",
        )
    raise RouteError(
        f"give a route: a route object or a template id ({', '.join(template_ids())})",
        field="route",
    )


def _configure(route: Route, req: RouteOptions) -> Route:
    if req.select is not None:
        route = route.select([s.strip() for s in req.select if s.strip()])
    if req.budgets:
        route = route.with_budgets(req.budgets)
    return route


def _policy(req: RouteOptions) -> DeadlinePolicy:
    args: dict[str, Any] = {"worked_saturdays": req.worked_saturdays}
    if req.method is not None:
        args["method"] = req.method
    if req.office_hours is not None:
        args["office_hours"] = OfficeHours.parse(req.office_hours)
    return DeadlinePolicy(**args)


def handle_route_plan(
    request: RoutePlanRequest | Mapping[str, Any],
    *,
    route: Route | None = None,
    calendar_file: str | None = None,
) -> dict[str, Any]:
    """Plan a route: each step's planned start and due moment, and the route's due moment.

    Args:
        request: a :class:`RoutePlanRequest` or its JSON object.
        route: a route already loaded (the CLI reads route files); overrides ``request.route``.
        calendar_file: a user calendar file (trusted).

    Returns:
        A JSON-ready dict matching :class:`RoutePlanResponse`.

    Raises:
        RouteError: malformed route or budgets. InvalidInputError: a bad field.

    >>> r = handle_route_plan({"route": "decree63-birth", "received": "2025-03-03T09:00",
    ...     "budgets": {"thuong-tru": "1 ngày làm việc", "bhyt": "1 ngày làm việc"}})
    >>> r["route"], r["due_at"]
    ('decree63-birth', '2025-03-06T17:00:00+07:00')
    """
    req = validated(RoutePlanRequest, request, what="a route plan request")
    chosen = _configure(route if route is not None else resolve_route(req.route), req)
    policy = _policy(req)
    received = parse_instant(req.received, name="received")
    check = check_route(chosen, policy=policy, extended=req.extended, warn=False)
    result = plan(
        chosen,
        received,
        calendar=calendar_for(culture_day=req.culture_day, calendar_file=calendar_file),
        policy=policy,
        extended=req.extended,
    )
    out = result.to_dict()
    out["slack_days"] = check.slack_days
    out["scope"] = None if check.scope is None else check.scope.value
    return {"id": req.id, **out} if req.id is not None else out


def _instant(value: str | None, name: str) -> dt.datetime | None:
    return None if value is None else parse_instant(value, name=name)


def _handover(item: Any, index: int) -> HandOver:
    where = f"handovers[{index}]"
    if not isinstance(item, Mapping):
        raise InvalidInputError(
            f'{where} must be an object {{"from": ..., "to": ..., "at": ..., "note": ...}}',
            field=where,
        )
    codes: dict[str, str] = {}
    for key in ("from", "to"):
        code = item.get(key, item.get(f"{key}_agency"))
        if not isinstance(code, str) or not code.strip():
            raise InvalidInputError(
                f"{where}: {brief(key)} must be an agency code, not {brief(code, 40)}",
                field=f"{where}.{key}",
            )
        codes[key] = code
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidInputError(f"{where}: 'note' must be a text", field=f"{where}.note")
    if item.get("at") is None:
        raise InvalidInputError(
            f"{where}: 'at' is missing; give the hand-over instant, e.g. 2025-03-04T10:00",
            field=f"{where}.at",
        )
    at = parse_instant(item.get("at"), name=f"{where}.at")
    return HandOver(from_agency=codes["from"], to_agency=codes["to"], at=at, note=note)


def handle_route_track(
    request: RouteTrackRequest | Mapping[str, Any],
    *,
    route: Route | None = None,
    calendar_file: str | None = None,
) -> dict[str, Any]:
    """Track a dossier along a route: per-step status and who made it late.

    Args:
        request: a :class:`RouteTrackRequest` or its JSON object.
        route: a route already loaded; overrides ``request.route``.
        calendar_file: a user calendar file (trusted).

    Returns:
        A JSON-ready dict matching :class:`RouteTrackResponse`.

    Raises:
        RouteError: malformed route. InvalidInputError: a bad field or hand-over.

    >>> budgets = {"thuong-tru": "1 ngày làm việc", "bhyt": "1 ngày làm việc"}
    >>> r = handle_route_track({"route": "decree63-birth", "received_at": "2025-03-03T09:00",
    ...     "budgets": budgets, "now": "2025-03-03T10:00"})
    >>> r["late"]
    False
    """
    req = validated(RouteTrackRequest, request, what="a route tracking request")
    chosen = _configure(route if route is not None else resolve_route(req.route), req)
    policy = _policy(req)
    now = _instant(req.now, "now") or dt.datetime.now(VN_TZ)
    calendar = calendar_for(culture_day=req.culture_day, calendar_file=calendar_file)
    if req.dossier is not None:
        dossier = Dossier.from_dict(req.dossier)
        result = track_dossier(
            chosen, dossier, now=now, calendar=calendar, policy=policy, extended=req.extended
        )
        return result.to_dict()
    received = _instant(req.received_at, "received_at")
    if received is None:
        raise InvalidInputError("give 'received_at' or a 'dossier'", field="received_at")
    result = track(
        chosen,
        received,
        [_handover(h, i) for i, h in enumerate(req.handovers)],
        pauses=[pause_of(p, i) for i, p in enumerate(req.pauses)],
        finished_at=_instant(req.finished_at, "finished_at"),
        now=now,
        calendar=calendar,
        policy=policy,
        extended=req.extended,
    )
    return result.to_dict()
