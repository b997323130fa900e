"""The ``mot-cua`` command line: a JSON contract for portals written in any language.

Each sub-command lives in its own module exposing ``register(subparsers)``; the module sets
``func`` on its parser with :meth:`argparse.ArgumentParser.set_defaults`. A handler returns the
process exit code. Bad arguments exit with code 2 and one line on standard error saying what to fix.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from mot_cua.errors import MotCuaError, MotCuaWarning

__all__ = ["main"]

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "mot_cua.cli._due",
    "mot_cua.cli._calendar",
    "mot_cua.cli._catalog",
    "mot_cua.cli._schema",
    "mot_cua.cli._replay",
    "mot_cua.cli._route",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, exit code 2 (argparse's own convention, kept).
        self.exit(2, f"mot-cua: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered sub-command."""
    parser = _Parser(
        prog="mot-cua",
        description="Vietnamese administrative procedures: due dates, calendar, catalogue, "
        "lifecycle and routing.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the ``mot-cua`` script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        # Provisional results are reported in the output itself ("provisional": true).
        warnings.simplefilter("ignore", MotCuaWarning)
        try:
            code: int = args.func(args)
        except MotCuaError as exc:
            print(f"mot-cua: error: {exc}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # e.g. piped into `head`
            sys.stderr.close()
            return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
