"""Tests of mot_cua.identifiers: CCCD, MST and dossier codes, real-format examples and junk."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mot_cua.errors import InvalidIdentifierError, MotCuaError
from mot_cua.identifiers import CCCD, MST, CccdInfo, DossierCode, DossierCodeFormat

# -- CCCD (Decree 137/2015/NĐ-CP Art. 13; Circular 07/2016/TT-BCA Art. 7) ------------------------


@pytest.mark.parametrize(
    ("number", "province", "name", "sex", "year"),
    [
        ("001099012345", "001", "Hà Nội", "male", 1999),  # digit 4 = 0: male, 1900s
        ("079185000001", "079", "Hồ Chí Minh", "female", 1985),  # 1: female, 1900s
        ("048203123456", "048", "Đà Nẵng", "male", 2003),  # 2: male, 2000s
        ("096310999999", "096", "Cà Mau", "female", 2010),  # 3: female, 2000s
        ("001400000001", "001", "Hà Nội", "male", 2100),  # 4: male, 2100s (can't be disproven)
        ("999999999999", "999", None, "female", 2399),  # unknown place code: not rejected
    ],
)
def test_cccd_info(number: str, province: str, name: str | None, sex: str, year: int) -> None:
    assert CCCD.validate(number) == number
    assert CCCD.info(number) == CccdInfo(
        province_code=province,
        province_name=name,
        sex=sex,
        birth_year=year,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("001 099 012345", "001099012345"),
        ("001.099.012.345", "001099012345"),
        (" 001099012345 ", "001099012345"),
    ],
)
def test_cccd_compact_and_format(text: str, compact: str) -> None:
    assert CCCD.compact(text) == compact
    assert CCCD.format(text) == compact
    assert CCCD.is_valid(text)


@pytest.mark.parametrize(
    ("junk", "why"),
    [
        ("00109901234", "11 digits"),
        ("0010990123456", "13 digits"),
        ("123456789", "old CMND"),
        ("00109901234A", "digits only"),
        ("", "digits only"),
        ("٠٠١٠٩٩٠١٢٣٤٥", "digits only"),  # Arabic-Indic digits are not ASCII
    ],
)
def test_cccd_junk(junk: str, why: str) -> None:
    assert not CCCD.is_valid(junk)
    with pytest.raises(InvalidIdentifierError, match=why):
        CCCD.validate(junk)


def test_cccd_non_text_is_our_error() -> None:
    with pytest.raises(InvalidIdentifierError, match="must be text"):
        CCCD.validate(1099012345)  # type: ignore[arg-type]


def test_cccd_check_birth() -> None:
    assert CCCD.check_birth("079203001234", dt.date(2003, 7, 1)) == "079203001234"
    with pytest.raises(InvalidIdentifierError, match="encodes year of birth 2003"):
        CCCD.check_birth("079203001234", dt.date(1903, 7, 1))


# -- MST (python-stdnum stdnum.vn.mst when installed) -----------------------------------------


@pytest.mark.parametrize(
    ("number", "compact", "formatted"),
    [
        ("0100233488", "0100233488", "0100233488"),  # python-stdnum's own example
        ("0314409058-002", "0314409058002", "0314409058-002"),  # a branch
        ("01.00.112.437", "0100112437", "0100112437"),
        ("0312 68 78 78 - 001", "0312687878001", "0312687878-001"),
    ],
)
def test_mst_valid(number: str, compact: str, formatted: str) -> None:
    assert MST.validate(number) == compact
    assert MST.is_valid(number)
    assert MST.format(number) == formatted


@pytest.mark.parametrize(
    "junk", ["12345", "010023348", "01002334880000", "01002334AB", "0100233480"]
)
def test_mst_junk(junk: str) -> None:
    assert not MST.is_valid(junk)
    with pytest.raises(InvalidIdentifierError, match="MST"):
        MST.validate(junk)


def test_mst_uses_stdnum_when_installed() -> None:
    assert MST.uses_stdnum  # python-stdnum is in the test extra
    # Check digit: only stdnum catches this one (0100233480 has the wrong last digit).
    assert not MST.is_valid("0100233480")


def test_mst_format_fallback_without_stdnum() -> None:
    assert MST._format_check("0100233480", "0100233480") == "0100233480"
    with pytest.raises(InvalidIdentifierError, match="branch number 000"):
        MST._format_check("0100233488000", "0100233488000")
    with pytest.raises(InvalidIdentifierError, match="10 digits"):
        MST._format_check("12", "12")


# -- Dossier codes (Circular 01/2018/TT-VPCP Art. 19) ------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "date", "serial"),
    [
        ("000.00.01.H29-250106-0001", "000.00.01.H29", dt.date(2025, 1, 6), 1),
        ("H29.23-251231-9999", "H29.23", dt.date(2025, 12, 31), 9999),
        ("so-tu-phap-240229-0042", "so-tu-phap", dt.date(2024, 2, 29), 42),  # leap day
    ],
)
def test_dossier_code_parse_and_format(text: str, unit: str, date: dt.date, serial: int) -> None:
    code = DossierCode.parse(text)
    assert (code.unit_code, code.date, code.serial) == (unit, date, serial)
    assert str(code) == text
    assert DossierCode.validate(f"  {text} ") == text
    assert DossierCode.is_valid(text)


@pytest.mark.parametrize(
    ("junk", "why"),
    [
        ("H29-250106", "three parts"),
        ("-250106-0001", "three parts"),
        ("H29-250230-0001", "not a date"),  # 30 February
        ("H29-2501060-0001", "not a date"),
        ("H29-25016-0001", "not a date"),
        ("H29-250106-001", "4 digits"),
        ("H29-250106-00001", "4 digits"),
        ("H29-250106-0000", "starts at 1"),
        ("H 29-250106-0001", "unit code"),
        ("H29-250106-00a1", "4 digits"),
    ],
)
def test_dossier_code_junk(junk: str, why: str) -> None:
    assert not DossierCode.is_valid(junk)
    with pytest.raises(InvalidIdentifierError, match=why):
        DossierCode.parse(junk)


def test_dossier_code_generate_bounds() -> None:
    assert str(DossierCode.generate("H29", dt.date(2025, 7, 1), 9999)) == "H29-250701-9999"
    assert str(DossierCode.generate("H29", dt.datetime(2025, 7, 1, 9), 5)) == "H29-250701-0005"
    for serial in (0, 10_000, -1):
        with pytest.raises(InvalidIdentifierError, match="1–9999"):
            DossierCode.generate("H29", dt.date(2025, 7, 1), serial)
    with pytest.raises(InvalidIdentifierError, match="unit"):
        DossierCode.generate("H 29", dt.date(2025, 7, 1), 1)


def test_dossier_code_format_is_configurable() -> None:
    # Circular 03/2025/TT-VPCP may change the shape: the format is data, not code.
    fmt = DossierCodeFormat(separator="/", date_format="%Y%m%d", serial_digits=6)
    code = DossierCode.parse("H29/20250701/000123", fmt=fmt)
    assert code == DossierCode(unit_code="H29", date=dt.date(2025, 7, 1), serial=123)
    assert code.format(fmt) == "H29/20250701/000123"
    assert str(code) == "H29-250701-0123"
    assert not DossierCode.is_valid("H29-250701-0123", fmt=fmt)


@given(
    unit=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,15}", fullmatch=True),
    date=st.dates(dt.date(2000, 1, 1), dt.date(2068, 12, 31)),
    serial=st.integers(1, 9999),
)
def test_dossier_code_round_trip(unit: str, date: dt.date, serial: int) -> None:
    code = DossierCode.generate(unit, date, serial)
    assert DossierCode.parse(str(code)) == code


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=10,
)


@given(value=_json | st.text(alphabet="0123456789-.AH ", max_size=30))
def test_fuzz_identifiers_raise_only_our_errors(value: object) -> None:
    for check in (DossierCode.parse, CCCD.validate, MST.validate):
        with contextlib.suppress(MotCuaError):
            check(value)  # type: ignore[operator]
