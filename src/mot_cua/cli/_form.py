"""``mot-cua form``: print a statutory form (receipt, supplement request, ...) as HTML or PDF.

``mot-cua form NAME INPUT.json [--history H.json] [--tracking T.json] [--format html|pdf] -o OUT``

* ``NAME``: ``receipt``, ``supplement_request``, ``refusal``, ``apology``, ``stop_notice`` (from
  1/7/2025 only), ``control_sheet``, ``register``, or the form's number in the dossier's regime.
* ``INPUT.json``: a dossier (``Dossier`` JSON, as ``mot-cua schema Dossier`` describes it), a list
  of dossiers (register), or ``{"dossier": ..., "details": {...}}`` / ``{"dossiers": [...],
  "details": {...}}`` where ``details`` holds the fields of :class:`mot_cua.forms.FormDetails`.
* ``--history``: a history file as ``mot-cua replay`` reads it (``{"events": [...]}``, optionally
  with ``"procedure": {"time_limit": ...}``), or a plain list of events: replayed through the
  lifecycle, it supplies the receipt, the deadline and the events the form needs.
* ``--tracking``: ``{"route": <route object, file or template id>, "handovers": [...],
  "pauses": [...], "finished_at": ..., "now": ...}`` as ``mot-cua route track`` reads it (without
  ``handovers`` the dossier's history gives them), or a saved ``RouteTracking``.
* ``-o OUT``: the output file (``-`` for standard output). The format is ``--format``, else the
  suffix of ``OUT`` (``.pdf``), else HTML.

Exit codes: 0 written; 2 bad input (one line on standard error: an unknown form in the regime,
a receipt without a due moment, an apology without a new date, an unreadable file, ...).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mot_cua.cli._output import print_json
from mot_cua.errors import InvalidInputError, brief
from mot_cua.files import read_json
from mot_cua.models import Dossier

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``form`` sub-command."""
    p = sub.add_parser(
        "form",
        help="print a statutory form (receipt, apology, control sheet, register...) as HTML/PDF",
        description="Fill a statutory form of Circular 01/2018/TT-VPCP or 03/2025/TT-VPCP from "
        "a dossier and write it as HTML or PDF.",
    )
    p.add_argument(
        "name",
        help="form: receipt, supplement_request, refusal, apology, "
        "stop_notice, control_sheet, register, or its number (01...)",
    )
    p.add_argument(
        "input",
        help='dossier JSON, a list of dossiers (register), or {"dossier": ..., "details": ...}',
    )
    p.add_argument("--history", default=None, help="history file to replay (mot-cua replay's)")
    p.add_argument("--tracking", default=None, help="route tracking file (mot-cua route track's)")
    p.add_argument("--details", default=None, help="JSON file with FormDetails fields")
    p.add_argument("--format", choices=["html", "pdf"], default=None, help="default: from -o")
    p.add_argument(
        "--regime",
        default=None,
        help="fix the regime (decree-61-2018 | decree-118-2025); default: from the receipt date",
    )
    p.add_argument(
        "--qr",
        default=None,
        metavar="TEXT",
        help="add a QR code holding TEXT ({code} is replaced by the dossier code)",
    )
    p.add_argument(
        "--catalog",
        default=None,
        help="catalogue file or folder for agency and "
        "procedure names (default: the shipped sample)",
    )
    p.add_argument("-o", "--output", required=True, help="output file, or - for standard output")
    p.add_argument("--json", action="store_true", help="print one JSON object about the result")
    p.set_defaults(func=run)


def _read_route_file(base: Path) -> Callable[[str], str | None]:
    def read(name: str) -> str | None:
        path = Path(name) if Path(name).is_absolute() else base / name
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return read


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua form``."""
    from mot_cua.catalog import Catalog
    from mot_cua.forms import fill_form, to_html, to_pdf
    from mot_cua.forms._inputs import (
        dossiers_from_data,
        lifecycle_from_history,
        tracking_from_data,
    )

    catalog = Catalog.load(args.catalog) if args.catalog else Catalog.default()
    source, details = dossiers_from_data(read_json(args.input, what="dossier file"), args.input)
    if args.details:
        extra = read_json(args.details, what="details file")
        if not isinstance(extra, dict):
            raise InvalidInputError(f"{args.details}: expected a JSON object of form details")
        details.update(extra)
    if args.qr:
        details["qr"] = args.qr
    lifecycle = tracking = None
    if isinstance(source, Dossier):
        if args.history:
            history = read_json(args.history, what="history file")
            lifecycle = lifecycle_from_history(history, source, catalog=catalog, where=args.history)
        if args.tracking:
            tracking = tracking_from_data(
                read_json(args.tracking, what="tracking file"),
                source,
                where=args.tracking,
                read_file=_read_route_file(Path(args.tracking).parent),
            )
    elif args.history or args.tracking:
        raise InvalidInputError("--history and --tracking go with one dossier, not a register")
    form = fill_form(
        args.name,
        source,
        lifecycle=lifecycle,
        tracking=tracking,
        details=details,
        catalog=catalog,
        regime=args.regime,
    )
    fmt = args.format or ("pdf" if args.output.lower().endswith(".pdf") else "html")
    payload = to_pdf(form) if fmt == "pdf" else to_html(form).encode("utf-8")
    if args.output == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        try:
            Path(args.output).write_bytes(payload)
        except OSError as exc:
            raise InvalidInputError(
                f"cannot write {brief(args.output)}: {exc.strerror}", field="output"
            ) from exc
    if args.json and args.output != "-":
        print_json(
            {
                "form": form.spec.kind.value,
                "number": form.spec.number,
                "title": form.spec.title,
                "circular": form.spec.circular,
                "regime": form.spec.regime.value,
                "dossier": form.dossier_code,
                "format": fmt,
                "output": args.output,
                "bytes": len(payload),
            }
        )
    return 0
