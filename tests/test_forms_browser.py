"""Forms as a person sees them: PDF pages rasterised by poppler, HTML screenshotted by Chromium.

Marker ``browser``: run by ``.ci/steps/50-forms.sh`` (poppler-utils and chromium come from
``.ci/system-packages``). Set ``MOT_CUA_FORMS_PNG_DIR`` to keep the pictures for a look.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from mot_cua.forms import FormKind, form_spec, render_html, render_pdf
from mot_cua.lifecycle import Regime
from tests.conftest import CHROMIUM_FLAGS
from tests.test_forms import ALL, sample

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("MOT_CUA_CHROMIUM", "/usr/bin/chromium")


def _out(tmp_path: Path) -> Path:
    keep = os.environ.get("MOT_CUA_FORMS_PNG_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        return Path(keep)
    return tmp_path


def _ink(png: Path) -> tuple[float, tuple[int, int]]:
    """Share of dark pixels and the picture's size."""
    with Image.open(png) as img:
        grey = img.convert("L")
        histogram = grey.histogram()
        dark = sum(histogram[:128])
        return dark / (grey.width * grey.height), grey.size


def _name(kind: FormKind, regime: Regime) -> str:
    spec = form_spec(kind, regime)
    return f"{spec.template.split('/')[0]}-{spec.number}-{kind.value}"


@pytest.mark.parametrize(("kind", "regime"), ALL, ids=str)
def test_pdf_pages_render_to_non_blank_png(kind: FormKind, regime: Regime, tmp_path: Path) -> None:
    assert shutil.which("pdftoppm"), "poppler-utils is missing: bash .ci/system-packages"
    out = _out(tmp_path)
    pdf = tmp_path / f"{_name(kind, regime)}.pdf"
    pdf.write_bytes(render_pdf(**sample(kind, regime)))
    prefix = out / f"{_name(kind, regime)}-pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "96", "-singlefile", str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    ink, (width, height) = _ink(Path(f"{prefix}.png"))
    assert 0.01 < ink < 0.25, f"page looks blank or black: {ink:.3f} of the pixels are dark"
    assert (width > height) == form_spec(kind, regime).landscape


@pytest.mark.parametrize(
    ("kind", "regime"),
    [
        (FormKind.RECEIPT, Regime.DECREE_61_2018),
        (FormKind.RECEIPT, Regime.DECREE_118_2025),
        (FormKind.CONTROL_SHEET, Regime.DECREE_118_2025),
        (FormKind.REGISTER, Regime.DECREE_61_2018),
    ],
    ids=str,
)
def test_html_screenshot_in_headless_chromium(
    kind: FormKind, regime: Regime, tmp_path: Path
) -> None:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: bash .ci/system-packages"
    out = _out(tmp_path)
    page = tmp_path / f"{_name(kind, regime)}.html"
    page.write_text(render_html(fonts="embed", **sample(kind, regime)), encoding="utf-8")
    png = out / f"{_name(kind, regime)}-chromium.png"
    size = "1754,1240" if form_spec(kind, regime).landscape else "1240,1754"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={size}",
                page.as_uri(),
            ],
            check=True,
            timeout=120,
            capture_output=True,
        )
    ink, _ = _ink(png)
    assert 0.005 < ink < 0.25, f"screenshot looks blank: {ink:.3f} of the pixels are dark"
