"""The ``mot-cua`` command line: a JSON contract for portals written in any language.

Each sub-command lives in its own module exposing ``register(subparsers)``; the module sets
``func`` on its parser with :meth:`argparse.ArgumentParser.set_defaults`. A handler returns the
process exit code (0) or raises a :class:`~mot_cua.errors.MotCuaError`; every failure exits with
code 2: one line on standard error, or under ``--json`` one error object on standard output.
``--lang vi|en`` (anywhere on the line; default ``$MOT_CUA_LANG``, else Vietnamese) chooses the
language of human output.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mot_cua.cli._output import emit_error, set_lang
from mot_cua.errors import InvalidInputError, MotCuaError

__all__ = ["COMMAND_MODULES", "build_parser", "main", "package_version"]

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "mot_cua.cli._due",
    "mot_cua.cli._calendar",
    "mot_cua.cli._catalog",
    "mot_cua.cli._schema",
    "mot_cua.cli._replay",
    "mot_cua.cli._route",
    "mot_cua.cli._version",
    "mot_cua.cli._serve",
    "mot_cua.cli._conformance",
    "mot_cua.cli._report",
    "mot_cua.cli._form",
    "mot_cua.cli._store",
    "mot_cua.cli._token",
    "mot_cua.cli._audit",
)


class UsageError(InvalidInputError):
    """A command line that argparse refuses (unknown option, missing argument, ...)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


def package_version() -> str:
    """mot_cua's installed version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mot_cua")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class _VersionAction(argparse.Action):
    """``--version``: the package version is looked up only when asked (start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the versions and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from mot_cua.contract._version import CONTRACT_VERSION

        sys.stdout.write(f"mot-cua {package_version()} (JSON contract {CONTRACT_VERSION})\n")
        parser.exit(0)


def _command_word(argv: Sequence[str]) -> str | None:
    """The sub-command named on the line (the first word that is not an option), if any."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the argument parser.

    Args:
        argv: the command line, if known: command modules are then imported in
            :data:`COMMAND_MODULES` order only until the named sub-command is registered (a
            module costs its imports at start-up); otherwise every module is.

    Returns:
        The parser.
    """
    from mot_cua.contract._version import CONTRACT_VERSION

    parser = _Parser(
        prog="mot-cua",
        description="Vietnamese administrative procedures: due dates, calendar, catalogue, "
        "lifecycle and routing. Every command takes --json (one JSON object, contract "
        f"{CONTRACT_VERSION}) and --lang vi|en.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--lang", default=None, help="language of human output: vi (default), en")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    if argv is not None and list(argv[:1]) == ["--version"]:
        return parser  # the action prints and exits before a sub-command is looked for
    wanted = None if argv is None or "--version" in argv else _command_word(argv)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
        if wanted is not None and wanted in sub.choices:
            break
    return parser


def _split_lang(argv: list[str]) -> tuple[list[str], str | None]:
    """Take ``--lang X`` / ``--lang=X`` out of the line, wherever it is (every command has it)."""
    out: list[str] = []
    chosen: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg == "--lang":
            if i + 1 >= len(argv):
                raise UsageError("argument --lang: expected one argument (vi or en)")
            chosen = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
        else:
            out.append(arg)
        i += 1
    return out, chosen


def _run(argv: list[str]) -> int:
    from mot_cua.i18n import language

    argv, chosen = _split_lang(argv)
    set_lang(language(chosen))
    args = build_parser(argv).parse_args(argv)
    code: int = args.func(args)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the ``mot-cua`` script).

    Exit codes: 0 success; 2 any error (bad option, unusable file, invalid input, illegal
    history, invalid catalogue), reported on one line (``--json``: one error object on stdout).
    """
    line = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in line
    try:
        return _run(line)
    except SystemExit as exc:  # --help, --version (argparse exits 0)
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except MotCuaError as exc:
        return emit_error(exc, as_json=as_json)
    except Exception as exc:  # the last line of defence: never a traceback
        return emit_error(exc, as_json=as_json)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
