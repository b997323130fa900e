"""The v1 endpoints: each one calls the ``mot_cua.contract`` handler the CLI calls.

Request bodies are declared with the contract's pydantic models (so ``/openapi.json`` documents
them), and the handlers check every field again exactly as for the command line, so a mistake
gives the same error object over HTTP as under ``--json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from mot_cua import contract
from mot_cua.contract import (
    handle_calendar_year,
    handle_catalog_list,
    handle_catalog_show,
    handle_due,
    handle_explain_day,
    handle_history_validate,
    handle_replay,
    handle_route_plan,
    handle_route_track,
)
from mot_cua.contract._http_extra import (
    DueBatchRequest,
    DueBatchResponse,
    ReportRequest,
    handle_due_batch,
    handle_report,
)
from mot_cua.server._problems import PROBLEM_MEDIA_TYPE, problem

__all__ = ["JSONBody", "router", "system_router"]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


# The contract defers building its models (to keep ``import mot_cua`` fast); FastAPI's
# validators of a deferred model build it on the first request, and pydantic then warns about
# FastAPI's body alias. The service uses subclasses of the same name that build at once (same
# fields, same JSON Schema); the handlers accept them as the contract's models.


def _built(model: type[BaseModel]) -> ConfigDict:
    config: ConfigDict = model.model_config.copy()
    config["defer_build"] = False
    return config


def _eager(model: type[M]) -> type[M]:
    namespace = {"model_config": _built(model), "__doc__": model.__doc__}
    built = type(model.__name__, (model,), namespace)
    built.__module__ = model.__module__
    return built


CalendarYearResponse = _eager(contract.CalendarYearResponse)
CatalogListResponse = _eager(contract.CatalogListResponse)
CatalogShowResponse = _eager(contract.CatalogShowResponse)
DueResponse = _eager(contract.DueResponse)
ExplainDayResponse = _eager(contract.ExplainDayResponse)
HistoryCheckResponse = _eager(contract.HistoryCheckResponse)
ReplayResponse = _eager(contract.ReplayResponse)
RoutePlanResponse = _eager(contract.RoutePlanResponse)
RouteTrackResponse = _eager(contract.RouteTrackResponse)


class DueRequest(contract.DueRequest):
    __doc__ = contract.DueRequest.__doc__
    model_config = _built(contract.DueRequest)


class HistoryRequest(contract.HistoryRequest):
    __doc__ = contract.HistoryRequest.__doc__
    model_config = _built(contract.HistoryRequest)


class RoutePlanRequest(contract.RoutePlanRequest):
    __doc__ = contract.RoutePlanRequest.__doc__
    model_config = _built(contract.RoutePlanRequest)


class RouteTrackRequest(contract.RouteTrackRequest):
    __doc__ = contract.RouteTrackRequest.__doc__
    model_config = _built(contract.RouteTrackRequest)


system_router = APIRouter(tags=["system"])
router = APIRouter(prefix="/v1")

_PROBLEM = {"content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
#: The error responses every endpoint may give (problem+json).
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "the body is not JSON", **_PROBLEM},
    413: {"description": "the body or the batch is too large", **_PROBLEM},
    422: {"description": "invalid input (the error names the field)", **_PROBLEM},
    503: {"description": "the request took longer than the time limit", **_PROBLEM},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such item", **_PROBLEM},
    422: ERRORS[422],
}


class JSONBody(JSONResponse):
    """A JSON response serialised once, compactly, with Vietnamese kept readable."""

    def render(self, content: Any) -> bytes:
        """Serialise ``content``."""
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _in_thread(fn: Callable[..., T], *args: Any) -> T:
    return await run_in_threadpool(fn, *args)


@system_router.get("/healthz", summary="Liveness: the service answers")
async def healthz() -> dict[str, Any]:
    """``{"status": "ok", "version": ...}`` while the service runs."""
    from mot_cua.server._app import _version

    return {"status": "ok", "version": _version()}


@router.post(
    "/due",
    summary="The legal due moment of one dossier",
    tags=["due"],
    response_model=DueResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def due(body: DueRequest) -> Response:
    """The ``due`` operation (``mot-cua due --json``): a receipt and a limit give a due moment."""
    return JSONBody(handle_due(body))


@router.post(
    "/due:batch",
    summary="The due moments of many dossiers in one request",
    tags=["due"],
    response_model=DueBatchResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def due_batch(body: DueBatchRequest, request: Request) -> Response:
    """Many ``due`` requests: one result per item, in order; a bad item gives its error."""
    limit = request.app.state.settings.max_batch_items
    if len(body.items) > limit:
        error = {
            "type": "too_many_items",
            "message": f"{len(body.items)} items is more than the {limit} one request may carry; "
            "split the batch",
            "field": "items",
            "limit": limit,
        }
        return problem(413, error, instance=request.url.path)
    return JSONBody(await _in_thread(handle_due_batch, body.items))


def _years() -> tuple[int, int]:
    from mot_cua.calendar import WorkingCalendar

    cal = WorkingCalendar.vietnam()
    return cal.first_year, cal.last_year


#: The years the shipped calendar covers (the path parameter's bounds in the OpenAPI document).
_FIRST_YEAR, _LAST_YEAR = _years()
_CULTURE = Query(default=True, description="treat 24/11 (Vietnamese Culture Day) as a day off")


@router.get(
    "/calendar/{year}",
    summary="A year's days off and worked days, and its number of working days",
    tags=["calendar"],
    response_model=CalendarYearResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def calendar_year(
    year: int = Path(description="the year, e.g. 2026", ge=_FIRST_YEAR, le=_LAST_YEAR),
    *,
    culture_day: bool = _CULTURE,
) -> Response:
    """The ``calendar`` operation (``mot-cua calendar YEAR --json``)."""
    request = {"year": year, "culture_day": culture_day}
    return JSONBody(await _in_thread(handle_calendar_year, request))


@router.get(
    "/calendar/days/{date}",
    summary="Whether a day is a working day, why, and the source",
    tags=["calendar"],
    response_model=ExplainDayResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def explain_day(
    date: str = Path(description="ISO date, e.g. 2025-01-29", pattern=r"^\d{4}-\d{2}-\d{2}$"),
    *,
    culture_day: bool = _CULTURE,
) -> Response:
    """The ``explain`` operation: one day of the public-sector calendar."""
    return JSONBody(handle_explain_day({"date": date, "culture_day": culture_day}))


@router.post(
    "/histories:validate",
    summary="Check a dossier history against the legal transitions (no replay)",
    tags=["lifecycle"],
    response_model=HistoryCheckResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def validate_history(body: HistoryRequest) -> Response:
    """An illegal history is an answer (``valid: false`` and where), not an error."""
    return JSONBody(await _in_thread(handle_history_validate, body))


@router.post(
    "/histories:replay",
    summary="Replay a dossier history: status, due date, timeliness, findings",
    tags=["lifecycle"],
    response_model=ReplayResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def replay_history(body: HistoryRequest) -> Response:
    """The ``replay`` operation; an illegal event is a 422 problem naming its index."""
    return JSONBody(await _in_thread(handle_replay, body))


@router.post(
    "/routes:plan",
    summary="Plan an inter-agency route: each step's start and due moment",
    tags=["routing"],
    response_model=RoutePlanResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def plan_route(body: RoutePlanRequest) -> Response:
    """The ``route plan`` operation; the route is an object or a shipped template id."""
    return JSONBody(await _in_thread(handle_route_plan, body))


@router.post(
    "/routes:track",
    summary="Track a dossier along its route: step status and who made it late",
    tags=["routing"],
    response_model=RouteTrackResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def track_route(body: RouteTrackRequest) -> Response:
    """The ``route track`` operation (hand-overs and pauses, or a dossier with its history)."""
    return JSONBody(await _in_thread(handle_route_track, body))


@router.get(
    "/catalog/procedures",
    summary="Search the shipped procedure catalogue",
    tags=["catalogue"],
    response_model=CatalogListResponse,
    response_class=JSONBody,
    responses=ERRORS,
)
async def list_procedures(
    search: str = Query("", description="words of the name (diacritics optional)", max_length=200),
    field: str | None = Query(None, description="field (lĩnh vực)", max_length=200),
) -> Response:
    """The ``catalog list`` operation."""
    return JSONBody(await _in_thread(handle_catalog_list, {"search": search, "field": field}))


@router.get(
    "/catalog/procedures/{procedure_id}",
    summary="One procedure of the shipped catalogue",
    tags=["catalogue"],
    response_model=CatalogShowResponse,
    response_class=JSONBody,
    responses=NOT_FOUND,
)
async def show_procedure(
    procedure_id: str = Path(description="the procedure id", min_length=1, max_length=200),
) -> Response:
    """The ``catalog show`` operation; an unknown id is a 404 problem."""
    return JSONBody(await _in_thread(handle_catalog_show, procedure_id))


@router.post(
    "/reports",
    summary="The periodic report and Decision 766 metrics of flat dossier records",
    tags=["reports"],
    response_class=JSONBody,
    responses=ERRORS,
)
async def make_report(body: ReportRequest, request: Request) -> Response:
    """The ``report`` operation (``mot-cua report --json``) on records sent in the body."""
    limit = request.app.state.settings.max_batch_items
    if len(body.records) > limit:
        error = {
            "type": "too_many_items",
            "message": f"{len(body.records)} records is more than the {limit} one request may "
            "carry; split them, or run `mot-cua report` on a file",
            "field": "records",
            "limit": limit,
        }
        return problem(413, error, instance=request.url.path)
    return JSONBody(await _in_thread(handle_report, body))
