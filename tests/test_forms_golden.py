"""Golden HTML of every form in both regimes (tests/golden/forms/).

The HTML is rendered without the embedded font (``fonts="none"``) so that the files stay small
and readable. To accept an intended change, regenerate them with
``MOT_CUA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_forms_golden.py`` and review
the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mot_cua.forms import FormKind, form_spec, render_html
from mot_cua.lifecycle import Regime
from tests.test_forms import ALL, sample

GOLDEN = Path(__file__).parent / "golden" / "forms"


def golden_path(kind: FormKind, regime: Regime) -> Path:
    spec = form_spec(kind, regime)
    folder = spec.template.split("/")[0]
    return GOLDEN / f"{folder}-{spec.number}-{kind.value}.html"


@pytest.mark.parametrize(("kind", "regime"), ALL, ids=str)
def test_golden_html(kind: FormKind, regime: Regime) -> None:
    html = render_html(fonts="none", **sample(kind, regime))
    path = golden_path(kind, regime)
    if os.environ.get("MOT_CUA_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert path.is_file(), f"{path.name} is missing: run with MOT_CUA_UPDATE_GOLDEN=1"
    assert html == path.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_form() -> None:
    expected = {golden_path(k, r).name for k, r in ALL}
    present = {p.name for p in GOLDEN.glob("*.html")}
    assert present == expected
    assert len(expected) == 13  # 6 forms of Circular 01/2018 + 7 of Circular 03/2025
