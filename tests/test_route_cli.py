"""``mot-cua route plan`` and ``mot-cua route track`` (the JSON contract of issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mot_cua.cli import main


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOT_CUA_LANG", "en")
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


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
    assert "17:00 Wednesday, 05/02/2025" in out  # 3 working days across Tết 2025
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


PLAN_KEYS = {
    "route",
    "received_at",
    "deemed_receipt",
    "limit",
    "due_at",
    "path_due_at",
    "path_days",
    "provisional",
    "steps",
    "slack_days",
    "scope",
    "uncertain_days",
}
TRACK_KEYS = {
    "route",
    "provisional",
    "plan",
    "due_at",
    "finished_at",
    "now",
    "late",
    "late_steps",
    "responsible_agency",
    "apology_by",
    "behind_now",
    "steps",
    "control_sheet",
}


def test_json_contracts_have_stable_keys_and_offsets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _write(tmp_path / "simple.json", ROUTE)
    # A receipt given in UTC is reported in Asia/Ho_Chi_Minh (+07:00).
    assert main(["route", "plan", file, "--received", "2025-03-03T02:00Z", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == PLAN_KEYS
    assert out["received_at"] == "2025-03-03T09:00:00+07:00"
    assert all(s["planned_due"].endswith("+07:00") for s in out["steps"])
    tracking = {"route": "simple.json", "received_at": "2025-03-03T09:00"}
    track_file = _write(tmp_path / "t.json", tracking)
    assert main(["route", "track", track_file, "--now", "2025-03-04T10:00", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= TRACK_KEYS
    assert set(out) <= TRACK_KEYS | {"uncertain_days"}
    assert out["provisional"] is False
    assert out["now"] == "2025-03-04T10:00:00+07:00"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"handovers": [{"to": "a", "at": "2025-03-04T10:00"}]}, "handovers[0]: 'from' must be"),
        ({"handovers": [{"from": "desk", "to": "a"}]}, "handovers[0]: 'at' is missing"),
        ({"handovers": [5]}, "handovers[0] must be an object"),
        ({"handovers": {"a": 1}}, "handovers: Input should be a valid list"),
        ({"pauses": [5]}, "pauses[0] must be a text START/END"),
        (
            {"handovers": [{"from": "desk", "to": "zz", "at": "2025-03-04T10:00"}]},
            "'zz' is not in the route",
        ),
        ({"now": "2025-03-01T09:00"}, "is before the receipt"),
    ],
)
def test_track_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: dict[str, object], message: str
) -> None:
    tracking = {"route": ROUTE, "received_at": "2025-03-03T09:00", "now": "2025-03-12T09:00"}
    file = _write(tmp_path / "t.json", {**tracking, **extra})
    assert main(["route", "track", file]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("mot-cua: error (")
    assert message in captured.err
    assert main(["route", "track", file, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    assert message in json.loads(captured.out)["error"]["message"]


def test_plan_provisional_year_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "plan", "decree63-birth", "--received", "2026-12-31T10:00", "--json"]
    argv += ["--set-budget", "thuong-tru=1 ngày làm việc", "--set-budget", "bhyt=1 ngày làm việc"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["provisional"] is True
    # 3 working days after Thu 31/12/2026: (01/01/2027 off) Mon 04, Tue 05, Wed 06/01/2027.
    assert out["due_at"] == "2027-01-06T17:00:00+07:00"
