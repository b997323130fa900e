"""``mot-cua audit``: legal due dates recomputed in bulk, appointments flagged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mot_cua.cli import main

ROWS = """MaHoSo,MaTTHC,MaCoQuan,MaLinhVuc,KenhThucHien,NgayTiepNhan,NgayHenTra,ThoiHanGiaiQuyet
A-1,P,X,F,1,2025-04-25T10:00:00,2025-04-29T17:00:00,3 ngày làm việc
A-2,P,X,F,1,2025-04-25T10:00:00,2025-05-06T17:00:00,3 ngày làm việc
A-3,P,X,F,1,2025-04-28T16:00:00,2025-04-29T17:00:00,1 ngày làm việc
A-4,P,X,F,1,2025-04-28T09:00:00,,15 ngày
A-5,P,X,F,1,2025-04-28T09:00:00,2025-04-30T17:00:00,
"""


@pytest.fixture
def records(tmp_path: Path) -> str:
    path = tmp_path / "records.csv"
    path.write_text(ROWS, encoding="utf-8")
    return str(path)


def test_json_flags_too_early_and_too_late(
    records: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", records, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["records"] == 5
    assert data["audited"] == 4
    assert data["counts"] == {
        "agrees": 1, "too_early": 1, "too_late": 1, "no_appointment": 1, "error": 0
    }  # fmt: skip
    late, early = data["rows"]
    # 25/4/2025 10:00 + 3 working days = 29/4 (Sat 26/4 worked); 6/5 is 2 working days later
    # (30/4, 1/5 and 2/5 are days off).
    assert (late["MaHoSo"], late["legal_due"], late["working_days"]) == ("A-2", "2025-04-29", 2)
    assert late["status"] == "too_late"
    # 28/4 16:00 is after the 15:00 cut-off: counted from 29/4, due 5/5 (1 working day later).
    assert (early["MaHoSo"], early["status"], early["working_days"]) == ("A-3", "too_early", 1)


def test_csv_and_all(records: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", records, "--csv", "--all"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["status"] for r in rows] == ["agrees", "too_late", "too_early", "no_appointment"]
    assert rows[3]["legal_due"] == "2025-05-13"


def test_policy_options_change_the_answer(records: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", records, "--json", "--cutoff", "none"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["agrees"] == 2  # without the cut-off A-3 is due 29/4
    assert main(["audit", records, "--json", "--ignore-worked-saturdays"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["too_early"] == 2  # A-1 is then due 5/5


def test_bad_input_exits_2(
    records: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(tmp_path / "missing.csv"), "--json"]) == 2
    err = json.loads(capsys.readouterr().out)
    assert "no such file" in err["error"]["message"]
    assert main(["audit", records, "--cutoff", "late"]) == 2
    assert "--cutoff 'late' is not a time" in capsys.readouterr().err
