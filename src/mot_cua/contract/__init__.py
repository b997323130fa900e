"""The JSON contract shared by the ``mot-cua`` command line and the HTTP service.

One request model, one pure ``handle_<operation>`` function and one response schema per
operation; every error becomes :func:`error_object` (``{"error": {"type", "message", ...}}``).
The contract's version is :data:`CONTRACT_VERSION`; docs/contract.md gives the bump policy.

>>> from mot_cua.contract import error_object, handle_due
>>> handle_due({"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"})["due_date"]
'2025-04-29'
>>> from mot_cua.errors import InvalidInputError
>>> error_object(InvalidInputError("received is missing", field="received"))["error"]["type"]
'invalid_input'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mot_cua.contract._version import CONTRACT_VERSION
from mot_cua.errors import brief

if TYPE_CHECKING:
    from mot_cua.contract._calendar import (
        CalendarDay,
        CalendarYearRequest,
        CalendarYearResponse,
        ExplainDayRequest,
        ExplainDayResponse,
        day_object,
        handle_calendar_year,
        handle_explain_day,
    )
    from mot_cua.contract._catalog import (
        CatalogListRequest,
        CatalogListResponse,
        CatalogShowResponse,
        ProcedureSummary,
        handle_catalog_list,
        handle_catalog_show,
    )
    from mot_cua.contract._common import (
        calendar_for,
        parse_instant,
        policy_for,
    )
    from mot_cua.contract._due import (
        deadline_object,
        handle_due,
        handle_due_item,
    )
    from mot_cua.contract._due_models import (
        DueBatchError,
        DueRequest,
        DueResponse,
        PauseObject,
    )
    from mot_cua.contract._errors import (
        error_object,
        error_type,
        from_validation_error,
        one_line,
    )
    from mot_cua.contract._history import (
        HistoryCheckResponse,
        HistoryRequest,
        ReplayResponse,
        handle_history_validate,
        handle_replay,
    )
    from mot_cua.contract._route import (
        RoutePlanRequest,
        RoutePlanResponse,
        RouteTrackRequest,
        RouteTrackResponse,
        handle_route_plan,
        handle_route_track,
        resolve_route,
    )
    from mot_cua.contract._schemas import (
        INPUT_MODELS,
        OUTPUT_MODELS,
        CatalogValidateResponse,
        ErrorDetail,
        ErrorResponse,
        VersionResponse,
        input_schema,
        output_schema,
    )

#: Where each public name lives: the modules load on first use (start-up time, issue 10 §3).
_LAZY: dict[str, str] = {
    "CalendarDay": "mot_cua.contract._calendar",
    "CalendarYearRequest": "mot_cua.contract._calendar",
    "CalendarYearResponse": "mot_cua.contract._calendar",
    "CatalogListRequest": "mot_cua.contract._catalog",
    "CatalogListResponse": "mot_cua.contract._catalog",
    "CatalogShowResponse": "mot_cua.contract._catalog",
    "CatalogValidateResponse": "mot_cua.contract._schemas",
    "DueBatchError": "mot_cua.contract._due_models",
    "DueRequest": "mot_cua.contract._due_models",
    "DueResponse": "mot_cua.contract._due_models",
    "ErrorDetail": "mot_cua.contract._schemas",
    "ErrorResponse": "mot_cua.contract._schemas",
    "ExplainDayRequest": "mot_cua.contract._calendar",
    "ExplainDayResponse": "mot_cua.contract._calendar",
    "HistoryCheckResponse": "mot_cua.contract._history",
    "HistoryRequest": "mot_cua.contract._history",
    "INPUT_MODELS": "mot_cua.contract._schemas",
    "OUTPUT_MODELS": "mot_cua.contract._schemas",
    "PauseObject": "mot_cua.contract._due_models",
    "ProcedureSummary": "mot_cua.contract._catalog",
    "ReplayResponse": "mot_cua.contract._history",
    "RoutePlanRequest": "mot_cua.contract._route",
    "RoutePlanResponse": "mot_cua.contract._route",
    "RouteTrackRequest": "mot_cua.contract._route",
    "RouteTrackResponse": "mot_cua.contract._route",
    "VersionResponse": "mot_cua.contract._schemas",
    "calendar_for": "mot_cua.contract._common",
    "day_object": "mot_cua.contract._calendar",
    "deadline_object": "mot_cua.contract._due",
    "error_object": "mot_cua.contract._errors",
    "error_type": "mot_cua.contract._errors",
    "from_validation_error": "mot_cua.contract._errors",
    "handle_calendar_year": "mot_cua.contract._calendar",
    "handle_catalog_list": "mot_cua.contract._catalog",
    "handle_catalog_show": "mot_cua.contract._catalog",
    "handle_due": "mot_cua.contract._due",
    "handle_due_item": "mot_cua.contract._due",
    "handle_explain_day": "mot_cua.contract._calendar",
    "handle_history_validate": "mot_cua.contract._history",
    "handle_replay": "mot_cua.contract._history",
    "handle_route_plan": "mot_cua.contract._route",
    "handle_route_track": "mot_cua.contract._route",
    "input_schema": "mot_cua.contract._schemas",
    "one_line": "mot_cua.contract._errors",
    "output_schema": "mot_cua.contract._schemas",
    "parse_instant": "mot_cua.contract._common",
    "policy_for": "mot_cua.contract._common",
    "resolve_route": "mot_cua.contract._route",
}

__all__ = [
    "CONTRACT_VERSION",
    "INPUT_MODELS",
    "OUTPUT_MODELS",
    "CalendarDay",
    "CalendarYearRequest",
    "CalendarYearResponse",
    "CatalogListRequest",
    "CatalogListResponse",
    "CatalogShowResponse",
    "CatalogValidateResponse",
    "DueBatchError",
    "DueRequest",
    "DueResponse",
    "ErrorDetail",
    "ErrorResponse",
    "ExplainDayRequest",
    "ExplainDayResponse",
    "HistoryCheckResponse",
    "HistoryRequest",
    "PauseObject",
    "ProcedureSummary",
    "ReplayResponse",
    "RoutePlanRequest",
    "RoutePlanResponse",
    "RouteTrackRequest",
    "RouteTrackResponse",
    "VersionResponse",
    "calendar_for",
    "day_object",
    "deadline_object",
    "error_object",
    "error_type",
    "from_validation_error",
    "handle_calendar_year",
    "handle_catalog_list",
    "handle_catalog_show",
    "handle_due",
    "handle_due_item",
    "handle_explain_day",
    "handle_history_validate",
    "handle_replay",
    "handle_route_plan",
    "handle_route_track",
    "input_schema",
    "one_line",
    "output_schema",
    "parse_instant",
    "policy_for",
    "resolve_route",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mot_cua.contract' has no attribute {brief(name)}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
