"""Shared helpers for the command line's output."""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["print_json"]


def print_json(obj: Any) -> None:
    """Print one JSON document (UTF-8, Vietnamese kept readable) on standard output."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
