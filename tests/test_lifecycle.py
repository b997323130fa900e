"""The dossier lifecycle (mot_cua rules §3, §5, §6, §8; worked examples 27, 28, 37)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mot_cua import BusinessRuleError, DeadlinePolicy, Timeliness, TransitionRejected
from mot_cua.errors import InvalidInputError
from mot_cua.lifecycle import (
    NEW,
    PAYLOAD_KEYS,
    TRANSITIONS,
    DossierEvent,
    DossierMachine,
    Finding,
    Lifecycle,
    Regime,
    allowed_events,
    lifecycle_mermaid,
    transition_table,
    validate_history,
)
from mot_cua.models import DossierStatus
from mot_cua.testing import make_dossier
from tests.conftest import vn

ROOT = Path(__file__).resolve().parents[1]
LIMIT = "10 ngày làm việc"

# Payloads that satisfy every rule, per event.
OK: dict[str, dict[str, Any]] = {
    "refuse": {"reason": "Không thuộc thẩm quyền"},
    "request_completion": {"missing": ["Tờ khai"]},
    "request_supplement": {"missing": ["Bản sao CCCD"]},
    "resolve": {"outcome": "approved"},
    "extend": {"reason": "Cần xác minh", "new_due_at": vn(2025, 6, 30, 17)},
    "transfer": {"to_agency": "so-tu-phap"},
    "stop": {"reason": "Quá hạn bổ sung"},
    "withdraw": {"reason": "Công dân đề nghị"},
}

# A path of events reaching each state (received Mon 03/03/2025 09:00).
PATHS: dict[str, list[str]] = {
    NEW: [],
    "submitted": ["submit"],
    "received": ["receive"],
    "processing": ["receive", "start"],
    "awaiting_supplement": ["receive", "start", "request_supplement"],
    "awaiting_payment": ["receive", "start", "request_payment"],
    "resolved": ["receive", "start", "resolve"],
    "refused": ["refuse"],
    "withdrawn": ["submit", "withdraw"],
    "stopped": ["receive", "stop"],
    "returned": ["receive", "start", "resolve", "return_result"],
}

EXPECTED_TABLE = {
    NEW: {
        "receive": "received",
        "refuse": "refused",
        "request_completion": "submitted",
        "submit": "submitted",
    },
    "submitted": {
        "receive": "received",
        "refuse": "refused",
        "request_completion": "submitted",
        "withdraw": "withdrawn",
    },
    "received": {
        "extend": "received",
        "start": "processing",
        "stop": "stopped",
        "transfer": "received",
        "withdraw": "withdrawn",
    },
    "processing": {
        "extend": "processing",
        "request_payment": "awaiting_payment",
        "request_supplement": "awaiting_supplement",
        "resolve": "resolved",
        "stop": "stopped",
        "transfer": "processing",
        "withdraw": "withdrawn",
    },
    "awaiting_supplement": {
        "extend": "awaiting_supplement",
        "stop": "stopped",
        "supplement": "processing",
        "withdraw": "withdrawn",
    },
    "awaiting_payment": {
        "confirm_payment": "processing",
        "extend": "awaiting_payment",
        "stop": "stopped",
        "withdraw": "withdrawn",
    },
    "refused": {},
    "withdrawn": {},
    "stopped": {},
    "resolved": {"return_result": "returned"},
    "returned": {},
}


def at_state(state: str, *, limit: str = LIMIT, **options: Any) -> Lifecycle:
    lc = Lifecycle(limit, code="H29-250303-0001", **options)
    t = vn(2025, 3, 3, 9)
    for event in PATHS[state]:
        lc.send(event, at=t, actor="tester", **OK.get(event, {}))
        t += dt.timedelta(hours=1)
    assert lc.state == state
    return lc


# -- the machine and its table -----------------------------------------------------------------


def test_table_is_derived_from_the_machine_and_matches_the_design():
    assert transition_table(DossierMachine) == EXPECTED_TABLE
    assert dict(TRANSITIONS) == EXPECTED_TABLE


def test_states_carry_national_codes_and_labels():
    # RULES.md §6
    values = [s.value for s in DossierMachine.states]
    assert values == [NEW, *(s.value for s in DossierStatus)]
    assert {s.value: s.name for s in DossierMachine.states}["submitted"] == "Mới đăng ký"
    assert [s.national_code for s in DossierStatus] == list(range(1, 11))
    assert {s.value for s in DossierMachine.final_states} == {
        "refused",
        "withdrawn",
        "stopped",
        "returned",
    }


def test_every_event_appears_and_has_a_label():
    events = {e for row in TRANSITIONS.values() for e in row}
    assert events == {e.value for e in DossierEvent}
    assert DossierEvent.EXTEND.label == "Xin lỗi và hẹn lại ngày trả kết quả"


@pytest.mark.parametrize(
    ("state", "event", "target"),
    [(s, e, t) for s, row in EXPECTED_TABLE.items() for e, t in row.items()],
)
def test_every_legal_transition(state: str, event: str, target: str):
    lc = at_state(state)
    entry = lc.send(event, at=vn(2025, 3, 4, 9), actor="officer", **OK.get(event, {}))
    assert lc.state == target
    assert entry.event == event
    assert entry.actor == "officer"
    assert entry.to_status == DossierStatus(target)
    assert entry.from_status == (None if state == NEW else DossierStatus(state))


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (s, e.value)
        for s in EXPECTED_TABLE
        for e in DossierEvent
        if e.value not in EXPECTED_TABLE[s]
    ],
)
def test_every_illegal_transition_is_rejected(state: str, event: str):
    lc = at_state(state)
    with pytest.raises(TransitionRejected) as info:
        lc.send(event, at=vn(2025, 3, 4, 9), **OK.get(event, {}))
    exc = info.value
    assert exc.details["dossier"] == "H29-250303-0001"
    assert exc.details["state"] == state
    assert exc.details["event"] == event
    assert exc.details["allowed"] == list(allowed_events(state))
    assert isinstance(exc.__cause__, DossierMachine.TransitionNotAllowed)
    assert lc.state == state
    assert len(lc.history) == len(PATHS[state])


def test_unknown_event_is_rejected_with_the_known_events():
    lc = at_state("processing")
    with pytest.raises(TransitionRejected, match=r"'archive' \(#2\).*unknown event.*allowed: ext"):
        lc.send("archive", at=vn(2025, 3, 4))


def test_allowed_events_for_list_views():
    assert allowed_events(DossierStatus.RESOLVED) == ("return_result",)
    assert at_state("received").allowed_events == (
        "extend",
        "start",
        "stop",
        "transfer",
        "withdraw",
    )
    with pytest.raises(ValueError, match="unknown lifecycle state 'archived'"):
        allowed_events("archived")


# -- validators --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "event", "payload", "message"),
    [
        ("submitted", "refuse", {}, "a reason is required (Decree 61/2018"),
        ("submitted", "refuse", {"reason": "  "}, "a reason is required"),
        ("submitted", "request_completion", {}, "the list of missing items is required"),
        ("processing", "request_supplement", {"missing": []}, "list of missing items"),
        ("processing", "request_supplement", {"missing": [""]}, "list of missing items"),
        ("processing", "resolve", {}, "outcome must be 'approved' or 'denied', not None"),
        ("processing", "resolve", {"outcome": "ok"}, "not 'ok'"),
        ("processing", "resolve", {"outcome": "denied"}, "a denial needs its reasons"),
        ("processing", "extend", {"reason": "x"}, "the new due date is required"),
        ("processing", "extend", {"new_due_at": vn(2025, 6, 1, 17)}, "a reason is required"),
        (
            "processing",
            "extend",
            {"reason": "x", "new_due_at": vn(2025, 3, 17, 17)},
            "is not later than the current due moment 2025-03-17T17:00:00+07:00",
        ),
        ("processing", "transfer", {}, "the receiving agency is required"),
        (
            "processing",
            "transfer",
            {"to_agency": "ubnd-huyen", "to_level": "region"},
            "level 'region' is not an authority level",
        ),
    ],
)
def test_validator_messages(state: str, event: str, payload: dict[str, Any], message: str):
    lc = at_state(state)
    before = lc.history
    with pytest.raises(BusinessRuleError) as info:
        lc.send(event, at=vn(2025, 3, 4, 9), **payload)
    assert message in str(info.value)
    assert f"dossier H29-250303-0001: event {event!r} (#{len(before)}) in state {state}" in str(
        info.value
    )
    assert lc.history == before
    assert lc.state == state


def test_returning_a_result_that_does_not_exist():
    # A dossier imported in status "resolved" without its decision.
    dossier = make_dossier(status="resolved")
    lc = Lifecycle.for_dossier(dossier, LIMIT)
    with pytest.raises(BusinessRuleError, match="there is no result to return"):
        lc.send("return_result", at=vn(2025, 3, 4))


def test_events_must_be_in_time_order():
    lc = at_state("received")
    with pytest.raises(BusinessRuleError, match="is before the previous event"):
        lc.send("start", at=vn(2025, 3, 3, 8))


def test_unknown_payload_key():
    lc = at_state("received")
    with pytest.raises(ValueError, match="unknown payload key 'handler'"):
        lc.send("start", at=vn(2025, 3, 4), handler="x")


def test_send_uses_the_clock_and_needs_one():
    lc = Lifecycle(LIMIT, clock=lambda: vn(2025, 3, 3, 9))
    assert lc.send("receive").at == vn(2025, 3, 3, 9)
    with pytest.raises(ValueError, match="needs at="):
        Lifecycle(LIMIT).send("receive")


# -- the clock ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pause_policy", "due"),
    [("pause", dt.date(2025, 3, 20)), ("restart", dt.date(2025, 3, 26))],
)
def test_row_27_supplement_pauses_or_restarts_the_clock(pause_policy: str, due: dt.date):
    # EXAMPLES.md row 27
    lc = Lifecycle(LIMIT, policy=DeadlinePolicy(pause_policy=pause_policy))  # type: ignore[arg-type]
    lc.send("receive", at=vn(2025, 3, 3, 9))
    assert lc.due_at == vn(2025, 3, 17, 17)
    lc.send("start", at=vn(2025, 3, 3, 10))
    lc.send("request_supplement", at=vn(2025, 3, 7, 16), missing=["Tờ khai"])
    assert lc.paused
    assert lc.status is DossierStatus.AWAITING_SUPPLEMENT
    assert lc.due_at == vn(2025, 3, 17, 17)  # frozen while paused
    entry = lc.send("supplement", at=vn(2025, 3, 12, 10))
    assert not lc.paused
    assert lc.due_at == dt.datetime.combine(due, dt.time(17), tzinfo=lc.due_at.tzinfo)
    assert entry.due_at == lc.due_at
    assert [(p.start, p.end) for p in lc.pauses] == [(vn(2025, 3, 7, 16), vn(2025, 3, 12, 10))]


def test_payment_pauses_and_resumes_like_a_supplement():
    lc = at_state("processing")
    lc.send("request_payment", at=vn(2025, 3, 7, 16))
    assert lc.paused
    lc.send("confirm_payment", at=vn(2025, 3, 12, 10))
    assert lc.due_at == vn(2025, 3, 20, 17)  # same shift as row 27
    assert lc.findings == ()  # payments are not supplement requests


def test_row_28_desk_incompleteness_runs_no_clock():
    # EXAMPLES.md row 28: guidance Mon 03/03/2025, received Thu 06/03/2025 10:00, 3 days
    lc = Lifecycle("3 ngày làm việc")
    entry = lc.send("request_completion", at=vn(2025, 3, 3, 9), missing=["Tờ khai"])
    assert lc.status is DossierStatus.SUBMITTED
    assert lc.deadline is None
    assert entry.due_at is None
    assert entry.from_status is None
    lc.send("receive", at=vn(2025, 3, 6, 10))
    assert lc.due_at == vn(2025, 3, 11, 17)


def test_repeated_desk_guidance_is_a_finding():
    lc = Lifecycle("3 ngày làm việc")
    lc.send("request_completion", at=vn(2025, 3, 3, 9), missing=["Tờ khai"])
    lc.send("request_completion", at=vn(2025, 3, 4, 9), missing=["Ảnh"])
    assert [f.code for f in lc.findings] == ["repeated_guidance"]
    assert lc.findings[0].event_index == 1


@pytest.mark.parametrize(
    ("reading", "last_ok", "first_late"),
    [
        ("working_day", vn(2025, 4, 29, 16), vn(2025, 5, 2, 9)),
        ("calendar_day", vn(2025, 5, 4, 9), vn(2025, 5, 5, 8)),
    ],
)
def test_row_37_apology_deadline(reading: str, last_ok: dt.datetime, first_late: dt.datetime):
    # EXAMPLES.md row 37: due Mon 05/05/2025 -> apology by Tue 29/04 (working) / Sun 04/05
    def due_on_5_may() -> Lifecycle:
        lc = Lifecycle("1 ngày làm việc", apology_reading=reading)  # type: ignore[arg-type]
        lc.send("receive", at=vn(2025, 4, 28, 16))  # row 10: due Mon 05/05/2025
        assert lc.due_at == vn(2025, 5, 5, 17)
        return lc

    ok = due_on_5_may()
    ok.send("extend", at=last_ok, reason="Cần xác minh", new_due_at=vn(2025, 5, 9, 17))
    assert ok.findings == ()
    assert ok.due_at == vn(2025, 5, 9, 17)
    assert ok.deadline is not None
    assert ok.deadline.extended_from == vn(2025, 5, 5, 17)
    late = due_on_5_may()
    late.send("extend", at=first_late, reason="Cần xác minh", new_due_at=vn(2025, 5, 9, 17))
    assert [f.code for f in late.findings] == ["late_apology"]


def test_second_extension_is_a_finding():
    lc = at_state("processing")
    lc.send("extend", at=vn(2025, 3, 5), reason="a", new_due_at=vn(2025, 3, 24, 17))
    lc.send("extend", at=vn(2025, 3, 6), reason="b", new_due_at=vn(2025, 3, 31, 17))
    assert [f.code for f in lc.findings] == ["second_extension"]
    assert lc.due_at == vn(2025, 3, 31, 17)


def test_pause_after_extension_moves_the_new_date():
    lc = at_state("processing")
    lc.send("extend", at=vn(2025, 3, 5), reason="a", new_due_at=vn(2025, 3, 24, 17))
    lc.send("request_supplement", at=vn(2025, 3, 7, 16), missing=["x"])
    lc.send("supplement", at=vn(2025, 3, 12, 10))
    # row 27's shift (3 working days) applied to Mon 24/03 -> Thu 27/03
    assert lc.due_at == vn(2025, 3, 27, 17)


def test_second_supplement_request_counts_as_overdue():
    # Decision 766/QĐ-TTg: more than one supplement request counts as overdue
    lc = at_state("processing")
    lc.send("request_supplement", at=vn(2025, 3, 4), missing=["a"])
    lc.send("supplement", at=vn(2025, 3, 5))
    lc.send("request_supplement", at=vn(2025, 3, 6), missing=["b"])
    lc.send("supplement", at=vn(2025, 3, 7))
    lc.send("resolve", at=vn(2025, 3, 10), outcome="approved")
    assert [f.code for f in lc.findings] == ["repeated_supplement"]
    assert lc.timeliness is Timeliness.LATE


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (vn(2025, 3, 14, 10), Timeliness.EARLY),
        (vn(2025, 3, 17, 16), Timeliness.ON_TIME),
        (vn(2025, 3, 18, 9), Timeliness.LATE),
    ],
)
def test_timeliness_at_resolution(finished: dt.datetime, expected: Timeliness):
    lc = at_state("processing")
    lc.send("resolve", at=finished, outcome="denied", reason="Không đủ điều kiện")
    assert lc.timeliness is expected
    assert lc.outcome == "denied"
    lc.send("return_result", at=finished + dt.timedelta(days=30))
    assert lc.timeliness is expected  # fixed at the first terminal event


def test_stop_while_paused_closes_the_pause_first():
    lc = at_state("processing")
    lc.send("request_supplement", at=vn(2025, 3, 7, 16), missing=["x"])
    lc.send("stop", at=vn(2025, 3, 24, 9), reason="Không bổ sung trong 7 ngày")
    # paused Fri 07/03 16:00 to Mon 24/03: 11 working days added to Mon 17/03
    assert not lc.paused
    assert lc.due_at == vn(2025, 4, 1, 17)
    assert lc.timeliness is Timeliness.EARLY


# -- regimes -----------------------------------------------------------------------------------


def test_regime_chosen_by_receipt_date():
    assert at_state("received").regime is Regime.DECREE_61_2018
    lc = Lifecycle(LIMIT)
    lc.send("submit", at=vn(2025, 6, 30, 9))
    assert lc.regime is Regime.DECREE_61_2018
    lc.send("receive", at=vn(2025, 7, 1, 9))
    assert lc.regime is Regime.DECREE_118_2025


def test_stop_notice_required_from_decree_118():
    old = at_state("received")
    old.send("stop", at=vn(2025, 3, 4))  # Decree 61/2018: no stop notice form
    new = Lifecycle(LIMIT)
    new.send("receive", at=vn(2025, 7, 1, 9))
    with pytest.raises(BusinessRuleError, match="Decree 118/2025"):
        new.send("stop", at=vn(2025, 7, 2))
    fixed = at_state("received", regime="decree-118-2025")
    with pytest.raises(BusinessRuleError, match="stop needs a written notice"):
        fixed.send("stop", at=vn(2025, 3, 4))


def test_district_level_only_before_decree_118():
    old = at_state("received")
    old.send("transfer", at=vn(2025, 3, 4), to_agency="ubnd-huyen", to_level="district")
    new = at_state("received", regime=Regime.DECREE_118_2025)
    with pytest.raises(BusinessRuleError, match="districts were abolished"):
        new.send("transfer", at=vn(2025, 3, 4), to_agency="ubnd-huyen", to_level="district")
    assert "03/2025" in Regime.DECREE_118_2025.apology_form
    assert "mẫu 04" in Regime.DECREE_61_2018.apology_form


# -- history and replay ------------------------------------------------------------------------


def full_history() -> Lifecycle:
    lc = Lifecycle(LIMIT, code="X")
    lc.send("submit", at=vn(2025, 3, 1, 20), actor="citizen")
    lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    lc.send("transfer", at=vn(2025, 3, 3, 10), to_agency="so-tu-phap")
    lc.send("start", at=vn(2025, 3, 3, 11), actor="handler")
    lc.send("request_supplement", at=vn(2025, 3, 7, 16), missing=["Tờ khai"])
    lc.send("supplement", at=vn(2025, 3, 12, 10))
    lc.send("extend", at=vn(2025, 3, 19, 9), reason="Xác minh", new_due_at=vn(2025, 3, 27, 17))
    lc.send("resolve", at=vn(2025, 3, 26, 9), outcome="approved")
    lc.send("return_result", at=vn(2025, 3, 27, 9))
    return lc


@pytest.mark.parametrize("engine", ["machine", "table"])
def test_replay_reproduces_state_deadline_and_history(engine: str):
    lc = full_history()
    again = Lifecycle.replay(lc.history, LIMIT, code="X", engine=engine)  # type: ignore[arg-type]
    assert again.state == lc.state == "returned"
    assert again.deadline == lc.deadline
    assert again.history == lc.history
    assert again.findings == lc.findings == ()
    assert again.timeliness is Timeliness.EARLY
    assert [e.model_dump() for e in again.history] == [e.model_dump() for e in lc.history]


def test_replay_reports_the_index_of_the_first_illegal_event():
    events = [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {"event": "resolve", "at": "2025-03-04T09:00+07:00", "outcome": "approved"},
    ]
    for engine in ("machine", "table"):
        with pytest.raises(TransitionRejected) as info:
            Lifecycle.replay(events, LIMIT, engine=engine)  # type: ignore[arg-type]
        assert info.value.details["index"] == 1
        assert info.value.details["state"] == "received"


def test_history_entries_record_deadline_after_and_are_append_only():
    lc = full_history()
    assert [e.due_at for e in lc.history][:2] == [None, vn(2025, 3, 17, 17)]
    assert lc.history[-1].due_at == vn(2025, 3, 27, 17)
    assert lc.history[4].note is None
    assert lc.history[4].payload == {"missing": ["Tờ khai"]}
    assert isinstance(lc.history, tuple)


def test_dossier_round_trip():
    dossier = make_dossier()
    lc = full_history()
    lc.apply_to(dossier)
    assert dossier.status is DossierStatus.RETURNED
    assert dossier.received_at == vn(2025, 3, 3, 9)
    again = Lifecycle.for_dossier(dossier, LIMIT)
    assert again.deadline == lc.deadline
    assert again.code == dossier.code


def test_validate_history_without_a_machine():
    lc = full_history()
    assert validate_history(lc.history).valid
    assert validate_history([e.event for e in lc.history]).state == "returned"
    bad = validate_history(
        [
            {"event": "receive", "at": "2025-03-03T09:00"},
            {"event": "start", "at": "2025-03-03T10:00"},
            {"event": "resolve", "at": "2025-03-03T11:00", "outcome": "denied"},
        ]
    )
    assert (bad.valid, bad.index, bad.state) == (False, 2, "processing")
    assert "a denial needs its reasons" in bad.message
    late = validate_history(
        [
            {"event": "receive", "at": "2025-07-01T09:00"},
            {"event": "stop", "at": "2025-07-02T09:00"},
        ]
    )
    assert late.index == 1
    assert "Decree 118/2025" in late.message


# -- the diagram -------------------------------------------------------------------------------


def test_mermaid_golden_and_docs_in_sync():
    # Regenerate with: python -c "from mot_cua.lifecycle import lifecycle_mermaid as m;
    # open('tests/golden/lifecycle.mmd','w').write(m())" and paste it into docs/lifecycle.md.
    diagram = lifecycle_mermaid()
    assert diagram == (ROOT / "tests" / "golden" / "lifecycle.mmd").read_text(encoding="utf-8")
    assert "```mermaid\n" + diagram + "```" in (ROOT / "docs" / "lifecycle.md").read_text(
        encoding="utf-8"
    )
    for source, row in TRANSITIONS.items():
        for event, target in row.items():
            assert any(
                line.startswith(f"    {source} --> {target} : ") and event in line
                for line in diagram.splitlines()
            )


# -- review fixes: the machine, the table and the replay agree on every rule -------------------


@pytest.mark.parametrize("name", ["check_rules", "apply_effects", "send", "received", "model"])
def test_machine_attribute_names_are_unknown_events(name: str):
    # An event name that happens to be a machine attribute must not reach python-statemachine.
    lc = at_state("received")
    with pytest.raises(TransitionRejected, match=rf"'{name}' \(#1\).*unknown event"):
        lc.send(name, at=vn(2025, 3, 4))
    with pytest.raises(TransitionRejected):
        Lifecycle.replay(
            [
                {"event": "receive", "at": "2025-03-03T09:00+07:00"},
                {"event": name, "at": "2025-03-04T09:00+07:00"},
            ],
            LIMIT,
        )
    assert validate_history(["receive", name]).index == 1


BACKWARDS = [
    {"event": "receive", "at": "2025-03-03T09:00+07:00"},
    {"event": "start", "at": "2025-03-03T10:00+07:00"},
    {"event": "transfer", "at": "2025-03-03T09:59+07:00", "to_agency": "so-tu-phap"},
]


@pytest.mark.parametrize("engine", ["machine", "table"])
def test_time_going_backwards_is_rejected_at_its_index_everywhere(engine: str):
    with pytest.raises(BusinessRuleError, match=r"'transfer' \(#2\).*before the previous event"):
        Lifecycle.replay(BACKWARDS, LIMIT, engine=engine)  # type: ignore[arg-type]
    check = validate_history(BACKWARDS)
    assert (check.valid, check.index, check.event, check.state) == (
        False,
        2,
        "transfer",
        "processing",
    )
    assert "is before the previous event (2025-03-03T10:00:00+07:00)" in check.message
    # Equal instants are in order; another offset for the same instant is too.
    same = [*BACKWARDS[:2], {**BACKWARDS[2], "at": "2025-03-03T03:00:00+00:00"}]
    assert validate_history(same).valid
    assert Lifecycle.replay(same, LIMIT).state == "processing"


@pytest.mark.parametrize(
    ("receipt", "regime"),
    [
        # RULES.md §1: Decree 118/2025 from 01/07/2025, judged on the Vietnamese calendar date
        ("2025-06-30T16:59:59+00:00", Regime.DECREE_61_2018),  # 23:59:59 on 30/06 in Hà Nội
        ("2025-06-30T17:00:00+00:00", Regime.DECREE_118_2025),  # 00:00 on 01/07 in Hà Nội
        ("2025-07-01T00:00", Regime.DECREE_118_2025),
    ],
)
def test_regime_switch_at_midnight_vietnam_time(receipt: str, regime: Regime):
    events = [
        {"event": "receive", "at": receipt},
        {"event": "stop", "at": "2025-07-02T09:00+07:00"},  # no stop notice
    ]
    check = validate_history(events)
    if regime is Regime.DECREE_61_2018:
        assert check.valid
        assert Lifecycle.replay(events, LIMIT).regime is regime
    else:
        assert (check.valid, check.index) == (False, 1)
        assert "Decree 118/2025" in check.message
        with pytest.raises(BusinessRuleError, match="Decree 118/2025"):
            Lifecycle.replay(events, LIMIT)
    assert Lifecycle.replay(events[:1], LIMIT).regime is regime


def test_validate_history_with_a_fixed_regime_agrees_with_the_lifecycle():
    events = [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {"event": "stop", "at": "2025-03-04T09:00+07:00"},
    ]
    assert validate_history(events).valid
    check = validate_history(events, regime="decree-118-2025")
    assert (check.valid, check.index) == (False, 1)
    with pytest.raises(BusinessRuleError, match="stop needs a written notice"):
        Lifecycle.replay(events, LIMIT, regime="decree-118-2025")


def test_unknown_regime_is_an_input_error_listing_the_regimes():
    known = r"regime 'decree-2030' is unknown; use one of: decree-61-2018, decree-118-2025"
    with pytest.raises(ValueError, match=known):
        Lifecycle(LIMIT, regime="decree-2030")
    with pytest.raises(ValueError, match="regime 'decree-2030'"):
        validate_history([], regime="decree-2030")


def test_validate_history_reports_an_unreadable_instant_with_its_index():
    with pytest.raises(ValueError, match=r"events\[1\]\.at='03/03/2025' is not an ISO 8601"):
        validate_history(
            [
                {"event": "submit", "at": "2025-03-01T09:00+07:00"},
                {"event": "receive", "at": "03/03/2025"},
            ]
        )


def test_replay_does_not_mutate_its_input_and_refuses_conflicting_payloads():
    events = [{"event": "refuse", "at": "2025-03-03T09:00+07:00", "payload": {"note": "n"}}]
    events[0]["reason"] = "Không thuộc thẩm quyền"
    lc = Lifecycle.replay(events, LIMIT)
    assert lc.history[0].payload == {"note": "n", "reason": "Không thuộc thẩm quyền"}
    assert events[0]["payload"] == {"note": "n"}
    conflict = [{**events[0], "payload": {"reason": "khác"}}]
    with pytest.raises(ValueError, match=r"\(#0\) gives payload key 'reason' twice"):
        Lifecycle.replay(conflict, LIMIT)
    with pytest.raises(ValueError, match=r"\(#0\) gives payload key 'reason' twice"):
        validate_history(conflict)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("receive", r"event #0 must be an object"),
        (
            {"event": "receive", "at": "2025-03-03T09:00+07:00", "payload": ["x"]},
            r"'payload' of event 'receive' \(#0\) must be an object",
        ),
    ],
)
def test_replay_rejects_malformed_items(item: Any, message: str):
    with pytest.raises(ValueError, match=message):
        Lifecycle.replay([item], LIMIT)


def test_a_serialised_history_replays_and_validates():
    # Dossier.history as JSON (HistoryEntry.model_dump) is a valid replay input.
    lc = full_history()
    dumped = [e.model_dump(mode="json") for e in lc.history]
    again = Lifecycle.replay(dumped, LIMIT, code="X")
    assert again.history == lc.history
    assert again.deadline == lc.deadline
    assert validate_history(dumped).valid
    assert Lifecycle.replay(dumped, LIMIT, code="X", engine="table").history == lc.history


def test_history_entries_in_another_offset_are_read_in_vietnam_time():
    lc = Lifecycle(LIMIT)
    lc.send("receive", at=dt.datetime(2025, 6, 30, 18, tzinfo=dt.UTC))  # 01/07 01:00 in VN
    assert lc.regime is Regime.DECREE_118_2025
    assert lc.history[0].at == vn(2025, 7, 1, 1)
    assert Lifecycle.replay(lc.history, LIMIT).regime is Regime.DECREE_118_2025


def test_extend_new_due_at_must_be_an_aware_instant():
    lc = at_state("processing")
    with pytest.raises(ValueError, match="new_due_at=2025-03-20T17:00 has no UTC offset"):
        lc.send("extend", at=vn(2025, 3, 4), reason="x", new_due_at="2025-03-20T17:00")
    with pytest.raises(ValueError, match="has no UTC offset"):
        lc.send("extend", at=vn(2025, 3, 4), reason="x", new_due_at=dt.datetime(2025, 3, 20, 17))
    with pytest.raises(BusinessRuleError, match=r"new_due_at='mai' is not an ISO 8601 date-time"):
        lc.send("extend", at=vn(2025, 3, 4), reason="x", new_due_at="mai")
    assert len(lc.history) == 2
    entry = lc.send("extend", at=vn(2025, 3, 4), reason="x", new_due_at="2025-03-20T10:00Z")
    assert entry.payload["new_due_at"] == "2025-03-20T17:00:00+07:00"
    assert lc.due_at == vn(2025, 3, 20, 17)


def test_replay_files_read_naive_instants_in_vietnam_time():
    events: list[dict[str, Any]] = [
        {"event": "receive", "at": "2025-03-03T09:00"},
        {
            "event": "extend",
            "at": "2025-03-04T09:00",
            "reason": "x",
            "new_due_at": "2025-03-20T17:00",
        },
    ]
    lc = Lifecycle.replay(events, LIMIT)
    assert lc.due_at == vn(2025, 3, 20, 17)
    assert lc.history[1].payload["new_due_at"] == "2025-03-20T17:00:00+07:00"
    assert Lifecycle.replay(lc.history, LIMIT).history == lc.history


def test_a_new_due_date_of_the_wrong_type_is_refused_alike_everywhere():
    events: list[dict[str, Any]] = [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {"event": "extend", "at": "2025-03-04T09:00+07:00", "reason": "x", "new_due_at": 5},
    ]
    with pytest.raises(InvalidInputError, match="new_due_at must be an aware datetime") as one:
        validate_history(events)
    with pytest.raises(InvalidInputError, match="new_due_at must be an aware datetime") as two:
        Lifecycle.replay(events, LIMIT)
    assert one.value.details["index"] == two.value.details["index"] == 1


@pytest.mark.parametrize("new_due_at", ["mai", ""])
def test_validate_history_checks_the_new_due_date_like_the_lifecycle(new_due_at: Any):
    events = [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {
            "event": "extend",
            "at": "2025-03-04T09:00+07:00",
            "reason": "x",
            "new_due_at": new_due_at,
        },
    ]
    check = validate_history(events)
    assert (check.valid, check.index) == (False, 1)
    with pytest.raises(BusinessRuleError) as info:
        Lifecycle.replay(events, LIMIT)
    assert info.value.details["index"] == 1
    assert check.message.split(": ", 1)[1] in str(info.value)


def test_a_transfer_level_that_is_not_text_is_refused_alike_everywhere():
    lc = at_state("received")
    with pytest.raises(InvalidInputError, match="to_level must be text, not int"):
        lc.send("transfer", at=vn(2025, 3, 4), to_agency="x", to_level=3)
    with pytest.raises(InvalidInputError, match="to_level must be text, not int"):
        validate_history(
            [{"event": "receive"}, {"event": "transfer", "to_agency": "x", "to_level": 3}]
        )


@pytest.mark.parametrize(
    ("level", "message"),
    [
        ("region", "level 'region' is not an authority level; levels: ministry, province, dist"),
    ],
)
def test_transfer_level_is_checked_the_same_everywhere(level: Any, message: str):
    lc = at_state("received")
    with pytest.raises(BusinessRuleError, match=message) as info:
        lc.send("transfer", at=vn(2025, 3, 4), to_agency="x", to_level=level)
    assert "abolished" not in str(info.value)  # Decree 61/2018 still has districts
    # without instants validate_history does not know the regime, but still knows the levels
    check = validate_history(
        [{"event": "receive"}, {"event": "transfer", "to_agency": "x", "to_level": level}]
    )
    assert (check.valid, check.index) == (False, 1)
    assert message in check.message


def test_finding_codes_are_stable_and_documented():
    from mot_cua.lifecycle import FINDING_CODES

    assert set(FINDING_CODES) == {
        "late_apology",
        "recorded_mismatch",
        "repeated_guidance",
        "repeated_supplement",
        "second_extension",
    }
    docs = (ROOT / "docs" / "lifecycle.md").read_text(encoding="utf-8")
    for code in FINDING_CODES:
        assert f"`{code}`" in docs
        assert f"``{code}``" in (Finding.__doc__ or "")


def test_pause_after_extension_keeps_saturdays_off_when_the_policy_says_so():
    # Received Tue 08/04/2025 09:00, 5 working days -> Tue 15/04; apology moves it to Fri 25/04;
    # a pause of one working day moves the appointment one working day. Sat 26/04/2025 is a
    # worked Saturday (holidays.VN), not with worked_saturdays=False.
    def run(*, saturdays: bool) -> dt.datetime | None:
        lc = Lifecycle("5 ngày làm việc", policy=DeadlinePolicy(worked_saturdays=saturdays))
        lc.send("receive", at=vn(2025, 4, 8, 9))
        lc.send("start", at=vn(2025, 4, 8, 10))
        lc.send("extend", at=vn(2025, 4, 9, 9), reason="r", new_due_at=vn(2025, 4, 25, 17))
        lc.send("request_supplement", at=vn(2025, 4, 10, 9), missing=["x"])
        lc.send("supplement", at=vn(2025, 4, 11, 9))
        return lc.due_at

    assert run(saturdays=True) == vn(2025, 4, 26, 17)
    assert run(saturdays=False) == vn(2025, 4, 28, 17)


@pytest.mark.parametrize("engine", ["machine", "table"])
def test_replay_reproduces_findings_exactly(engine: str):
    lc = at_state("processing")
    lc.send("extend", at=vn(2025, 3, 16, 9), reason="a", new_due_at=vn(2025, 3, 24, 17))
    lc.send("extend", at=vn(2025, 3, 17, 9), reason="b", new_due_at=vn(2025, 3, 25, 17))
    lc.send("request_supplement", at=vn(2025, 3, 18, 9), missing=["a"])
    lc.send("supplement", at=vn(2025, 3, 19, 9))
    lc.send("request_supplement", at=vn(2025, 3, 20, 9), missing=["b"])
    lc.send("stop", at=vn(2025, 3, 21, 9), reason="r")
    codes = ["late_apology", "second_extension", "repeated_supplement"]
    assert [f.code for f in lc.findings] == codes
    assert lc.timeliness is Timeliness.LATE
    again = Lifecycle.replay(lc.history, LIMIT, code=lc.code, engine=engine)  # type: ignore[arg-type]
    assert again.findings == lc.findings
    assert again.to_dict() == lc.to_dict()


def test_apology_deadline_keeps_saturdays_off_when_the_policy_says_so():
    # Due Mon 28/04/2025 (2 working days from Thu 24/04, Saturdays not worked): the last day for
    # the apology is Fri 25/04, not the worked Saturday 26/04/2025 of the national calendar.
    lc = Lifecycle("2 ngày làm việc", policy=DeadlinePolicy(worked_saturdays=False))
    lc.send("receive", at=vn(2025, 4, 24, 9))
    assert lc.due_at == vn(2025, 4, 28, 17)
    lc.send("extend", at=vn(2025, 4, 26, 10), reason="r", new_due_at=vn(2025, 5, 6, 17))
    assert [f.code for f in lc.findings] == ["late_apology"]
    assert "after the last allowed day 25/04/2025" in lc.findings[0].message


# -- issue 8: hardening ------------------------------------------------------------------------


def test_item6_provisional_survives_extension_supplement_and_resume():
    # Received 01/12/2026 (official year), extended to 20/01/2027 (provisional year), paused
    # 02/12/2026-05/01/2027: the shift of the new date is counted on the 2027 calendar.
    from mot_cua import WorkingCalendar

    quiet = WorkingCalendar.vietnam(on_provisional="ignore")  # flagged, not warned
    lc = Lifecycle(LIMIT, code="X", calendar=quiet)
    lc.send("receive", at=vn(2026, 12, 1, 9), actor="desk")
    lc.send("start", at=vn(2026, 12, 1, 10), actor="desk")
    lc.send("extend", at=vn(2026, 12, 1, 11), reason="r", new_due_at=vn(2027, 1, 20, 17))
    lc.send("request_supplement", at=vn(2026, 12, 2, 9), missing=["a"])
    lc.send("supplement", at=vn(2027, 1, 5, 9))
    assert lc.due_at is not None
    assert lc.due_at.year == 2027
    assert lc.to_dict()["provisional"] is True
    assert lc.provisional
    assert lc.deadline is not None
    assert lc.deadline.provisional
    # Within an official year nothing is flagged.
    plain = at_state("processing")
    assert plain.to_dict()["provisional"] is False
    assert plain.to_dict()["uncertain_days"] == []


def test_item6_uncertain_days_are_reported_by_the_lifecycle():
    # Vietnam Culture Day 24/11/2026 is pending law: a due date computed across it says so.
    lc = Lifecycle("trong ngày", code="X")
    lc.send("receive", at=vn(2026, 11, 23, 16), actor="desk")
    assert lc.due_at == vn(2026, 11, 25, 17)
    summary = lc.to_dict()
    assert [u["date"] for u in summary["uncertain_days"]] == ["2026-11-24"]
    assert summary["uncertain_days"][0]["status"] == "pending"
    assert [u.date for u in lc.uncertain_days] == [dt.date(2026, 11, 24)]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"actor": " "}, "actor ' ' is blank"),
        ({"actor": ""}, "actor '' is blank"),
        ({"actor": 5}, "actor 5 is not text"),
        ({"note": b"x"}, "note must be text, not bytes"),
        ({"reason": 5}, "reason must be text, not int"),
        ({"missing": "Tờ khai"}, "missing must be a list of texts"),
        ({"bogus": 1}, "unknown payload key 'bogus'"),
    ],
)
def test_item14_bad_actor_or_payload_is_our_error_naming_the_field(
    kwargs: dict[str, Any], fragment: str
):
    from pydantic import ValidationError

    lc = Lifecycle(LIMIT, code="X")
    send_kwargs: dict[str, Any] = {"actor": "desk", **kwargs}
    with pytest.raises(InvalidInputError, match=fragment) as info:
        lc.send("receive", at=vn(2025, 3, 3, 9), **send_kwargs)
    assert not isinstance(info.value, ValidationError)
    assert info.value.details["index"] == 0
    assert lc.history == ()  # nothing recorded


@pytest.mark.parametrize("actor", [" ", ""])
def test_item14_histories_with_a_blank_actor_replay_with_a_clear_error(actor: str):
    events = [{"event": "receive", "at": "2025-03-03T09:00+07:00", "actor": actor}]
    with pytest.raises(InvalidInputError, match="blank") as info:
        Lifecycle.replay(events, LIMIT)
    assert info.value.details["field"] == "actor"
    with pytest.raises(InvalidInputError, match="blank"):
        validate_history(events)
    saved = [e.model_dump(mode="json") for e in at_state("received").history]
    saved[0]["actor"] = actor
    with pytest.raises(InvalidInputError, match="actor"):
        Lifecycle.replay(saved, LIMIT)
    with pytest.raises(InvalidInputError, match="blank"):
        validate_history(saved)


def _saved(state: str = "processing") -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in at_state(state).history]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"payload": {"bogus": 1}}, "unknown payload key 'bogus'"),
        ({"to_status": "archived"}, "to_status"),
        ({"actor": "  "}, "actor"),
    ],
)
def test_item17_validate_history_refuses_what_replay_refuses(change: dict[str, Any], fragment: str):
    saved = _saved()
    saved[1].update(change)
    with pytest.raises(InvalidInputError, match=fragment) as replayed:
        Lifecycle.replay(saved, LIMIT)
    with pytest.raises(InvalidInputError, match=fragment) as checked:
        validate_history(saved)
    assert replayed.value.details["index"] == checked.value.details["index"] == 1


def test_item17_unknown_payload_key_of_an_event_object_is_refused_by_both():
    events = [{"event": "receive", "at": "2025-03-03T09:00+07:00", "colour": "red"}]
    with pytest.raises(InvalidInputError, match="unknown payload key 'colour'"):
        Lifecycle.replay(events, LIMIT)
    with pytest.raises(InvalidInputError, match="unknown payload key 'colour'"):
        validate_history(events)


def test_item17_a_tampered_status_or_due_date_is_a_finding_or_an_error():
    saved = _saved()
    saved[0]["due_at"] = "2025-04-30T17:00:00+07:00"
    saved[1]["to_status"] = "received"
    lc = Lifecycle.replay(saved, LIMIT)
    found = [f for f in lc.findings if f.code == "recorded_mismatch"]
    assert [f.event_index for f in found] == [0, 1]
    assert "due_at 2025-04-30T17:00:00+07:00 (recomputed: 2025-03-17T17:00:00+07:00)" in (
        found[0].message
    )
    assert "to_status 'received' (recomputed: 'processing')" in found[1].message
    with pytest.raises(BusinessRuleError, match="history entry #0") as info:
        Lifecycle.replay(saved, LIMIT, strict=True)
    assert info.value.details["index"] == 0
    check = validate_history(saved)
    assert (check.valid, check.index) == (False, 1)
    assert "records to_status 'received'" in check.message
    # An untouched saved history replays silently, even strictly.
    assert Lifecycle.replay(_saved(), LIMIT, strict=True).findings == ()


def test_item21_transfer_carries_from_agency():
    lc = at_state("received")
    entry = lc.send("transfer", at=vn(2025, 3, 4), to_agency="cong-an", from_agency="ubnd")
    assert entry.payload == {"to_agency": "cong-an", "from_agency": "ubnd"}
    assert "from_agency" in PAYLOAD_KEYS
    again = Lifecycle.replay(lc.history, LIMIT, code=lc.code, strict=True)
    assert again.history == lc.history


@pytest.mark.parametrize(
    ("new_due", "fragment", "suggested"),
    [
        (vn(2025, 3, 23, 23), "Sunday 23/03/2025", "2025-03-24T23:00:00+07:00"),
        (vn(2025, 4, 30, 10), "Wednesday 30/04/2025", "2025-05-05T10:00:00+07:00"),
    ],
)
def test_item22_an_extension_to_a_day_off_is_refused(
    new_due: dt.datetime, fragment: str, suggested: str
):
    lc = at_state("processing")
    with pytest.raises(BusinessRuleError, match=fragment) as info:
        lc.send("extend", at=vn(2025, 3, 5, 9), reason="r", new_due_at=new_due)
    assert info.value.details["suggestion"] == suggested
    assert "Civil Code 2015 Art. 148" in str(info.value)
    events = [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {"event": "extend", "at": "2025-03-05T09:00+07:00", "reason": "r",
         "new_due_at": new_due.isoformat()},
    ]  # fmt: skip
    with pytest.raises(BusinessRuleError, match=fragment):
        Lifecycle.replay(events, LIMIT)
    lc.send("extend", at=vn(2025, 3, 5, 9), reason="r", new_due_at=vn(2025, 3, 24, 17))
    assert lc.due_at == vn(2025, 3, 24, 17)


def test_item25_a_withdrawal_counts_as_on_time_never_early_nor_late():
    lc = at_state("received")
    lc.send("withdraw", at=vn(2025, 3, 3, 11))  # one hour after receipt (10:00)
    assert lc.timeliness is Timeliness.ON_TIME
    late = at_state("processing")
    late.send("withdraw", at=vn(2025, 4, 30, 9))  # long after the due date
    assert late.timeliness is Timeliness.ON_TIME
    early_resolve = at_state("processing")
    early_resolve.send("resolve", at=vn(2025, 3, 4, 9), outcome="approved")
    assert early_resolve.timeliness is Timeliness.EARLY


def test_section7_apply_to_keeps_the_dossier_valid_at_every_step():
    lc = at_state("awaiting_supplement")
    dossier = make_dossier(code=lc.code)
    lc.apply_to(dossier)
    assert dossier.status is DossierStatus.AWAITING_SUPPLEMENT
    assert dossier.deadline == lc.deadline
    with pytest.raises(InvalidInputError, match="needs a Dossier"):
        lc.apply_to("not a dossier")  # type: ignore[arg-type]


def test_item6_an_extension_across_a_pending_day_flags_the_deadline_itself():
    lc = Lifecycle("1 ngày làm việc", code="X")
    lc.send("receive", at=vn(2026, 11, 19, 9), actor="desk")  # due Fri 20/11/2026
    assert lc.deadline is not None
    assert lc.deadline.uncertain_days == ()
    lc.send("extend", at=vn(2026, 11, 19, 10), reason="r", new_due_at=vn(2026, 11, 25, 17))
    assert [u.date for u in lc.deadline.uncertain_days] == [dt.date(2026, 11, 24)]
    assert [u["date"] for u in lc.to_dict()["uncertain_days"]] == ["2026-11-24"]
    assert lc.to_dict()["provisional"] is False
