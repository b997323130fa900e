"""``mot-cua due`` and ``mot-cua calendar``: the JSON contract and the errors (issue 2 §4)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mot_cua.cli import main


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    # Human output in English (the default is Vietnamese; tests/test_cli_lang.py covers it).
    monkeypatch.setenv("MOT_CUA_LANG", "en")
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main([*argv, "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_due_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "due", "--received", "2025-04-25T10:00", "--limit", "3 ngày làm việc")
    assert out["due_at"] == "2025-04-29T17:00:00+07:00"
    assert out["due_date"] == "2025-04-29"
    assert out["deemed_receipt"] == "2025-04-25T10:00:00+07:00"
    assert out["method"] == "days"
    assert out["provisional"] is False
    trace = out["trace"]
    assert isinstance(trace, list)
    assert any(t["date"] == "2025-04-27" and t["kind"] == "skipped" for t in trace)
    assert "uncertain_days" in out


def test_due_with_offset_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    # EXAMPLES.md row 27 through the CLI, pause and restart.
    common = [
        "due",
        "--received",
        "2025-03-03T02:00Z",
        "--limit",
        "10 ngày làm việc",
        "--pause",
        "2025-03-07T16:00/2025-03-12T10:00",
    ]
    assert run_json(capsys, *common)["due_date"] == "2025-03-20"
    assert run_json(capsys, *common, "--pause-policy", "restart")["due_date"] == "2025-03-26"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--received", "2025-04-28T16:00", "--limit", "1 ngày làm việc", "--cutoff", "none"],
            "2025-04-29T17:00:00+07:00",
        ),
        (
            [
                "--received",
                "2025-01-06T10:00",
                "--limit",
                "8 giờ làm việc",
                "--office-hours",
                "08:00-12:00,13:00-17:00",
            ],
            "2025-01-07T10:00:00+07:00",
        ),
        (
            [
                "--received",
                "2026-03-02T09:00",
                "--limit",
                "1.5 ngày làm việc",
                "--method",
                "half-days",
                "--half-day-slots",
                "11:30,16:00",
            ],
            "2026-03-03T16:00:00+07:00",
        ),
        (
            [
                "--received",
                "2025-04-25T10:00",
                "--limit",
                "3 ngày làm việc",
                "--ignore-worked-saturdays",
            ],
            "2025-05-05T17:00:00+07:00",
        ),
        (
            ["--received", "2026-11-23T10:00", "--limit", "1 ngày làm việc", "--no-culture-day"],
            "2026-11-24T17:00:00+07:00",
        ),
        (
            ["--received", "2025-04-17T10:00", "--limit", "15 ngày", "--roll", "statutory"],
            "2025-05-02T17:00:00+07:00",
        ),
    ],
)
def test_due_options(capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    assert run_json(capsys, "due", *argv)["due_at"] == expected


def test_due_provisional_year(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "due", "--received", "2027-03-01T09:00", "--limit", "3 ngày làm việc")
    assert out["provisional"] is True


def test_due_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["due", "--received", "2025-01-24T10:00", "--limit", "5 ngày làm việc"]) == 0
    out = capsys.readouterr().out
    assert "17:00 Friday, 07/02/2025" in out
    assert "Tết Nguyên Đán" in out
    assert "Labour Code 2019" in out
    # The trace's columns line up although weekday names differ in length.
    rows = [line for line in out.splitlines() if line.startswith("  ") and "/2025 " in line]
    assert len(rows) > 5
    assert len({row.index("day off") for row in rows if "day off" in row}) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["due", "--received", "yesterday", "--limit", "3 ngày"], "not an ISO 8601"),
        (["due", "--received", "2025-01-06T10:00", "--limit", "soon"], "cannot read time limit"),
        (
            ["due", "--received", "2025-01-06T10:00", "--limit", "3 ngày", "--cutoff", "3pm"],
            "cutoff '3pm' is not a time",
        ),
        (
            ["due", "--received", "2025-01-06T10:00", "--limit", "3 ngày", "--office-hours", "9-5"],
            "office session",
        ),
        (
            ["due", "--received", "2025-01-06T10:00", "--limit", "3 ngày", "--pause", "x"],
            "START/END",
        ),
        (["due", "--received", "2010-01-06T10:00", "--limit", "3 ngày"], "outside the calendar"),
        (
            [
                "due",
                "--received",
                "2025-01-06T10:00",
                "--limit",
                "0.3 ngày làm việc",
                "--method",
                "half-days",
            ],
            "multiple of 0.5",
        ),
        (["due", "--limit", "3 ngày"], "--received"),
        (
            ["due", "--received", "2025-01-06T10:00", "--limit", "3 ngày", "--method", "x"],
            "invalid choice",
        ),
        (["calendar", "1990"], "outside the calendar"),
        (["calendar", "twenty"], "not a number"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("mot-cua: error")
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    # The same under --json: one error object on standard output, nothing on standard error.
    assert main([*argv, "--json"]) == 2
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert message in error["message"]
    assert captured.err == ""


def test_calendar_json(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, "calendar", "2026")
    assert out["working_days"] == 249
    assert out["provisional"] is False
    days_off = out["days_off"]
    worked = out["worked_days"]
    assert isinstance(days_off, list)
    assert isinstance(worked, list)
    assert {
        "date": "2026-01-02",
        "source": "Official Letter 12729/VPCP-KGVX of 25/12/2025",
    }.items() <= days_off[1].items()
    assert [w["date"] for w in worked] == ["2026-01-10", "2026-08-22"]
    assert all({"date", "label", "source"} <= set(d) for d in days_off)


def test_calendar_human(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "2027"]) == 0
    out = capsys.readouterr().out
    assert "PROVISIONAL" in out
    assert "Thursday, 04/02/2027  Lunar New Year" in out  # the English label under --lang en


def test_console_script_runs_as_a_module() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mot_cua",
            "due",
            "--received",
            "2026-02-13T10:00",
            "--limit",
            "3 ngày làm việc",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["due_date"] == "2026-02-25"


def test_catalog_show_prints_text_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    # issue 10 §1: JSON only under --json.
    assert main(["catalog", "show", "doanh-nghiep.dang-ky-thanh-lap"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == [
        "Id:            doanh-nghiep.dang-ky-thanh-lap",
        "Name:          Đăng ký thành lập doanh nghiệp",
        "Field:         Thành lập và hoạt động của doanh nghiệp",
        "Time limit:    3 ngày làm việc",
    ]
    assert not out.lstrip().startswith("{")
    assert main(["catalog", "show", "doanh-nghiep.dang-ky-thanh-lap", "--json"]) == 0
    assert (
        json.loads(capsys.readouterr().out)["procedure"]["id"] == "doanh-nghiep.dang-ky-thanh-lap"
    )
