"""Request and response models of two HTTP endpoints the command line has no twin for.

* ``POST /v1/due:batch``: the command line's batch mode reads JSON Lines; over HTTP one request
  carries a list. Each item is a ``due`` request; a bad item gives an error object in its place
  (with its ``index``) and the others go on, as a bad line does in ``mot-cua due --batch``.
* ``POST /v1/reports``: ``mot-cua report`` reads a file; over HTTP the flat records come in the
  body (the portal's column names, as in the CSV or JSON Lines file) and the answer is the same
  object as ``mot-cua report --json``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.contract._common import validated
from mot_cua.contract._due import handle_due_item

__all__ = [
    "DueBatchRequest",
    "DueBatchResponse",
    "ReportRequest",
    "handle_due_batch",
    "handle_report",
]


class DueBatchRequest(BaseModel):
    """Input of ``POST /v1/due:batch``: a list of ``due`` requests (checked one by one)."""

    model_config = ConfigDict(extra="forbid")

    items: list[Any] = Field(
        description="due requests (see DueRequest); a bad item does not stop the others",
        json_schema_extra={"items": {"$ref": "#/components/schemas/DueRequest"}},
    )


class DueBatchResponse(BaseModel):
    """Output of ``POST /v1/due:batch``: one result per item, in order, and two counts."""

    model_config = ConfigDict(extra="forbid")

    results: list[dict[str, Any]] = Field(
        description="a DueResponse (without trace unless asked) or {id, index, error} per item"
    )
    count: int = Field(description="number of items")
    failed: int = Field(description="number of items answered with an error")


def handle_due_batch(items: list[Any]) -> dict[str, Any]:
    """Compute every item's due moment; bad items give an error object with their index.

    Args:
        items: the due requests (JSON objects).

    Returns:
        A JSON-ready dict matching :class:`DueBatchResponse`.

    Example:
        >>> out = handle_due_batch([
        ...     {"id": "a", "received": "2025-01-06T09:00", "limit": "3 ngày làm việc"},
        ...     {"id": "b", "limit": "1 ngày"},
        ... ])
        >>> out["results"][0]["due_date"], out["results"][1]["error"]["field"], out["failed"]
        ('2025-01-09', 'received', 1)
    """
    results: list[dict[str, Any]] = []
    failed = 0
    for index, item in enumerate(items):
        out = handle_due_item(item)
        if "error" in out:
            failed += 1
            out = {"id": out.get("id"), "index": index, "error": out["error"]}
        results.append(out)
    return {"results": results, "count": len(results), "failed": failed}


class ReportRequest(BaseModel):
    """Input of ``POST /v1/reports``: flat records, a period, groupings and named policies."""

    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, Any]] = Field(
        description="flat records with the portal's column names (MaHoSo, KenhThucHien, "
        "NgayTiepNhan, NgayHenTra, ...), as in the CSV or JSON Lines file of `mot-cua report`"
    )
    period: str = Field(description="YYYY-MM, YYYY-Qn, YYYY or FROM..TO (ISO dates)")
    by: list[str] = Field(default_factory=list, description="groupings, e.g. ['field']")
    policy: dict[str, str] = Field(default_factory=dict, description="named policy choices")
    as_of: str | None = Field(default=None, description="classify pending dossiers at this time")


def handle_report(request: ReportRequest | dict[str, Any]) -> dict[str, Any]:
    """The periodic report and Decision 766 metrics of flat records (``mot-cua report --json``).

    Records are numbered from 1 in errors (``line``), as lines of a file are.

    Args:
        request: a :class:`ReportRequest` or its JSON object.

    Returns:
        The report as ``mot-cua report --json`` prints it.

    Raises:
        InvalidInputError: a bad period, grouping, policy or instant; RecordError (a subclass)
            for a bad record, naming its ``line`` and ``column``.

    Example:
        >>> out = handle_report({"period": "2026-03", "records": [{"MaHoSo": "H1",
        ...     "KenhThucHien": "1", "NgayTiepNhan": "20260302083000",
        ...     "NgayHenTra": "20260305170000", "NgayXuLyXong": "20260304100000"}]})
        >>> out["total"]["resolved_early"], out["total"]["received_total"]
        (1, 1)
    """
    from mot_cua.indicators import DossierRecord, IndicatorPolicy, Period, parse_timestamp, report

    req = validated(ReportRequest, request, what="a report request")
    period = Period.parse(req.period)
    policy = IndicatorPolicy.from_pairs(f"{k}={v}" for k, v in req.policy.items())
    as_of = None if req.as_of is None else parse_timestamp(req.as_of, name="as_of")
    records = [DossierRecord.from_flat(row, line=i + 1) for i, row in enumerate(req.records)]
    result: dict[str, Any] = report(
        records, period, by=req.by, policy=policy, as_of=as_of, engine="reference"
    ).to_dict()
    return result
