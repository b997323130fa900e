"""Human output in one language at a time: --lang vi|en, MOT_CUA_LANG, gettext catalogs."""

from __future__ import annotations

import datetime as dt
import gettext
import json
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from mot_cua import i18n
from mot_cua.cli import main

SRC = Path(__file__).parents[1] / "src" / "mot_cua"
PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "mot_cua.po"
MO = PO.with_suffix(".mo")
DUE = ["due", "--received", "2025-04-25T10:00", "--limit", "3 ngày làm việc"]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOT_CUA_LANG", raising=False)
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


def test_vietnamese_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(DUE) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hạn trả kết quả:   17:00 Thứ Ba, 29/04/2025\n")
    assert "Tiếp nhận:" in out
    assert "(cách tính: days)" in out


def test_english_by_option_anywhere_or_by_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*DUE, "--lang", "en"]) == 0
    by_option = capsys.readouterr().out
    assert by_option.startswith("Due:            17:00 Tuesday, 29/04/2025\n")
    assert main(["--lang=en", *DUE]) == 0
    assert capsys.readouterr().out == by_option
    monkeypatch.setenv("MOT_CUA_LANG", "en_US.UTF-8")
    assert main(DUE) == 0
    assert capsys.readouterr().out == by_option
    assert main([*DUE, "--lang", "vi"]) == 0  # the option wins over the environment
    assert capsys.readouterr().out.startswith("Hạn trả kết quả:")


def test_json_keys_and_codes_stay_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*DUE, "--json", "--lang", "vi"]) == 0
    vi = json.loads(capsys.readouterr().out)
    assert main([*DUE, "--json", "--lang", "en"]) == 0
    assert json.loads(capsys.readouterr().out) == vi
    assert vi["limit_unit"] == "working_days"


def test_errors_are_translated_around_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["due", "--received", "2010-01-06T10:00", "--limit", "1 ngày"]
    assert main(argv) == 2
    vi = capsys.readouterr().err
    assert vi.startswith("mot-cua: lỗi (ngoài phạm vi lịch): 2010-01-06")
    assert main([*argv, "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("mot-cua: error (outside the calendar): 2010-01-06")
    assert main([*argv, "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["type"] == "calendar_range"


@pytest.mark.parametrize("bad", ["fr", "", "xx_YY"])
def test_unknown_language_exits_2(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*DUE, "--lang", bad]) == 2
    err = capsys.readouterr().err
    assert "use vi or en" in err
    assert err.count("\n") == 1


def test_unknown_language_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOT_CUA_LANG", "de")
    assert main([*DUE, "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["field"] == "MOT_CUA_LANG"


def test_calendar_labels_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "2025-01-29"]) == 0
    assert "Thứ Tư, 29/01/2025: ngày nghỉ" in capsys.readouterr().out
    assert main(["explain", "2025-01-29", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Wednesday, 29/01/2025: day off, Lunar New Year")


def test_the_catalog_covers_every_message_and_the_mo_matches_the_po() -> None:
    with PO.open("rb") as f:
        po = read_po(f)
    extracted = {
        message for _name, _line, message, _comments, _ctx in _extract() if isinstance(message, str)
    }
    translated = {m.id for m in po if m.id and m.string}
    assert extracted <= translated, sorted(extracted - translated)
    with MO.open("rb") as f:
        mo = read_mo(f)
    assert {m.id: m.string for m in mo if m.id} == {m.id: m.string for m in po if m.id}
    assert not any(m.fuzzy for m in po if m.id)


def _extract() -> list[tuple[str, int, str, list[str], str | None]]:
    found = []
    for sub in ("cli", "."):
        folder = SRC / sub
        for name, line, message, comments, context in extract_from_dir(
            str(folder),
            method_map=[("*.py", "python")] if sub == "cli" else [("i18n.py", "python")],
            keywords={"gettext": None, "N_": None},
        ):
            found.append((name, line, message, comments, context))
    return found


def test_placeholders_survive_translation() -> None:
    with PO.open("rb") as f:
        po = read_po(f)
    for m in po:
        if m.id and isinstance(m.id, str):
            assert _fields(m.id) == _fields(str(m.string)), m.id


def _fields(text: str) -> list[str]:
    import string

    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dates_from_the_catalog_equal_babels(lang: str) -> None:
    from babel.dates import format_date as babel_format_date

    for offset in range(7):
        d = dt.date(2025, 4, 21) + dt.timedelta(days=offset)
        assert i18n.format_date(d, lang) == babel_format_date(d, "EEEE, dd/MM/yyyy", locale=lang)


def test_the_command_line_does_not_import_babel() -> None:
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib; from mot_cua.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['due', '--received', '2025-04-25T10:00', '--limit', '3 ngày làm việc'])\n"
        "print('babel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_translator_is_gettext() -> None:
    vi = i18n.translator("vi")
    assert isinstance(vi, gettext.GNUTranslations)
    assert vi.gettext("Due") == "Hạn trả kết quả"
