"""The HTML report in a real headless Chromium: renders offline, no console errors, the DOM holds
the numbers, and the screenshot is not blank.

Marker ``browser``: run by ``.ci/steps/20-browser-report.sh`` (Chromium from
``.ci/system-packages``). Set ``MOT_CUA_REPORT_PNG`` to keep the screenshot for a look.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from mot_cua.indicators import report
from mot_cua.reports import read_records, write_html
from tests.conftest import CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MOT_CUA_CHROMIUM", "/usr/bin/chromium")
EXAMPLE = Path(__file__).parent.parent / "examples" / "data" / "monthly_2026_03.csv"


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a throw-away profile and no network services."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )


def console_messages(stderr: str) -> list[str]:
    """Chromium's log lines for the page's console (``CONSOLE(line)] "message"``)."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = report(read_records(EXAMPLE), "2026-03", by="agency")
    return write_html(r, out, unit="UBND xã A")


def test_console_detection_works(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><script>console.error("broken page")</script>', "utf-8")
    proc = chromium("--dump-dom", bad.as_uri())
    assert any("broken page" in line for line in console_messages(proc.stderr))


def test_page_renders_without_console_errors_and_holds_the_numbers(page: Path) -> None:
    proc = chromium("--dump-dom", page.as_uri())
    assert console_messages(proc.stderr) == []
    dom = proc.stdout
    total = re.search(r'<tr class="total" id="total-row">(.*?)</tr>', dom, re.S)
    assert total is not None
    cells = dict(re.findall(r'data-key="(\w+)">(\d+)<', total.group(1)))
    assert cells == {
        "received_online": "9",
        "received_offline": "9",
        "carried_over": "4",
        "received_total": "22",
        "resolved_total": "15",
        "resolved_early": "5",
        "resolved_on_time": "7",
        "resolved_late": "3",
        "pending_total": "7",
        "pending_within_time": "4",
        "pending_overdue": "3",
    }
    metric = re.search(r'<tr id="metric-2.1">(.*?)</tr>', dom, re.S)
    assert metric is not None
    assert "14.55" in metric.group(1)
    assert dom.count("<svg") == 3
    assert "<polyline" in dom


def test_screenshot_is_not_blank(page: Path, tmp_path: Path) -> None:
    png = Path(os.environ.get("MOT_CUA_REPORT_PNG", tmp_path / "report.png"))
    chromium(f"--screenshot={png}", "--window-size=1280,2000", page.as_uri())
    with Image.open(png) as img:
        assert img.size == (1280, 2000)
        grey = img.convert("L")
        assert ImageStat.Stat(grey).stddev[0] > 20  # text, tables and charts, not a flat page
        top = grey.crop((0, 0, 1280, 400))
        dark = sum(top.histogram()[:128]) / (1280 * 400)
        assert dark > 0.01  # the title and the table are drawn at the top
        coloured = img.convert("RGB").crop((0, 800, 1280, 1300)).getcolors(1 << 20) or []
        blue = sum(n for n, (r, g, b) in coloured if b > 150 and r < 80)
        assert blue > 500  # the bars of the on-time chart
