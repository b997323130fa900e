"""Tests of mot_cua.catalog: the shipped sample, look-ups, search, and bad catalogues."""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua.catalog import Catalog, Problem, _default_catalog, check_location, normalize_text
from mot_cua.errors import (
    CatalogError,
    CatalogWarning,
    MotCuaError,
    RouteError,
    UnknownAgencyError,
    UnknownProcedureError,
)
from mot_cua.limits import TimeUnit
from mot_cua.models import Agency, Location, Procedure

AGENCY = {"code": "ubnd-xa", "name": "UBND xã", "level": "commune"}
PROC = {
    "id": "p1",
    "name": "Đăng ký khai sinh",
    "field": "Hộ tịch",
    "level": "commune",
    "lead_agency": "ubnd-xa",
    "time_limit": "trong ngày",
    "time_limit_basis": {"document": "60/2014/QH13", "article": "Art. 16"},
    "legal_basis": [{"document": "60/2014/QH13"}],
}

ROUTE = {
    "limit": "2 ngày làm việc",
    "stages": [{"steps": [{"agency": "ubnd-xa", "budget": "2 ngày làm việc"}]}],
}

# -- the shipped sample -------------------------------------------------------------------------


def test_default_catalogue_loads_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fresh = _default_catalog.__wrapped__()  # bypass the cache: really load the files
    assert fresh.warnings == ()
    assert len(fresh) == len(Catalog.default())
    assert Catalog.default() is Catalog.default()  # cached


def test_default_catalogue_has_the_procedures_the_issue_asks_for() -> None:
    cat = Catalog.default()
    assert len(cat) >= 12
    expected = {
        "doanh-nghiep.dang-ky-thanh-lap": ("3 ngày làm việc", "Art. 26"),
        "chung-thuc.ban-sao-tu-ban-chinh": ("trong ngày", "Art. 7"),
        "ho-tich.dang-ky-khai-sinh": ("trong ngày", "Art. 16"),
        "ho-tich.dang-ky-khai-tu": ("trong ngày", "Art. 34"),
        "ho-tich.dang-ky-ket-hon": ("trong ngày", "Art. 18"),
        "xay-dung.cap-giay-phep-nha-o-rieng-le": ("15 ngày", "Art. 102"),
        "tu-phap.cap-phieu-ly-lich-tu-phap": ("10 ngày", "Art. 48"),
        "xuat-nhap-canh.cap-ho-chieu-pho-thong": ("8 ngày làm việc", "Art. 15"),
        "cu-tru.dang-ky-thuong-tru": ("7 ngày làm việc", "Art. 22"),
    }
    for pid, (limit, article) in expected.items():
        proc = cat.get(pid)
        assert str(proc.time_limit) == limit, pid
        assert proc.time_limit_basis is not None
        assert proc.time_limit_basis.article == article, pid
    land = cat.get("dat-dai.dang-ky-lan-dau")
    assert land.time_limit is not None
    assert (land.time_limit.value, land.time_limit.extension) == (20, 10)
    assert land.time_limit.unit is TimeUnit.WORKING_DAYS
    assert land.time_limit_basis is not None
    assert land.time_limit_basis.document == "101/2024/NĐ-CP"
    assert land.excluded_from_limit  # tax time not counted
    marriage = cat.get("ho-tich.dang-ky-ket-hon")
    assert str(marriage.time_limit_variants[0].time_limit) == "5 ngày làm việc"
    assert cat.get("giao-thong.doi-giay-phep-lai-xe").time_limit is None
    groups = [p for p in cat if p.route_id]
    assert {p.route_id for p in groups} == {
        "decree63-birth",
        "decree63-death",
        "land-first-registration",
    }
    decree63 = [p for p in groups if p.route_id and p.route_id.startswith("decree63")]
    assert all(p.channels == ("online",) for p in decree63)
    assert cat.route("decree63-birth").id == "decree63-birth"


@pytest.mark.parametrize("proc", Catalog.default().procedures, ids=lambda p: p.id)
def test_every_shipped_procedure_sources_its_numbers(proc: Procedure) -> None:
    # Contract test (STYLE.md rule 14): every number has a source; nothing is invented.
    assert proc.national_code is None  # no verified national codes in the sample
    assert proc.legal_basis
    if proc.time_limit is None:
        assert any("not" in n for n in proc.notes)
    else:
        assert proc.time_limit_basis is not None
        assert proc.time_limit_basis.article
    for fee in proc.fees:
        assert fee.basis.article
    for variant in proc.time_limit_variants:
        assert variant.basis.article
    cat = Catalog.default()
    for code in (proc.lead_agency, *proc.coordinating_agencies):
        assert cat.agency(code).code == code


def test_shipped_agency_locations_exist_after_2025() -> None:
    for agency in Catalog.default().agencies.values():
        if agency.location is not None:
            assert check_location(agency.location) == []


# -- look-ups and search ------------------------------------------------------------------------


def test_lookups_and_their_errors() -> None:
    cat = Catalog.default()
    assert "ho-tich.dang-ky-khai-sinh" in cat
    with pytest.raises(UnknownProcedureError, match="no procedure 'nope'"):
        cat.get("nope")
    with pytest.raises(UnknownProcedureError, match="national code"):
        cat.by_national_code("1.001193")
    with pytest.raises(UnknownAgencyError):
        cat.agency("nope")
    with pytest.raises(LookupError):
        cat.get("nope")


def test_lookup_by_national_code() -> None:
    cat = Catalog.from_data(
        {"agencies": [AGENCY], "procedures": [{**PROC, "national_code": "X.123"}]}
    )
    assert cat.by_national_code(" X.123 ").id == "p1"


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("khai sinh", None, ["ho-tich.dang-ky-khai-sinh", "lien-thong.khai-sinh-thuong-tru-bhyt"]),
        ("KHAI SINH", None, ["ho-tich.dang-ky-khai-sinh", "lien-thong.khai-sinh-thuong-tru-bhyt"]),
        ("đăng ký kết hôn", None, ["ho-tich.dang-ky-ket-hon"]),
        ("dang ky ket hon", None, ["ho-tich.dang-ky-ket-hon"]),  # đ -> d, no diacritics
        ("ho chieu", None, ["xuat-nhap-canh.cap-ho-chieu-pho-thong"]),
        (
            "",
            "hộ tịch",
            ["ho-tich.dang-ky-khai-sinh", "ho-tich.dang-ky-khai-tu", "ho-tich.dang-ky-ket-hon"],
        ),
        ("khai", "ho tich", ["ho-tich.dang-ky-khai-sinh", "ho-tich.dang-ky-khai-tu"]),
        ("giấy phép xây dựng", None, ["xay-dung.cap-giay-phep-nha-o-rieng-le"]),
        ("tàu vũ trụ", None, []),
    ],
)
def test_search(query: str, field: str | None, expected: list[str]) -> None:
    assert [p.id for p in Catalog.default().search(query, field=field)] == expected


def test_normalize_text() -> None:
    assert normalize_text("Đường ĐI Đâu") == "duong di dau"
    assert normalize_text("Hộ\u0323 tịch") == "ho tich"


def test_fields() -> None:
    assert "Hộ tịch" in Catalog.default().fields()


# -- loading files ------------------------------------------------------------------------------


def test_load_folder_of_toml_and_json(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(
        '[[agencies]]\ncode = "ubnd-xa"\nname = "UBND xã"\nlevel = "commune"\n', encoding="utf-8"
    )
    sub = tmp_path / "procedures"
    sub.mkdir()
    (sub / "p.json").write_text(
        json.dumps({"procedures": [PROC], "routes": {"r1": ROUTE}}), encoding="utf-8"
    )
    (tmp_path / "README.txt").write_text("ignored", encoding="utf-8")
    cat = Catalog.load(tmp_path)
    assert [p.id for p in cat] == ["p1"]
    assert list(cat.routes) == ["r1"]
    assert cat.route("r1").stages[0].steps[0].agency == "ubnd-xa"
    assert repr(cat) == "<Catalog: 1 agencies, 1 procedures, 1 routes>"


def test_single_json_file_needs_its_agencies(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"procedures": [PROC]}), encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown agency 'ubnd-xa'"):
        Catalog.load(path)


def test_constructor_checks_references() -> None:
    agency = Agency.model_validate(AGENCY)
    proc = Procedure.model_validate(PROC)
    assert len(Catalog([agency], [proc])) == 1
    with pytest.raises(CatalogError, match="duplicate agency code"):
        Catalog([agency, agency], [proc])


MALFORMED = """
[[agencies]]
code = "ubnd-xa"
name = "UBND xã"
level = "commune"

[[agencies]]
code = "ubnd-xa"
name = "Trùng mã"
level = "commune"
parent = "ubnd-huyen"

[[procedures]]
id = "p1"
name = "Khai sinh"
field = "Hộ tịch"
level = "commune"
lead_agency = "ubnd-xa"
time_limit = { value = -3, unit = "working_days" }
time_limit_basis = { document = "x" }
legal_basis = [{ document = "x" }]

[[procedures]]
id = "p2"
name = "Kết hôn"
field = "Hộ tịch"
level = "village"
lead_agency = "ubnd-tinh"
time_limit = "3 ngày làm việc"
legal_basis = [{ document = "x" }]

[[procedures]]
id = "p3"
name = "Khai tử"
field = "Hộ tịch"
level = "commune"
lead_agency = "so-khong-co"
time_limit = "trong ngày"
time_limit_basis = { document = "x" }
legal_basis = [{ document = "x" }]

[[procedures]]
id = "p3"
name = "Khai tử lần hai"
field = "Hộ tịch"
level = "commune"
lead_agency = "ubnd-xa"
time_limit = "trong ngày"
time_limit_basis = { document = "x" }
legal_basis = [{ document = "x" }]

[bogus]
x = 1
"""


def test_malformed_catalogue_reports_every_problem_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(MALFORMED, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        Catalog.load(path)
    message = str(info.value)
    f = str(path)
    expected = [
        f"{f}: bogus: unknown section",
        f"{f}: procedures[0].time_limit (id 'p1'): Value error, value must be a finite number ≥ 0",
        f"{f}: procedures[1].level (id 'p2'): Input should be 'ministry'",
        f"{f}: agencies[1] (id 'ubnd-xa'): duplicate agency code, first defined at {f}: "
        "agencies[0]",
        f"{f}: agencies[1].parent (id 'ubnd-xa'): unknown agency 'ubnd-huyen'",
        f"{f}: procedures[2].lead_agency (id 'p3'): unknown agency 'so-khong-co'",
        f"{f}: procedures[3].id (id 'p3'): duplicate procedure id, first defined at {f}: "
        "procedures[2]",
    ]
    for line in expected:
        assert line in message, f"missing {line!r} in:\n{message}"
    assert message.startswith("the catalogue has 7 problem(s):")
    assert len(info.value.details["problems"]) == 7
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("bad.toml", "[[procedures]\n", "not TOML: Expected"),
        ("bad.json", "{", "not JSON: Expecting property name"),
        ("bad.json", "[1, 2]", "expected a table"),
        ("bad.json", '{"procedures": {"a": 1}}', "procedures: expected a list"),
        ("bad.json", '{"procedures": [1]}', "procedures[0]: expected a table, got int"),
        ("bad.json", '{"routes": [1]}', "routes: expected a table keyed by route id"),
        ("bad.json", '{"routes": {"r": 1}}', "routes.r (id 'r'): a route must be a table"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match=re.escape(fragment)):
        Catalog.load(path)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes("name = 'Hộ tịch'".encode("utf-16"))
    with pytest.raises(CatalogError, match="not UTF-8"):
        Catalog.load(path)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        Catalog.load(tmp_path / "nope")
    with pytest.raises(CatalogError, match=r"holds no \.toml or \.json"):
        Catalog.load(tmp_path)


def test_duplicate_routes_across_files(tmp_path: Path) -> None:
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text('{"routes": {"r": {}}}', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"duplicate route id, first defined in .*a\.json"):
        Catalog.load(tmp_path)


def test_suspicious_values_warn_once_listing_each() -> None:
    data = {
        "agencies": [AGENCY, {"code": "so", "name": "Sở", "level": "province"}],
        "procedures": [
            {**PROC, "time_limit": "300 ngày làm việc"},
            {**PROC, "id": "p2", "lead_agency": "so"},
            {**PROC, "id": "p3", "level": "district"},
        ],
    }
    with pytest.warns(CatalogWarning) as record:
        cat = Catalog.from_data(data, source="mem")
    assert len(record) == 1
    message = str(record[0].message)
    assert "mem: procedures[0].time_limit (id 'p1'): time limit 300 ngày làm việc is unusually" in (
        message
    )
    assert "mem: procedures[1].level (id 'p2'): procedure decided at level 'commune'" in message
    assert "mem: procedures[2].level (id 'p3'): the district level was abolished" in message
    assert len(cat.warnings) == 4  # p3 also mismatches its lead agency's level


def test_unknown_location_codes_warn() -> None:
    agency = {**AGENCY, "location": {"province_code": "02", "commune_code": "00004"}}
    with pytest.warns(CatalogWarning, match="province code '02' is not one of the 34") as record:
        Catalog.from_data({"agencies": [agency]})
    assert "belongs to province 01, not 02" in str(record[0].message)


def test_check_location() -> None:
    assert check_location(Location(province_code="01", commune_code="00070")) == []
    assert check_location(Location(province_code="79")) == []
    assert (
        "commune code '99999'"
        in check_location(Location(province_code="01", commune_code="99999"))[0]
    )


def test_problem_str() -> None:
    assert str(Problem("f.toml", "procedures[0].id", "bad", "p")) == (
        "f.toml: procedures[0].id (id 'p'): bad"
    )


# -- fuzz: random JSON never crashes the loader -------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
_catalogue_like = st.fixed_dictionaries(
    {},
    optional={
        "agencies": st.lists(
            st.fixed_dictionaries(
                {},
                optional=dict.fromkeys(
                    ("code", "name", "level", "parent", "location", "office_hours"), _json
                ),
            ),
            max_size=3,
        )
        | _json,
        "procedures": st.lists(
            st.fixed_dictionaries(
                {},
                optional=dict.fromkeys(PROC, _json)
                | {
                    "time_limit": _json | st.sampled_from(["3 ngày", "0 ngày", "x", "-1 giờ"]),
                },
            ),
            max_size=3,
        )
        | _json,
        "routes": _json,
    },
)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(data=_json | _catalogue_like)
def test_fuzz_loader_raises_only_our_errors(data: object) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        with contextlib.suppress(MotCuaError):
            Catalog.from_data(data)


@settings(max_examples=100)
@given(text=st.text(max_size=200))
def test_fuzz_json_text_loader(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "c.json"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CatalogWarning)
        with contextlib.suppress(MotCuaError):
            Catalog.load(path)


# -- command line -------------------------------------------------------------------------------


def test_cli_catalog_list_show_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mot_cua.cli import main

    assert main(["catalog", "list", "--search", "ket hon", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["procedures"] == [
        {
            "id": "ho-tich.dang-ky-ket-hon",
            "name": "Đăng ký kết hôn",
            "field": "Hộ tịch",
            "time_limit": "trong ngày",
        }
    ]
    assert listed["count"] == 1
    assert main(["catalog", "show", "cu-tru.dang-ky-thuong-tru", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    shown = shown.get("procedure", shown)
    assert shown["time_limit"] == {"value": 7.0, "unit": "working_days", "extension": 0.0}
    assert main(["catalog", "show", "nope"]) == 2
    assert "no procedure 'nope'" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text(MALFORMED, encoding="utf-8")
    assert main(["catalog", "validate", str(bad), "--json"]) in (1, 2)  # the CLI's contract
    report = json.loads(capsys.readouterr().out)
    problems = report["error"]["problems"] if "error" in report else report["errors"]
    assert len(problems) == 7
    shipped = Path(__file__).parents[1] / "src" / "mot_cua" / "data" / "catalog"
    assert main(["catalog", "validate", str(shipped), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["procedures"], report["agencies"]) == (True, 14, 11)
    assert report["warnings"] == []


def test_cli_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from mot_cua.cli import main
    from mot_cua.cli._schema import SCHEMA_MODELS
    from mot_cua.models import Dossier

    assert main(["schema", "dossier"]) == 0
    assert json.loads(capsys.readouterr().out) == Dossier.model_json_schema()
    assert main(["schema"]) == 0
    assert sorted(json.loads(capsys.readouterr().out)) == sorted(SCHEMA_MODELS)
    assert main(["schema", "Nope"]) == 2
    assert "unknown model 'Nope'" in capsys.readouterr().err


# -- routes (issue 3: routes whose budgets exceed the limit are errors) -------------------------


def _catalog(tmp_path: Path, proc: dict[str, object], routes: dict[str, object]) -> Path:
    path = tmp_path / "c.json"
    path.write_text(
        json.dumps({"agencies": [AGENCY], "procedures": [proc], "routes": routes}),
        encoding="utf-8",
    )
    return path


def test_route_budgets_exceeding_the_procedure_limit_are_errors(tmp_path: Path) -> None:
    proc = {**PROC, "time_limit": "1 ngày làm việc", "route_id": "r1"}
    with pytest.raises(CatalogError, match=r"procedures\[0\]\.route_id.*more than the limit"):
        Catalog.load(_catalog(tmp_path, proc, {"r1": ROUTE}))


def test_unknown_route_and_malformed_route_are_listed_together(tmp_path: Path) -> None:
    proc = {**PROC, "route_id": "nowhere"}
    with pytest.raises(CatalogError) as info:
        Catalog.load(_catalog(tmp_path, proc, {"bad": {"stages": []}}))
    message = str(info.value)
    assert "2 problem(s)" in message
    assert "unknown route 'nowhere'" in message
    assert "routes.bad" in message


def test_route_naming_an_unknown_agency_is_an_error(tmp_path: Path) -> None:
    route = {**ROUTE, "stages": [{"steps": [{"agency": "ubnd-tinh", "budget": "1 ngày làm việc"}]}]}
    with pytest.raises(CatalogError, match=r"unknown agencies.*ubnd-tinh"):
        Catalog.load(_catalog(tmp_path, PROC, {"r1": route}))


def test_route_slack_is_a_suspicious_value(tmp_path: Path) -> None:
    proc = {**PROC, "time_limit": "3 ngày làm việc", "route_id": "r1"}
    with pytest.warns(CatalogWarning, match="leave 1 working day"):
        cat = Catalog.load(_catalog(tmp_path, proc, {"r1": ROUTE}))
    assert cat.get("p1").route_id == "r1"


def test_route_lookup_errors() -> None:
    with pytest.raises(RouteError, match="no route 'x'"):
        Catalog.default().route("x")


# -- issue 8 -------------------------------------------------------------------------------------


def test_item20_national_code_is_stored_stripped_and_found() -> None:
    proc = {**PROC, "national_code": "  1.001234\n"}
    cat = Catalog.from_data({"agencies": [AGENCY], "procedures": [proc]})
    assert cat.get(PROC["id"]).national_code == "1.001234"
    assert cat.by_national_code("1.001234").id == PROC["id"]
    assert cat.by_national_code(" 1.001234 ").id == PROC["id"]
    blank = Procedure.model_validate({**PROC, "national_code": "   "})
    assert blank.national_code is None


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda c: c.search(None), "InvalidInputError", "query must be text, not NoneType"),
        (lambda c: c.search("x", field=5), "InvalidInputError", "field must be text"),
        (lambda c: c.by_national_code(None), "UnknownProcedureError", "national code must be"),
        (lambda c: c.get(None), "UnknownProcedureError", "procedure id must be text"),
        (lambda c: c.get(["x"]), "UnknownProcedureError", "procedure id must be text"),
        (lambda c: c.agency({}), "UnknownAgencyError", "agency code must be text"),
        (lambda c: c.route(5), "RouteError", "route id must be text"),
        (lambda c: c.limit_for(PROC["id"], "fax"), "InvalidInputError", "channel 'fax'"),
        (lambda c: c.get(PROC["id"]).limit_for("bogus"), "InvalidInputError", "channel 'bogus'"),
    ],
)
def test_item19_lookups_with_junk_raise_our_errors(call: Any, error: str, fragment: str) -> None:
    cat = Catalog.from_data({"agencies": [AGENCY], "procedures": [PROC]})
    with pytest.raises(MotCuaError, match=re.escape(fragment)) as info:
        call(cat)
    assert type(info.value).__name__ == error
    assert ["x"] not in cat  # membership never raises


@pytest.mark.parametrize("path", [5, None, b"catalog.toml", ["a.toml"]])
def test_item13_load_refuses_what_is_not_a_path(path: object) -> None:
    with pytest.raises(CatalogError, match="needs a path"):
        Catalog.load(path)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"x = " + b"1" * 5000 + b"\n", "more than 4,300 digits"),
        (b"x = " + b"[" * 100_000, "nested deeper than 200 levels"),
        (b"\xff\xfe\x00\x01", "is not UTF-8"),
        (b"a = 1\x00", "NUL byte"),
    ],
)
def test_item13_hostile_files_are_problems_not_tracebacks(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    with pytest.raises(CatalogError, match=fragment):
        Catalog.load(bad)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(CatalogError, match="nested deeper"):
        Catalog.load(deep)


def test_item13_over_long_paths_and_devices(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot be used"):
        Catalog.load("x" * 5000)
    with pytest.raises(CatalogError, match="cannot be read"):
        Catalog.load("/proc/self/mem")


@pytest.mark.parametrize(
    "content", ["", "# nothing yet\n", "[[agencies]]\ncode = 'a'\nname = 'A'\nlevel = 'province'\n"]
)
def test_item29_a_catalogue_without_procedures_is_refused(tmp_path: Path, content: str) -> None:
    empty = tmp_path / "EMPTY.toml"
    empty.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogError, match="the catalogue has no procedure") as info:
        Catalog.load(empty)
    assert "EMPTY.toml: procedures" in str(info.value)
    # In-memory building (agencies first, procedures later) stays possible.
    assert len(Catalog.from_data({"agencies": [AGENCY]})) == 0


def test_item29_cli_validate_of_an_empty_catalogue_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mot_cua.cli import main

    empty = tmp_path / "EMPTY.toml"
    empty.write_text("", encoding="utf-8")
    assert main(["catalog", "validate", str(empty)]) == 2
    captured = capsys.readouterr()
    assert "the catalogue has no procedure" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_item23_one_answer_for_the_limit_of_a_lien_thong_procedure() -> None:
    cat = Catalog.default()
    birth = cat.get("lien-thong.khai-sinh-thuong-tru-bhyt")
    assert birth.time_limit is None
    assert birth.route_id == "decree63-birth"
    assert str(birth.limit_for("online")) == "3 ngày làm việc"
    assert str(cat.limit_for(birth.id, "online")) == "3 ngày làm việc"
    assert cat.limit_for(birth, "online") == cat.route("decree63-birth").limit
    # A procedure's own limit wins over its route's.
    land = cat.get("dat-dai.dang-ky-lan-dau")
    assert cat.limit_for(land.id) == land.time_limit
    # Neither the procedure nor its route has a sourced limit: a clear error.
    with pytest.raises(CatalogError, match="has no sourced time limit and its route"):
        cat.limit_for("lien-thong.khai-tu-xoa-thuong-tru-mai-tang-phi", "online")
    with pytest.raises(CatalogError, match="has no sourced time limit; give"):
        cat.limit_for("giao-thong.doi-giay-phep-lai-xe")


def test_item23_limit_for_uses_a_route_of_the_catalogue_itself() -> None:
    route = {
        "limit": "4 ngày làm việc",
        "stages": [{"steps": [{"agency": "ubnd-xa", "budget": "4 ngày làm việc"}]}],
    }
    proc = {k: v for k, v in PROC.items() if k not in ("time_limit", "time_limit_basis")}
    proc = {**proc, "route_id": "r", "notes": ["limit: see the route"]}
    cat = Catalog.from_data({"agencies": [AGENCY], "procedures": [proc], "routes": {"r": route}})
    assert cat.get(PROC["id"]).limit_for("in_person") is None  # not a shipped template
    assert str(cat.limit_for(PROC["id"])) == "4 ngày làm việc"


@given(junk=st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text())))
@settings(max_examples=50, suppress_health_check=list(HealthCheck))
def test_item19_catalog_public_api_raises_only_our_errors(junk: object) -> None:
    cat = Catalog.default()
    for call in (
        lambda: cat.get(junk),  # type: ignore[arg-type]
        lambda: cat.by_national_code(junk),  # type: ignore[arg-type]
        lambda: cat.agency(junk),  # type: ignore[arg-type]
        lambda: cat.route(junk),  # type: ignore[arg-type]
        lambda: cat.search(junk),  # type: ignore[arg-type]
        lambda: cat.limit_for(junk),  # type: ignore[arg-type]
        lambda: Catalog.load(junk),  # type: ignore[arg-type]
        lambda: Catalog.from_data(junk),
        lambda: Catalog(agencies=[junk]),  # type: ignore[list-item]
        lambda: Catalog(procedures=junk if junk else None),  # type: ignore[arg-type]
        lambda: normalize_text(junk),  # type: ignore[arg-type]
    ):
        with pytest.raises(MotCuaError):
            call()
