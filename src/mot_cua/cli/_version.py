"""``mot-cua version [--json]``: the package version and the JSON contract's version."""

from __future__ import annotations

import argparse
from typing import Any

from mot_cua.cli._output import print_json

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``version`` sub-command (``mot-cua --version`` prints the same on one line)."""
    p = sub.add_parser(
        "version",
        help="print the package and JSON contract versions",
        description="Print mot_cua's version and the version of its JSON contract.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua version``."""
    from mot_cua.cli import package_version
    from mot_cua.contract import CONTRACT_VERSION

    if args.json:
        print_json({"version": package_version(), "contract_version": CONTRACT_VERSION})
    else:
        print(f"mot-cua {package_version()} (JSON contract {CONTRACT_VERSION})")
    return 0
