"""``mot-cua schema [MODEL]``: the JSON Schema of the public models (English field names)."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import BaseModel

from mot_cua.calendar import CalendarOverride, DayInfo
from mot_cua.cli._output import print_json
from mot_cua.deadlines import DeadlinePolicy, Pause
from mot_cua.errors import InvalidInputError
from mot_cua.hours import OfficeHours, Session
from mot_cua.lifecycle import Finding
from mot_cua.limits import Deadline, TimeLimit, TraceEntry
from mot_cua.models import SCHEMA_MODELS as DOMAIN_MODELS
from mot_cua.routing import (
    ControlSheetRow,
    HandOver,
    PlannedStep,
    Route,
    RouteCheck,
    RoutePlan,
    RouteStep,
    RouteTracking,
    Stage,
    StepProgress,
)

__all__ = ["SCHEMA_MODELS", "register"]

#: Every public pydantic model, by class name: the domain models and the values of the
#: calendar, deadline, lifecycle and routing modules.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    **DOMAIN_MODELS,
    **{
        cls.__name__: cls
        for cls in (
            CalendarOverride,
            ControlSheetRow,
            DayInfo,
            Deadline,
            DeadlinePolicy,
            Finding,
            HandOver,
            OfficeHours,
            Pause,
            PlannedStep,
            Route,
            RouteCheck,
            RoutePlan,
            RouteStep,
            RouteTracking,
            Session,
            Stage,
            StepProgress,
            TimeLimit,
            TraceEntry,
        )
    },
}


def register(subparsers: Any) -> None:
    """Add the ``schema`` sub-command."""
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a model (all models when none is named)",
        description="Print the JSON Schema (draft 2020-12, from pydantic) of a public model. "
        f"Models: {', '.join(sorted(SCHEMA_MODELS))}.",
    )
    parser.add_argument("model", nargs="?", help="model name, e.g. Dossier (case-insensitive)")
    parser.add_argument(
        "--json", action="store_true", help="accepted for uniformity: the output is always JSON"
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    if args.model is None:
        print_json(
            {name: SCHEMA_MODELS[name].model_json_schema() for name in sorted(SCHEMA_MODELS)}
        )
        return 0
    by_lower = {name.lower(): cls for name, cls in SCHEMA_MODELS.items()}
    cls = by_lower.get(args.model.lower())
    if cls is None:
        raise InvalidInputError(
            f"unknown model {args.model!r}; choose one of {', '.join(sorted(SCHEMA_MODELS))}",
            model=args.model,
        )
    print_json(cls.model_json_schema())
    return 0
