"""PDF output of the forms (WeasyPrint): text read back with pypdf, page size, embedded font."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from mot_cua.forms import FormKind, form_spec, render_pdf
from mot_cua.lifecycle import Regime
from tests.test_forms import ALL, DETAILS, dossier_2024, dossier_2025, sample

A4_PORTRAIT = (595, 842)  # points, rounded


def _reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    # Collapse the line breaks WeasyPrint puts where a line wraps.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_receipt_2024_pdf_text() -> None:
    d, lc = dossier_2024()
    text = _text(_reader(render_pdf("receipt", d, lifecycle=lc, details=DETAILS)))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "000.00.70.H01-241014-0007" in text
    assert "09 giờ 30 phút, ngày 14 tháng 10 năm 2024" in text
    assert "17 giờ 00 phút, ngày 11 tháng 11 năm 2024" in text
    assert "Thông tư số 01/2018/TT-VPCP" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nguyễn Thị Hồng Nhung" in text


def test_receipt_2025_pdf_text() -> None:
    d, lc = dossier_2025()
    text = _text(_reader(render_pdf("receipt", d, lifecycle=lc, details=DETAILS)))
    assert "Thông tư số 03/2025/TT-VPCP" in text
    assert "000.00.70.H01-250805-0012" in text
    assert "09 giờ 30 phút, ngày 05 tháng 8 năm 2025" in text


def test_pdf_embeds_the_shipped_font() -> None:
    d, lc = dossier_2024()
    reader = _reader(render_pdf("receipt", d, lifecycle=lc))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names, "no font in the PDF"
    # The shipped face, under the family name of mot_cua's @font-face (subset: "ABCDEF+").
    assert all(name.split("+")[-1].startswith("MotCua-Serif") for name in names), names


@pytest.mark.parametrize(("kind", "regime"), ALL, ids=str)
def test_every_form_pdf(kind: FormKind, regime: Regime) -> None:
    reader = _reader(render_pdf(**sample(kind, regime)))
    spec = form_spec(kind, regime)
    text = _text(reader)
    assert spec.title.upper() in text.upper()
    assert f"Thông tư số {spec.circular}" in text
    assert "None" not in text
    box = reader.pages[0].mediabox
    size = (round(float(box.width)), round(float(box.height)))
    assert size == (A4_PORTRAIT[::-1] if spec.landscape else A4_PORTRAIT)
    # Every form fits one page with the sample data (tables do not spill on their own).
    assert len(reader.pages) == 1


def test_to_pdfs_gives_one_pdf_per_form_in_order() -> None:
    from mot_cua.forms import fill_form, to_pdfs

    forms = [
        fill_form(**sample(FormKind.RECEIPT, Regime.DECREE_61_2018)),
        fill_form(**sample(FormKind.REGISTER, Regime.DECREE_61_2018)),
        fill_form(**sample(FormKind.RECEIPT, Regime.DECREE_118_2025)),
    ]
    pdfs = to_pdfs(forms, chunk=2)
    assert len(pdfs) == 3
    readers = [_reader(pdf) for pdf in pdfs]
    assert [len(r.pages) for r in readers] == [1, 1, 1]
    assert "01/2018/TT-VPCP" in _text(readers[0])
    assert "SỔ THEO DÕI HỒ SƠ" in _text(readers[1])
    assert float(readers[1].pages[0].mediabox.width) > float(readers[1].pages[0].mediabox.height)
    assert "03/2025/TT-VPCP" in _text(readers[2])
    assert to_pdfs([]) == []
    with pytest.raises(ValueError, match="chunk"):
        to_pdfs(forms, chunk=0)


def test_long_document_table_breaks_cleanly_across_pages() -> None:
    """15 long document names: the table goes on, its header repeats, no row or block is split."""
    from mot_cua.models import SubmittedDocument

    d, _ = dossier_2024()
    name = "bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở"
    docs = [SubmittedDocument(name=f"Giấy tờ số {i}: {name}", copies=1) for i in range(1, 16)]
    reader = _reader(render_pdf("receipt", d.model_copy(update={"documents": docs})))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) >= 2
    assert all("Tên giấy tờ" in page for page in pages if "Giấy tờ số" in page)  # header repeats
    for i in range(1, 16):  # every row whole on one page
        assert sum(f"Giấy tờ số {i}: {name}" in page for page in pages) == 1
    signatures = [p for p in pages if "NGƯỜI NỘP HỒ SƠ" in p]
    assert len(signatures) == 1
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in signatures[0]
    assert "Trần Văn Bình" not in signatures[0]  # no details given: the name is left blank


EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""

FRESH_MACHINE = """
import io, sys, warnings
from pypdf import PdfReader
from mot_cua.forms import render_pdf
from mot_cua.testing import make_dossier
warnings.simplefilter("ignore")  # WeasyPrint warns that fontconfig knows no font at all
name = "Trương Thị Ỷ Lệ Nguyễn Đức Ưng Ẩn Ữ Ỗ Ợ Ỳ"
pdf = render_pdf("receipt", make_dossier(status="received",
                 applicant={"kind": "citizen", "name": name}))
page = PdfReader(io.BytesIO(pdf)).pages[0]
fonts = page["/Resources"]["/Font"]
print(sorted(str(fonts[k].get_object()["/BaseFont"]).split("+")[-1] for k in fonts))
print(name in " ".join(page.extract_text().split()))
"""


def test_renders_vietnamese_on_a_machine_without_fonts(tmp_path: Path) -> None:
    """No system font at all (an empty fontconfig): the shipped font carries every letter."""
    config = tmp_path / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=tmp_path / "cache"), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    proc = subprocess.run(
        [sys.executable, "-c", FRESH_MACHINE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    fonts, found = proc.stdout.strip().splitlines()
    assert fonts == "['MotCua-Serif', 'MotCua-Serif-Bold', 'MotCua-Serif-Italic']"
    assert found == "True"
