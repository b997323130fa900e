"""``mot-cua replay``: the JSON contract for portals in other languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mot_cua.cli import main


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOT_CUA_LANG", "en")
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


ROW_27 = [
    {"event": "receive", "at": "2025-03-03T09:00+07:00", "actor": "desk"},
    {"event": "start", "at": "2025-03-03T10:00+07:00"},
    {"event": "request_supplement", "at": "2025-03-07T16:00+07:00", "missing": ["Tờ khai"]},
    {"event": "supplement", "at": "2025-03-12T10:00+07:00"},
]


def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], *args: str
) -> tuple[int, str, str]:
    path = tmp_path / "history.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["replay", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_summary_row_27(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = {
        "procedure": {"time_limit": "10 ngày làm việc"},
        "events": [
            *ROW_27,
            {"event": "resolve", "at": "2025-03-20T16:00+07:00", "outcome": "approved"},
        ],
    }
    code, out, _ = run(tmp_path, capsys, data, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["status"] == "resolved"
    assert result["national_status_code"] == 9
    assert result["due_at"] == "2025-03-20T17:00:00+07:00"
    assert result["timeliness"] == "on_time"
    assert result["findings"] == []


def test_restart_policy_and_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = {
        "procedure": {"time_limit": "10 ngày làm việc"},
        "pause_policy": "restart",
        "events": [
            *ROW_27,
            {"event": "request_supplement", "at": "2025-03-13T09:00+07:00", "missing": ["Ảnh"]},
        ],
    }
    code, out, _ = run(tmp_path, capsys, data, "--json")
    result = json.loads(out)
    assert code == 0
    assert result["status"] == "awaiting_supplement"
    assert result["due_at"] == "2025-03-26T17:00:00+07:00"  # row 27, restart
    assert [f["code"] for f in result["findings"]] == ["repeated_supplement"]
    assert "counts as overdue" in result["findings"][0]["message"]


def test_desk_history_from_catalogue(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    # EXAMPLES.md row 28 with the catalogue's enterprise registration (3 working days)
    data = {
        "procedure_id": "doanh-nghiep.dang-ky-thanh-lap",
        "events": [
            {"event": "request_completion", "at": "2025-03-03T09:00+07:00", "missing": ["Tờ khai"]},
            {"event": "receive", "at": "2025-03-06T10:00+07:00"},
        ],
    }
    code, out, _ = run(tmp_path, capsys, data)
    assert code == 0
    assert "received" in out
    assert "Tuesday, 11/03/2025" in out


def test_illegal_event_exits_2_with_json_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = {
        "procedure": {"time_limit": "10 ngày làm việc"},
        "events": [
            ROW_27[0],
            {"event": "resolve", "at": "2025-03-04T09:00+07:00", "outcome": "approved"},
        ],
    }
    code, out, _ = run(tmp_path, capsys, data, "--json")
    error = json.loads(out)["error"]
    assert code == 2
    assert error["type"] == "transition_rejected"
    assert (error["index"], error["event"], error["state"]) == (1, "resolve", "received")
    assert error["allowed"] == ["extend", "start", "stop", "transfer", "withdraw"]


def test_business_rule_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = {
        "procedure": {"time_limit": "10 ngày làm việc"},
        "events": [{"event": "refuse", "at": "2025-03-03T09:00+07:00"}],
    }
    code, _, err = run(tmp_path, capsys, data)
    assert code == 2
    assert err.startswith("mot-cua: error (business rule): ")
    assert "a reason is required" in err


LIMIT = {"time_limit": "10 ngày làm việc"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"events": []}, "say which procedure"),
        ({"procedure": LIMIT, "events": "x"}, "events: Input should be a valid list"),
        ({"procedure": {}, "events": []}, "procedure.time_limit: Field required"),
        ({"procedure": LIMIT, "events": [], "colour": 1}, "colour: Extra inputs are not permitted"),
        ({"procedure_id": "khong-co", "events": []}, "no procedure 'khong-co'"),
    ],
)
def test_unusable_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], message: str
):
    code, _, err = run(tmp_path, capsys, data)
    assert code == 2
    assert message in err


LIMIT_10 = {"time_limit": "10 ngày làm việc"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"procedure": LIMIT_10, "regime": "decree-2030", "events": []},
            "regime 'decree-2030' is unknown; use one of: decree-61-2018, decree-118-2025",
        ),
        (
            {"procedure": LIMIT_10, "pause_policy": "freeze", "events": []},
            "pause_policy: Input should be 'pause' or 'restart'",
        ),
        ({"procedure": LIMIT_10, "events": ["receive"]}, "event #0 must be an object"),
        (
            {"procedure": LIMIT_10, "events": [{"event": "receive", "at": "03/03/2025"}]},
            "events[0].at='03/03/2025' is not an ISO 8601 date-time",
        ),
        (
            {"procedure": LIMIT_10, "events": [{"event": "receive"}]},
            "event 'receive' (#0) has no 'at' instant",
        ),
        ({"procedure": LIMIT_10, "events": [{"at": "2025-03-03"}]}, "event #0 has no 'event'"),
        ({"procedure": {"time_limit": "mười"}, "events": []}, "cannot read time limit 'mười'"),
    ],
)
def test_malformed_files_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], message: str
):
    code, out, err = run(tmp_path, capsys, data)
    assert code == 2
    assert out == ""
    assert err.startswith("mot-cua: error (")
    assert message in err
    assert err.count("\n") == 1
    code, out, err = run(tmp_path, capsys, data, "--json")
    assert code == 2
    assert err == ""
    assert message in json.loads(out)["error"]["message"]


def test_business_rule_json_error_lists_the_allowed_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = {
        "procedure": LIMIT_10,
        "events": [
            ROW_27[0],
            {"event": "start", "at": "2025-03-02T10:00+07:00"},  # before the receipt
        ],
    }
    code, out, _ = run(tmp_path, capsys, data, "--json")
    error = json.loads(out)["error"]
    assert code == 2
    assert error["type"] == "business_rule"
    assert (error["index"], error["event"], error["state"]) == (1, "start", "received")
    assert "before the previous event" in error["message"]
    assert error["allowed"] == ["extend", "start", "stop", "transfer", "withdraw"]


def test_serialised_dossier_history_replays(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from mot_cua.lifecycle import Lifecycle

    lc = Lifecycle.replay(ROW_27, "10 ngày làm việc")
    data = {
        "procedure": LIMIT_10,
        "events": [e.model_dump(mode="json") for e in lc.history],
    }
    code, out, _ = run(tmp_path, capsys, data, "--json")
    assert code == 0
    assert json.loads(out)["due_at"] == "2025-03-20T17:00:00+07:00"


def test_provisional_due_date_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    # 2027 has no published swap schedule yet: the answer is flagged, not silently trusted.
    data = {"procedure": LIMIT_10, "events": [{"event": "receive", "at": "2027-03-01T09:00+07:00"}]}
    code, out, _ = run(tmp_path, capsys, data, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["provisional"] is True
    assert result["due_at"] == "2027-03-15T17:00:00+07:00"
