"""``mot-cua schema [MODEL]``: the JSON Schema of the public models (English field names)."""

from __future__ import annotations

import argparse
import functools
from typing import TYPE_CHECKING, Any

from mot_cua.cli._output import print_json
from mot_cua.errors import InvalidInputError, brief

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["CONTRACT_FORMS", "model_schema", "register", "schema_models"]


@functools.cache
def schema_models() -> dict[str, type[BaseModel]]:
    """Every public pydantic model, by class name: the domain models and the values of the
    calendar, deadline, lifecycle and routing modules (imported on first use)."""
    from mot_cua.calendar import CalendarOverride, DayInfo
    from mot_cua.deadlines import DeadlinePolicy, Pause
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

    others: tuple[type[BaseModel], ...] = (
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
    return {**DOMAIN_MODELS, **{cls.__name__: cls for cls in others}}


def __getattr__(name: str) -> Any:
    if name == "SCHEMA_MODELS":  # kept as a module attribute, built on first use
        return schema_models()
    raise AttributeError(f"module {brief(__name__)} has no attribute {brief(name)}")


#: Models whose JSON in the contract differs from pydantic's dump: ``schema NAME`` prints the
#: contract's form (what ``mot-cua due --json`` and ``POST /v1/due`` return), so they agree.
CONTRACT_FORMS = {"Deadline": "due"}


def register(subparsers: Any) -> None:
    """Add the ``schema`` sub-command."""
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a model, or of a command's input or output",
        description="Print a JSON Schema (draft 2020-12). With --output COMMAND: the schema of "
        "the command's --json output (e.g. due, due-batch, route-plan, catalog-list, error); "
        "with --input COMMAND: the request of an operation (one --batch line, one HTTP body). "
        "Without arguments: every model, by name.",
    )
    parser.add_argument("model", nargs="?", help="model name, e.g. Dossier (case-insensitive)")
    parser.add_argument("--output", default=None, metavar="COMMAND", help="a command's output")
    parser.add_argument("--input", default=None, metavar="COMMAND", help="an operation's input")
    parser.add_argument(
        "--json", action="store_true", help="accepted for uniformity: the output is always JSON"
    )
    parser.set_defaults(func=_run)


def model_schema(name: str) -> dict[str, Any]:
    """The schema ``mot-cua schema NAME`` prints (the contract's form for :data:`CONTRACT_FORMS`).

    Raises:
        InvalidInputError: no model of that name (case-insensitive).
    """
    from mot_cua.contract import output_schema

    by_lower = {n.lower(): n for n in schema_models()}
    found = by_lower.get(name.lower())
    if found is None:
        raise InvalidInputError(
            f"unknown model {name[:60]!r}; choose one of {', '.join(sorted(schema_models()))}",
            field="model",
        )
    if found in CONTRACT_FORMS:
        return output_schema(CONTRACT_FORMS[found])
    return schema_models()[found].model_json_schema()


#: Output models of adapters' commands, ``"module:name"`` of a dict command -> model, loaded only
#: when asked for (an adapter's extra may not be installed).
ADAPTER_OUTPUT_MODELS = ("mot_cua.store._contract:STORE_OUTPUT_MODELS",)


def command_output_schema(command: str) -> dict[str, Any]:
    """The schema of a command's ``--json`` output: the contract's, or an adapter command's.

    Raises:
        InvalidInputError: no command of that name.
    """
    import importlib

    from mot_cua.contract import output_schema
    from mot_cua.contract._schemas import _decorate, _name

    try:
        return output_schema(command)
    except InvalidInputError:
        name = _name(command)
        for ref in ADAPTER_OUTPUT_MODELS:
            module, attr = ref.split(":")
            try:
                models = getattr(importlib.import_module(module), attr)
            except ImportError:
                continue
            if name in models:
                schema = models[name].model_json_schema(mode="serialization")
                return _decorate(schema, name, "output")
        raise


def _run(args: argparse.Namespace) -> int:
    from mot_cua.contract import input_schema

    chosen = [x for x in (args.model, args.output, args.input) if x is not None]
    if len(chosen) > 1:
        raise InvalidInputError("give one of MODEL, --output COMMAND or --input COMMAND")
    if args.output is not None:
        print_json(command_output_schema(args.output))
    elif args.input is not None:
        print_json(input_schema(args.input))
    elif args.model is not None:
        print_json(model_schema(args.model))
    else:
        print_json({name: model_schema(name) for name in sorted(schema_models())})
    return 0
