"""``mot-cua store`` and ``mot-cua token``, and ``mot-cua report`` on a store export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from mot_cua import VN_TZ
from mot_cua.cli import main
from mot_cua.lifecycle import Lifecycle
from mot_cua.store import EventInput, Store
from mot_cua.store._contract import STORE_OUTPUT_MODELS


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)  # type: ignore[misc]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    if "--json" in argv and code in (0, 1) and argv[0] in ("store", "token"):  # the models
        command = f"{argv[0]}-{argv[1]}"
        STORE_OUTPUT_MODELS[command].model_validate_json(out)
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    code, out, _ = run(capsys, "store", "init", url, "--json")
    assert code == 0
    assert json.loads(out) == {"url": url, "revision": "0001", "dialect": "sqlite"}
    return url


@pytest.fixture
def month(db: str) -> str:
    """Three dossiers of March 2025: early, pending overdue, late."""
    s = Store(db)
    s.create(
        "R-1",
        time_limit="10 ngày làm việc",
        agency="so-tp",
        channel="online",
        field="Hộ tịch",
        events=[
            EventInput("receive", vn(2025, 3, 3, 9)),
            EventInput("start", vn(2025, 3, 3, 10)),
            EventInput("resolve", vn(2025, 3, 5, 9), payload={"outcome": "approved"}),
        ],
    )
    s.create(
        "R-2",
        time_limit="3 ngày làm việc",
        agency="so-tp",
        channel="in_person",
        field="Hộ tịch",
        events=[
            EventInput("receive", vn(2025, 3, 10, 9)),
            EventInput("start", vn(2025, 3, 10, 10)),
            EventInput("request_supplement", vn(2025, 3, 11, 9), payload={"missing": ["a"]}),
            EventInput("supplement", vn(2025, 3, 12, 9)),
        ],
    )
    s.create(
        "R-3",
        time_limit="3 ngày làm việc",
        agency="so-tp",
        channel="postal",
        field="Hộ tịch",
        events=[
            EventInput("receive", vn(2025, 3, 10, 9)),
            EventInput("start", vn(2025, 3, 10, 10)),
            EventInput("resolve", vn(2025, 3, 20, 9), payload={"outcome": "approved"}),
        ],
    )
    s.create(
        "R-4",
        time_limit="3 ngày làm việc",
        agency="so-tp",
        events=[EventInput("refuse", vn(2025, 3, 10, 9), payload={"reason": "sai"})],
    )
    s.close()
    return db


def test_verify_is_clean_then_reports_tampering(
    month: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "store", "verify", month, "--json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "dossiers": 4, "events": 11, "differences": []}
    engine = sa.create_engine(month)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE mot_cua_dossiers SET status = 'resolved' WHERE code='R-2'"))
    engine.dispose()
    code, out, _ = run(capsys, "store", "verify", month, "--json")
    assert code == 1
    assert json.loads(out)["differences"] == [
        {"code": "R-2", "field": "status", "stored": "resolved", "replayed": "processing"}
    ]
    code, out, _ = run(capsys, "store", "verify", month)
    assert code == 1
    assert out.splitlines() == [
        "R-2: status: stored 'resolved', replayed 'processing'",
        "verified 4 dossiers, 11 events: 1 differences",
    ]


def test_export_then_report_runs_on_the_store(
    month: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "records.csv"
    code, out, _ = run(capsys, "store", "export", month, "-o", str(path), "--json")
    assert code == 0
    assert json.loads(out) == {"exported": 3, "path": str(path), "format": "csv"}  # R-4 refused
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["MaHoSo"] for r in rows] == ["R-1", "R-2", "R-3"]
    code, out, err = run(capsys, "report", str(path), "--period", "2025-03", "--json")
    assert code == 0, err
    total = json.loads(out)["total"]
    assert total == {
        "received_online": 1,
        "received_offline": 2,
        "carried_over": 0,
        "received_total": 3,
        "resolved_total": 2,
        "resolved_early": 1,
        "resolved_on_time": 0,
        "resolved_late": 1,
        "pending_total": 1,
        "pending_within_time": 0,
        "pending_overdue": 1,
    }
    code, out, _ = run(capsys, "store", "export", month, "--format", "jsonl", "--all")
    assert code == 0
    assert [json.loads(line)["MaHoSo"] for line in out.splitlines()] == ["R-1", "R-2", "R-3", "R-4"]


def test_import_dossier_json_lines(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    lc = Lifecycle("10 ngày làm việc", code="I-1")
    lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    history = [json.loads(h.model_dump_json()) for h in lc.history]
    path = tmp_path / "dossiers.jsonl"
    path.write_text(
        json.dumps({"code": "I-1", "history": history})
        + "\n\n"
        + json.dumps({"code": "I-2", "history": []})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "store", "import", db, str(path), "--time-limit", "10 ngày làm việc", "--json"
    )
    assert code == 2
    error = json.loads(out)["error"]
    assert error["type"] == "invalid_input"
    assert error["line"] == 3
    assert f"{path} line 3" in error["message"]
    assert Store(db).get("I-1").version == 1  # the lines before the bad one are imported


def test_tokens_from_the_command_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "token",
        "create",
        db,
        "--name",
        "tp",
        "--role",
        "agency",
        "--agency",
        "so-tp",
        "--json",
    )
    assert code == 0
    created = json.loads(out)
    secret = created["secret"]
    assert created["token"]["role"] == "agency"
    assert created["token"]["active"]
    assert Store(db).authenticate(secret).agency == "so-tp"
    code, out, _ = run(capsys, "token", "create", db, "--name", "desk", "--role", "desk")
    assert code == 0
    assert out.splitlines()[1].startswith("mct_")
    code, out, _ = run(capsys, "token", "list", db, "--json")
    assert [t["name"] for t in json.loads(out)["tokens"]] == ["desk", "tp"]
    assert secret not in out
    code, out, _ = run(capsys, "token", "revoke", db, "--name", "tp", "--json")
    assert code == 0
    assert json.loads(out)["token"]["active"] is False
    code, _, err = run(capsys, "token", "revoke", db, "--name", "tp")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "no active token named 'tp'" in err
    code, out, _ = run(capsys, "token", "create", db, "--name", "x", "--role", "agency", "--json")
    assert code == 2
    assert json.loads(out)["error"]["field"] == "agency"


def test_errors_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "none.db")
    code, _, err = run(capsys, "store", "verify", missing)
    assert code == 2
    assert err.count("\n") == 1
    assert "mot-cua store init" in err
    assert not Path(missing).exists()  # nothing created by a read
    code, out, _ = run(capsys, "store", "export", missing, "--json")
    assert code == 2
    assert json.loads(out)["error"]["type"] in ("store", "invalid_input")
    code, out, _ = run(capsys, "token", "list", "nosuch://x", "--json")
    assert code == 2
    assert json.loads(out)["error"]["type"] == "store"
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(empty).engine.connect().close()
    code, out, _ = run(capsys, "store", "verify", empty, "--json")
    assert code == 2
    assert "is not initialised" in json.loads(out)["error"]["message"]


def test_store_commands_publish_their_output_schemas(capsys: pytest.CaptureFixture[str]) -> None:
    from mot_cua.cli import main
    from mot_cua.store._contract import STORE_OUTPUT_MODELS

    for command, model in STORE_OUTPUT_MODELS.items():
        assert main(["schema", "--output", command]) == 0
        schema = json.loads(capsys.readouterr().out)
        assert schema["x-contract-version"] == "1.0"
        assert set(schema["properties"]) == set(model.model_fields), command
