"""Every sub-command of ``mot-cua`` fuzzed (issue 8 §2, "the class of each defect").

The commands are read from the argument parser itself (:func:`mot_cua.cli.build_parser`), so a
command added later is fuzzed without editing this file. Each example builds an argument vector
for one command: its positionals and a random subset of its options, with values drawn from
real values, junk text and the path of a file holding random bytes. The answer must be a
success (exit 0) or one clear error (exit 2): never exit 1, never a traceback, one line on
standard error (or, under ``--json``, one error object on standard output that is not
``internal``).

Left out: ``serve`` (a valid vector starts a web server that never returns; its option errors
are tested in tests/test_server.py).

``MOT_CUA_FUZZ_EXAMPLES_CLI=500 pytest tests/test_fuzz_cli_all.py`` runs a long hunt.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua.cli import build_parser, main

EXAMPLES = int(os.environ.get("MOT_CUA_FUZZ_EXAMPLES_CLI", "40"))
SKIPPED = {("serve",)}

#: Values that mean something to some option, and values that mean nothing to any.
WORDS = [
    "2025-04-25T10:00",
    "2025-04-25",
    "2026",
    "2026-03",
    "9999-12-31T23:00-12:00",
    "0001-01-01T00:00+14:00",
    "3 ngày làm việc",
    "99999999999 ngày",
    "1000000 giờ",
    "15 ngày (không kể ngày nghỉ)",
    "09:00-09:00",
    "15:00+07:00",
    "2025-03-07T16:00/2025-03-12T10:00",
    "ho-tich.dang-ky-khai-sinh",
    "decree63-birth",
    "thuong-tru=2 ngày làm việc",
    "receipt",
    "due",
    "Dossier",
    "8",
    "0",
    "-1",
    "99999999999999999999",
    "nan",
    "a=b",
    "=",
    "-",
    "",
    " ",
    "\x7f",
    "x" * 3000,
    "9" * 5000,
    "/proc/self/mem",
    "/dev/zero",
    "/nonexistent/dir/file.json",
]
JSON_PARTS = [
    '{"events": [{"event": "receive", "at": "2025-03-03T09:00", "actor": "a"}], ',
    '"procedure": {"time_limit": "10 ngày làm việc"}}',
    '{"route": "decree63-birth", "received_at": "2025-03-03T09:00"}',
    '{"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"}',
    '{"code": "X", "procedure_id": "ho-tich.dang-ky-khai-sinh", "status": "received"}',
    '[[procedures]]\nid = "a"\nname = "b"\n',
    "MaHoSo,NgayTiepNhan,NgayHenTra\nA,2026-03-02T08:00,2026-03-05T17:00\n",
    '[{"event": "receive", "at": "2025-03-03T09:00"}]',
    "[" * 200,
    "9" * 5000,
    "NaN",
    '"actor": " "',
    "\n",
    "\x00",
    "\ufeff",
]
CONTENTS = st.one_of(
    st.binary(max_size=48),
    st.lists(st.sampled_from(JSON_PARTS), max_size=4).map(lambda p: "".join(p).encode()),
    st.text(max_size=48).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
SUFFIXES = [".json", ".jsonl", ".csv", ".toml", ".xlsx", ".parquet", ".db", ""]


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    out = []
    for name, sub in subs[0].choices.items():
        out += _leaves(sub, (*path, name))
    return out


LEAVES = [(p, parser) for p, parser in _leaves(build_parser()) if p not in SKIPPED]


#: Options whose real value starts minutes of legitimate work (generating every conformance
#: vector into a folder): fuzzed with junk only.
JUNK_ONLY = {("conformance", "generate", "--output")}


def _value(action: argparse.Action, file: str, path: tuple[str, ...]) -> st.SearchStrategy[str]:
    if (*path, action.option_strings[-1] if action.option_strings else "") in JUNK_ONLY:
        return st.sampled_from([w for w in WORDS if not w.startswith("/")])
    choices = [str(c) for c in action.choices] if action.choices else []
    real = st.sampled_from(choices) if choices else st.just(file)
    junk = st.one_of(st.sampled_from(WORDS), st.text(max_size=16), st.just(file))
    return st.one_of(real, junk)


@st.composite
def _argv(
    draw: st.DrawFn, path: tuple[str, ...], parser: argparse.ArgumentParser, file: str
) -> list[str]:
    argv = list(path)
    actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    for action in actions:
        if action.option_strings:
            continue
        if action.nargs == "?" and draw(st.booleans()):
            continue
        argv.append(draw(_value(action, file, path)))
    options = [a for a in actions if a.option_strings]
    for action in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        argv.append(action.option_strings[-1])
        if action.nargs != 0:
            argv.append(draw(_value(action, file, path)))
    return argv


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # an escape past main() is itself a defect, shown below
                code = exc.code if isinstance(exc.code, int) else 1
                err.write(f"SystemExit escaped main(): {exc.code!r}\n")
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def _json_object(out: str) -> dict[str, Any] | None:
    try:
        value = json.loads(out)
    except ValueError:
        return None
    return value if isinstance(value, dict) and "error" in value else None


def check_outcome(argv: list[str], code: int, out: str, err: str) -> None:
    """Exit 0, or exit 2 with one clear line (one JSON error object under ``--json``)."""
    shown = [a[:60] for a in argv]
    assert code in (0, 2), (shown, code, err[-2000:])
    assert "Traceback" not in err, (shown, err[-2000:])
    assert "escaped main()" not in err, (shown, err)
    if code == 0:
        return
    whole = _json_object(out) if "--json" in argv else None
    if whole is not None:  # under --batch too, an error before the first line is one object
        body = whole["error"]
        assert body["type"] != "internal", (shown, body)
        assert body["message"].strip(), (shown, body)
        assert "\n" not in body["message"], (shown, body)
    else:
        assert err.strip(), (shown, out[-500:])
        assert err.count("\n") == 1, (shown, err[-2000:])
        assert "internal error" not in err, (shown, err)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # commands that write (store init, -o, --output) write here
    for name in ("MOT_CUA_LANG", "MOT_CUA_CALENDAR_FILE", "MOT_CUA_STORE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(("path", "parser"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), content=CONTENTS, suffix=st.sampled_from(SUFFIXES))
def test_every_command_exits_0_or_2_with_one_line(
    path: tuple[str, ...],
    parser: argparse.ArgumentParser,
    data: st.DataObject,
    content: bytes,
    suffix: str,
    tmp_path: Path,
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # a fresh folder: no store file is shared
    file = folder / f"input{suffix}"
    file.write_bytes(content)
    argv = data.draw(_argv(path, parser, str(file)), label="argv")
    code, out, err = _run(argv)
    check_outcome(argv, code, out, err)


def test_every_command_of_the_help_is_fuzzed() -> None:
    fuzzed = {p[0] for p, _ in LEAVES}
    top = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(top.choices) - fuzzed == {"serve"}
    assert ("route", "plan") in {p for p, _ in LEAVES}


def test_the_checker_refuses_exit_1_and_a_traceback() -> None:
    with pytest.raises(AssertionError):
        check_outcome(["due"], 1, "", "boom\n")
    with pytest.raises(AssertionError):
        check_outcome(["due"], 2, "", "Traceback (most recent call last):\n")
    with pytest.raises(AssertionError):
        check_outcome(["due"], 2, "", "line one\nline two\n")
    check_outcome(["due"], 2, "", "error: --received is required\n")


LONG = "x" * 3000


@pytest.mark.parametrize(
    "argv",
    [
        ["report", f"{LONG}.csv", "--period", "2026-03"],
        ["audit", LONG],
        ["conformance", "generate", "--output", LONG],
        ["conformance", "generate", "--output", "a\x00b"],
    ],
    ids=["report", "audit", "conformance-long", "conformance-nul"],
)
def test_a_path_the_os_refuses_is_one_clear_error(argv: list[str]) -> None:
    # Before: exit 2 with "internal error (OSError: File name too long)" / "embedded null byte".
    code, out, err = _run(argv)
    check_outcome(argv, code, out, err)
    assert code == 2
    assert "internal error" not in err
