"""Readers: flat records from CSV, JSON Lines or Parquet (and JSON Lines of Dossier JSON).

Every reader returns a :class:`RecordBatch` whose :attr:`~RecordBatch.frame` is a canonical
frame (:data:`~mot_cua.reports._engine.CANONICAL_SCHEMA`). Cells are checked column by column
with polars expressions; the common timestamp formats are parsed natively and any other ISO 8601
text once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from mot_cua.errors import InputFileError, InvalidInputError, MotCuaError, RecordError, brief
from mot_cua.indicators import (
    FLAT_COLUMNS,
    DossierRecord,
    SkippedRow,
    SupplementRound,
    parse_timestamp,
    record_from_dossier,
)
from mot_cua.limits import TimeLimit
from mot_cua.models import Dossier
from mot_cua.reports._engine import _OFFSET, CANONICAL_SCHEMA, empty_frame, instant_us

__all__ = ["RecordBatch", "read_records", "records_to_frame"]

_TIMES = {
    "NgayTiepNhan": "received",
    "NgayHenTra": "due",
    "NgayXuLyXong": "resolved",
    "NgayTraKetQua": "returned",
    "NgayDungXuLy": "stopped",
    "NgayRutHoSo": "withdrawn",
}
_TEXTS = {
    "MaHoSo": "code",
    "MaTTHC": "procedure",
    "MaCoQuan": "agency",
    "MaLinhVuc": "field",
    "CapThucHien": "level",
}
_FLAGS = {
    "CoKetQuaDienTu": "electronic_result",
    "DaSoHoa": "digitised",
    "CoPhiLePhi": "has_fee",
    "DuocThanhToanTrucTuyen": "paid_online",
    "CoPhanAnh": "complaint",
    "TaiSuDungDuLieu": "reused_data",
}
_ROUND_COLUMNS = {"BoSung": "bs", "NghiaVuTaiChinh": "nv"}
_LIFE_ENDS = ("resolved", "returned", "stopped", "withdrawn")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RecordBatch:
    """Records read from a file: the canonical frame, the rows skipped, and the source.

    Pass it to :func:`mot_cua.indicators.report` (the columnar engine runs).
    """

    frame: pl.DataFrame
    skipped: tuple[SkippedRow, ...] = ()
    source: str = ""

    def __len__(self) -> int:
        return self.frame.height

    def to_records(self) -> list[DossierRecord]:
        """The rows as :class:`~mot_cua.indicators.DossierRecord` objects (slow; for explaining)."""
        return [_row_record(row) for row in self.frame.iter_rows(named=True)]

    def find(self, code: str) -> DossierRecord:
        """The record with this MaHoSo.

        Raises:
            InvalidInputError: no such record.
        """
        hit = self.frame.filter(pl.col("code") == code)
        if hit.is_empty():
            raise InvalidInputError(
                f"{self.source or 'records'}: no dossier with MaHoSo {brief(code)}", field="MaHoSo"
            )
        return _row_record(hit.row(0, named=True))


def _from_us(value: int | None) -> dt.datetime | None:
    if value is None:
        return None
    from mot_cua.timezone import VN_TZ

    return (dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=value)).astimezone(
        VN_TZ
    )


def _at(value: int) -> dt.datetime:
    out = _from_us(value)
    assert out is not None
    return out


def _row_record(row: dict[str, Any]) -> DossierRecord:
    def rounds(prefix: str) -> tuple[SupplementRound, ...]:
        starts = row[f"{prefix}_start"] or []
        ends = row[f"{prefix}_end"] or []
        return tuple(
            SupplementRound(start=_at(s), end=_from_us(e))
            for s, e in zip(starts, ends, strict=True)
        )

    data: dict[str, Any] = {
        "code": row["code"],
        "channel": row["channel"],
        "supplements": rounds("bs"),
        "payments": rounds("nv"),
        "time_limit": row["limit"],
    }
    for col in ("procedure", "agency", "field", "level", *_FLAGS.values()):
        data[col] = row[col]
    for flat, col in _TIMES.items():
        data[FLAT_COLUMNS[flat]] = _from_us(row[col])
    return DossierRecord.model_validate(data)


def records_to_frame(records: Iterable[DossierRecord | Dossier]) -> pl.DataFrame:
    """A canonical frame from records or dossiers (Python per row: for tests and small inputs)."""
    cols: dict[str, list[Any]] = {name: [] for name in CANONICAL_SCHEMA}
    for line, rec in enumerate(records, start=1):
        r = rec if isinstance(rec, DossierRecord) else record_from_dossier(rec)
        cols["line"].append(line)
        for name in ("code", "procedure", "agency", "field", "level", *_FLAGS.values()):
            cols[name].append(getattr(r, name))
        cols["channel"].append(r.channel.national_code)
        for flat, name in _TIMES.items():
            value = getattr(r, FLAT_COLUMNS[flat])
            cols[name].append(None if value is None else instant_us(value))
        for attr, prefix in (("supplements", "bs"), ("payments", "nv")):
            rounds = getattr(r, attr)
            cols[f"{prefix}_start"].append([instant_us(x.start) for x in rounds])
            cols[f"{prefix}_end"].append(
                [None if x.end is None else instant_us(x.end) for x in rounds]
            )
        cols["limit"].append(None if r.time_limit is None else r.time_limit.to_text())
    return pl.DataFrame(cols, schema=dict(CANONICAL_SCHEMA))


# --------------------------------------------------------------------------------------------
# Vectorised parsing
# --------------------------------------------------------------------------------------------


_FORMATS = (
    ("%Y%m%d%H%M%S", None),
    ("%Y-%m-%dT%H:%M:%S", None),
    ("%Y-%m-%d %H:%M:%S", None),
    ("%Y-%m-%dT%H:%M:%S%#z", "UTC"),
)


def _strptime(s: pl.Series, fmt: str, zone: str | None) -> pl.Series:
    parsed = s.str.strptime(pl.Datetime("us", zone), fmt, strict=False).dt.epoch("us")
    return parsed if zone else parsed - _OFFSET


def _slow_values(texts: pl.Series, column: str) -> dict[str, int | None]:
    """Parse texts the fast formats missed, once per distinct value (None: unreadable)."""
    out: dict[str, int | None] = {}
    for text in texts.unique().to_list():
        try:
            out[text] = instant_us(parse_timestamp(text, name=column))
        except MotCuaError:
            out[text] = None
    return out


def _parse_series(s: pl.Series, column: str) -> pl.Series:
    """µs since the epoch of a text column: the format of its first value on every row, then
    the other common formats and Python's ISO 8601 on the rows it missed (null: unreadable)."""
    first = s.drop_nulls().head(1).to_list()
    order = list(_FORMATS)
    if first and not first[0].isdigit():
        order.sort(key=lambda f: f[0] == "%Y%m%d%H%M%S")
    parsed = _strptime(s, *order[0])
    miss = parsed.is_null() & s.is_not_null()
    if not miss.any():
        return parsed
    idx = miss.arg_true()
    sub = s.gather(idx).str.strip_chars()
    values = pl.select(pl.coalesce([_strptime(sub, *f) for f in order[1:]])).to_series()
    rest = values.is_null()
    if rest.any():
        table = _slow_values(sub.filter(rest), column)
        slow = sub.replace_strict(
            list(table), list(table.values()), default=None, return_dtype=pl.Int64
        )
        values = pl.select(pl.coalesce(values, slow)).to_series()
    return parsed.scatter(idx, values)


def _parse_times(df: pl.DataFrame, column: str, target: str) -> pl.DataFrame:
    """Add ``target`` (µs) and ``!target`` (true: unreadable) for one timestamp column."""
    raw = df[column]
    if isinstance(raw.dtype, pl.Datetime):
        us = raw.dt.epoch("us")
        values = us if raw.dtype.time_zone else us - _OFFSET
    else:
        values = _parse_series(raw, column)
    return df.with_columns(
        values.alias(target), (values.is_null() & raw.is_not_null()).alias(f"!{target}")
    )


def _parse_rounds(df: pl.DataFrame, column: str, prefix: str) -> pl.DataFrame:
    """Add ``<prefix>_start``/``<prefix>_end`` lists and ``!<prefix>`` (a bad round's text)."""
    raw = pl.col(column)
    has = (
        df.filter(raw.is_not_null())
        .select("_row", raw.str.split(";").alias("_part"))
        .explode("_part")
        .filter(pl.col("_part").str.strip_chars() != "")
    )
    empty = pl.lit([], dtype=pl.List(pl.Int64))
    if has.is_empty():
        return df.with_columns(
            empty.alias(f"{prefix}_start"),
            empty.alias(f"{prefix}_end"),
            pl.lit(None, dtype=pl.String).alias(f"!{prefix}"),
        )
    has = (
        has.with_columns(
            pl.col("_part").str.split_exact("/", 1).struct.rename_fields(["_a", "_b"]).alias("_ab"),
            pl.col("_part").str.contains("/").alias("_sep"),
        )
        .unnest("_ab")
        .with_columns(pl.col("_b").str.strip_chars().replace("", None))
    )
    has = _parse_times(has, "_a", "_s")
    has = _parse_times(has, "_b", "_e")
    bad = ~pl.col("_sep") | pl.col("_s").is_null() | pl.col("!_e") | (pl.col("_e") < pl.col("_s"))
    agg = has.group_by("_row", maintain_order=True).agg(
        pl.col("_s").alias(f"{prefix}_start"),
        pl.col("_e").alias(f"{prefix}_end"),
        pl.col("_part").filter(bad).first().alias(f"!{prefix}"),
    )
    df = df.join(agg, on="_row", how="left")
    return df.with_columns(
        pl.col(f"{prefix}_start").fill_null(empty), pl.col(f"{prefix}_end").fill_null(empty)
    )


def _limits(df: pl.DataFrame) -> pl.DataFrame:
    raw = pl.col("ThoiHanGiaiQuyet")
    texts = df.filter(raw.is_not_null())["ThoiHanGiaiQuyet"].unique().to_list()
    good: dict[str, str | None] = {}
    for text in texts:
        try:
            good[text] = TimeLimit.parse(text).to_text()
        except MotCuaError:
            good[text] = None
    norm = (
        raw.replace_strict(list(good), list(good.values()), default=None, return_dtype=pl.String)
        if good
        else pl.lit(None, dtype=pl.String)
    )
    return df.with_columns(norm.alias("limit")).with_columns(
        pl.when(raw.is_not_null() & pl.col("limit").is_null()).then(raw).alias("!limit")
    )


def _flag(expr: pl.Expr) -> pl.Expr:
    return (
        pl.when(expr.is_in(["1", "true", "True", "TRUE"]))
        .then(pl.lit(value=True))
        .when(expr.is_in(["0", "false", "False", "FALSE"]))
        .then(pl.lit(value=False))
    )


# --------------------------------------------------------------------------------------------
# Checks and readers
# --------------------------------------------------------------------------------------------

_STAMP_HELP = "write ISO 8601 (2026-03-02T08:30:00) or yyyyMMddHHmmss (20260302083000)"


def _checks() -> list[tuple[str, pl.Expr, pl.Expr]]:
    """(column, failing condition, message) in the order they are reported: cells first."""
    q = pl.lit("'")
    raw = pl.col
    checks: list[tuple[str, pl.Expr, pl.Expr]] = [
        ("MaHoSo", raw("code").is_null(), pl.lit("empty; every record needs MaHoSo")),
        (
            "KenhThucHien",
            raw("KenhThucHien").is_null(),
            pl.lit("empty; write 1 (in person), 2 (online) or 3 (postal)"),
        ),
        (
            "KenhThucHien",
            raw("channel").is_null(),
            pl.format(
                "unknown channel '{}': the national portal uses 1 (in person), 2 (online) "
                "and 3 (postal)",
                raw("KenhThucHien"),
            ),
        ),
        (
            "NgayTiepNhan",
            raw("NgayTiepNhan").is_null(),
            pl.lit("empty; every record needs its receipt time"),
        ),
    ]
    for flat, col in _TIMES.items():
        checks.append(
            (
                flat,
                raw(f"!{col}"),
                pl.format("{} is not a timestamp: " + _STAMP_HELP, pl.concat_str(q, raw(flat), q)),
            )
        )
    checks.append(
        (
            "ThoiHanGiaiQuyet",
            raw("!limit").is_not_null(),
            pl.format("'{}' is not a time limit (e.g. '10 ngày làm việc')", raw("!limit")),
        )
    )
    for flat, col in _FLAGS.items():
        checks.append(
            (
                flat,
                raw(flat).is_not_null() & raw(col).is_null(),
                pl.format("'{}' is not a flag; write 0 or 1", raw(flat)),
            )
        )
    for flat, prefix in _ROUND_COLUMNS.items():
        checks.append(
            (
                flat,
                raw(f"!{prefix}").is_not_null(),
                pl.format(
                    "round '{}' cannot be read: write START/END (END empty while "
                    "open), END not before START; " + _STAMP_HELP,
                    raw(f"!{prefix}"),
                ),
            )
        )
    return checks + _life_checks()


def _life_checks() -> list[tuple[str, pl.Expr, pl.Expr]]:
    """Checks across cells: times and rounds inside the dossier's life, something to judge by."""
    raw = pl.col
    checks: list[tuple[str, pl.Expr, pl.Expr]] = []
    end = pl.coalesce(*_LIFE_ENDS)
    for flat, col in _TIMES.items():
        if col == "received":
            continue
        what = "appointment" if col == "due" else "end"
        checks.append(
            (
                flat,
                raw(col) < raw("received"),
                pl.format(what + " {} is before the receipt {}", raw(flat), raw("NgayTiepNhan")),
            )
        )
    for flat, prefix in _ROUND_COLUMNS.items():
        s, e = raw(f"{prefix}_start"), raw(f"{prefix}_end")
        outside = (s.list.min() < raw("received")) | (s.list.max() > end) | (e.list.max() > end)
        checks.append(
            (
                flat,
                outside.fill_null(value=False),
                pl.format(
                    "a round of '{}' lies outside the dossier's life (receipt {}, end {})",
                    raw(flat),
                    raw("NgayTiepNhan"),
                    pl.coalesce(
                        raw("NgayXuLyXong"),
                        raw("NgayTraKetQua"),
                        raw("NgayDungXuLy"),
                        raw("NgayRutHoSo"),
                        pl.lit("none"),
                    ),
                ),
            )
        )
    checks.append(
        (
            "NgayHenTra",
            raw("due").is_null() & raw("limit").is_null(),
            pl.lit(
                "empty and ThoiHanGiaiQuyet empty: give the appointment or the legal "
                "limit (the dossier cannot be classified otherwise)"
            ),
        )
    )
    return checks


def _first_failure(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``!column``: the column of a row's first failing check (null: the row is sound)."""
    checks = _checks()
    col: Any = pl.when(checks[0][1]).then(pl.lit(checks[0][0]))
    for name, cond, _ in checks[1:]:
        col = col.when(cond).then(pl.lit(name))
    return df.with_columns(col.alias("!column"))


def _reasons(bad: pl.DataFrame) -> pl.DataFrame:
    """Add ``!reason`` to the failing rows only (messages are costly to format)."""
    checks = _checks()
    msg: Any = pl.when(checks[0][1]).then(checks[0][2])
    for _, cond, text in checks[1:]:
        msg = msg.when(cond).then(text)
    times = [c for c in _TIMES if isinstance(bad.schema[c], pl.Datetime)]
    return bad.with_columns(pl.col(c).cast(pl.String) for c in times).with_columns(
        msg.alias("!reason")
    )


def _blank_cells(df: pl.DataFrame) -> pl.DataFrame:
    """Whitespace-only cells are empty, and cells are stripped.

    Only columns with a cell starting or ending with a space, a tab or a no-break space are
    touched (a cheap prefix test first: most exports have none).
    """
    fixes = []
    for c in FLAT_COLUMNS:
        s = df[c]
        if s.dtype != pl.String or s.null_count() == s.len():
            continue
        padded = pl.select(
            pl.any_horizontal(
                [s.str.starts_with(w) | s.str.ends_with(w) for w in (" ", "\t", "\u00a0")]
            )
        ).to_series()
        if padded.any():
            stripped = pl.col(c).str.strip_chars()
            fixes.append(pl.when(stripped != "").then(stripped).alias(c))
    return df.with_columns(fixes) if fixes else df


def _normalise(raw: pl.DataFrame, where: str, progress: Progress) -> pl.DataFrame:
    """Canonical columns plus ``!column``/``!reason`` for rows that fail a check."""
    names = {c.lstrip("\ufeff").strip(): c for c in raw.columns}
    raw = raw.rename({v: k for k, v in names.items() if k != v})
    for required in ("MaHoSo", "KenhThucHien", "NgayTiepNhan"):
        if required not in raw.columns:
            raise RecordError(
                f"{where}: no column {brief(required)}; a flat record needs MaHoSo, KenhThucHien "
                "and "
                f"NgayTiepNhan (found: {', '.join(raw.columns) or 'none'})",
                file=where,
                line=1,
                column=required,
            )
    strings = []
    for name in FLAT_COLUMNS:
        if name not in raw.columns:
            strings.append(pl.lit(None, dtype=pl.String).alias(name))
        elif raw.schema[name] != pl.String and not isinstance(raw.schema[name], pl.Datetime):
            strings.append(pl.col(name).cast(pl.String).alias(name))
    df = raw.with_columns(strings).with_columns(_row=pl.int_range(pl.len(), dtype=pl.Int64))
    progress("timestamps")
    df = _blank_cells(df)
    for flat, col in _TIMES.items():
        df = _parse_times(df, flat, col)
    progress("supplements")
    for flat, prefix in _ROUND_COLUMNS.items():
        df = _parse_rounds(df, flat, prefix)
    df = _limits(df).with_columns(
        pl.col("MaHoSo").alias("code"),
        *(pl.col(f).alias(c) for f, c in _TEXTS.items() if c != "code"),
        pl.col("KenhThucHien")
        .replace_strict({"1": 1, "2": 2, "3": 3}, default=None, return_dtype=pl.Int8)
        .alias("channel"),
        *(_flag(pl.col(f)).alias(c) for f, c in _FLAGS.items()),
    )
    progress("checks")
    return _first_failure(df)


def _finish(df: pl.DataFrame, where: str, line_offset: int, *, skip_invalid: bool) -> RecordBatch:
    df = df.with_columns(line=pl.col("_row") + line_offset)
    unit = "row" if where.lower().endswith(".parquet") else "line"
    bad = df.filter(pl.col("!column").is_not_null())
    skipped: tuple[SkippedRow, ...] = ()
    if bad.height:
        bad = _reasons(bad)
        first = bad.row(0, named=True)
        if not skip_invalid:
            raise RecordError(
                f"{where}, {unit} {first['line']}, column {first['!column']!r}: {first['!reason']} "
                f"({bad.height} invalid row(s); fix them or pass --skip-invalid to report on the "
                "rest and list them)",
                file=where,
                line=first["line"],
                column=first["!column"],
                invalid=bad.height,
            )
        skipped = tuple(
            SkippedRow(line=r["line"], column=r["!column"], reason=r["!reason"], code=r["code"])
            for r in bad.select("line", "!column", "!reason", "code").iter_rows(named=True)
        )
        df = df.filter(pl.col("!column").is_null())
    frame = df.select([pl.col(c).cast(t) for c, t in CANONICAL_SCHEMA.items()])
    return RecordBatch(frame=frame, skipped=skipped, source=where)


def _dossier_lines(path: Path, *, skip_invalid: bool, progress: Progress) -> RecordBatch:
    records, skipped = [], []
    lines = path.read_text("utf-8").splitlines()
    for number, text in enumerate(lines, start=1):
        if number % 10_000 == 0:
            progress(f"dossiers {number}/{len(lines)}")
        if not text.strip():
            continue
        try:
            records.append(record_from_dossier(Dossier.from_json(text)))
        except MotCuaError as exc:
            if not skip_invalid:
                raise RecordError(
                    f"{path}, line {number}: {exc}", file=str(path), line=number, column=""
                ) from exc
            skipped.append(SkippedRow(line=number, column="", reason=str(exc)))
    frame = records_to_frame(records)
    return RecordBatch(frame=frame, skipped=tuple(skipped), source=str(path))


def _is_dossier_jsonl(path: Path) -> bool:
    with path.open("r", encoding="utf-8") as fh:
        for text in fh:
            if text.strip():
                try:
                    first = json.loads(text)
                except ValueError as exc:
                    raise InputFileError(
                        f"{path}, line 1: not JSON ({exc})", path=str(path), line=1
                    ) from exc
                return isinstance(first, dict) and "procedure_id" in first
    return False


def read_records(
    path: str | Path,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> RecordBatch:
    """Read flat records from CSV, JSON Lines or Parquet, or Dossier JSON Lines.

    Timestamps in ISO 8601 or ``yyyyMMddHHmmss``; naive ones are Asia/Ho_Chi_Minh; empty
    cells are absent; columns other than :data:`~mot_cua.indicators.FLAT_COLUMNS` are ignored.
    Line numbers count the CSV header as line 1 (cells must not contain line breaks).

    Args:
        path: a ``.csv``, ``.jsonl``/``.ndjson`` or ``.parquet`` file.
        skip_invalid: leave invalid rows out and list each in :attr:`RecordBatch.skipped`.
        progress: called with a stage name as reading advances (the CLI's progress bar).

    Returns:
        A :class:`RecordBatch`.

    Raises:
        RecordError: an invalid row (file, line, column, reason) unless ``skip_invalid``, or
            a missing required column.
        InputFileError: no such file, an unknown format, or a file that cannot be read.

    >>> batch = read_records("examples/data/monthly_2026_03.csv")
    >>> len(batch), batch.skipped
    (24, ())
    """
    p = Path(path)
    note = progress or (lambda _stage: None)
    suffix = p.suffix.lower()
    try:
        is_file = p.is_file()
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte
        raise InputFileError(
            f"{str(p)[:80]!r}: cannot be used as a path ({getattr(exc, 'strerror', None) or exc}); "
            "give the path of a .csv, .jsonl or .parquet file",
            path=str(p)[:200],
        ) from None
    if not is_file:
        raise InputFileError(f"{p}: no such file", path=str(p))
    note("reading")
    try:
        if suffix == ".csv":
            raw, offset = pl.read_csv(p, infer_schema=False), 2
        elif suffix in (".jsonl", ".ndjson"):
            if _is_dossier_jsonl(p):
                return _dossier_lines(p, skip_invalid=skip_invalid, progress=note)
            raw, offset = pl.read_ndjson(p, infer_schema_length=None), 1
        elif suffix == ".parquet":
            raw, offset = pl.read_parquet(p), 1
        else:
            raise InputFileError(
                f"{p}: unknown format {brief(suffix)}; use .csv, .jsonl (or .ndjson) or .parquet",
                path=str(p),
            )
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{p}: cannot be read: {exc}", path=str(p)) from exc
    if raw.height == 0:
        return RecordBatch(frame=empty_frame(), source=str(p))
    return _finish(_normalise(raw, str(p), note), str(p), offset, skip_invalid=skip_invalid)
