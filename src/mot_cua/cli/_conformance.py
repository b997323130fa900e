"""``mot-cua conformance``: run the conformance vectors against a command, or the library.

* ``mot-cua conformance run --command "php adapter.php"``: one process per vector, JSON
  ``{"id", "operation", "input"}`` on its standard input, one JSON answer on its standard output
  (``--jsonl``: one process for all, one request and one answer per line).
* ``mot-cua conformance run --self``: the library's own answers (CI runs this).
* ``mot-cua conformance generate --output DIR``: write the vector files from the library.

Exit codes: 0 every vector passed; 1 at least one mismatch (each is listed); 2 bad usage (no
command, a command that cannot start, an unknown operation, unreadable vector files).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mot_cua.cli._output import print_json
from mot_cua.errors import InvalidInputError, brief

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``conformance`` sub-command."""
    p = sub.add_parser(
        "conformance",
        help="run the conformance vectors against a command or the library",
        description="Language-neutral conformance vectors (docs/conformance.md): feed each to a "
        "command (JSON on stdin, JSON on stdout) and report every mismatch.",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    run = actions.add_parser("run", help="check a command (or the library) against the vectors")
    who = run.add_mutually_exclusive_group(required=True)
    who.add_argument("--command", help="the command to test, e.g. 'node adapter.js'")
    who.add_argument("--self", action="store_true", help="check the library itself")
    run.add_argument("--jsonl", action="store_true", help="one process, JSON Lines in and out")
    run.add_argument("--vectors", default=None, help="vector file or folder (default: shipped)")
    run.add_argument(
        "--operation",
        action="append",
        default=None,
        help="only vectors of this operation (repeatable)",
    )
    run.add_argument("--timeout", type=float, default=30.0, help="seconds per vector")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.set_defaults(func=_run)
    gen = actions.add_parser("generate", help="write the vector files from the library")
    gen.add_argument("--output", required=True, help="folder to write the *.json files to")
    gen.set_defaults(func=_generate)


def _run(args: argparse.Namespace) -> int:
    from mot_cua.contract._vectors import OPERATIONS, self_answer
    from mot_cua.contract.conformance import load_vectors, run_command, run_vectors

    if args.operation:
        unknown = sorted(set(args.operation) - set(OPERATIONS))
        if unknown:
            raise InvalidInputError(
                f"--operation {brief(unknown[0])} is unknown; choose from {', '.join(OPERATIONS)}",
                field="operation",
            )
    if args.timeout <= 0:
        raise InvalidInputError("--timeout must be positive", field="timeout")
    vectors = load_vectors(args.vectors, operations=args.operation)
    if not vectors:
        raise InvalidInputError("no vectors selected; check --vectors and --operation")
    if args.self:
        report = run_vectors(vectors, self_answer)
    else:
        report = run_command(args.command, vectors, jsonl=args.jsonl, timeout=args.timeout)
    if args.json:
        print_json(report.to_json())
    else:
        for m in report.mismatches:
            sys.stdout.write(f"FAIL {m.id} ({m.operation}): {m.problem}\n")
        verdict = "ok" if report.ok else "MISMATCH"
        sys.stdout.write(
            f"{verdict}: {report.passed} of {report.total} vectors passed, "
            f"{len(report.mismatches)} failed\n"
        )
    return 0 if report.ok else 1


def _generate(args: argparse.Namespace) -> int:
    from mot_cua.contract._vectors import generate

    out = Path(args.output)
    try:
        if out.exists() and not out.is_dir():
            raise InvalidInputError(
                f"--output {brief(args.output)} is not a folder", field="output"
            )
        files = generate()
        out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (out / name).write_text(dump(content), encoding="utf-8")
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, no permission
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(
            f"--output {args.output[:80]!r} cannot be written "
            f"({getattr(exc, 'strerror', None) or exc}); give a folder you can write to",
            field="output",
        ) from None
    total = sum(len(c["vectors"]) for c in files.values())
    sys.stdout.write(f"wrote {total} vectors in {len(files)} files to {out}\n")
    return 0


def dump(content: Any) -> str:
    """A vector file's text: UTF-8 JSON, two-space indents, a final newline (stable diffs)."""
    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"
