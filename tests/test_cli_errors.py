"""Every unusable input exits 2 with one line (issue 8 items 9, 13, 18, 29), for every file read.

Each bad file goes to every command that reads a file; the answer is exit code 2, one line on
standard error naming the file (and where in it), or under --json one ``input_file`` (or
``catalog`` / ``calendar_data``) error object.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mot_cua.cli import main


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOT_CUA_LANG", "en")
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


BAD_CONTENTS = {
    "latin1": (b'{"events": ["caf\xe9"]}', "byte 0xe9 at offset 16 (line 1, column 17)"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", "is not UTF-8"),
    "nul": (b'{"a": "\x00"}', "NUL byte at offset 7"),
    "deep": (b"[" * 100_000, "nested deeper than 200 levels at line 1, column 201"),
    "huge-int": (b'{"x":\n ' + b"9" * 5000 + b"}", "an integer of more than 4,300 digits"),
    "nan": (b'{"x": NaN}', "NaN is not a JSON number"),
    "syntax": (b'{"x": 1,\n "y": }', "not JSON: Expecting value at line 2, column 7"),
}


def _commands(path: str) -> list[list[str]]:
    return [
        ["replay", path],
        ["validate", path],
        ["route", "plan", path, "--received", "2025-03-03T09:00"],
        ["route", "track", path],
    ]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("kind", sorted(BAD_CONTENTS))
def test_bad_json_files_exit_2_for_every_command(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, message = BAD_CONTENTS[kind]
    path = tmp_path / f"{kind}.json"
    path.write_bytes(content)
    for argv in _commands(str(path)):
        code, out, err = _run(argv, capsys)
        assert code == 2, argv
        assert out == ""
        assert err.startswith("mot-cua: error (unusable file): "), err
        assert message in err
        assert str(path) in err
        assert err.count("\n") == 1
        code, out, err = _run([*argv, "--json"], capsys)
        assert code == 2
        assert err == ""
        assert json.loads(out)["error"]["type"] == "input_file"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/proc/self/mem", "cannot be read"),
        ("/dev/zero", "not a regular file"),
        ("/", "is a directory"),
        ("/nonexistent/file.json", "no such file"),
        ("d/" + "n" * 300, "the path is too long"),
        ("x" * 5000, "the path is too long"),
    ],
)
def test_unreadable_paths_exit_2(
    path: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in [
        ["replay", path],
        ["validate", path],
        ["route", "track", path],
        ["explain", "2026-01-05", "--calendar-file", path],
    ]:
        code, out, err = _run(argv, capsys)
        assert out == ""
        assert code == 2, argv
        assert message in err, (argv, err)
        assert err.count("\n") == 1
    if path == "/":
        return  # a catalogue folder is walked: not the whole file system in a test
    for argv in [["catalog", "validate", path], ["catalog", "list", "--path", path]]:
        code, _out, err = _run(argv, capsys)
        assert code == 2, argv
        assert err.startswith("mot-cua: error (invalid catalogue): "), err
        assert err.count("\n") == 1


def test_json_error_object_gives_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(b'{"procedure": {"time_limit": "10 ng\xe0y"},\n "events": []}')
    code, out, _ = _run(["replay", str(path), "--json"], capsys)
    error = json.loads(out)["error"]
    assert code == 2
    assert (error["line"], error["column"], error["offset"]) == (1, 36, 35)
    assert error["path"] == str(path)


def test_catalogue_files_exit_2_with_a_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "EMPTY.toml"
    empty.write_text("", encoding="utf-8")
    code, out, err = _run(["catalog", "validate", str(empty)], capsys)
    assert code == 2  # item 29: an empty catalogue is refused
    assert "no procedure" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[[procedures]]\nid = 5\n[[procedures]]\nname = 3\n", encoding="utf-8")
    code, out, err = _run(["catalog", "list", "--path", str(bad)], capsys)
    assert code == 2  # item 18: one line, not the multi-line CatalogError
    assert err.count("\n") == 1
    assert " problems; first: " in err
    code, out, err = _run(["catalog", "validate", str(bad), "--json"], capsys)
    error = json.loads(out)["error"]
    assert error["type"] == "catalog"
    assert len(error["problems"]) > 1
    assert error["message"].startswith(f"{len(error['problems'])} problems; first: ")
    huge = tmp_path / "huge.toml"
    huge.write_text("x = " + "1" * 5000, encoding="utf-8")
    code, _, err = _run(["catalog", "validate", str(huge)], capsys)
    assert code == 2
    assert "4,300 digits" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--office-hours", "09:00-09:00"], "invalid office session '09:00-09:00'"),
        (["--cutoff", "15:00+07:00"], "give a local time without an offset"),
        (["--half-day-slots", "11:30"], "give two times"),
        (["--pause", "2025-04-26T10:00/2025-04-25T10:00"], "pause"),
        (["--limit", "99999999999 ngày"], ""),
    ],
)
def test_option_errors_are_one_line_without_pydantic_text(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["due", "--received", "2025-04-25T10:00", "--limit", "3 ngày làm việc"]
    code, _out, err = _run([*base, *argv], capsys)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    for noise in ("pydantic", "https://", "validation error for", "[type="):
        assert noise not in err
    assert "internal error" not in err


def test_instants_near_the_ends_of_time_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for received in ("9999-12-31T23:00-12:00", "0001-01-01T00:30+14:00"):  # item 9
        code, out, _err = _run(
            ["due", "--received", received, "--limit", "1 ngày", "--json"], capsys
        )
        assert code == 2
        error = json.loads(out)["error"]
        assert error["field"] == "received"
        assert "out of range" in error["message"]
