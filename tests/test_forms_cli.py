"""``mot-cua form``: statutory forms from JSON files (exit 0 written, 2 bad input)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from mot_cua.cli import main
from mot_cua.models import Dossier
from tests.test_forms import dossier_2024, dossier_2025, refused, route


def _write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _dossier_file(tmp_path: Path, dossier: Any, name: str = "dossier.json") -> str:
    return _write(tmp_path / name, json.loads(dossier.to_json()))


def _fail(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line
    return err


def test_receipt_pdf_from_a_dossier_file(tmp_path: Path) -> None:
    d, _ = dossier_2024()
    out = tmp_path / "receipt.pdf"
    assert main(["form", "receipt", _dossier_file(tmp_path, d), "-o", str(out)]) == 0
    text = " ".join(PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text().split())
    assert "Thông tư số 01/2018/TT-VPCP" in text
    assert "17 giờ 00 phút, ngày 11 tháng 11 năm 2024" in text


def test_history_file_supplies_receipt_and_deadline(tmp_path: Path) -> None:
    d, lc = dossier_2025()
    data = d.model_dump()
    data.update(history=[], deadline=None, status="submitted", received_at=None)
    bare = Dossier.model_validate(data)
    history = {
        "procedure": {"time_limit": "20 ngày làm việc"},
        "events": [json.loads(e.model_dump_json()) for e in lc.history],
    }
    out = tmp_path / "receipt.html"
    argv = [
        "form",
        "01",
        _dossier_file(tmp_path, bare),
        "--history",
        _write(tmp_path / "history.json", history),
        "--format",
        "html",
        "-o",
        str(out),
    ]
    assert main(argv) == 0
    html = out.read_text("utf-8")
    assert "Thông tư số 03/2025/TT-VPCP" in html
    assert "17 giờ 00 phút, ngày 04 tháng 9 năm 2025" in html
    assert "@font-face" in html  # self-contained: the font travels with the file


def test_tracking_file_fills_the_control_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, _ = dossier_2024()
    tracking = {"route": json.loads(route().model_dump_json())}
    out = tmp_path / "sheet.html"
    argv = [
        "form",
        "control_sheet",
        _dossier_file(tmp_path, d),
        "--tracking",
        _write(tmp_path / "tracking.json", tracking),
        "-o",
        str(out),
        "--json",
    ]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["number"] == "05"
    assert summary["circular"] == "01/2018/TT-VPCP"
    assert summary["format"] == "html"
    html = out.read_text("utf-8")
    assert "Quá hạn" in html
    assert "Trước hạn" in html


def test_handovers_in_the_tracking_file(tmp_path: Path) -> None:
    d, _ = dossier_2024()
    tracking = {
        "route": json.loads(route().model_dump_json()),
        "handovers": [
            {
                "from": "ttphcc-phuong-hoan-kiem",
                "to": "ubnd-phuong-hoan-kiem",
                "at": "2024-10-14T10:00",
            },
            {"from": "ubnd-phuong-hoan-kiem", "to": "vpdkdd-ha-noi", "at": "2024-10-30T10:00"},
        ],
        "now": "2024-10-31T09:00",
    }
    out = tmp_path / "sheet.html"
    argv = ["form", "control_sheet", _dossier_file(tmp_path, d)]
    argv += ["--tracking", _write(tmp_path / "t.json", tracking), "-o", str(out)]
    assert main(argv) == 0
    html = out.read_text("utf-8")
    assert "10 giờ 00 phút, ngày 30 tháng 10 năm 2024" in html
    assert "Quá hạn" in html  # 6 working days budget, handed over after 12


def test_register_from_a_list_with_details(tmp_path: Path) -> None:
    d, _ = dossier_2024()
    data = {
        "dossiers": [json.loads(d.to_json()), json.loads(refused(2024).to_json())],
        "details": {"register_book": "07"},
    }
    out = tmp_path / "register.html"
    assert main(["form", "register", _write(tmp_path / "in.json", data), "-o", str(out)]) == 0
    html = out.read_text("utf-8")
    assert "Mẫu số 06 – Thông tư số 01/2018/TT-VPCP" in html
    assert "Quyển số: 07" in html


def test_qr_option(tmp_path: Path) -> None:
    d, _ = dossier_2025()
    out = tmp_path / "r.html"
    argv = ["form", "receipt", _dossier_file(tmp_path, d), "--qr", "https://x.vn/{code}"]
    assert main([*argv, "-o", str(out)]) == 0
    assert "QR: https://x.vn/000.00.70.H01-250805-0012" in out.read_text("utf-8")


def test_stop_notice_before_july_2025_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, _ = dossier_2024()
    err = _fail(
        capsys, ["form", "stop_notice", _dossier_file(tmp_path, d), "-o", str(tmp_path / "x")]
    )
    assert "does not exist under Circular 01/2018/TT-VPCP" in err
    assert not (tmp_path / "x").exists()


def test_receipt_without_due_moment_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, _ = dossier_2024()
    bare = d.model_copy(update={"deadline": None, "history": []})
    err = _fail(capsys, ["form", "receipt", _dossier_file(tmp_path, bare), "-o", "-"])
    assert "no due moment" in err


def test_apology_without_new_date_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _fail(capsys, ["form", "apology", _dossier_file(tmp_path, refused(2025)), "-o", "-"])
    assert "new date" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "JSON"),
        ('{"code": "X"}', "procedure_id"),
        ("[1]", "expected a dossier object"),
    ],
)
def test_unusable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert expected in _fail(capsys, ["form", "receipt", str(bad), "-o", "-"])


def test_pdf_to_standard_output(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    d, _ = dossier_2024()
    assert main(["form", "receipt", _dossier_file(tmp_path, d), "--format", "pdf", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"%PDF-")


def test_json_error_is_one_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d, _ = dossier_2024()
    argv = ["form", "stop_notice", _dossier_file(tmp_path, d), "-o", "-", "--json"]
    assert main(argv) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert "01/2018/TT-VPCP" in error["message"]
