"""Validate 100,000 dossiers from JSON with mot_cua, side by side with plain ``json.loads``.

Prints the time per dossier of each approach and the ratios to ``json.loads``:

* ``json.loads``: parse only, no validation (the floor);
* ``Dossier.model_validate_json``: parse and validate in pydantic-core (the fast path);
* ``Dossier.model_validate(json.loads(...))``: parse in Python, then validate;
* ``Dossier.from_json``: the public entry point (model_validate_json + error wrapping).

Run: ``PYTHONPATH=src python benchmarks/bench_models.py [N]``
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable

from mot_cua.limits import Deadline, Method, TimeLimit
from mot_cua.models import Applicant, Dossier, HistoryEntry, SubmittedDocument
from mot_cua.timezone import VN_TZ


def _dossiers(n: int) -> list[str]:
    t0 = dt.datetime(2025, 1, 6, 9, 0, tzinfo=VN_TZ)
    due = dt.datetime(2025, 1, 9, 17, 0, tzinfo=VN_TZ)
    limit = TimeLimit.parse("3 ngày làm việc")
    out = []
    for i in range(n):
        d = Dossier(
            code=f"H29-250106-{i % 9999 + 1:04d}",
            procedure_id="ho-tich.dang-ky-khai-sinh",
            applicant=Applicant(kind="citizen", name=f"Nguyễn Văn {i}", cccd=f"001099{i:06d}"),
            channel="online",
            receiving_unit="H29",
            submitted_at=t0,
            received_at=t0,
            documents=[SubmittedDocument(name="Tờ khai", originals=1)],
            status="received",
            deadline=Deadline(
                received_at=t0, deemed_receipt=t0, limit=limit, method=Method.DAYS, due_at=due
            ),
            history=[HistoryEntry(at=t0, actor="desk", event="receive", to_status="received")],
        )
        out.append(d.to_json())
    return out


def _time(label: str, fn: Callable[[str], object], texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    elapsed = time.perf_counter() - start
    print(f"{label:<45} {elapsed:7.3f} s  {elapsed / len(texts) * 1e6:8.2f} µs/dossier")
    return elapsed


def main() -> None:
    """Run the comparison and print the ratios."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    texts = _dossiers(n)
    print(f"{n:,} dossiers, {sum(map(len, texts)) / n:.0f} bytes of JSON each")
    base = _time("json.loads (no validation)", json.loads, texts)
    fast = _time("Dossier.model_validate_json", Dossier.model_validate_json, texts)
    two = _time(
        "Dossier.model_validate(json.loads(...))",
        lambda t: Dossier.model_validate(json.loads(t)),
        texts,
    )
    public = _time("Dossier.from_json", Dossier.from_json, texts)
    print(
        f"ratios to json.loads: model_validate_json {fast / base:.1f}x, "
        f"model_validate(json.loads) {two / base:.1f}x, from_json {public / base:.1f}x"
    )


if __name__ == "__main__":
    main()
