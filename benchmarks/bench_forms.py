"""Receipts (form 01) as PDF: mot_cua.forms side by side with the usual alternatives.

* ``mot_cua to_pdf``: one :func:`mot_cua.forms.render_pdf` call per receipt (after warm-up);
* ``mot_cua to_pdfs``: the same receipts laid out 50 per WeasyPrint document, one PDF each;
* ``hand-written f-string + WeasyPrint``: what a portal hard-codes (a minimal receipt layout,
  the system fonts, no template engine), the floor mot_cua's templates and font cost sit on;
* ``Chromium --print-to-pdf``: the other common route (a headless browser per receipt), on a
  few receipts only (it costs a process per document).

Budgets (issue 12): one receipt PDF ≤ 300 ms after warm-up; 1,000 receipts in one process
≤ 2 minutes. Both wall-clock and CPU time are printed: the machine may be shared.

Run: ``.venv/bin/python benchmarks/bench_forms.py [--receipts 1000] [--chromium 5]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mot_cua import VN_TZ, Applicant, Contact, Dossier, SubmittedDocument, compute_due
from mot_cua.forms import FormDetails, fill_form, render_html, render_pdf, to_pdfs


def receipts(n: int) -> list[Dossier]:
    """``n`` distinct received dossiers of the sample catalogue (received in August 2025)."""
    out = []
    start = dt.datetime(2025, 8, 4, 8, 0, tzinfo=VN_TZ)
    for i in range(n):
        received = start + dt.timedelta(minutes=7 * i)
        if received.hour >= 17:
            received += dt.timedelta(hours=15)
        out.append(
            Dossier(
                code=f"000.00.70.H01-{received:%y%m%d}-{i + 1:04d}",
                procedure_id="chung-thuc.chu-ky",
                applicant=Applicant(
                    kind="citizen",
                    name=f"Nguyễn Văn Người Nộp {i}",
                    address="Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Thành phố Hà Nội",
                    contact=Contact(phone="0912 345 678"),
                ),
                channel="in_person",
                receiving_unit="ttphcc-phuong-hoan-kiem",
                submitted_at=received,
                received_at=received,
                documents=[
                    SubmittedDocument(name="Giấy tờ, văn bản cần chứng thực chữ ký", originals=1),
                    SubmittedDocument(name="Căn cước công dân", copies=1),
                ],
                deadline=compute_due(received, "trong ngày"),
            )
        )
    return out


DETAILS = FormDetails(sets=1, receiver="Trần Văn Bình", return_place="Quầy số 3")


def handwritten_html(d: Dossier) -> str:
    """A receipt as portals hard-code it: an f-string, no template engine, system fonts."""
    assert d.received_at is not None
    assert d.deadline is not None
    rows = "".join(
        f"<tr><td>{i}</td><td>{doc.name}</td><td>{doc.originals}</td><td>{doc.copies}</td></tr>"
        for i, doc in enumerate(d.documents, start=1)
    )
    r, due = d.received_at, d.deadline.due_at
    return f"""<html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: serif; font-size: 13pt; }}
table {{ border-collapse: collapse; width: 100%; }} td {{ border: 1px solid #000; }}
</style></head><body>
<p>TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG — CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<h1>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h1><p>Mã hồ sơ: {d.code}</p>
<p>Tiếp nhận hồ sơ của: {d.applicant.name}</p><table>{rows}</table>
<p>Thời gian nhận hồ sơ: {r:%H} giờ {r:%M} phút, ngày {r:%d} tháng {r.month} năm {r.year}</p>
<p>Thời gian trả kết quả: {due:%H} giờ {due:%M} phút, ngày {due:%d} tháng {due.month} năm
{due.year}</p><p>NGƯỜI NỘP HỒ SƠ — NGƯỜI TIẾP NHẬN HỒ SƠ</p></body></html>"""


def weasy_handwritten(d: Dossier) -> bytes:
    """The hand-written receipt through WeasyPrint."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=handwritten_html(d)).write_pdf()
    return pdf


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def per_call(fn: Callable[[Dossier], object], items: list[Dossier]) -> tuple[float, float]:
    """Median wall and CPU seconds per call over ``items``."""
    walls, cpus = [], []
    for d in items:
        w, c = timed(lambda d=d: fn(d))  # type: ignore[misc]
        walls.append(w)
        cpus.append(c)
    return statistics.median(walls), statistics.median(cpus)


def chromium_pdf(d: Dossier, workdir: Path) -> float:
    """Wall seconds for one receipt printed by headless Chromium (mot_cua's HTML)."""
    page = workdir / f"{d.code}.html"
    page.write_text(render_html("receipt", d, details=DETAILS), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        start = time.perf_counter()
        subprocess.run(
            [
                "/usr/bin/chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={workdir / (d.code + '.pdf')}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return time.perf_counter() - start


def main() -> None:
    """Run the comparison and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=1000, help="batch size (default 1000)")
    parser.add_argument("--single", type=int, default=30, help="single-receipt samples")
    parser.add_argument("--chromium", type=int, default=5, help="Chromium samples (0: skip)")
    args = parser.parse_args()

    items = receipts(max(args.receipts, args.single))
    first_wall, _ = timed(lambda: render_pdf("receipt", items[0], details=DETAILS))
    weasy_handwritten(items[0])  # warm WeasyPrint itself up too
    sample = items[: args.single]
    one_wall, one_cpu = per_call(lambda d: render_pdf("receipt", d, details=DETAILS), sample)
    base_wall, base_cpu = per_call(weasy_handwritten, sample)

    batch = items[: args.receipts]
    wall_batch, cpu_batch = timed(
        lambda: [render_pdf("receipt", d, details=DETAILS) for d in batch]
    )
    wall_pdfs, cpu_pdfs = timed(
        lambda: to_pdfs([fill_form("receipt", d, details=DETAILS) for d in batch])
    )

    print(f"first receipt (cold: imports, fonts, templates): {first_wall * 1000:.0f} ms")
    print(f"{'one receipt PDF, median of ' + str(len(sample)):<44} {'wall ms':>9} {'CPU ms':>9}")
    print(f"{'  mot_cua render_pdf':<44} {one_wall * 1000:9.1f} {one_cpu * 1000:9.1f}")
    label = "  hand-written f-string + WeasyPrint"
    print(f"{label:<44} {base_wall * 1000:9.1f} {base_cpu * 1000:9.1f}")
    print(f"  ratio mot_cua / hand-written: {one_wall / base_wall:.2f} (wall)")
    print(f"{len(batch)} receipts in one process{'':<17} {'wall s':>9} {'CPU s':>9}")
    print(f"{'  render_pdf per receipt':<44} {wall_batch:9.1f} {cpu_batch:9.1f}")
    print(f"{'  to_pdfs (50 per layout)':<44} {wall_pdfs:9.1f} {cpu_pdfs:9.1f}")
    print(f"  ratio to_pdfs / render_pdf: {wall_pdfs / wall_batch:.2f} (wall)")
    if args.chromium and shutil.which("/usr/bin/chromium"):
        with tempfile.TemporaryDirectory() as tmp:
            chrome = statistics.median(chromium_pdf(d, Path(tmp)) for d in items[: args.chromium])
        label = f"  Chromium --print-to-pdf, median of {args.chromium}"
        print(f"{label:<44} {chrome * 1000:9.0f}")
        print(f"  ratio Chromium / mot_cua render_pdf: {chrome / one_wall:.1f} (wall)")
    ok_one = one_wall <= 0.300
    ok_batch = min(wall_batch, wall_pdfs) <= 120
    print(f"budget one receipt ≤ 300 ms: {'met' if ok_one else 'NOT met'}")
    print(f"budget {len(batch)} receipts ≤ 120 s: {'met' if ok_batch else 'NOT met'}")


if __name__ == "__main__":
    main()
