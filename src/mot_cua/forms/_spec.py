"""Which statutory forms exist under each regime, with their numbers and titles.

Circular 01/2018/TT-VPCP (Decree 61/2018/NĐ-CP, dossiers received up to 30/6/2025) has six forms;
Circular 03/2025/TT-VPCP (Decree 118/2025/NĐ-CP, from 1/7/2025) has seven: it adds the stop notice
as form 05 and renumbers the control sheet (06) and the register (07); its form 04 becomes the
"apology and request to extend". Titles as mot_cua rules §D of the indicators page list them (the
2025 field lists were not read in full: medium confidence).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from mot_cua.errors import UnknownFormError, brief, require
from mot_cua.lifecycle import Regime

__all__ = ["CIRCULARS", "FormKind", "FormSpec", "form_spec", "forms_for"]


class FormKind(StrEnum):
    """The statutory forms, by what they are (their numbers differ between the regimes).

    >>> FormKind("receipt").label
    'Giấy tiếp nhận hồ sơ và hẹn trả kết quả'
    """

    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SHEET = "control_sheet"
    REGISTER = "register"

    @property
    def label(self) -> str:
        """The form's Vietnamese title (Circular 03/2025/TT-VPCP wording for the apology)."""
        return _TITLES[self]


_TITLES = {
    FormKind.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    FormKind.SUPPLEMENT_REQUEST: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    FormKind.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    FormKind.APOLOGY: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    FormKind.STOP_NOTICE: "Thông báo dừng giải quyết hồ sơ",
    FormKind.CONTROL_SHEET: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    FormKind.REGISTER: "Sổ theo dõi hồ sơ",
}

#: The circular whose forms each regime uses.
CIRCULARS = {
    Regime.DECREE_61_2018: "01/2018/TT-VPCP",
    Regime.DECREE_118_2025: "03/2025/TT-VPCP",
}


class FormSpec(BaseModel):
    """One form of one circular: its number, title and template.

    >>> s = form_spec("apology", "decree-61-2018")
    >>> s.label, s.title, s.circular
    ('Mẫu số 04', 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', '01/2018/TT-VPCP')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FormKind
    regime: Regime
    number: str
    title: str
    circular: str
    template: str
    landscape: bool = False

    @property
    def label(self) -> str:
        """``"Mẫu số 01"``."""
        return f"Mẫu số {self.number}"

    @property
    def citation(self) -> str:
        """``"Mẫu số 01 ban hành kèm theo Thông tư số 01/2018/TT-VPCP"``."""
        return f"{self.label} ban hành kèm theo Thông tư số {self.circular}"


def _specs(regime: Regime, order: tuple[FormKind, ...]) -> tuple[FormSpec, ...]:
    folder = "circular-01-2018" if regime is Regime.DECREE_61_2018 else "circular-03-2025"
    specs = []
    for i, kind in enumerate(order, start=1):
        title = _TITLES[kind]
        if kind is FormKind.APOLOGY and regime is Regime.DECREE_61_2018:
            title = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
        specs.append(
            FormSpec(
                kind=kind,
                regime=regime,
                number=f"{i:02d}",
                title=title,
                circular=CIRCULARS[regime],
                template=f"{folder}/{i:02d}_{kind.value}.html.j2",
                landscape=kind is FormKind.REGISTER,
            )
        )
    return tuple(specs)


_K = FormKind
_SPECS = {
    Regime.DECREE_61_2018: _specs(
        Regime.DECREE_61_2018,
        (
            _K.RECEIPT,
            _K.SUPPLEMENT_REQUEST,
            _K.REFUSAL,
            _K.APOLOGY,
            _K.CONTROL_SHEET,
            _K.REGISTER,
        ),
    ),
    Regime.DECREE_118_2025: _specs(
        Regime.DECREE_118_2025,
        (
            _K.RECEIPT,
            _K.SUPPLEMENT_REQUEST,
            _K.REFUSAL,
            _K.APOLOGY,
            _K.STOP_NOTICE,
            _K.CONTROL_SHEET,
            _K.REGISTER,
        ),
    ),
}


def _regime(value: Regime | str) -> Regime:
    try:
        return Regime(value)
    except ValueError:
        raise UnknownFormError(
            f"regime {brief(value)} is unknown; use one of: {', '.join(r.value for r in Regime)}",
            regime=value if isinstance(value, str) else brief(value),
            field="regime",
        ) from None


def forms_for(regime: Regime | str) -> tuple[FormSpec, ...]:
    """The forms of a regime, in their official order.

    Raises:
        UnknownFormError: the regime is unknown.

    >>> [f"{s.number} {s.kind.value}" for s in forms_for("decree-118-2025")][4:]
    ['05 stop_notice', '06 control_sheet', '07 register']
    """
    return _SPECS[_regime(regime)]


def form_spec(name: FormKind | str, regime: Regime | str) -> FormSpec:
    """The form called ``name`` (a :class:`FormKind` value, or its number) under ``regime``.

    A number is read in the regime: ``"05"`` is the stop notice from 1 July 2025 but the control
    sheet before.

    Raises:
        UnknownFormError: no such form in this regime (the message lists those that exist).

    >>> form_spec("05", "decree-61-2018").kind.value
    'control_sheet'
    >>> form_spec("stop_notice", "decree-61-2018")
    Traceback (most recent call last):
    ...
    mot_cua.errors.UnknownFormError: form 'stop_notice' does not exist under Circular 01/2018/...
    """
    chosen = _regime(regime)
    if isinstance(name, int) and not isinstance(name, bool) and 0 < name < 100:
        name = str(name)
    require(name, str, "name", "a form kind such as 'receipt' or a number such as '01'")
    wanted = name.strip().lower().replace("-", "_")
    if wanted.isdigit():
        wanted = f"{int(wanted):02d}"
    for spec in _SPECS[chosen]:
        if wanted in (spec.kind.value, spec.number):
            return spec
    available = [f"{s.number} {s.kind.value}" for s in _SPECS[chosen]]
    hint = ""
    if wanted == FormKind.STOP_NOTICE.value:
        hint = (
            " (the stop notice exists only for dossiers received from 1 July 2025, "
            "Circular 03/2025/TT-VPCP)"
        )
    raise UnknownFormError(
        f"form {brief(str(name))} does not exist under Circular {CIRCULARS[chosen]} "
        f"({chosen.label}){hint}; forms: {', '.join(available)}",
        form=str(name),
        regime=chosen.value,
        available=available,
    )
