"""The command line fuzzed (issue 8 §2): exit code 0 or 2, never 1, never a traceback.

Random argument vectors and random file contents go to every command that reads input; the
answer is either a success (0) or one clear error (2): one line on standard error, or under
``--json`` one error object on standard output whose type is not ``internal`` (an ``internal``
error means a builtin exception escaped the library: a bug to fix, not an answer).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua.cli import main

#: Examples per test; raise it for a long hunt (MOT_CUA_FUZZ_EXAMPLES=5000 pytest this file).
EXAMPLES = int(os.environ.get("MOT_CUA_FUZZ_EXAMPLES", "150"))
COMMANDS = [
    ["due", "--received", "2025-04-25T10:00", "--limit", "3 ngày làm việc"],
    ["due"],
    ["calendar", "2026"],
    ["explain", "2026-11-24"],
    ["validate", "FILE"],
    ["replay", "FILE"],
    ["route", "plan", "FILE", "--received", "2025-03-03T09:00"],
    ["route", "plan", "decree63-birth"],
    ["route", "track", "FILE"],
    ["catalog", "list", "--path", "FILE"],
    ["catalog", "show", "ho-tich.dang-ky-khai-sinh"],
    ["catalog", "validate", "FILE"],
    ["schema"],
    ["version"],
    ["report", "FILE", "--period", "2026-03", "--no-progress"],
    ["form", "receipt", "FILE", "--format", "html", "-o", "OUT"],
    ["form", "receipt", "FILE", "--history", "FILE", "--format", "html", "-o", "OUT"],
]
BATCH = [["due", "--batch"], ["replay", "--batch"], ["route", "plan", "--batch"]]
OPTIONS = [
    "--received",
    "--limit",
    "--procedure",
    "--method",
    "--cutoff",
    "--office-hours",
    "--half-day-slots",
    "--pause",
    "--pause-policy",
    "--roll",
    "--due-time",
    "--set-budget",
    "--select",
    "--now",
    "--route",
    "--search",
    "--field",
    "--output",
    "--input",
    "--lang",
    "--calendar-file",
    "--no-culture-day",
    "--ignore-worked-saturdays",
    "--extended",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            "2025-04-25T10:00",
            "9999-12-31T23:00-12:00",
            "0001-01-01T00:00+14:00",
            "99999999999 ngày",
            "3000000 ngày",
            "1000000 giờ",
            "15 ngày (không kể ngày nghỉ)",
            "1.000 ngày",
            "09:00-09:00",
            "15:00+07:00",
            "none",
            "2025-03-07T16:00/2025-03-12T10:00",
            "a=b",
            "=",
            "en",
            "vi",
            "xx",
            "due",
            "-",
            "/proc/self/mem",
            "/dev/zero",
            "x" * 5000,
            "",
        ]
    ),
    st.text(max_size=30),
)
JSON_PARTS = st.sampled_from(
    [
        '{"events": [{"event": "receive", "at": "2025-03-03T09:00"}], ',
        '"procedure": {"time_limit": "10 ngày làm việc"}}',
        '{"limit": "5 ngày làm việc", "stages": [{"steps": [{"agency": "a", "budget": "1 ngày"}]}]',
        "}",
        '{"route": "decree63-birth", "received_at": "2025-03-03T09:00"}',
        '{"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"}',
        '[[procedures]]\nid = "a"\n',
        "[" * 300,
        "9" * 5000,
        "NaN",
        '"actor": " "',
        '{"event": "refuse", "at": "2025-03-03T10:00"}',
        "\n",
        "\x00",
    ]
)
CONTENTS = st.one_of(
    st.binary(max_size=64),
    st.lists(JSON_PARTS, max_size=4).map(lambda p: "".join(p).encode("utf-8")),
    st.text(max_size=64).map(lambda t: t.encode("utf-8")),
)


def _run(argv: list[str], stdin: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def _check(argv: list[str], code: int, out: str, err: str) -> None:
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err
    if code == 0:
        return
    if "--json" in argv and "--batch" not in argv:
        body = json.loads(out)["error"]
        assert body["type"] != "internal", (argv, body)
        assert "\n" not in body["message"]
        assert err == ""
    else:
        assert err.count("\n") == 1, (argv, err)
        assert "internal error" not in err, (argv, err)


def _blank(line: bytes) -> bool:
    """A line the reader skips: blank once decoded (a byte-order mark alone is blank)."""
    try:
        return not line.removeprefix(b"\xef\xbb\xbf").decode("utf-8").strip()
    except UnicodeDecodeError:
        return False


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOT_CUA_LANG", raising=False)
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(COMMANDS),
    extra=st.lists(st.tuples(st.sampled_from(OPTIONS), VALUES), max_size=3),
    content=CONTENTS,
    suffix=st.sampled_from([".json", ".jsonl", ".csv", ".toml", ".parquet"]),
    as_json=st.booleans(),
)
def test_random_arguments_and_files(
    base: list[str], extra: list[tuple[str, str]], content: bytes, suffix: str, *, as_json: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        names = {"FILE": str(path), "OUT": str(Path(folder) / "out.html")}
        argv = [names.get(a, a) for a in base]
        for option, value in extra:
            argv += [option, value]
        if as_json:
            argv.append("--json")
        code, out, err = _run(argv, b"")
        _check(argv, code, out, err)


@settings(
    max_examples=max(EXAMPLES // 2, 1), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    base=st.sampled_from(BATCH),
    lines=st.lists(CONTENTS, max_size=5),
)
def test_random_batch_input_gives_one_line_per_input_line(
    base: list[str], lines: list[bytes]
) -> None:
    stdin = b"\n".join(line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines)
    code, out, err = _run([*base, "--json"], stdin)
    _check(base, code, out, err)
    if code == 0:
        expected = [line for line in stdin.split(b"\n") if not _blank(line)]
        got = out.splitlines()
        assert len(got) == len(expected), (stdin, out)
        for text in got:
            record = json.loads(text)
            assert "error" not in record or record["error"]["type"] != "internal", record
        assert err.count("\n") == 1  # the summary line
