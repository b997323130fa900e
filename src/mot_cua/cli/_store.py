"""``mot-cua store init|import|export|verify URL``: the dossier store (extra ``mot_cua[store]``).

``URL`` is a SQLAlchemy URL (``sqlite:///dossiers.db``, ``postgresql://user@host/db``) or a file
path (SQLite). ``verify`` exits 0 when every replayed history equals the current-state table,
1 when it found differences (each one listed), and 2 on errors, like every command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mot_cua.cli._output import print_json
from mot_cua.errors import InvalidInputError, MotCuaError

__all__ = ["open_store", "register"]


def open_store(url: str, *, check: bool = True) -> Any:
    """A :class:`~mot_cua.store.Store` for ``url``, checked to be initialised.

    Raises:
        InvalidInputError: the store extra is not installed.
        StoreError: the database cannot be reached or is not initialised.
    """
    try:
        from mot_cua.store import Store
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InvalidInputError(
            f"the store needs the store extra ({exc.name} is missing): pip install 'mot_cua[store]'"
        ) from exc
    import os

    import sqlalchemy as sa

    from mot_cua.errors import StoreError
    from mot_cua.store import normalise_url

    parsed = sa.make_url(normalise_url(url))
    path = parsed.database
    local = parsed.get_backend_name() == "sqlite" and path and path != ":memory:"
    if check and local and not os.path.exists(str(path)):
        raise StoreError(f"no store at {path}; create it with: mot-cua store init {url}", path=path)
    store = Store(url)
    if check:
        store.check()
    return store


def register(sub: Any) -> None:
    """Add the ``store`` sub-command and its actions."""
    p = sub.add_parser(
        "store",
        help="the dossier store: init, import, export, verify",
        description="The dossier store (docs/store.md): append-only histories in SQLite or "
        "PostgreSQL. URL: sqlite:///path.db, a file path, or postgresql://user@host/db.",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))

    init = actions.add_parser("init", help="create or upgrade the tables (Alembic migrations)")
    init.add_argument("url", metavar="URL")
    init.add_argument("--json", action="store_true", help="print one JSON object")
    init.set_defaults(func=_init)

    imp = actions.add_parser(
        "import", help="import dossiers with their history (Dossier JSON Lines)"
    )
    imp.add_argument("url", metavar="URL")
    imp.add_argument("path", metavar="FILE", help="JSON Lines, one Dossier per line; - for stdin")
    imp.add_argument(
        "--time-limit",
        default=None,
        metavar="TEXT",
        help="the limit of dossiers whose procedure is not in the catalogue ('10 ngày làm việc')",
    )
    imp.add_argument("--json", action="store_true", help="print one JSON object")
    imp.set_defaults(func=_import)

    exp = actions.add_parser(
        "export", help="export flat records (the input of mot-cua report) as CSV or JSON Lines"
    )
    exp.add_argument("url", metavar="URL")
    exp.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="default csv")
    exp.add_argument("--output", "-o", default="-", metavar="PATH", help="file (default stdout)")
    exp.add_argument(
        "--all", action="store_true", help="also dossiers never received (no NgayTiepNhan)"
    )
    exp.add_argument("--json", action="store_true", help="print a summary object (needs -o)")
    exp.set_defaults(func=_export)

    ver = actions.add_parser(
        "verify", help="replay every history and compare it with the current-state table"
    )
    ver.add_argument("url", metavar="URL")
    ver.add_argument("--limit", type=int, default=None, help="stop after N differences")
    ver.add_argument("--json", action="store_true", help="print one JSON object")
    ver.set_defaults(func=_verify)


def _init(args: argparse.Namespace) -> int:
    store = open_store(args.url, check=False)
    try:
        revision = store.init()
    finally:
        store.close()
    if args.json:
        print_json({"url": _shown(store.url), "revision": revision, "dialect": store.dialect})
    else:
        print(f"store {_shown(store.url)} ready (schema revision {revision}, {store.dialect})")
    return 0


def _shown(url: str) -> str:
    from mot_cua.store._store import _redact

    return _redact(url)


def _import(args: argparse.Namespace) -> int:
    from mot_cua.files import read_jsonl

    source: Any = sys.stdin if args.path == "-" else args.path
    store = open_store(args.url)
    count = 0
    try:
        for line, data in read_jsonl(source, what="dossiers", errors="raise"):
            if not isinstance(data, dict):
                raise InvalidInputError(
                    f"{args.path} line {line}: expected a Dossier object, not "
                    f"{type(data).__name__}",
                    line=line,
                    path=args.path,
                )
            try:
                count += store.import_dossiers([data], time_limit=args.time_limit)
            except MotCuaError as exc:
                message = exc.message.removeprefix("dossier #1 ")
                raise type(exc)(
                    f"{args.path} line {line}: {message}", line=line, path=args.path
                ) from exc
    finally:
        store.close()
    if args.json:
        print_json({"imported": count})
    else:
        print(f"imported {count} dossiers")
    return 0


def _export(args: argparse.Namespace) -> int:
    from mot_cua.store import export_records

    if args.json and args.output == "-":
        raise InvalidInputError("--json needs --output PATH (the records go to the file)")
    store = open_store(args.url)
    try:
        if args.output == "-":
            count = export_records(
                store.iter_dossiers(), sys.stdout, fmt=args.format, received_only=not args.all
            )
        else:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                count = export_records(
                    store.iter_dossiers(), out, fmt=args.format, received_only=not args.all
                )
    finally:
        store.close()
    if args.json:
        print_json({"exported": count, "path": args.output, "format": args.format})
    elif args.output != "-":
        print(f"exported {count} records to {args.output}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    store = open_store(args.url)
    try:
        report = store.verify(limit=args.limit)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "dossiers": report.dossiers,
                "events": report.events,
                "differences": [
                    {"code": d.code, "field": d.field, "stored": d.stored, "replayed": d.replayed}
                    for d in report.differences
                ],
            }
        )
    else:
        for d in report.differences:
            print(str(d))
        verdict = "clean" if report.ok else f"{len(report.differences)} differences"
        print(f"verified {report.dossiers} dossiers, {report.events} events: {verdict}")
    return 0 if report.ok else 1
