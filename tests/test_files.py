"""mot_cua.files: one reader for every input file, every failure an InputFileError."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua.errors import InputFileError, MotCuaError
from mot_cua.files import (
    MAX_DEPTH,
    decode_text,
    parse_json,
    parse_toml,
    read_bytes,
    read_json,
    read_jsonl,
    read_text,
    read_toml,
)


def test_reads_utf8_json_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_bytes(b'\xef\xbb\xbf{"t\xc3\xaan": "ng\xc3\xa0y"}')
    assert read_json(f, what="file") == {"tên": "ngày"}
    assert read_text(f, what="file") == '{"tên": "ngày"}'


def test_non_utf8_names_offset_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "latin1.json"
    f.write_bytes(b'{\n  "a": "caf\xe9"\n}')
    with pytest.raises(InputFileError) as info:
        read_json(f, what="history file")
    e = info.value
    assert (e.details["line"], e.details["column"], e.details["offset"]) == (2, 12, 13)
    assert "0xe9" in e.message
    assert "UTF-8" in e.message
    assert str(f) in e.message
    assert isinstance(e, ValueError)
    assert isinstance(e, MotCuaError)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "bin.json"
    f.write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(InputFileError, match="NUL byte at offset 4"):
        read_json(f, what="route file")


@pytest.mark.parametrize(
    "arg", [5, None, 2.5, b"file.json", ["a"], "", "x\x00y", "a" * 5000, "d/" + "n" * 300]
)
def test_non_paths_and_bad_paths(arg: object) -> None:
    with pytest.raises(InputFileError) as info:
        read_bytes(arg, what="catalogue")  # type: ignore[arg-type]
    assert "\n" not in info.value.message


def test_missing_directory_device_and_proc_mem(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_text(tmp_path / "nope.json", what="file")
    with pytest.raises(InputFileError, match="is a directory"):
        read_text(tmp_path, what="file")
    with pytest.raises(InputFileError, match="not a regular file"):
        read_text("/dev/zero", what="file")
    with pytest.raises(InputFileError, match="cannot be read"):
        read_text("/proc/self/mem", what="file")


def test_messages_stay_on_one_line_for_odd_paths(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        read_text("0\n", what="calendar file")
    assert info.value.message == "calendar file '0\\n': no such file; check the path"
    assert info.value.details["path"] == "0\n"


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.json"
    f.write_bytes(b"1" * 101)
    assert read_bytes(f, what="file", max_bytes=101) == b"1" * 101
    with pytest.raises(InputFileError, match="larger than 100 bytes"):
        read_bytes(f, what="file", max_bytes=100)


def test_deep_nesting_huge_int_nan() -> None:
    with pytest.raises(InputFileError) as info:
        parse_json("[" * 100000, what="history")
    assert info.value.details["column"] == MAX_DEPTH + 1
    with pytest.raises(InputFileError) as info:
        parse_json('{"a":\n  ' + "9" * 5000 + "}", what="history")
    assert (info.value.details["line"], info.value.details["column"]) == (2, 3)
    assert "4,300 digits" in info.value.message
    for bad in ("NaN", "[1, -Infinity]", "1e999"):
        with pytest.raises(InputFileError):
            parse_json(bad, what="history")
    # Deep but legal, and a long integer inside a string, are fine.
    assert parse_json("[" * 50 + "]" * 50, what="x") is not None
    assert parse_json(json.dumps({"k": "9" * 5000, "n": [1.5]}), what="x")["n"] == [1.5]


def test_json_syntax_error_position() -> None:
    with pytest.raises(InputFileError) as info:
        parse_json('{"a": 1,\n "b": }', what="route file", source="r.json")
    assert (info.value.details["line"], info.value.details["column"]) == (2, 7)
    assert info.value.message.startswith("route file r.json: not JSON")


def test_toml_errors(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text('[a]\nx = "unterminated\n', encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_toml(f, what="catalogue")
    assert info.value.details["line"] == 2
    with pytest.raises(InputFileError, match="4,300 digits"):
        parse_toml("x = " + "1" * 5000, what="catalogue")
    with pytest.raises(InputFileError, match="nested deeper"):
        parse_toml("x = " + "[" * 5000 + "]" * 5000, what="catalogue")
    with pytest.raises(InputFileError, match="nested deeper"):
        parse_toml("x = " + "[" * 300 + "]" * 300, what="catalogue")
    assert parse_toml("x = [[1], {a = 2}]", what="c") == {"x": [[1], {"a": 2}]}


def test_jsonl_yields_errors_per_line_and_goes_on() -> None:
    stream = io.BytesIO(b'{"id": 1}\n\nnot json\n"caf\xe9"\n[1]\n')
    out = list(read_jsonl(stream, what="batch"))
    assert [n for n, _ in out] == [1, 3, 4, 5]
    assert out[0][1] == {"id": 1}
    assert out[3][1] == [1]
    assert isinstance(out[1][1], InputFileError)
    assert out[1][1].details["line"] == 3
    assert isinstance(out[2][1], InputFileError)
    assert out[2][1].details["line"] == 4
    with pytest.raises(InputFileError) as info:
        list(read_jsonl(io.BytesIO(b"[]\n{"), what="batch", errors="raise"))
    assert info.value.details["line"] == 2


def test_jsonl_from_path(tmp_path: Path) -> None:
    f = tmp_path / "b.jsonl"
    f.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    assert [v for _, v in read_jsonl(f, what="batch")] == [{"a": 1}, {"a": 2}]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_input_file_error(raw: bytes) -> None:
    try:
        text = decode_text(raw, what="f", source="<h>")
    except InputFileError:
        return
    for parse in (parse_json, parse_toml):
        problem: InputFileError | None = None
        try:
            parse(text, what="f")
        except InputFileError as exc:
            problem = exc
        assert problem is None or "\n" not in problem.message


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(), lambda c: st.lists(c, max_size=3)))
def test_valid_json_round_trips(value: object) -> None:
    assert parse_json(json.dumps(value), what="x") == value
