"""``mot-cua report``: the JSON contract, the outputs, the errors and the progress bar."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mot_cua.cli import main
from mot_cua.reports import ProgressBar

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "data" / "monthly_2026_03.csv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, EXAMPLE, "--period", "2026-03", "--by", "field", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"period", "rows", "total", "indicators"}
    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-31", "label": "2026-03"}
    assert data["total"]["received_total"] == 22
    assert data["total"]["pending_overdue"] == 3
    assert next(r["group"] for r in data["rows"]) == {"field": "Chứng thực"}
    m = data["indicators"]["766"]["2.1"]
    assert (m["numerator"], m["denominator"], m["max_points"]) == (16, 22, 20)
    assert m["points"] == pytest.approx(14.545455)
    assert "1.1" in data["indicators"]["not_computable"]


def test_from_to_and_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        EXAMPLE,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--policy",
        "boundary=by_instant",
        "--json",
    )
    assert code == 0
    total = json.loads(out)["total"]
    assert (total["resolved_on_time"], total["resolved_late"]) == (6, 4)  # H-021 after 11:00


def test_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, EXAMPLE, "--period", "2026-03", "--as-of", "2026-03-31T08:00", "--json")
    assert json.loads(out)["as_of"] == "2026-03-31T08:00:00+07:00"


def test_csv_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, EXAMPLE, "--period", "2026-03", "--by", "agency", "--csv")
    assert out.splitlines()[-1] == "total,9,9,4,22,15,5,7,3,7,4,3"
    _, out, _ = run(capsys, EXAMPLE, "--period", "2026-03")
    assert "2.1" in out
    assert "14.55/20" in out


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, EXAMPLE, "--period", "2026-03", "--explain", "H-004")
    assert code == 0
    assert out.startswith("H-004: early")
    assert "4 days, 0:00:00 removed" in out
    assert "Decision 766" in out
    _, out, _ = run(capsys, EXAMPLE, "--period", "2026-03", "--explain", "H-014", "--json")
    assert json.loads(out)["outcome"] == "within_time"


def test_xlsx_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "r.xlsx"
    assert (
        run(capsys, EXAMPLE, "--period", "2026-03", "--xlsx", str(xlsx), "--unit", "Xã A")[0] == 0
    )
    ws = load_workbook(xlsx).active
    assert ws is not None
    assert ws["B11"].value == "Chứng thực"
    html = tmp_path / "r.html"
    assert run(capsys, EXAMPLE, "--period", "2026-03", "--html", str(html))[0] == 0
    assert 'data-key="received_total">22<' in html.read_text("utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--period", "2026-13"], "month 13"),
        ([], "give the period"),
        (["--period", "2026-03", "--from", "2026-03-01"], "not both"),
        (["--period", "2026-03", "--policy", "x=1"], "KEY=VALUE"),
        (["--period", "2026-03", "--explain", "NOPE"], "no dossier with MaHoSo 'NOPE'"),
        (["--period", "2026-03", "--as-of", "tomorrow"], "--as-of 'tomorrow'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, EXAMPLE, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_bad_row_exits_2_naming_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "MaHoSo,KenhThucHien,NgayTiepNhan,NgayHenTra\n"
        "A,1,20260302080000,20260303170000\n"
        "B,9,20260302080000,20260303170000\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, str(path), "--period", "2026-03")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "bad.csv, line 3, column 'KenhThucHien': unknown channel '9'" in err
    code, out, _ = run(capsys, str(path), "--period", "2026-03", "--json")
    error = json.loads(out)["error"]
    assert code == 2
    assert error["line"] == 3
    assert error["column"] == "KenhThucHien"
    code, out, _ = run(capsys, str(path), "--period", "2026-03", "--json", "--skip-invalid")
    data = json.loads(out)
    assert code == 0
    assert data["total"]["received_total"] == 1
    assert data["skipped"][0]["line"] == 3
    assert "unknown channel" in data["skipped"][0]["reason"]


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = ProgressBar(["reading", "checks"], stream=stream)
        bar("reading")
        bar("checks")
        bar.close()
    assert "2/2 checks" in tty.getvalue()
    assert tty.getvalue().endswith("\n")
    assert pipe.getvalue() == ""
    off = Tty()
    bar = ProgressBar(["reading"], stream=off, enabled=False)
    bar("reading")
    assert off.getvalue() == ""


def test_missing_file_is_an_input_file_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, str(tmp_path / "none.csv"), "--period", "2026-03", "--json")
    error = json.loads(out)["error"]
    assert code == 2
    assert error["type"] == "input_file"
    assert "no such file" in error["message"]


def test_text_output_follows_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "vi", "report", EXAMPLE, "--period", "2026-03"]) == 0
    vi = capsys.readouterr().out
    assert vi.startswith("Báo cáo kỳ 2026-03")
    assert "Trả quá hạn" in vi
    assert main(["--lang", "en", "report", EXAMPLE, "--period", "2026-03"]) == 0
    en = capsys.readouterr().out
    assert en.startswith("Report 2026-03")
    assert "resolved_late" in en
