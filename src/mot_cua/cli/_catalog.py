"""``mot-cua catalog list|show ID|validate PATH [--json]``: browse and check catalogues."""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any

from mot_cua.catalog import Catalog
from mot_cua.cli._output import print_json
from mot_cua.errors import CatalogError, CatalogWarning

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``catalog`` sub-command and its actions."""
    parser = subparsers.add_parser(
        "catalog",
        help="list, show and validate procedure catalogues",
        description="Browse the shipped sample catalogue (or --path) and validate catalogue "
        "files (TOML or JSON; see docs/catalogue.md).",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    p_list = actions.add_parser("list", help="list procedures")
    p_list.add_argument("--search", default="", help="words of the name (diacritics optional)")
    p_list.add_argument("--field", default=None, help="field (lĩnh vực)")
    p_show = actions.add_parser("show", help="show one procedure")
    p_show.add_argument("id", help="procedure id")
    for sub in (p_list, p_show):
        sub.add_argument("--path", default=None, help="catalogue file or folder (default: sample)")
        sub.add_argument("--json", action="store_true", help="print JSON")
    p_val = actions.add_parser("validate", help="validate a catalogue file or folder")
    p_val.add_argument("path", help="catalogue file or folder")
    p_val.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_run)


def _catalog(path: str | None) -> Catalog:
    return Catalog.default() if path is None else Catalog.load(path)


def _run(args: argparse.Namespace) -> int:
    if args.action == "list":
        found = _catalog(args.path).search(args.search, field=args.field)
        if args.json:
            print_json(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "field": p.field,
                        "time_limit": _limit(p.time_limit),
                    }
                    for p in found
                ]
            )
        else:
            for p in found:
                sys.stdout.write(f"{p.id}\t{p.name}\t{_limit(p.time_limit) or '-'}\n")
        return 0
    if args.action == "show":
        proc = _catalog(args.path).get(args.id)
        if args.json:
            print_json(proc.model_dump(mode="json", exclude_none=True))
        else:
            sys.stdout.write(proc.model_dump_json(indent=2, exclude_none=True) + "\n")
        return 0
    return _validate(args.path, as_json=args.json)


def _limit(limit: Any) -> str | None:
    return None if limit is None else str(limit)


def _validate(path: str, *, as_json: bool) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        try:
            cat = Catalog.load(path)
        except CatalogError as exc:
            problems = list(exc.details.get("problems") or [exc.message])
            if as_json:
                print_json({"ok": False, "errors": problems, "warnings": []})
            else:
                sys.stdout.write(f"{len(problems)} error(s) in {path}:\n")
                for line in problems:
                    sys.stdout.write(f"  error: {line}\n")
            return 1
    if as_json:
        print_json(
            {
                "ok": True,
                "procedures": len(cat),
                "agencies": len(cat.agencies),
                "routes": len(cat.routes),
                "errors": [],
                "warnings": list(cat.warnings),
            }
        )
    else:
        for line in cat.warnings:
            sys.stdout.write(f"  warning: {line}\n")
        sys.stdout.write(
            f"ok: {len(cat)} procedures, {len(cat.agencies)} agencies, {len(cat.routes)} routes, "
            f"{len(cat.warnings)} warning(s)\n"
        )
    return 0
