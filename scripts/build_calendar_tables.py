"""Generate ``src/mot_cua/data/calendar_vn.json``: the holidays.VN days mot_cua's calendar uses.

The run-time calendar reads this small table instead of building ``holidays.VN`` objects (which
imports the ``holidays`` package and its 250 country modules: about 0.2 s at start-up). Re-run
after upgrading ``holidays``; ``tests/test_calendar_tables.py`` fails while the shipped table
differs from what the installed ``holidays`` produces.

Usage (from the repository root)::

    .venv/bin/python scripts/build_calendar_tables.py          # rewrite the table
    .venv/bin/python scripts/build_calendar_tables.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mot_cua.calendar import build_vietnam_table

TABLE = Path(__file__).resolve().parent.parent / "src" / "mot_cua" / "data" / "calendar_vn.json"


def render() -> str:
    """The table's text: one JSON object, one day per line (readable diffs)."""
    table = build_vietnam_table()
    head = {k: v for k, v in table.items() if k not in ("labels", "days_off", "worked_days")}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value)},")
    for key in ("labels", "days_off"):
        lines.append(f'  "{key}": [')
        rows = [json.dumps(r, ensure_ascii=False) for r in table[key]]
        lines.append(",\n".join("    " + r for r in rows))
        lines.append("  ],")
    lines.append(f'  "worked_days": {json.dumps(table["worked_days"])}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the table, or with ``--check`` report whether the shipped one is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TABLE.read_text("utf-8") if TABLE.exists() else ""
        if current != text:
            print(f"{TABLE} is stale: run scripts/build_calendar_tables.py", file=sys.stderr)
            return 1
        print(f"{TABLE} is current")
        return 0
    TABLE.write_text(text, "utf-8")
    print(f"wrote {TABLE} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
