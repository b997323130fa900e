"""JSON Schemas of the contract: the output of every command, the input of every operation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, RootModel

from mot_cua.contract._calendar import (
    CalendarYearRequest,
    CalendarYearResponse,
    ExplainDayRequest,
    ExplainDayResponse,
)
from mot_cua.contract._catalog import CatalogListRequest, CatalogListResponse, CatalogShowResponse
from mot_cua.contract._due_models import DueBatchError, DueRequest, DueResponse
from mot_cua.contract._errors import ErrorDetail, ErrorResponse
from mot_cua.contract._history import HistoryCheckResponse, HistoryRequest, ReplayResponse
from mot_cua.contract._route import (
    RoutePlanRequest,
    RoutePlanResponse,
    RouteTrackRequest,
    RouteTrackResponse,
)
from mot_cua.contract._version import CONTRACT_VERSION
from mot_cua.errors import InvalidInputError, brief, require

__all__ = [
    "CONTRACT_VERSION",
    "INPUT_MODELS",
    "OUTPUT_MODELS",
    "CatalogValidateResponse",
    "ErrorDetail",
    "ErrorResponse",
    "VersionResponse",
    "input_schema",
    "output_schema",
]


class DueBatchLine(RootModel[DueResponse | DueBatchError]):
    """One output line of ``due --batch``: a due object with ``id``, or an error line."""


class ReplayBatchLine(RootModel[ReplayResponse | DueBatchError]):
    """One output line of ``replay --batch``."""


class RoutePlanBatchLine(RootModel[RoutePlanResponse | DueBatchError]):
    """One output line of ``route plan --batch``."""


class CatalogValidateResponse(BaseModel):
    """Output of ``catalog validate`` for a valid catalogue (an invalid one is an error)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    ok: bool
    procedures: int
    agencies: int
    routes: int
    warnings: list[str]


class VersionResponse(BaseModel):
    """Output of ``version``."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    version: str
    contract_version: str


class SchemaResponse(RootModel[dict[str, Any]]):
    """Output of ``schema``: a JSON Schema (draft 2020-12)."""


#: The model of each command's ``--json`` output, by command name.
OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    "due": DueResponse,
    "due-batch": DueBatchLine,
    "calendar": CalendarYearResponse,
    "explain": ExplainDayResponse,
    "validate": HistoryCheckResponse,
    "replay": ReplayResponse,
    "replay-batch": ReplayBatchLine,
    "route-plan": RoutePlanResponse,
    "route-plan-batch": RoutePlanBatchLine,
    "route-track": RouteTrackResponse,
    "catalog-list": CatalogListResponse,
    "catalog-show": CatalogShowResponse,
    "catalog-validate": CatalogValidateResponse,
    "schema": SchemaResponse,
    "version": VersionResponse,
    "error": ErrorResponse,
}

#: The request model of each operation, by command name (a batch line is one request).
INPUT_MODELS: dict[str, type[BaseModel]] = {
    "due": DueRequest,
    "calendar": CalendarYearRequest,
    "explain": ExplainDayRequest,
    "validate": HistoryRequest,
    "replay": HistoryRequest,
    "route-plan": RoutePlanRequest,
    "route-track": RouteTrackRequest,
    "catalog-list": CatalogListRequest,
}


def _name(command: str) -> str:
    require(command, str, "command", "a command name such as 'due' or 'route plan'")
    return command.strip().lower().replace(" ", "-").replace("_", "-").removesuffix("-json")


def _decorate(schema: dict[str, Any], command: str, kind: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:mot-cua:contract:{CONTRACT_VERSION}:{kind}:{command}",
        "x-contract-version": CONTRACT_VERSION,
        **schema,
    }


def output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of a command's ``--json`` output, with the contract version.

    Args:
        command: ``due``, ``due batch``, ``route plan``, ``catalog list``, ``error``, ... (see
            :data:`OUTPUT_MODELS`; spaces or dashes).

    Returns:
        The schema (draft 2020-12).

    Raises:
        InvalidInputError: an unknown command.

    >>> output_schema("due")["properties"]["limit"]["type"]
    'string'
    >>> output_schema("route plan")["x-contract-version"]
    '1.0'
    """
    name = _name(command)
    model = OUTPUT_MODELS.get(name)
    if model is None:
        raise InvalidInputError(
            f"no output schema for {brief(command)}; commands: {', '.join(OUTPUT_MODELS)}",
            field="command",
        )
    return _decorate(model.model_json_schema(mode="serialization"), name, "output")


def input_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of an operation's request (one batch line, one HTTP body).

    Args:
        command: ``due``, ``replay``, ``route plan``, ... (see :data:`INPUT_MODELS`).

    Returns:
        The schema (draft 2020-12).

    Raises:
        InvalidInputError: an unknown command.

    >>> sorted(input_schema("due")["required"])
    ['received']
    """
    name = _name(command).removesuffix("-batch")
    model = INPUT_MODELS.get(name)
    if model is None:
        raise InvalidInputError(
            f"no input schema for {brief(command)}; commands: {', '.join(INPUT_MODELS)}",
            field="command",
        )
    return _decorate(model.model_json_schema(mode="validation"), name, "input")
