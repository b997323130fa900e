"""Batch mode (issue 10 §2) and --calendar-file (issue 8 §5) through the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mot_cua.cli import main

HISTORY = {
    "procedure": {"time_limit": "10 ngày làm việc"},
    "events": [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {"event": "start", "at": "2025-03-03T10:00+07:00"},
        {"event": "request_supplement", "at": "2025-03-07T16:00+07:00", "missing": ["Tờ khai"]},
        {"event": "supplement", "at": "2025-03-12T10:00+07:00"},
    ],
}
CALENDAR_FILE = """\
[coverage]
official_last_year = 2027
source = "Test notice 1/TB-TEST"

[[override]]
date = 2027-04-29
kind = "day_off"
label = "Nghỉ bù (thử)"
source = "Test notice 1/TB-TEST"
"""


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOT_CUA_LANG", "en")
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


def batch(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    lines: list[Any] | bytes,
) -> tuple[list[dict[str, Any]], str]:
    if isinstance(lines, bytes):
        raw = lines
    else:
        raw = "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    assert main(argv) == 0
    captured = capsys.readouterr()
    return [json.loads(x) for x in captured.out.splitlines()], captured.err


def test_due_batch_one_line_out_per_line_in_and_bad_lines_go_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "a", "received": "2025-04-25T10:00", "limit": "3 ngày làm việc"},
        "not json",
        {"id": 7, "received": "2025-04-25T10:00"},
        {
            "id": "d",
            "received": "2025-03-03T02:00Z",
            "limit": "10 ngày làm việc",
            "pauses": ["2025-03-07T16:00/2025-03-12T10:00"],
            "pause_policy": "restart",
        },
        [1, 2],
        {"id": "f", "received": "2025-04-25T10:00", "procedure": "doanh-nghiep.dang-ky-thanh-lap"},
        {"id": "g", "received": "2026-11-23T16:00", "limit": "trong ngày", "trace": True},
    ]
    out, err = batch(monkeypatch, capsys, ["due", "--batch"], lines)
    assert [o.get("id") for o in out] == ["a", None, 7, "d", None, "f", "g"]
    assert out[0]["due_at"] == "2025-04-29T17:00:00+07:00"
    assert "trace" not in out[0]  # batch lines leave the trace out unless asked
    assert out[1]["line"] == 2
    assert out[1]["error"]["type"] == "input_file"
    assert out[2]["error"]["field"] == "limit"
    assert out[3]["due_date"] == "2025-03-26"  # pause then restart: the worked case of row 27
    assert out[4]["error"]["message"] == "a batch line must be a JSON object, not list"
    assert out[5]["due_date"] == "2025-04-29"  # the catalogue's 3 working days
    assert out[6]["uncertain_days"][0]["date"] == "2026-11-24"
    assert out[6]["trace"]
    assert err.startswith("mot-cua due --batch: 4 ok, 3 failed, ")
    assert err.count("\n") == 1


def test_due_batch_options_are_defaults_for_every_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"received": "2026-11-23T10:00"},
        {"received": "2026-11-23T10:00", "culture_day": True},
    ]
    argv = ["due", "--batch", "--limit", "1 ngày làm việc", "--no-culture-day"]
    out, _ = batch(monkeypatch, capsys, argv, lines)
    assert [o["due_date"] for o in out] == ["2026-11-24", "2026-11-25"]


def test_due_batch_tolerates_a_bom_blank_lines_and_bad_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = b"".join(
        [
            b'\xef\xbb\xbf{"received": "2025-04-25T10:00", "limit": "1 ng\xc3\xa0y"}\n',
            b"\n",
            b'{"received": "caf\xe9"}\n',
            b"[" * 1000 + b"\n",
        ]
    )
    out, err = batch(monkeypatch, capsys, ["due", "--batch"], raw)
    assert len(out) == 3
    assert out[0]["due_date"] == "2025-04-26"
    assert (out[1]["line"], out[1]["error"]["column"]) == (3, 18)
    assert "not UTF-8" in out[1]["error"]["message"]
    assert "nested deeper" in out[2]["error"]["message"]
    assert "1 ok, 2 failed" in err


def test_replay_batch(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    illegal = {
        **HISTORY,
        "id": "x",
        "events": [HISTORY["events"][0], {"event": "resolve", "at": "2025-03-04T09:00"}],
    }
    out, err = batch(monkeypatch, capsys, ["replay", "--batch"], [{**HISTORY, "id": 1}, illegal])
    assert out[0]["id"] == 1
    assert out[0]["due_at"] == "2025-03-20T17:00:00+07:00"
    assert out[1]["id"] == "x"
    assert out[1]["error"]["type"] == "transition_rejected"
    assert out[1]["error"]["index"] == 1
    assert "1 ok, 1 failed" in err


def test_route_plan_batch_with_a_default_route(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["route", "plan", "decree63-birth", "--batch"]
    argv += ["--set-budget", "thuong-tru=2 ngày làm việc", "--set-budget", "bhyt=1 ngày làm việc"]
    lines = [
        {"id": 1, "received": "2025-01-24T10:00"},
        {"id": 2, "received": "2025-03-03T09:00"},
        {"id": 3, "received": "2025-03-03T09:00", "route": "nope"},
    ]
    out, _ = batch(monkeypatch, capsys, argv, lines)
    assert out[0]["due_at"] == "2025-02-05T17:00:00+07:00"  # 3 working days across Tết 2025
    assert out[1]["due_at"] == "2025-03-06T17:00:00+07:00"
    assert out[2]["error"]["type"] == "route"


def _calendar(tmp_path: Path) -> str:
    path = tmp_path / "cal.toml"
    path.write_text(CALENDAR_FILE, encoding="utf-8")
    return str(path)


def test_calendar_file_on_due_calendar_and_explain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _calendar(tmp_path)
    due = ["due", "--received", "2027-04-28T10:00", "--limit", "1 ngày làm việc", "--json"]
    assert main(due) == 0
    without = json.loads(capsys.readouterr().out)
    assert without["due_date"] == "2027-04-29"
    assert without["provisional"] is True
    assert main([*due, "--calendar-file", path]) == 0
    with_file = json.loads(capsys.readouterr().out)
    # 29/4 off by the file, 30/4 holiday, 1/5 (a Saturday) observed on Monday 3/5.
    assert with_file["due_date"] == "2027-05-04"
    assert with_file["provisional"] is False  # the file declares 2027 official
    assert main(["explain", "2027-04-29", "--calendar-file", path, "--json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert explained["working"] is False
    assert explained["origin"].startswith(f"calendar file {path} row 1")
    assert main(["calendar", "2027", "--calendar-file", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["official_through"] == 2027
    monkeypatch.setenv("MOT_CUA_CALENDAR_FILE", path)
    assert main(due) == 0
    assert json.loads(capsys.readouterr().out)["due_date"] == "2027-05-04"


def test_a_bad_calendar_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[override]]\ndate = "soon"\n', encoding="utf-8")
    argv = ["explain", "2027-04-29", "--calendar-file", str(bad)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert main([*argv, "--json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] in {"calendar_data", "input_file"}
    assert main(["explain", "2027-04-29", "--calendar-file", str(tmp_path / "none.toml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_due_batch_in_a_real_process() -> None:
    lines = "".join(
        json.dumps({"id": i, "received": "2025-04-25T10:00", "limit": f"{i} ngày làm việc"}) + "\n"
        for i in range(1, 51)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mot_cua", "due", "--batch"],
        input=lines.encode(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == list(range(1, 51))
    assert out[2]["due_date"] == "2025-04-29"
    assert b"50 ok, 0 failed" in proc.stderr


def test_due_loads_only_what_it_needs() -> None:
    # Start-up (issue 10 §3): `mot-cua due` imports the deadline path only, never the lifecycle,
    # routing, catalogue, adapters or their heavy dependencies, nor the other commands' modules.
    code = (
        "import sys, io, contextlib\n"
        "from mot_cua.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['due', '--received', '2025-04-25T10:00', '--limit', '1 ngày', '--json'])\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(proc.stdout.split())
    assert "mot_cua.cli._due" in loaded
    for heavy in (
        "mot_cua.lifecycle",
        "mot_cua.routing",
        "mot_cua.catalog",
        "mot_cua.indicators",
        "mot_cua.cli._route",
        "mot_cua.cli._report",
        "statemachine",
        "holidays",
        "polars",
        "numpy",
        "fastapi",
        "babel",
    ):
        assert heavy not in loaded, heavy
