"""Reading a form request from JSON data: the dossier(s), a history to replay, a route tracking.

Shared by ``mot-cua form`` and ``POST /v1/forms/{name}`` so that both read the same shapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from mot_cua.catalog import Catalog
from mot_cua.errors import InvalidInputError, brief
from mot_cua.lifecycle import Lifecycle
from mot_cua.limits import TimeLimit
from mot_cua.models import Dossier
from mot_cua.routing import (
    HandOver,
    Route,
    RouteTracking,
    load_route,
    load_template,
    template_ids,
    track,
    track_dossier,
)
from mot_cua.timezone import VN_TZ

__all__ = ["dossiers_from_data", "lifecycle_from_history", "parse_instant", "tracking_from_data"]


def parse_instant(value: object, *, name: str) -> dt.datetime:
    """An ISO 8601 instant; without an offset it is read in Asia/Ho_Chi_Minh.

    Raises:
        InvalidInputError: not a text, or not ISO 8601.

    >>> parse_instant("2025-08-05T09:30", name="at").isoformat()
    '2025-08-05T09:30:00+07:00'
    """
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be an ISO 8601 text, not {brief(value)}", field=name)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            f"{name}={brief(value)} is not ISO 8601; write e.g. 2025-08-05T09:30+07:00", field=name
        ) from None
    return parsed.replace(tzinfo=VN_TZ) if parsed.tzinfo is None else parsed.astimezone(VN_TZ)


def _dossier(item: Any, where: str) -> Dossier:
    if isinstance(item, Dossier):
        return item
    if not isinstance(item, Mapping):
        raise InvalidInputError(
            f"{where}: expected a dossier object, not {type(item).__name__}", field=where
        )
    try:
        return Dossier.from_dict(item)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{where}: {exc}", **{"field": where, **exc.details}) from exc


def dossiers_from_data(data: Any, where: str) -> tuple[Dossier | list[Dossier], dict[str, Any]]:
    """A dossier (or a list, for the register) and the form details from parsed JSON.

    Accepts a dossier object, a list of dossiers, or ``{"dossier": ..., "details": {...}}`` /
    ``{"dossiers": [...], "details": {...}}``.

    Raises:
        InvalidInputError: not one of these shapes, or an invalid dossier (with its path).
    """
    details: dict[str, Any] = {}
    if isinstance(data, Mapping) and ("dossier" in data or "dossiers" in data):
        raw = data.get("details") or {}
        if not isinstance(raw, Mapping):
            raise InvalidInputError(f"{where}: 'details' must be an object", field="details")
        details = dict(raw)
        key = "dossier" if "dossier" in data else "dossiers"
        data, where = data[key], f"{where}.{key}"
    if isinstance(data, list):
        return [_dossier(item, f"{where}[{i}]") for i, item in enumerate(data)], details
    return _dossier(data, where), details


def lifecycle_from_history(
    history: Any, dossier: Dossier, *, catalog: Catalog, where: str = "history"
) -> Lifecycle:
    """Replay a history (``{"events": [...], "procedure": {"time_limit": ...}}`` or a list).

    The time limit is the history's ``procedure.time_limit``, else the dossier's deadline's,
    else the catalogue procedure's for the dossier's channel.

    Raises:
        InvalidInputError: no events list, or no time limit to count with.
        TransitionRejected: an illegal event (as ``mot-cua replay``).
        BusinessRuleError: an event lacking what the law requires.
    """
    events = history.get("events") if isinstance(history, Mapping) else history
    if not isinstance(events, list):
        raise InvalidInputError(
            f"{where}: expected a list of events or an object with an 'events' list",
            field=where,
        )
    limit: TimeLimit | None = None
    procedure = history.get("procedure") if isinstance(history, Mapping) else None
    if isinstance(procedure, Mapping) and procedure.get("time_limit"):
        limit = TimeLimit.parse(str(procedure["time_limit"]))
    elif dossier.deadline is not None:
        limit = dossier.deadline.limit
    elif dossier.procedure_id in catalog:
        limit = catalog.get(dossier.procedure_id).limit_for(dossier.channel)
    if limit is None:
        raise InvalidInputError(
            f"{where}: no time limit to replay the history with: add "
            '"procedure": {"time_limit": "..."}, or give the dossier a deadline',
            field=where,
        )
    return Lifecycle.replay(events, limit, code=dossier.code)


def _route(ref: Any, where: str, read_file: Callable[[str], str | None] | None) -> Route:
    if isinstance(ref, Mapping):
        return load_route(dict(ref))
    if isinstance(ref, str):
        text = read_file(ref) if read_file is not None else None
        if text is not None:
            return load_route(text, route_id=ref.rsplit("/", 1)[-1].removesuffix(".json"))
        if ref in template_ids():
            return load_template(ref)
    raise InvalidInputError(
        f"{where}: 'route' must be a route object"
        + (", a route file" if read_file is not None else "")
        + f" or a template id ({', '.join(template_ids())}), not {brief(ref)}",
        field=f"{where}.route",
    )


def _handovers(items: Any, where: str) -> list[HandOver]:
    if not isinstance(items, list):
        raise InvalidInputError(f"{where}: 'handovers' must be a list", field=where)
    out = []
    for i, h in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(h, Mapping):
            raise InvalidInputError(f"{at} must be an object with 'from', 'to' and 'at'", field=at)
        source, target = h.get("from", h.get("from_agency")), h.get("to", h.get("to_agency"))
        if not (isinstance(source, str) and source and isinstance(target, str) and target):
            raise InvalidInputError(f"{at}: 'from' and 'to' must be agency codes", field=at)
        note = h.get("note")
        out.append(
            HandOver(
                from_agency=source,
                to_agency=target,
                at=parse_instant(h.get("at"), name=f"{at}.at"),
                note=note if isinstance(note, str) else None,
            )
        )
    return out


def tracking_from_data(
    data: Any,
    dossier: Dossier,
    *,
    where: str = "tracking",
    read_file: Callable[[str], str | None] | None = None,
) -> RouteTracking:
    """A route tracking from ``{"route": ..., "handovers"?, "finished_at"?, "now"?}``.

    Without ``handovers`` the dossier's history gives them (:func:`mot_cua.routing.track_dossier`).
    A saved :class:`~mot_cua.routing.RouteTracking` (with ``plan`` and ``steps``) is read as is.

    Args:
        data: the parsed JSON.
        dossier: the dossier the tracking belongs to.
        where: the name of the input, for messages.
        read_file: reads a route file named in ``route`` (the command line passes one; the
            service does not read files).

    Raises:
        InvalidInputError: a malformed tracking object.
        RouteError: the route is invalid or the dossier was never received.
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{where}: expected a JSON object with a 'route'", field=where)
    if "plan" in data and "steps" in data:
        return RouteTracking.model_validate(dict(data))
    route = _route(data.get("route"), where, read_file)

    def instant(key: str) -> dt.datetime | None:
        value = data.get(key)
        return None if value is None else parse_instant(value, name=f"{where}.{key}")

    if "handovers" not in data:
        return track_dossier(route, dossier, now=instant("now"))
    received = instant("received_at") or dossier.received_at
    if received is None:
        raise InvalidInputError(
            f"{where}: give 'received_at', or a received dossier", field=f"{where}.received_at"
        )
    return track(
        route,
        received,
        _handovers(data["handovers"], f"{where}.handovers"),
        finished_at=instant("finished_at"),
        now=instant("now"),
    )
