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


# -- issue 8: codes and formats that round-trip --------------------------------------------------


@pytest.mark.parametrize("unit", ["H29\n", "H29\r\n", "\nH29", "H 29", "H29\t"])
def test_item15_unit_codes_refuse_line_breaks_and_spaces(unit: str) -> None:
    with pytest.raises(InvalidIdentifierError, match="unit"):
        DossierCode.generate(unit, dt.date(2025, 1, 6), 1)
    with pytest.raises(ValueError, match="unit code"):
        DossierCode(unit_code=unit, date=dt.date(2025, 1, 6), serial=1)


def test_item15_parse_refuses_a_newline_inside_the_unit() -> None:
    with pytest.raises(InvalidIdentifierError, match="unit code 'H29\\\\n'"):
        DossierCode.parse("H29\n-250106-0001")


@pytest.mark.parametrize(
    ("date_format", "why"),
    [
        ("%y%m", "needs the day"),
        ("%Y", "needs the day"),
        ("%%%y%m%d", "directive %% is not allowed"),
        ("%y%m%d%%", "directive %% is not allowed"),
        ("%Y-%m-%d", "contains the separator"),
        ("%Y%m%d%H", "directive %H is not allowed"),
        ("%b%d%Y", "directive %b is not allowed"),
        ("%y%y%m%d", "repeated"),
        ("%Y%y%m%d", "exactly one year directive"),
        ("%Y%j%d", "%j alone"),
        ("x%Y%m%d", "literal text 'x'"),
        ("%Y%m%d%", "literal text '%'"),
    ],
)
def test_item16_formats_that_cannot_round_trip_are_refused(date_format: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        DossierCodeFormat(date_format=date_format)


@pytest.mark.parametrize("separator", ["0", "a", " ", "\n", "%"])
def test_item16_separators_that_cannot_split_are_refused(separator: str) -> None:
    with pytest.raises(ValueError, match="separator"):
        DossierCodeFormat(separator=separator)


@pytest.mark.parametrize("day", [dt.date(1968, 12, 31), dt.date(2069, 1, 1), dt.date(2100, 5, 5)])
def test_item16_two_digit_years_outside_1969_2068_are_refused(day: dt.date) -> None:
    with pytest.raises(InvalidIdentifierError, match="use a format with %Y"):
        DossierCode.generate("H29", day, 1)
    with pytest.raises(InvalidIdentifierError, match="use a format with %Y"):
        str(DossierCode(unit_code="H29", date=day, serial=1))
    four = DossierCodeFormat(date_format="%Y%m%d")
    code = DossierCode.generate("H29", day, 1, fmt=four)
    assert DossierCode.parse(code.format(four), fmt=four) == code


def test_item16_two_digit_year_edges_round_trip() -> None:
    for day in (dt.date(1969, 1, 1), dt.date(2068, 12, 31)):
        code = DossierCode.generate("H29", day, 7)
        assert DossierCode.parse(str(code)) == code


_FORMATS = ["%y%m%d", "%Y%m%d", "%d/%m/%Y", "%Y%j", "%y.%m.%d", "%d_%m_%y", "%j%Y"]


@given(
    day=st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)),
    serial=st.integers(1, 99_999),
    date_format=st.sampled_from(_FORMATS),
    separator=st.sampled_from(["-", "~", "#", "+"]),
    unit=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,12}", fullmatch=True),
)
def test_item16_format_then_parse_is_the_identity_or_refused(
    day: dt.date, serial: int, date_format: str, separator: str, unit: str
) -> None:
    fmt = DossierCodeFormat(date_format=date_format, separator=separator, serial_digits=5)
    try:
        code = DossierCode.generate(unit, day, serial, fmt=fmt)
    except InvalidIdentifierError:
        assert "%y" in date_format
        assert not 1969 <= day.year <= 2068
        return
    assert DossierCode.parse(code.format(fmt), fmt=fmt) == code


@pytest.mark.parametrize("born", ["not a date", 5, None, "2001-13-01"])
def test_item19_check_birth_refuses_what_is_not_a_date(born: object) -> None:
    from mot_cua.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="date_of_birth") as info:
        CCCD.check_birth("001099012345", born)  # type: ignore[arg-type]
    assert isinstance(info.value, MotCuaError)


def test_item19_check_birth_reads_iso_text() -> None:
    assert CCCD.check_birth("001099012345", "1999-05-01") == "001099012345"
    with pytest.raises(InvalidIdentifierError, match="encodes year of birth 1999"):
        CCCD.check_birth("001099012345", "2001-05-01")


@given(
    junk=st.one_of(
        st.none(),
        st.integers().filter(lambda n: not 1 <= n <= 9999),  # never a valid serial
        st.floats(),
        st.binary(),
        st.lists(st.text()),
    )
)
def test_item19_identifier_verbs_raise_only_our_errors(junk: object) -> None:
    for call in (
        lambda: CCCD.validate(junk),  # type: ignore[arg-type]
        lambda: MST.validate(junk),  # type: ignore[arg-type]
        lambda: DossierCode.parse(junk),  # type: ignore[arg-type]
        lambda: DossierCode.generate(junk, dt.date(2025, 1, 6), 1),  # type: ignore[arg-type]
        lambda: DossierCode.generate("H29", junk, 1),  # type: ignore[arg-type]
        lambda: DossierCode.generate("H29", dt.date(2025, 1, 6), junk),  # type: ignore[arg-type]
        lambda: DossierCode.parse("H29-250106-0001", fmt=junk),  # type: ignore[arg-type]
    ):
        with pytest.raises(MotCuaError):
            call()
