"""``mot-cua route plan`` and ``mot-cua route track`` (the JSON contract of issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mot_cua.cli import main

ROUTE = {
    "limit": "4 ngày làm việc",
    "desk": "desk",
    "lead_agency": "a",
    "stages": [
        {"steps": [{"agency": "desk", "action": "receive", "budget": "0.5 ngày làm việc"}]},
        {"steps": [{"agency": "a", "action": "verify", "budget": "2 ngày làm việc"}]},
        {"steps": [{"agency": "b", "action": "sign", "budget": "1 ngày làm việc"}]},
        {"steps": [{"agency": "desk", "action": "return", "budget": "0.5 ngày làm việc"}]},
    ],
}


def _write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_plan_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = _write(tmp_path / "simple.json", ROUTE)
    assert main(["route", "plan", file, "--received", "2025-03-03T09:00", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["route"] == "simple"
    assert out["due_at"] == "2025-03-07T17:00:00+07:00"
    assert [(s["agency"], s["planned_start"], s["planned_due"]) for s in out["steps"]] == [
        ("desk", "2025-03-03T09:00:00+07:00", "2025-03-04T11:15:00+07:00"),
        ("a", "2025-03-04T11:15:00+07:00", "2025-03-06T11:15:00+07:00"),
        ("b", "2025-03-06T11:15:00+07:00", "2025-03-07T11:15:00+07:00"),
        ("desk", "2025-03-07T11:15:00+07:00", "2025-03-07T17:00:00+07:00"),
    ]
    assert out["slack_days"] == 0


def test_plan_template_with_budgets_text(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "plan", "decree63-birth", "--received", "2025-01-24T10:00"]
    argv += ["--set-budget", "thuong-tru=2 ngày làm việc", "--set-budget", "bhyt=1 ngày làm việc"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "17:00 Wed 05/02/2025" in out  # 3 working days across Tết 2025
    assert "Slack: 1 working days" in out


def test_plan_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    over = dict(ROUTE, limit="3 ngày làm việc")
    file = _write(tmp_path / "over.json", over)
    assert main(["route", "plan", file, "--received", "2025-03-03T09:00"]) == 2
    err = capsys.readouterr().err
    assert "route 'over'" in err
    assert "add up to 4 working days" in err
    assert main(["route", "plan", "decree63-birth", "--received", "2025-03-03T09:00"]) == 2
    assert "no budget for stage 2" in capsys.readouterr().err


def test_track_handovers_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "simple.json", ROUTE)
    tracking = {
        "route": "simple.json",
        "received_at": "2025-03-03T09:00",
        "handovers": [
            {"from": "desk", "to": "a", "at": "2025-03-04T10:00"},
            {"from": "a", "to": "b", "at": "2025-03-10T10:00", "note": "chậm"},
            {"from": "b", "to": "desk", "at": "2025-03-11T09:00"},
        ],
        "finished_at": "2025-03-11T14:30",
        "now": "2025-03-12T09:00",
    }
    file = _write(tmp_path / "dossier.json", tracking)
    assert main(["route", "track", file, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["late"] is True
    assert out["responsible_agency"] == "a"
    assert out["late_steps"] == ["2.1"]
    assert [s["timeliness"] for s in out["steps"]] == ["on_time", "late", "on_time", "on_time"]
    assert out["steps"][1]["late_by_days"] == 2.0
    assert out["control_sheet"][1] == {
        "from": "a",
        "to": "b",
        "at": "2025-03-10T10:00:00+07:00",
        "step": "2.1",
        "timeliness": "late",
        "note": "chậm",
    }
    assert main(["route", "track", file]) == 0
    assert "apology owed by: a" in capsys.readouterr().out


def test_track_in_progress_behind_now(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracking = {
        "route": ROUTE,
        "received_at": "2025-03-03T09:00",
        "handovers": [{"from": "desk", "to": "a", "at": "2025-03-04T10:00"}],
    }
    file = _write(tmp_path / "t.json", tracking)
    assert main(["route", "track", file, "--now", "2025-03-07T10:00", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["behind_now"] == ["2.1"]
    assert out["late"] is False
    assert [s["state"] for s in out["steps"]] == ["done", "running", "pending", "pending"]


def test_track_without_route_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = _write(tmp_path / "t.json", {"received_at": "2025-03-03T09:00"})
    assert main(["route", "track", file]) == 2
    assert "names no route" in capsys.readouterr().err
