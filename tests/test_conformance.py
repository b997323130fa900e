"""The conformance vectors: shipped, in step with the library, and the runner that checks others."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mot_cua.cli import main
from mot_cua.cli._conformance import dump
from mot_cua.contract._vectors import generate, self_answer
from mot_cua.contract.conformance import (
    VECTORS_VERSION,
    Vector,
    load_vectors,
    matches,
    run_command,
    run_vectors,
    vector_files,
)
from mot_cua.errors import InvalidInputError

ROOT = Path(__file__).resolve().parent.parent
REPO_COPY = ROOT / "conformance"


def test_shipped_vectors_equal_a_fresh_generation() -> None:
    # If this fails, the library's answers changed: review the change, then regenerate with
    # `mot-cua conformance generate --output src/mot_cua/data/conformance` (and conformance/).
    fresh = {name: dump(content) for name, content in generate().items()}
    assert vector_files() == fresh


def test_the_repository_copy_equals_the_shipped_vectors() -> None:
    shipped = vector_files()
    copies = {p.name: p.read_text("utf-8") for p in sorted(REPO_COPY.glob("*.json"))}
    assert copies == shipped


def test_every_vector_has_the_five_keys_and_a_unique_id() -> None:
    ids: list[str] = []
    for name, text in vector_files().items():
        data = json.loads(text)
        assert data["version"] == VECTORS_VERSION
        for v in data["vectors"]:
            assert {"id", "source", "operation", "input", "expected"} <= set(v), name
            assert v["source"]
            assert v["expected"]
            # Shipped text cites the law or mot_cua's own pages, not internal notes.
            assert "EXAMPLES.md" not in v["source"]
            assert "RULES.md" not in v["source"]
            ids.append(v["id"])
    assert len(ids) == len(set(ids))


def test_every_worked_example_is_a_vector() -> None:
    rows = {
        int(m[1]) for v in load_vectors() if (m := re.match(r"(?:due|apology)-row-(\d+)", v.id))
    }
    assert rows == set(range(1, 45))


@pytest.mark.parametrize(
    ("vector_id", "key", "value"),
    [
        ("due-row-01", "due_date", "2025-01-09"),
        ("due-row-07", "due_date", "2025-04-29"),
        ("due-row-07-alt", "due_date", "2025-05-05"),
        ("due-row-23-alt", "due_date", "2025-05-02"),
        ("due-row-27", "due_at", "2025-03-20T17:00:00+07:00"),
        ("due-row-27-alt", "due_at", "2025-03-26T17:00:00+07:00"),
        ("due-row-30", "due_at", "2025-02-03T09:00:00+07:00"),
        ("due-row-44", "due_at", "2026-03-03T16:00:00+07:00"),
        ("apology-row-37-alt", "latest_apology_date", "2025-05-04"),
        ("calendar-2025", "working_days", 250),
        ("route-plan-land-extended", "due_at", "2025-06-02T17:00:00+07:00"),
        ("classify-two-supplement-requests", "outcome", "late"),
        ("classify-pending-overdue-carried-over", "outcome", "overdue"),
    ],
)
def test_vectors_hold_the_worked_answers(vector_id: str, key: str, value: Any) -> None:
    (vector,) = [v for v in load_vectors() if v.id == vector_id]
    assert vector.expected[key] == value


def test_the_library_passes_every_vector() -> None:
    vectors = load_vectors()
    assert len(vectors) > 100
    assert {v.operation for v in vectors} == {
        "due",
        "apology_date",
        "calendar_year",
        "explain_day",
        "validate_history",
        "replay",
        "route_plan",
        "route_track",
        "classify",
    }
    report = run_vectors(vectors, self_answer)
    assert report.mismatches == []
    assert report.ok


def test_invalid_histories_expect_the_error_where_it_happens() -> None:
    (v,) = load_vectors(operations=["replay"])[-1:]
    assert v.id == "history-replay-denial-without-reason"
    assert v.expected == {
        "error": {"type": "business_rule", "index": 2, "event": "resolve", "state": "processing"}
    }


# -- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "problem"),
    [
        ({"a": 1}, {"a": 1, "b": 2}, None),
        ({"a": 1}, {"a": 1.0}, None),
        ({"a": {"b": [1, {"c": "x"}]}}, {"a": {"b": [1, {"c": "x", "d": 0}]}}, None),
        ({"t": "2025-01-09T17:00+07:00"}, {"t": "2025-01-09T17:00:00+07:00"}, None),
        ({"t": "2025-01-09T17:00+07:00"}, {"t": "2025-01-09T10:00:00+00:00"}, "t: expected"),
        ({"a": 1}, {}, "a: missing"),
        ({"a": [1, 2]}, {"a": [1]}, "a: expected [1, 2]"),
        ({"a": True}, {"a": 1}, "a: expected true, got 1"),
        ({"a": None}, {"a": 0}, "a: expected null, got 0"),
        ({"a": "x"}, {"a": "y"}, 'a: expected "x", got "y"'),
        ({"a": {"b": 1}}, {"a": [1]}, "a: expected an object"),
        ({"a": [{"b": 1}]}, {"a": [{"b": 2}]}, "a[0].b: expected 1, got 2"),
    ],
)
def test_matching_rules(expected: Any, actual: Any, problem: str | None) -> None:
    found = matches(expected, actual)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert found.startswith(problem)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


@given(json_values)
def test_a_value_matches_itself(value: Any) -> None:
    assert matches(value, value) is None


@given(st.dictionaries(st.text(max_size=4), json_values), st.dictionaries(st.text(), json_values))
def test_extra_keys_in_the_answer_never_matter(
    expected: dict[str, Any], more: dict[str, Any]
) -> None:
    assert matches(expected, {**more, **expected}) is None


@given(st.dictionaries(st.text(max_size=4), st.integers(), min_size=1))
def test_a_changed_number_is_always_found(expected: dict[str, int]) -> None:
    key = next(iter(expected))
    assert matches(expected, {**expected, key: expected[key] + 1}) is not None


# -- external commands -------------------------------------------------------------------------

ADAPTER = """
import json, sys
from mot_cua.contract._vectors import self_answer
from mot_cua.contract.conformance import Vector
for line in sys.stdin:
    req = json.loads(line)
    v = Vector(req["id"], "", req["operation"], req["input"], {})
    answer = self_answer(v)
    if MUTATE and req["id"] == "due-row-07":
        answer["due_date"] = "2025-05-05"
    print(json.dumps(answer), flush=True)
"""


def _adapter(tmp_path: Path, *, mutate: bool = False) -> str:
    path = tmp_path / "adapter.py"
    path.write_text(ADAPTER.replace("MUTATE", repr(mutate)), encoding="utf-8")
    return f"{sys.executable} {path}"


def test_an_external_command_passes_one_process_per_vector(tmp_path: Path) -> None:
    vectors = load_vectors(operations=["apology_date", "explain_day"])
    report = run_command(_adapter(tmp_path), vectors)
    assert report.ok, report.mismatches
    assert report.passed == len(vectors)


def test_an_external_command_passes_in_json_lines(tmp_path: Path) -> None:
    vectors = load_vectors(operations=["due"])
    assert run_command(_adapter(tmp_path), vectors, jsonl=True).ok


def test_every_mismatch_is_reported(tmp_path: Path) -> None:
    report = run_command(
        _adapter(tmp_path, mutate=True), load_vectors(operations=["due"]), jsonl=True
    )
    assert not report.ok
    (m,) = report.mismatches
    assert (m.id, m.problem) == ("due-row-07", 'due_date: expected "2025-04-29", got "2025-05-05"')


def test_a_command_that_answers_nothing_or_garbage(tmp_path: Path) -> None:
    vectors = load_vectors(operations=["apology_date"])
    silent = run_command("true", vectors)
    assert [m.problem.split(";")[0] for m in silent.mismatches] == [
        "no answer: ValueError: exit 0, no output"
    ] * 2
    garbage = tmp_path / "garbage.sh"
    garbage.write_text("#!/bin/sh\necho not json\n")
    garbage.chmod(0o755)
    report = run_command(str(garbage), vectors)
    assert len(report.mismatches) == 2
    assert all("not JSON" in m.problem for m in report.mismatches)
    short = run_command("head -n 1", vectors, jsonl=True)
    assert short.passed == 0
    assert "no line for this vector" in short.mismatches[-1].problem


def test_a_command_that_cannot_start_is_a_usage_error() -> None:
    with pytest.raises(InvalidInputError, match="not an executable"):
        run_command("/no/such/program --flag", load_vectors(operations=["due"]))
    with pytest.raises(InvalidInputError, match="empty"):
        run_command("  ", [])


def test_loading_a_bad_vector_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "1.0", "vectors": [{"id": "x"}]}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="vectors\\[0\\]"):
        load_vectors(bad)
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="'vectors' list"):
        load_vectors(bad)
    good = tmp_path / "folder"
    good.mkdir()
    (good / "due.json").write_text(vector_files()["due.json"], encoding="utf-8")
    assert len(load_vectors(good)) == len(load_vectors(operations=["due", "apology_date"]))
    one = Vector("v", "s", "due", {"a": 1}, {"b": 2}, "d")
    assert Vector.from_json(one.to_json(), where="x") == one


# -- the command line --------------------------------------------------------------------------


def test_cli_self_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["conformance", "run", "--self", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True
    assert out["failed"] == 0
    assert out["passed"] == out["total"] > 100


def test_cli_mismatch_exits_1_and_lists_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["conformance", "run", "--command", _adapter(tmp_path, mutate=True), "--jsonl"]
    assert main([*argv, "--operation", "due"]) == 1
    out = capsys.readouterr().out
    assert "FAIL due-row-07 (due): due_date" in out
    assert "MISMATCH:" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["conformance", "run", "--self", "--operation", "teleport"],
        ["conformance", "run", "--command", "/no/such/program"],
        ["conformance", "run", "--self", "--vectors", "/no/such/folder/x.json"],
        ["conformance", "run", "--self", "--timeout", "0"],
        ["conformance", "run"],
        ["conformance", "generate", "--output", __file__],
    ],
)
def test_cli_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--json"] if argv[1] == "run" and len(argv) > 2 else argv) == 2
    capsys.readouterr()


def test_cli_generate_writes_the_shipped_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["conformance", "generate", "--output", str(tmp_path)]) == 0
    assert "vectors in 5 files" in capsys.readouterr().out
    written = {p.name: p.read_text("utf-8") for p in tmp_path.glob("*.json")}
    assert written == vector_files()
