"""Conformance vectors: every worked case mot_cua holds, as language-neutral JSON.

A vector is ``{"id", "source", "operation", "input", "expected"}``: ``input`` is the request body
of the operation (the body of the HTTP endpoint, the object ``mot-cua ... --batch`` reads on a
line) and ``expected`` the part of the answer that the case fixes. A portal team in PHP, .NET or
Java feeds each vector to its own code and compares; ``mot-cua conformance run --command CMD`` does
it for any command that reads JSON on standard input and writes JSON on standard output.

The vectors ship in the package (``mot_cua/data/conformance/*.json``, one file per group, each
with a ``version``) and are copied to the repository's ``conformance/`` folder. They are generated
from the library (:func:`generate`) and a test checks that the shipped files equal a fresh
generation, so they cannot drift from the library's answers.

**Matching** (:func:`matches`): an object in ``expected`` matches when every key it has matches
the answer's value (extra keys in the answer are ignored); lists match element by element and
must have the same length; numbers match by value (``3`` matches ``3.0``); strings match exactly,
except that two ISO 8601 date-times with offsets match when they denote the same instant with the
same offset (``2025-01-09T17:00+07:00`` matches ``2025-01-09T17:00:00+07:00``).
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from mot_cua.errors import InvalidInputError, brief

__all__ = [
    "VECTORS_VERSION",
    "Mismatch",
    "Report",
    "Vector",
    "generate",
    "load_vectors",
    "matches",
    "run_command",
    "run_vectors",
    "self_answer",
    "vector_files",
]

#: The version of the vectors' format and content: a new vector or a changed expectation is a
#: new minor version, a changed format a new major version (and a CHANGELOG entry).
VECTORS_VERSION = "1.0"

_GROUPS = ("due", "calendar", "lifecycle", "routes", "indicators")


@dataclass(frozen=True)
class Vector:
    """One conformance case.

    Attributes:
        id: a stable identifier, e.g. ``"due-row-07"``.
        source: where the case comes from (the law, a worked example, a published calendar).
        operation: the contract operation (``due``, ``calendar_year``, ``explain_day``,
            ``validate_history``, ``replay``, ``route_plan``, ...).
        input: the operation's request object.
        expected: the part of the answer the case fixes (see :func:`matches`).
        description: one line saying what the case shows.
    """

    id: str
    source: str
    operation: str
    input: dict[str, Any]
    expected: dict[str, Any]
    description: str = ""

    def to_json(self) -> dict[str, Any]:
        """The vector as the files hold it."""
        out: dict[str, Any] = {"id": self.id, "source": self.source}
        if self.description:
            out["description"] = self.description
        out |= {"operation": self.operation, "input": self.input, "expected": self.expected}
        return out

    @classmethod
    def from_json(cls, data: Any, *, where: str) -> Vector:
        """Read one vector, refusing one without the five keys."""
        keys = ("id", "source", "operation", "input", "expected")
        if not isinstance(data, dict) or any(k not in data for k in keys):
            raise InvalidInputError(
                f"{where}: a vector is an object with {', '.join(keys)}", field=where
            )
        if not isinstance(data["input"], dict) or not isinstance(data["expected"], dict):
            raise InvalidInputError(f"{where}: 'input' and 'expected' must be objects", field=where)
        return cls(
            id=str(data["id"]),
            source=str(data["source"]),
            operation=str(data["operation"]),
            input=data["input"],
            expected=data["expected"],
            description=str(data.get("description", "")),
        )


def vector_files() -> dict[str, str]:
    """The shipped vector files, name → JSON text.

    Example:
        >>> sorted(vector_files())
        ['calendar.json', 'due.json', 'indicators.json', 'lifecycle.json', 'routes.json']
    """
    root = resources.files("mot_cua") / "data" / "conformance"
    return {f"{g}.json": (root / f"{g}.json").read_text("utf-8") for g in _GROUPS}


def load_vectors(
    path: str | Path | None = None, *, operations: Iterable[str] | None = None
) -> list[Vector]:
    """The conformance vectors, shipped or from a folder or file.

    Args:
        path: a vector file or a folder of them (default: the vectors in the package).
        operations: keep only these operations.

    Returns:
        The vectors, in file order.

    Raises:
        InvalidInputError: a file that is not a vector file (with its name and the problem).

    Example:
        >>> vectors = load_vectors(operations=["due"])
        >>> vectors[0].id, vectors[0].expected["due_date"]
        ('due-row-01', '2025-01-09')
    """
    from mot_cua.files import parse_json, read_text

    texts: dict[str, str]
    if path is None:
        texts = vector_files()
    else:
        p = Path(path)
        files = sorted(p.glob("*.json")) if p.is_dir() else [p]
        texts = {str(f): read_text(f, what="conformance vector file") for f in files}
    wanted = None if operations is None else set(operations)
    found: list[Vector] = []
    for name, text in texts.items():
        data = parse_json(text, what="conformance vector file", source=name)
        if not isinstance(data, dict) or not isinstance(data.get("vectors"), list):
            raise InvalidInputError(
                f"{name}: expected an object with 'version' and a 'vectors' list", field=name
            )
        for i, item in enumerate(data["vectors"]):
            vector = Vector.from_json(item, where=f"{name}: vectors[{i}]")
            if wanted is None or vector.operation in wanted:
                found.append(vector)
    return found


def _instant(text: str) -> dt.datetime | None:
    if len(text) < 16 or text[4] != "-" or "T" not in text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def matches(expected: Any, actual: Any) -> str | None:
    """Whether ``actual`` satisfies ``expected``; ``None`` if it does, else where it differs.

    Args:
        expected: a vector's ``expected`` (or a part of it).
        actual: the answer of the implementation under test.

    Returns:
        ``None`` on a match, else a short path and the two values.

    Example:
        >>> matches({"due_date": "2025-01-09"}, {"due_date": "2025-01-09", "trace": []}) is None
        True
        >>> matches({"due_at": "2025-01-09T17:00+07:00"}, {"due_at": "2025-01-09T17:00:00+07:00"})
        >>> matches({"n": 3}, {"n": 4})
        'n: expected 3, got 4'
    """
    return _diff(expected, actual, "")


def _diff(expected: Any, actual: Any, path: str) -> str | None:
    where = path or "(root)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {_short(actual)}"
        for key, value in expected.items():
            sub = f"{path}.{key}" if path else str(key)
            if key not in actual:
                return f"{sub}: missing (expected {_short(value)})"
            found = _diff(value, actual[key], sub)
            if found:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: expected {_short(expected)}, got {_short(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = _diff(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None:
        same = expected is actual or (expected is None and actual is None)
    elif isinstance(expected, int | float) and isinstance(actual, int | float):
        same = expected == actual
    elif isinstance(expected, str) and isinstance(actual, str):
        same = expected == actual
        if not same:
            e, a = _instant(expected), _instant(actual)
            same = e is not None and a is not None and e == a and e.utcoffset() == a.utcoffset()
    else:
        same = False
    return None if same else f"{where}: expected {_short(expected)}, got {_short(actual)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


@dataclass(frozen=True)
class Mismatch:
    """A vector the implementation under test answered differently (or not at all)."""

    id: str
    operation: str
    problem: str

    def to_json(self) -> dict[str, str]:
        """The mismatch as ``mot-cua conformance run --json`` prints it."""
        return {"id": self.id, "operation": self.operation, "problem": self.problem}


@dataclass
class Report:
    """The outcome of a conformance run."""

    total: int = 0
    passed: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every vector passed."""
        return not self.mismatches and self.passed == self.total

    def to_json(self) -> dict[str, Any]:
        """The report as ``mot-cua conformance run --json`` prints it."""
        return {
            "version": VECTORS_VERSION,
            "ok": self.ok,
            "total": self.total,
            "passed": self.passed,
            "failed": len(self.mismatches),
            "mismatches": [m.to_json() for m in self.mismatches],
        }


def run_vectors(vectors: Sequence[Vector], answer: Callable[[Vector], Any]) -> Report:
    """Check ``answer`` (one call per vector) against every vector.

    Args:
        vectors: the vectors to run.
        answer: returns the implementation's JSON answer (a dict) for a vector; an exception it
            raises counts as a mismatch with the exception's message.

    Returns:
        The report.

    Example:
        >>> v = Vector("x", "doc", "echo", {"a": 1}, {"a": 1})
        >>> run_vectors([v], lambda vec: vec.input).ok
        True
    """
    report = Report(total=len(vectors))
    for vector in vectors:
        try:
            actual = answer(vector)
        except Exception as exc:  # the implementation under test failed: report, go on
            problem = (
                f"no answer: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            )
            report.mismatches.append(Mismatch(vector.id, vector.operation, problem))
            continue
        found = matches(vector.expected, actual)
        if found is None:
            report.passed += 1
        else:
            report.mismatches.append(Mismatch(vector.id, vector.operation, found))
    return report


def _request(vector: Vector) -> str:
    payload = {"id": vector.id, "operation": vector.operation, "input": vector.input}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _parse_answer(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the command's output is not JSON: {text[:80]!r}") from exc


def run_command(
    command: str,
    vectors: Sequence[Vector],
    *,
    jsonl: bool = False,
    timeout: float = 30.0,
) -> Report:
    """Feed every vector to an external command and compare its answers.

    One process per vector (default): the command reads one JSON object
    ``{"id", "operation", "input"}`` on standard input and writes the answer as one JSON object
    on standard output. With ``jsonl``, one process for all: it reads one such object per line
    and writes one answer per line, in order, flushing after each.

    Args:
        command: the command line, split like a POSIX shell does (no shell is started).
        vectors: the vectors to run.
        jsonl: one process reading JSON Lines instead of one process per vector.
        timeout: seconds allowed per vector (per run with ``jsonl``).

    Returns:
        The report; a crash, a timeout or output that is not JSON is a mismatch.

    Raises:
        InvalidInputError: the command is empty or cannot be started.

    Example:
        >>> v = Vector("x", "doc", "echo", {"a": 1}, {"operation": "echo"})
        >>> run_command("cat", [v]).ok
        True
    """
    argv = shlex.split(command)
    if not argv:
        raise InvalidInputError("--command is empty; give the command to test", field="command")
    if shutil.which(argv[0]) is None:
        raise InvalidInputError(
            f"--command {brief(command)} cannot be started: {brief(argv[0])} is not an executable "
            "program (give its path or put it on PATH)",
            field="command",
        )
    if jsonl:
        return _run_jsonl(argv, vectors, timeout)
    return run_vectors(vectors, lambda v: _run_one(argv, v, timeout))


def _run_one(argv: list[str], vector: Vector, timeout: float) -> Any:
    proc = subprocess.run(
        argv, input=_request(vector).encode(), capture_output=True, timeout=timeout, check=False
    )
    out = proc.stdout.decode("utf-8", errors="replace").strip()
    if not out:
        err = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise ValueError(f"exit {proc.returncode}, no output; stderr: {err[-1] if err else ''}")
    return _parse_answer(out)


def _run_jsonl(argv: list[str], vectors: Sequence[Vector], timeout: float) -> Report:
    payload = "".join(_request(v) + "\n" for v in vectors).encode()
    proc = subprocess.run(argv, input=payload, capture_output=True, timeout=timeout, check=False)
    lines = proc.stdout.decode("utf-8", errors="replace").splitlines()
    answers: dict[str, Any] = {
        v.id: lines[i] if i < len(lines) else None for i, v in enumerate(vectors)
    }

    def answer(vector: Vector) -> Any:
        line = answers[vector.id]
        if line is None:
            raise ValueError(f"no line for this vector (the command wrote {len(lines)} lines)")
        return _parse_answer(line)

    return run_vectors(vectors, answer)


def self_answer(vector: Vector) -> dict[str, Any]:
    """The library's own answer to a vector (the contract handler's output or error object).

    Example:
        >>> v = Vector("x", "s", "due", {"received": "2025-01-06T09:00", "limit": "1 ngày"}, {})
        >>> self_answer(v)["due_date"]
        '2025-01-07'
    """
    from mot_cua.contract._vectors import self_answer as answer

    return answer(vector)


def generate() -> dict[str, dict[str, Any]]:
    """Every vector file, name → content, from the library's current answers.

    Raises:
        InvalidInputError: the library disagrees with a worked example (nothing is written).
    """
    from mot_cua.contract._vectors import generate as build

    return build()
