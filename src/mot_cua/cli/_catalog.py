"""``mot-cua catalog list|show ID|validate PATH [--json]``: browse and check catalogues.

``validate`` exits 0 for a valid catalogue (warnings are listed) and 2 for an invalid or empty
one: one line on standard error ("3 problems; first: ..."), or under ``--json`` the error object
with every problem in ``problems``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from mot_cua.cli._output import gettext, print_json

if TYPE_CHECKING:
    from mot_cua.catalog import Catalog

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``catalog`` sub-command and its actions."""
    parser = subparsers.add_parser(
        "catalog",
        help="list, show and validate procedure catalogues",
        description="Browse the shipped sample catalogue (or --path) and validate catalogue "
        "files (TOML or JSON; see docs/catalogue.md).",
    )
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    p_list = actions.add_parser("list", help="list procedures")
    p_list.add_argument("--search", default="", help="words of the name (diacritics optional)")
    p_list.add_argument("--field", default=None, help="field (lĩnh vực)")
    p_show = actions.add_parser("show", help="show one procedure")
    p_show.add_argument("id", help="procedure id")
    for sub in (p_list, p_show):
        sub.add_argument("--path", default=None, help="catalogue file or folder (default: sample)")
        sub.add_argument("--json", action="store_true", help="print one JSON object")
    p_val = actions.add_parser("validate", help="validate a catalogue file or folder")
    p_val.add_argument("path", help="catalogue file or folder")
    p_val.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=_run)


def _catalog(path: str | None) -> Catalog:
    import warnings

    from mot_cua.catalog import Catalog
    from mot_cua.errors import CatalogWarning

    if path is None:
        return Catalog.default()
    with warnings.catch_warnings(record=True):  # listed by `validate`; not errors here
        warnings.simplefilter("always", CatalogWarning)
        return Catalog.load(path)


def _run(args: argparse.Namespace) -> int:
    from mot_cua.contract import handle_catalog_list, handle_catalog_show

    if args.action == "list":
        found = handle_catalog_list(
            {"search": args.search, "field": args.field}, catalog=_catalog(args.path)
        )
        if args.json:
            print_json(found)
        else:
            for p in found["procedures"]:
                sys.stdout.write(f"{p['id']}\t{p['name']}\t{p['time_limit'] or '-'}\n")
        return 0
    if args.action == "show":
        shown = handle_catalog_show(args.id, catalog=_catalog(args.path))
        if args.json:
            print_json(shown)
        else:
            _print_procedure(shown["procedure"])
        return 0
    return _validate(args.path, as_json=args.json)


def _print_procedure(proc: dict[str, Any]) -> None:
    labels = {
        "id": gettext("Id"),
        "name": gettext("Name"),
        "field": gettext("Field"),
        "time_limit": gettext("Time limit"),
        "national_code": gettext("National code"),
        "level": gettext("Level"),
        "route_id": gettext("Route"),
    }
    width = max(len(v) for v in labels.values()) + 2
    for key, label in labels.items():
        if proc.get(key) is not None:
            value = proc[key]
            if key == "time_limit" and isinstance(value, dict):
                from mot_cua.limits import TimeLimit

                value = str(TimeLimit.model_validate(value))
            elif isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            print(f"{label + ':':<{width}}{value}")
    rest = sorted(k for k in proc if k not in labels)
    if rest:
        print(gettext("Other fields (see --json)") + ": " + ", ".join(rest))


def _validate(path: str, *, as_json: bool) -> int:
    import warnings

    from mot_cua.catalog import Catalog
    from mot_cua.errors import CatalogWarning

    with warnings.catch_warnings(record=True):  # the catalogue lists them in .warnings
        warnings.simplefilter("always", CatalogWarning)
        cat = Catalog.load(path)  # CatalogError (every problem in details) -> exit 2
    if as_json:
        print_json(
            {
                "ok": True,
                "procedures": len(cat),
                "agencies": len(cat.agencies),
                "routes": len(cat.routes),
                "warnings": list(cat.warnings),
            }
        )
        return 0
    for line in cat.warnings:
        sys.stdout.write("  " + gettext("warning") + f": {line}\n")
    sys.stdout.write(
        gettext(
            "ok: {procedures} procedures, {agencies} agencies, {routes} routes, "
            "{warnings} warning(s)"
        ).format(
            procedures=len(cat),
            agencies=len(cat.agencies),
            routes=len(cat.routes),
            warnings=len(cat.warnings),
        )
        + "\n"
    )
    return 0
