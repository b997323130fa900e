"""The dossier lifecycle: receive, pause for a supplement, apologise, resolve, replay.

Reproduces worked example 27 of mot_cua rules (10 working days received Mon 03/03/2025
09:00, supplement requested Fri 07/03 16:00 and received Wed 12/03 10:00: due Thu
20/03/2025), then shows a rejected event, a compliance finding and a replay from the recorded
history.
"""

from __future__ import annotations

import datetime as dt

from mot_cua import VN_TZ, TransitionRejected
from mot_cua.lifecycle import Lifecycle, validate_history


def vn(*args: int) -> dt.datetime:
    """An instant in Asia/Ho_Chi_Minh."""
    return dt.datetime(*args, tzinfo=VN_TZ)  # type: ignore[misc]


def main() -> None:
    """Run the example."""
    lc = Lifecycle("10 ngày làm việc", code="000.00.01.H29-250303-0001")
    lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    print(f"received, due {lc.due_at:%d/%m/%Y %H:%M}")
    lc.send("start", at=vn(2025, 3, 3, 10), actor="handler")
    lc.send("request_supplement", at=vn(2025, 3, 7, 16), missing=["Tờ khai (mẫu 01)"])
    print(f"status {lc.status} ({lc.status.label if lc.status else ''}), paused={lc.paused}")
    lc.send("supplement", at=vn(2025, 3, 12, 10))
    print(f"supplement received, due {lc.due_at:%d/%m/%Y %H:%M}")
    try:
        lc.send("return_result", at=vn(2025, 3, 13, 9))
    except TransitionRejected as exc:
        print(f"rejected: {exc}")
    lc.send("extend", at=vn(2025, 3, 20, 8), reason="Cần xác minh", new_due_at=vn(2025, 3, 27, 17))
    print("findings:", [f.code for f in lc.findings])
    lc.send("resolve", at=vn(2025, 3, 26, 15), outcome="approved")
    lc.send("return_result", at=vn(2025, 3, 27, 9))
    print(lc.to_dict())
    again = Lifecycle.replay(lc.history, "10 ngày làm việc", code=lc.code)
    same = again.to_dict() == lc.to_dict() and again.history == lc.history
    print("replay identical (state, due date, findings, history):", same)
    print("table check:", validate_history(lc.history).valid)


if __name__ == "__main__":
    main()
