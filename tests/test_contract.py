"""The JSON contract (issue 10 §1): every --json output is one object matching its schema."""

from __future__ import annotations

import importlib.resources
import io
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua import errors
from mot_cua.cli import main
from mot_cua.contract import (
    CONTRACT_VERSION,
    INPUT_MODELS,
    OUTPUT_MODELS,
    DueRequest,
    error_object,
    error_type,
    handle_calendar_year,
    handle_catalog_list,
    handle_due,
    handle_due_item,
    handle_explain_day,
    handle_history_validate,
    handle_replay,
    handle_route_plan,
    handle_route_track,
    input_schema,
    output_schema,
)

PROCEDURE = "lien-thong.khai-sinh-thuong-tru-bhyt"  # its limit comes from its route
BUDGETS = ["--set-budget", "thuong-tru=1 ngày làm việc", "--set-budget", "bhyt=1 ngày làm việc"]
HISTORY = {
    "procedure": {"time_limit": "10 ngày làm việc"},
    "events": [
        {"event": "receive", "at": "2025-03-03T09:00+07:00", "actor": "desk"},
        {"event": "start", "at": "2025-03-03T10:00+07:00"},
    ],
}


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOT_CUA_LANG", "en")
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE", raising=False)


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> Any:
    assert main([*argv, "--json"]) == code
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


def published_schema(capsys: pytest.CaptureFixture[str], command: str) -> dict[str, Any]:
    """The schema as a portal gets it: ``mot-cua schema --output COMMAND``."""
    schema: dict[str, Any] = cli_json(capsys, "schema", "--output", command)
    return schema


def assert_valid(schema: dict[str, Any], instance: Any) -> None:
    errors_found = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(instance)]
    assert errors_found == []


def _files(tmp_path: Path) -> dict[str, str]:
    history = tmp_path / "h.json"
    history.write_text(json.dumps(HISTORY), encoding="utf-8")
    tracking = tmp_path / "t.json"
    tracking.write_text(
        json.dumps(
            {
                "route": "decree63-birth",
                "received_at": "2025-03-03T09:00",
                "budgets": {"thuong-tru": "1 ngày làm việc", "bhyt": "1 ngày làm việc"},
                "now": "2025-03-04T09:00",
            }
        ),
        encoding="utf-8",
    )
    catalogue = importlib.resources.files("mot_cua.data").joinpath("catalog")
    return {"history": str(history), "tracking": str(tracking), "catalogue": str(catalogue)}


def _commands(files: dict[str, str]) -> list[tuple[str, list[str]]]:
    due = ["due", "--received", "2026-11-23T16:00", "--limit", "trong ngày"]
    return [
        ("due", due),
        ("due", ["due", "--received", "2025-04-25T10:00", "--procedure", PROCEDURE]),
        ("calendar", ["calendar", "2026"]),
        ("explain", ["explain", "2026-11-24"]),
        ("validate", ["validate", files["history"]]),
        ("replay", ["replay", files["history"]]),
        (
            "route-plan",
            ["route", "plan", "decree63-birth", "--received", "2025-03-03T09:00", *BUDGETS],
        ),
        ("route-track", ["route", "track", files["tracking"]]),
        ("catalog-list", ["catalog", "list", "--search", "khai sinh"]),
        ("catalog-show", ["catalog", "show", PROCEDURE]),
        ("schema", ["schema", "Dossier"]),
        ("version", ["version"]),
    ]


def test_every_command_output_matches_its_published_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    seen = set()
    for command, argv in _commands(files):
        out = cli_json(capsys, *argv)
        assert isinstance(out, dict), command  # one object, arrays wrapped
        assert_valid(published_schema(capsys, command), out)
        seen.add(command)
    assert seen == set(OUTPUT_MODELS) - {
        "due-batch",
        "replay-batch",
        "route-plan-batch",
        "catalog-validate",
        "error",
    }


def test_catalog_validate_output_and_error_match_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path)
    out = cli_json(capsys, "catalog", "validate", files["catalogue"])
    assert out["ok"] is True
    assert out["procedures"] == 14
    assert_valid(published_schema(capsys, "catalog-validate"), out)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[procedure]]\nid = 5\n", encoding="utf-8")
    error = cli_json(capsys, "catalog", "validate", str(bad), code=2)
    assert_valid(published_schema(capsys, "error"), error)
    assert error["error"]["type"] == "catalog"
    assert "\n" not in error["error"]["message"]


@pytest.mark.parametrize(
    ("argv", "kind", "field"),
    [
        (["due", "--received", "x", "--limit", "1 ngày"], "invalid_input", "received"),
        (["due", "--received", "2025-01-06T10:00", "--limit", "soon"], "time_limit_parse", None),
        (
            ["due", "--received", "2010-01-06T10:00", "--limit", "1 ngày"],
            "calendar_range",
            "received_at",
        ),
        (["due", "--nope"], "usage", None),
        (["explain", "2026-02-30"], "invalid_input", "date"),
        (["catalog", "show", "khong-co"], "unknown_procedure", None),
        (["replay", "/nonexistent/h.json"], "input_file", None),
        (["schema", "--output", "nothing"], "invalid_input", "command"),
    ],
)
def test_errors_are_one_object_with_a_type(
    capsys: pytest.CaptureFixture[str], argv: list[str], kind: str, field: str | None
) -> None:
    error = cli_json(capsys, *argv, code=2)
    assert_valid(output_schema("error"), error)
    assert error["error"]["type"] == kind
    assert error["error"].get("field") == field


def test_schema_deadline_agrees_with_due_json(capsys: pytest.CaptureFixture[str]) -> None:
    schema = cli_json(capsys, "schema", "Deadline")
    assert schema["properties"]["limit"]["type"] == "string"
    due = cli_json(capsys, "due", "--received", "2025-04-25T10:00", "--limit", "3 ngày làm việc")
    assert due["limit"] == "3 ngày làm việc"
    assert_valid(schema, due)


def test_contract_version_is_in_every_schema_and_the_version_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in OUTPUT_MODELS:
        schema = output_schema(command)
        assert schema["x-contract-version"] == CONTRACT_VERSION
        assert schema["$id"] == f"urn:mot-cua:contract:{CONTRACT_VERSION}:output:{command}"
    for command in INPUT_MODELS:
        assert input_schema(command)["x-contract-version"] == CONTRACT_VERSION
    assert cli_json(capsys, "version")["contract_version"] == CONTRACT_VERSION
    assert main(["--version"]) == 0
    assert f"(JSON contract {CONTRACT_VERSION})" in capsys.readouterr().out


def test_version_loads_no_sub_command_and_no_pydantic() -> None:
    """``mot-cua --version`` is what a portal asks first: it registers no sub-command."""
    import subprocess

    code = (
        "import sys; from mot_cua.cli import main; main(['--version']); "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'mot_cua.cli._'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].startswith("mot-cua ")
    assert out[0].endswith(f"(JSON contract {CONTRACT_VERSION})")
    assert out[1] == "['mot_cua.cli._output']"


def test_culture_day_is_reported_as_uncertain() -> None:
    # mot_cua rules §2: 24/11/2026 is a day off by default, on law not yet passed.
    out = handle_due({"received": "2026-11-23T16:00", "limit": "trong ngày"})
    assert out["due_date"] == "2026-11-25"
    assert [u["date"] for u in out["uncertain_days"]] == ["2026-11-24"]
    assert out["uncertain_days"][0]["status"] == "pending"
    off = handle_due({"received": "2026-11-23T16:00", "limit": "trong ngày", "culture_day": False})
    assert off["due_date"] == "2026-11-24"


def test_model_and_dict_requests_give_the_same_answer() -> None:
    data = {
        "received": "2025-03-03T09:00",
        "limit": "10 ngày làm việc",
        "pauses": [{"start": "2025-03-07T16:00", "end": "2025-03-12T10:00"}],
    }
    by_dict = handle_due(data)
    by_model = handle_due(DueRequest.model_validate(data))
    assert by_dict == by_model
    assert by_dict["due_date"] == "2025-03-20"  # the worked case of mot_cua rules §4 (pause)


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({"limit": "1 ngày"}, "received"),
        ({"received": "2025-03-03T09:00"}, "limit"),
        ({"received": 5, "limit": "1 ngày"}, "received"),
        ({"received": "2025-03-03T09:00", "limit": "1 ngày", "colour": "red"}, "colour"),
        ({"received": "2025-03-03T09:00", "limit": "1 ngày", "cutoff": "15:00+07:00"}, "cutoff"),
        ({"received": "2025-03-03T09:00", "limit": "1 ngày", "pauses": [5]}, "pauses[0]"),
        ({"received": "2025-03-03T09:00", "limit": "1 ngày", "method": "x"}, "method"),
        ({"received": "2025-03-03T09:00", "limit": "1 ngày", "worked_saturdays": "y"}, None),
        ({"received": "2025-03-03T09:00", "limit": 3}, "limit"),
    ],
)
def test_bad_due_requests_name_the_field(request_: dict[str, Any], field: str | None) -> None:
    out = handle_due_item(request_, line=4)
    assert out["line"] == 4
    assert "\n" not in out["error"]["message"]
    assert out["error"]["type"] != "internal"
    if field is not None:
        assert out["error"]["field"] == field


def test_error_types_are_stable_codes() -> None:
    expected = {
        "InvalidInputError": "invalid_input",
        "NaiveDatetimeError": "naive_datetime",
        "TimeLimitParseError": "time_limit_parse",
        "CalendarRangeError": "calendar_range",
        "CatalogError": "catalog",
        "InputFileError": "input_file",
        "TransitionRejected": "transition_rejected",
        "BusinessRuleError": "business_rule",
        "UnknownProcedureError": "unknown_procedure",
        "RouteError": "route",
    }
    for name, code in expected.items():
        assert error_type(getattr(errors, name)("x")) == code
    assert error_object(ValueError("secret"))["error"] == {
        "type": "internal",
        "message": "internal error (ValueError); please report it",
    }


def test_multi_problem_errors_are_summarised_on_one_line() -> None:
    exc = errors.CatalogError(
        "2 problems in c.toml:\n  row 1: bad\n  row 2: worse",
        problems=["row 1: bad", "row 2: worse"],
    )
    body = error_object(exc)["error"]
    assert body["message"] == "2 problems; first: row 1: bad"
    assert body["problems"] == ["row 1: bad", "row 2: worse"]


def test_handlers_outputs_match_schemas() -> None:
    cases = [
        ("calendar", handle_calendar_year({"year": 2025})),
        ("explain", handle_explain_day({"date": "2025-01-29"})),
        ("validate", handle_history_validate(HISTORY)),
        ("replay", handle_replay(HISTORY)),
        ("catalog-list", handle_catalog_list()),
        (
            "route-plan",
            handle_route_plan(
                {
                    "route": "decree63-birth",
                    "received": "2025-01-24T10:00",
                    "budgets": {"thuong-tru": "2 ngày làm việc", "bhyt": "1 ngày làm việc"},
                }
            ),
        ),
    ]
    for command, out in cases:
        assert_valid(output_schema(command), out)
    assert cases[0][1]["working_days"] == 250
    assert cases[1][1]["working"] is False
    assert cases[5][1]["due_at"] == "2025-02-05T17:00:00+07:00"  # 3 working days across Tết


def test_input_schemas_accept_the_documented_requests() -> None:
    assert_valid(input_schema("due"), {"received": "2025-04-25T10:00", "limit": "3 ngày"})
    assert_valid(input_schema("replay"), HISTORY)
    assert not jsonschema_rs.is_valid(input_schema("due"), {"limit": "3 ngày"})


def test_batch_lines_match_the_batch_schema(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": 1, "received": "2025-04-25T10:00", "limit": "3 ngày làm việc"},
        {"id": "b", "received": "nope", "limit": "1 ngày"},
    ]
    text = "\n".join(json.dumps(x) for x in lines) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["due", "--batch"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    schema = output_schema("due-batch")
    for line in out:
        assert_valid(schema, line)
    assert out[0]["due_date"] == "2025-04-29"
    assert out[1]["error"]["field"] == "received"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    [
        "received",
        "limit",
        "procedure",
        "pauses",
        "cutoff",
        "office_hours",
        "method",
        "year",
        "date",
        "events",
        "route",
        "budgets",
        "select",
        "handovers",
        "received_at",
        "now",
        "id",
        "culture_day",
        "trace",
        "search",
        "field",
        "half_day_slots",
        "hours_per_day",
        "dossier",
    ]
)
VALUES = JSON | st.sampled_from(
    [
        "2025-04-25T10:00",
        "3 ngày làm việc",
        "decree63-birth",
        "2026-11-24",
        "15:00",
        2026,
        [{"event": "receive", "at": "2025-03-03T09:00"}],
        ["2025-03-07T16:00/2025-03-12T10:00"],
    ]
)
HANDLERS = {
    "due": handle_due,
    "calendar": handle_calendar_year,
    "explain": handle_explain_day,
    "validate": handle_history_validate,
    "replay": handle_replay,
    "route-plan": handle_route_plan,
    "route-track": handle_route_track,
    "catalog-list": handle_catalog_list,
}


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(HANDLERS)),
    request=st.one_of(JSON, st.dictionaries(FIELDS, VALUES, max_size=5)),
)
def test_handlers_raise_only_our_errors(name: str, request: Any) -> None:
    try:
        out = HANDLERS[name](request)
    except errors.MotCuaError as exc:
        body = error_object(exc)["error"]
        assert body["type"] != "internal"
        assert "\n" not in body["message"]
        return
    assert_valid(output_schema(name), out)
