"""One reader for every input file mot_cua loads.

Every file the library or the command line reads (catalogues, calendar data, histories, routes,
tracking files, JSON Lines batches) goes through this module, so that every way a file can be
wrong ends in the same error, :class:`~mot_cua.errors.InputFileError`, saying what is wrong, where
(path, line, column) and how to fix it:

* the argument is not a path (``Catalog.load(5)``), is empty, holds a NUL character or is too long;
* the file is missing, is a directory or a device, cannot be read (``/proc/self/mem``) or is larger
  than the size limit (:data:`MAX_BYTES` by default);
* the bytes are not UTF-8 (a byte-order mark is tolerated) or hold a NUL byte (a binary file);
* the JSON or TOML does not parse, nests deeper than :data:`MAX_DEPTH`, holds an integer longer
  than Python's 4,300-digit limit, or (JSON) ``NaN``, ``Infinity`` or a number too large for a
  float.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "ok.json").write_text('{"a": [1, 2]}', encoding="utf-8")
13
>>> read_json(folder / "ok.json", what="example file")
{'a': [1, 2]}
>>> (folder / "bad.json").write_bytes(b'{"a":\\n "\\xff"}')
11
>>> read_json(folder / "bad.json", what="example file")
Traceback (most recent call last):
    ...
mot_cua.errors.InputFileError: example file .../bad.json: byte 0xff at offset 8 (line 2, column 3) \
is not UTF-8; save the file as UTF-8
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from mot_cua.errors import InputFileError, brief

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_PATH_LENGTH",
    "decode_text",
    "parse_json",
    "parse_toml",
    "read_bytes",
    "read_json",
    "read_jsonl",
    "read_text",
    "read_toml",
    "stdin_bytes",
]

#: Largest file read, in bytes (64 MiB); pass ``max_bytes=`` to change it for one call.
MAX_BYTES = 64 * 1024 * 1024
#: Deepest nesting of JSON or TOML arrays and objects accepted.
MAX_DEPTH = 200
#: Longest path accepted, in characters (Linux's PATH_MAX is 4,096).
MAX_PATH_LENGTH = 4096
_MAX_NAME_LENGTH = 255
_INT_DIGITS = 4300

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|NaN|-?Infinity|-?\d{4301,}', re.DOTALL)
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _where(line: int | None, column: int | None) -> str:
    if line is None:
        return ""
    return f" (line {line}, column {column})" if column is not None else f" (line {line})"


def _fail(
    what: str,
    source: str,
    problem: str,
    *,
    line: int | None = None,
    column: int | None = None,
    offset: int | None = None,
) -> InputFileError:
    return InputFileError(
        f"{what} {_shown(source)}: {problem}",
        path=source,
        line=line,
        column=column,
        offset=offset,
    )


def _shown(source: str) -> str:
    """A path or name as messages show it: on one line (control characters escaped)."""
    return source if source.isprintable() else repr(source)


def _check_path(path: object, what: str) -> Path:
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        described = " ".join(repr(path).split())[:80]
        raise InputFileError(
            f"{what}: expected a file path (str or pathlib.Path), not {type(path).__name__} "
            f"{described}; pass the file's path",
            path=None,
        )
    text = os.fspath(path)
    if not isinstance(text, str) or not text:
        raise InputFileError(f"{what}: the path is empty; give the file's path", path="")
    shown = text if len(text) <= 120 else text[:60] + "…" + text[-40:]
    if "\x00" in text:
        raise InputFileError(f"{what} {brief(shown)}: the path holds a NUL character", path=shown)
    if len(text) > MAX_PATH_LENGTH or any(len(p) > _MAX_NAME_LENGTH for p in Path(text).parts):
        raise InputFileError(
            f"{what} {brief(shown)}: the path is too long ({len(text)} characters; at most "
            f"{MAX_PATH_LENGTH}, and {_MAX_NAME_LENGTH} per name); check the path",
            path=shown,
        )
    return Path(text)


def read_bytes(path: str | os.PathLike[str], *, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a whole regular file as bytes, refusing what is not one.

    Args:
        path: the file's path.
        what: what the file is, for messages (e.g. ``"history file"``).
        max_bytes: the size limit.

    Returns:
        The file's bytes.

    Raises:
        InputFileError: not a path, too long a path, missing file, a directory or device, an
            unreadable file (``/proc/self/mem``), or a file over ``max_bytes``.

    >>> read_bytes(5, what="catalogue")
    Traceback (most recent call last):
        ...
    mot_cua.errors.InputFileError: catalogue: expected a file path (str or pathlib.Path), not \
int 5; pass the file's path
    """
    p = _check_path(path, what)
    source = str(p)
    try:
        if p.is_dir():
            raise _fail(what, source, "is a directory; give a file")
        if p.exists() and not p.is_file():
            raise _fail(what, source, "is not a regular file (a device or a pipe?); give a file")
        with p.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except InputFileError:
        raise
    except FileNotFoundError as exc:
        raise _fail(what, source, "no such file; check the path") from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _fail(what, source, f"cannot be read ({reason}); check the path") from exc
    if len(raw) > max_bytes:
        raise _fail(what, source, f"is larger than {max_bytes:,} bytes; split it or check the path")
    return raw


def decode_text(raw: bytes, *, what: str, source: str) -> str:
    """Decode bytes as strict UTF-8 (a leading byte-order mark is dropped).

    Args:
        raw: the bytes.
        what: what the text is, for messages.
        source: where it came from (a path, ``<stdin>``), for messages.

    Returns:
        The text.

    Raises:
        InputFileError: a byte that is not UTF-8, or a NUL byte (a binary file), with its byte
            offset, line and column.

    >>> decode_text(b"\\xef\\xbb\\xbfng\\xc3\\xa0y", what="text", source="<test>")
    'ngày'
    >>> decode_text(b"ab\\x00", what="history file", source="h.json")
    Traceback (most recent call last):
        ...
    mot_cua.errors.InputFileError: history file h.json: NUL byte at offset 2 (line 1, column 3): \
this is a binary file, not text; give a UTF-8 text file
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        raise _fail(
            what,
            source,
            f"byte 0x{raw[offset]:02x} at offset {offset}{_where(line, column)} is not UTF-8; "
            "save the file as UTF-8",
            line=line,
            column=column,
            offset=offset,
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        offset = len(text[:nul].encode("utf-8"))
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise _fail(
            what,
            source,
            f"NUL byte at offset {offset}{_where(line, column)}: this is a binary file, not text; "
            "give a UTF-8 text file",
            line=line,
            column=column,
            offset=offset,
        )
    return text


def read_text(path: str | os.PathLike[str], *, what: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file (see :func:`read_bytes` and :func:`decode_text`).

    Args:
        path: the file's path.
        what: what the file is, for messages.
        max_bytes: the size limit.

    Returns:
        The text, without a byte-order mark.

    Raises:
        InputFileError: as :func:`read_bytes` and :func:`decode_text`.
    """
    raw = read_bytes(path, what=what, max_bytes=max_bytes)
    return decode_text(raw, what=what, source=str(path))


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _scan(text: str, max_depth: int) -> tuple[int, str] | None:
    """First place the text breaks a limit json.loads does not check itself, if any."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token[0] == '"':
            continue
        if token in ("[", "{"):
            depth += 1
            if depth > max_depth:
                return m.start(), f"nested deeper than {max_depth} levels"
        elif token in ("]", "}"):
            depth -= 1
        elif token.lstrip("-")[0].isdigit():
            return m.start(), f"an integer of more than {_INT_DIGITS:,} digits"
        else:
            return m.start(), f"{token} is not a JSON number; write null or a number"
    return None


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise OverflowError(text)
    return value


def _bad_constant(name: str) -> Any:
    raise OverflowError(name)


def parse_json(text: str, *, what: str, source: str = "<text>", max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text with the limits of this module.

    ``NaN``, ``Infinity`` and numbers too large for a float are refused (they are not JSON);
    integers are limited to 4,300 digits (Python's limit); nesting to ``max_depth``.

    Args:
        text: the JSON text.
        what: what the text is, for messages.
        source: where it came from, for messages.
        max_depth: the deepest nesting accepted.

    Returns:
        The parsed value.

    Raises:
        InputFileError: invalid JSON or a limit broken, with line and column.

    >>> parse_json('{"limit": 3}', what="request")
    {'limit': 3}
    >>> parse_json('[' * 100000, what="request")
    Traceback (most recent call last):
        ...
    mot_cua.errors.InputFileError: request <text>: nested deeper than 200 levels at line 1, \
column 201; flatten the data
    """
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            what,
            source,
            f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            line=exc.lineno,
            column=exc.colno,
            offset=exc.pos,
        ) from None
    except (RecursionError, ValueError, OverflowError):
        value = _Broken
    if value is _Broken or (text.count("[") + text.count("{") > max_depth):
        found = _scan(text, max_depth)
        if found is not None:
            index, problem = found
            line, column = _line_col(text, index)
            fix = "flatten the data" if "nested" in problem else "check the value"
            raise _fail(
                what,
                source,
                f"{problem} at line {line}, column {column}; {fix}",
                line=line,
                column=column,
                offset=index,
            )
        if value is _Broken:  # a float overflow inside a number we did not locate
            raise _fail(what, source, "a number too large; check the numbers")
    return value


#: One decoder for every call (json.loads with hooks would build one per call).
_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_bad_constant)


class _BrokenType:
    pass


_Broken: Any = _BrokenType()


def read_json(
    path: str | os.PathLike[str],
    *,
    what: str,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Read and parse a JSON file (see :func:`read_text` and :func:`parse_json`).

    Args:
        path: the file's path.
        what: what the file is, for messages.
        max_bytes: the size limit.
        max_depth: the deepest nesting accepted.

    Returns:
        The parsed value.

    Raises:
        InputFileError: as :func:`read_text` and :func:`parse_json`.
    """
    text = read_text(path, what=what, max_bytes=max_bytes)
    return parse_json(text, what=what, source=str(path), max_depth=max_depth)


def _depth(value: Any, limit: int) -> bool:
    """Whether a parsed TOML value nests deeper than ``limit``."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def parse_toml(
    text: str, *, what: str, source: str = "<text>", max_depth: int = MAX_DEPTH
) -> dict[str, Any]:
    """Parse TOML text with the limits of this module.

    Args:
        text: the TOML text.
        what: what the text is, for messages.
        source: where it came from, for messages.
        max_depth: the deepest nesting accepted.

    Returns:
        The parsed table.

    Raises:
        InputFileError: invalid TOML (with line and column), nesting too deep, an integer too
            long.

    >>> parse_toml('year = 2026', what="calendar file")
    {'year': 2026}
    >>> parse_toml('year = ', what="calendar file", source="cal.toml")
    Traceback (most recent call last):
        ...
    mot_cua.errors.InputFileError: calendar file cal.toml: not TOML: Invalid value (line 1, \
column 8); fix the syntax
    """
    import tomllib

    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POS.search(message)
        line = column = None
        if m is not None and m.group(1):
            line, column = int(m.group(1)), int(m.group(2))
        elif m is not None:
            line, column = _line_col(text, len(text))
        reason = _TOML_POS.sub("", message).strip()
        raise _fail(
            what,
            source,
            f"not TOML: {reason}{_where(line, column)}; fix the syntax",
            line=line,
            column=column,
        ) from None
    except RecursionError:
        raise _fail(
            what, source, f"nested deeper than {max_depth} levels; flatten the data"
        ) from None
    except ValueError as exc:  # int() over the 4,300-digit limit
        m = re.search(r"\d{4301,}", text)
        line, column = _line_col(text, m.start()) if m else (None, None)
        raise _fail(
            what,
            source,
            f"an integer of more than {_INT_DIGITS:,} digits{_where(line, column)}; "
            f"check the value ({exc.__class__.__name__})",
            line=line,
            column=column,
        ) from None
    if (text.count("[") + text.count("{") > max_depth) and _depth(value, max_depth):
        raise _fail(what, source, f"nested deeper than {max_depth} levels; flatten the data")
    return value


def read_toml(
    path: str | os.PathLike[str], *, what: str, max_bytes: int = MAX_BYTES
) -> dict[str, Any]:
    """Read and parse a TOML file (see :func:`read_text` and :func:`parse_toml`).

    Args:
        path: the file's path.
        what: what the file is, for messages.
        max_bytes: the size limit.

    Returns:
        The parsed table.

    Raises:
        InputFileError: as :func:`read_text` and :func:`parse_toml`.
    """
    text = read_text(path, what=what, max_bytes=max_bytes)
    return parse_toml(text, what=what, source=str(path))


def _lines(source: str | os.PathLike[str] | IO[Any] | Iterable[Any], what: str) -> Iterator[Any]:
    if isinstance(source, (str, os.PathLike)):
        yield from read_bytes(source, what=what).splitlines()
        return
    buffer = getattr(source, "buffer", None)
    yield from buffer if buffer is not None else source


def read_jsonl(
    source: str | os.PathLike[str] | IO[Any] | Iterable[Any],
    *,
    what: str,
    errors: Literal["yield", "raise"] = "yield",
    max_line_bytes: int = 1024 * 1024,
    max_depth: int = MAX_DEPTH,
) -> Iterator[tuple[int, Any]]:
    """Read JSON Lines: one JSON value per line; blank lines are skipped.

    A text stream with a binary ``buffer`` (``sys.stdin``) is read as bytes, so a line that is not
    UTF-8 is an error of its own line, not of the whole stream.

    Args:
        source: a path, a binary or text stream, or an iterable of ``bytes``/``str`` lines.
        what: what the lines are, for messages.
        errors: ``"yield"`` (default): a bad line yields ``(line_no, InputFileError)`` and reading
            goes on; ``"raise"``: the first bad line raises.
        max_line_bytes: the longest line accepted.
        max_depth: the deepest nesting accepted.

    Yields:
        ``(line_no, value)`` with ``line_no`` counted from 1; ``value`` is the parsed JSON, or an
        :class:`~mot_cua.errors.InputFileError` for a bad line when ``errors="yield"``.

    Raises:
        InputFileError: the file cannot be read, or (``errors="raise"``) a line is bad.

    >>> list(read_jsonl(['{"a": 1}', '', 'nope'], what="batch"))
    [(1, {'a': 1}), (3, InputFileError('batch line 3: not JSON: Expecting value at column 1'))]
    """
    name = source if isinstance(source, (str, os.PathLike)) else "<stdin>"
    for number, raw in enumerate(_lines(source, what), start=1):
        try:
            value = _jsonl_line(raw, number, what, max_line_bytes, max_depth)
        except InputFileError as exc:
            if errors == "raise":
                exc.details["path"] = str(name)
                raise
            yield number, exc
            continue
        if value is not _Broken:
            yield number, value


def _jsonl_line(raw: Any, number: int, what: str, max_line_bytes: int, max_depth: int) -> Any:
    where = f"line {number}"
    if isinstance(raw, bytes):
        if len(raw) > max_line_bytes:
            raise _fail(what, where, f"longer than {max_line_bytes:,} bytes", line=number)
        text = _decode_line(raw, what, where, number)
    else:
        text = str(raw)
        if len(text) > max_line_bytes:
            raise _fail(what, where, f"longer than {max_line_bytes:,} characters", line=number)
    if not text.strip():
        return _Broken
    try:
        return parse_json(text, what=what, source=where, max_depth=max_depth)
    except InputFileError as exc:
        _relocate(exc, number)
        raise


def _decode_line(raw: bytes, what: str, where: str, number: int) -> str:
    try:
        return decode_text(raw, what=what, source=where)
    except InputFileError as exc:
        _relocate(exc, number)
        raise


def _relocate(exc: InputFileError, number: int) -> None:
    """Positions inside one JSON line: the line is the stream's, the column the line's."""
    for old, new in (("at line 1, column", "at column"), ("(line 1, column", "(column")):
        exc.message = exc.message.replace(old, new)
    exc.args = (exc.message,)
    exc.details["line"] = number


def stdin_bytes(*, what: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read standard input as bytes (the ``-`` file of the command line), with the size limit."""
    raw: bytes = sys.stdin.buffer.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _fail(what, "<stdin>", f"is larger than {max_bytes:,} bytes")
    return raw
