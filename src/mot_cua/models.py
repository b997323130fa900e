"""Typed domain models: agencies, procedures (TTHC), applicants and dossiers (hồ sơ).

Every model is a pydantic v2 model with English field names; Vietnamese appears in labels and in
the data. Values are frozen (``frozen=True, extra="forbid"``); the :class:`Dossier` is the one
mutable aggregate and changes only through its lifecycle. Aggregates refer to each other by code
(``Dossier.procedure_id``, ``Procedure.lead_agency``), never by object, so every model serialises
to JSON on its own.

Legal frame (mot_cua rules §1):

* Decree 61/2018/NĐ-CP (amended by Decree 107/2021/NĐ-CP) and Circular 01/2018/TT-VPCP for
  dossiers received up to 30 June 2025 (three local levels: province, district, commune);
* Decree 118/2025/NĐ-CP and Circular 03/2025/TT-VPCP from 1 July 2025 (two local levels; the
  receiving unit and the deciding unit of a dossier can differ).

National status codes 1–10 and channel codes 1–3 follow mot_cua rules §6 (medium-high: consistent
across independent integrations with the national portal).

>>> import datetime as dt
>>> from mot_cua.timezone import VN_TZ
>>> d = Dossier(
...     code="000.00.01.H29-250106-0001",
...     procedure_id="ho-tich.khai-sinh",
...     applicant=Applicant(kind="citizen", name="Nguyễn Văn A", cccd="001099012345"),
...     channel="in_person",
...     receiving_unit="000.00.01.H29",
...     submitted_at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=VN_TZ),
... )
>>> d.status, d.status.label, d.status.national_code
(<DossierStatus.SUBMITTED: 'submitted'>, 'Mới đăng ký', 1)
>>> Dossier.from_json(d.to_json()) == d
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    field_validator,
    model_validator,
)

from mot_cua.errors import InvalidInputError, brief
from mot_cua.hours import OfficeHours
from mot_cua.identifiers import CCCD, MST, DossierCode
from mot_cua.limits import Deadline, TimeLimit
from mot_cua.timezone import ensure_aware

__all__ = [
    "SCHEMA_MODELS",
    "Agency",
    "Applicant",
    "ApplicantKind",
    "AuthorityLevel",
    "Channel",
    "Contact",
    "Dossier",
    "DossierStatus",
    "Fee",
    "FeePayment",
    "HistoryEntry",
    "LegalBasis",
    "Location",
    "OnlineLevel",
    "Procedure",
    "RequiredDocument",
    "Step",
    "SubmittedDocument",
    "TimeLimitVariant",
    "format_validation_error",
]


# --------------------------------------------------------------------------------------------
# Helpers shared by every model
# --------------------------------------------------------------------------------------------


def _aware(value: dt.datetime) -> dt.datetime:
    return ensure_aware(value, name="datetime")


#: An aware datetime, converted to Asia/Ho_Chi_Minh; naive input is rejected (no guessed zone).
AwareDatetime = Annotated[dt.datetime, AfterValidator(_aware)]

_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")


def _code(value: str) -> str:
    if not _CODE_RE.fullmatch(value):
        raise ValueError(
            f"{brief(value)} is not a code: use letters, digits, '.', '_' or '-' and no spaces, "
            "e.g. 'so-tu-phap' or '000.00.01.H29'"
        )
    return value


#: An identifier of an agency, procedure or unit: letters, digits, ``.``, ``_``, ``-``.
Code = Annotated[str, AfterValidator(_code)]


def _non_blank(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be blank")
    return stripped


#: A non-empty, stripped piece of text.
Text = Annotated[str, Field(min_length=1), AfterValidator(_non_blank)]


def format_validation_error(exc: ValidationError, *, where: str = "") -> list[str]:
    """Render each problem of a pydantic ``ValidationError`` as ``"<where>.<field path>: msg"``.

    Args:
        exc: the pydantic error.
        where: a prefix naming the object (file, procedure id...).

    Returns:
        One line per problem.

    >>> try:
    ...     Contact(email=1)
    ... except ValidationError as exc:
    ...     format_validation_error(exc, where="applicant.contact")
    ['applicant.contact.email: Input should be a valid string']
    """
    lines = []
    for err in exc.errors():
        path = ".".join(_one_line(str(p)) for p in err.get("loc", ()))
        loc = ".".join(p for p in (_one_line(where), path) if p) or "(root)"
        lines.append(f"{loc}: {_one_line(str(err.get('msg', 'invalid value')))}")
    return lines


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (a key may hold them)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _json_indent(indent: object) -> int | None:
    """``indent`` of a ``to_json`` call, checked: None or a whole number 0 … 16."""
    if indent is not None and (
        isinstance(indent, bool) or not isinstance(indent, int) or not 0 <= indent <= 16
    ):
        raise InvalidInputError(
            f"indent must be None or a whole number 0 … 16, not {type(indent).__name__} "
            f"{brief(indent, 60)}; pass e.g. indent=2"
        )
    return indent


class _JsonModel(BaseModel):
    """JSON helpers that raise mot_cua errors, for the value objects and for :class:`Dossier`."""

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise to JSON (English field names; see :mod:`mot_cua.interop` for Vietnamese).

        Args:
            indent: spaces per nesting level (0 … 16), or None for one compact line.

        Returns:
            The JSON text.

        Raises:
            InvalidInputError: ``indent`` is not None or a whole number 0 … 16.

        >>> Contact(phone="0241").to_json()
        '{"phone":"0241","email":null,"address":null}'
        """
        return self.model_dump_json(indent=_json_indent(indent))

    @classmethod
    def from_json(cls, data: str | bytes) -> Self:
        """Parse and validate JSON.

        Raises:
            InvalidInputError: the JSON is malformed or a field is invalid; the message lists
                every problem with its field path.
        """
        try:
            return cls.model_validate_json(data)
        except ValidationError as exc:
            raise _wrap(cls, exc) from exc

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Validate a mapping (e.g. parsed TOML).

        Raises:
            InvalidInputError: a field is invalid; the message lists every field path.
        """
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise _wrap(cls, exc) from exc


class _Model(_JsonModel):
    """Base of the frozen value objects."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _wrap(cls: type[BaseModel], exc: ValidationError) -> InvalidInputError:
    lines = format_validation_error(exc)
    return InvalidInputError(
        f"invalid {cls.__name__}: " + "; ".join(lines) + "; fix the listed fields",
        model=cls.__name__,
        problems=lines,
        locs=[tuple(e.get("loc", ())) for e in exc.errors()],
    )


# --------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------


class AuthorityLevel(StrEnum):
    """Level of government that decides (cấp thực hiện).

    ``district`` existed until 30 June 2025 and stays readable for dossiers received before
    (mot_cua rules §1; Decree 118/2025/NĐ-CP for the two-level local government).

    >>> AuthorityLevel("commune").label
    'Cấp xã'
    """

    MINISTRY = "ministry"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {
            "ministry": "Cấp bộ",
            "province": "Cấp tỉnh",
            "district": "Cấp huyện",
            "commune": "Cấp xã",
        }[self.value]


class ApplicantKind(StrEnum):
    """Who applies: a citizen (công dân) or an organisation (tổ chức)."""

    CITIZEN = "citizen"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {"citizen": "Công dân", "organisation": "Tổ chức"}[self.value]


class Channel(StrEnum):
    """How a dossier is submitted (cách thức thực hiện); national codes 1–3 (mot_cua rules §6).

    >>> Channel.ONLINE.national_code, Channel.from_national_code(3)
    (2, <Channel.POSTAL: 'postal'>)
    """

    IN_PERSON = "in_person"
    ONLINE = "online"
    POSTAL = "postal"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {
            "in_person": "Trực tiếp",
            "online": "Trực tuyến",
            "postal": "Bưu chính công ích",
        }[self.value]

    @property
    def national_code(self) -> int:
        """Code of the channel on the national portal (KenhThucHien): 1, 2 or 3."""
        return _CHANNEL_CODES[self]

    @classmethod
    def from_national_code(cls, code: int | str) -> Channel:
        """The channel of a national code (1 in person, 2 online, 3 postal).

        Raises:
            InvalidInputError: the code is not 1, 2 or 3.
        """
        for channel, number in _CHANNEL_CODES.items():
            if str(number) == str(code).strip():
                return channel
        raise InvalidInputError(
            f"unknown channel code {brief(code)}: the national portal uses 1 (in person), 2 "
            "(online) "
            "and 3 (postal)",
            value=code,
        )


_CHANNEL_CODES = {Channel.IN_PERSON: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class OnlineLevel(StrEnum):
    """Online service level (Decree 42/2022/NĐ-CP Art. 11): full (toàn trình) or partial."""

    FULL = "full"
    PARTIAL = "partial"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {"full": "Toàn trình", "partial": "Một phần"}[self.value]


class DossierStatus(StrEnum):
    """Status of a dossier, with the national status codes 1–10 (mot_cua rules §6, medium-high).

    The lifecycle (:mod:`mot_cua.lifecycle`) decides which transitions are allowed; this enum
    only names the states.

    >>> [(s.national_code, s.value) for s in DossierStatus][:3]
    [(1, 'submitted'), (2, 'received'), (3, 'refused')]
    >>> DossierStatus.from_national_code(9).label
    'Đã xử lý xong'
    """

    SUBMITTED = "submitted"
    RECEIVED = "received"
    REFUSED = "refused"
    PROCESSING = "processing"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_PAYMENT = "awaiting_payment"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESOLVED = "resolved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        """Vietnamese label as the national portal shows it."""
        return _STATUS[self][1]

    @property
    def national_code(self) -> int:
        """National status code (TrangThaiHoSo), 1–10."""
        return _STATUS[self][0]

    @classmethod
    def from_national_code(cls, code: int | str) -> DossierStatus:
        """The status of a national code.

        Raises:
            InvalidInputError: the code is not 1–10.
        """
        for status, (number, _) in _STATUS.items():
            if str(number) == str(code).strip():
                return status
        raise InvalidInputError(
            f"unknown dossier status code {brief(code)}: the national portal uses 1–10 "
            "(see mot_cua.DossierStatus)",
            value=code,
        )


_STATUS = {
    DossierStatus.SUBMITTED: (1, "Mới đăng ký"),
    DossierStatus.RECEIVED: (2, "Được tiếp nhận"),
    DossierStatus.REFUSED: (3, "Không được tiếp nhận"),
    DossierStatus.PROCESSING: (4, "Đang xử lý"),
    DossierStatus.AWAITING_SUPPLEMENT: (5, "Yêu cầu bổ sung giấy tờ"),
    DossierStatus.AWAITING_PAYMENT: (6, "Yêu cầu thực hiện nghĩa vụ tài chính"),
    DossierStatus.WITHDRAWN: (7, "Công dân yêu cầu rút hồ sơ"),
    DossierStatus.STOPPED: (8, "Dừng xử lý"),
    DossierStatus.RESOLVED: (9, "Đã xử lý xong"),
    DossierStatus.RETURNED: (10, "Đã trả kết quả"),
}


# --------------------------------------------------------------------------------------------
# Agencies
# --------------------------------------------------------------------------------------------


class Location(_Model):
    """Where an agency sits: official administrative unit codes (province 2 digits, commune 5).

    Codes are those of the national list of administrative units (General Statistics Office);
    after 1 July 2025 there are 34 provinces. With the optional ``provinces`` extra
    (``vietnam-provinces``) :func:`mot_cua.catalog.check_location` checks the codes exist.

    >>> Location(province_code="01", province_name="Thành phố Hà Nội").province_code
    '01'
    """

    province_code: Annotated[str, Field(pattern=r"^[0-9]{2}$")]
    province_name: str | None = None
    commune_code: Annotated[str | None, Field(pattern=r"^[0-9]{5}$")] = None
    commune_name: str | None = None


class Agency(_Model):
    """An agency (cơ quan) that receives dossiers or decides procedures.

    Args:
        code: the agency's code (e.g. its unit code in the national directory, or a local code).
        name: Vietnamese name.
        level: level of government.
        parent: code of the parent agency, if any.
        location: province / commune, by official unit codes.
        office_hours: ``None`` means :meth:`mot_cua.hours.OfficeHours.default`.
        service_centre: a public administrative service centre (Trung tâm Phục vụ hành chính
            công).
        one_stop_desk: has a one-stop desk (Bộ phận Một cửa).

    >>> Agency(code="so-tu-phap", name="Sở Tư pháp", level="province").level.label
    'Cấp tỉnh'
    """

    code: Code
    name: Text
    level: AuthorityLevel
    parent: Code | None = None
    location: Location | None = None
    office_hours: OfficeHours | None = None
    service_centre: bool = False
    one_stop_desk: bool = False
    notes: tuple[str, ...] = ()

    @field_validator("office_hours", mode="before")
    @classmethod
    def _hours_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return OfficeHours.parse(value)
        return value

    @model_validator(mode="after")
    def _not_own_parent(self) -> Self:
        if self.parent == self.code:
            raise ValueError(f"agency {brief(self.code)} cannot be its own parent")
        return self

    @property
    def hours(self) -> OfficeHours:
        """The agency's office hours, or the common default when it publishes none."""
        return self.office_hours or OfficeHours.default()


# --------------------------------------------------------------------------------------------
# Procedures
# --------------------------------------------------------------------------------------------


class LegalBasis(_Model):
    """A legal document (căn cứ pháp lý), optionally narrowed to an article.

    >>> str(LegalBasis(document="59/2020/QH14", title="Luật Doanh nghiệp", article="Art. 26"))
    'Luật Doanh nghiệp 59/2020/QH14, Art. 26'
    """

    document: Text
    title: str | None = None
    article: str | None = None
    issuing_body: str | None = None
    issued_on: dt.date | None = None
    note: str | None = None

    def __str__(self) -> str:
        text = f"{self.title} {self.document}" if self.title else self.document
        return f"{text}, {self.article}" if self.article else text


class TimeLimitVariant(_Model):
    """A time limit that applies to one channel, or under a condition stated in words.

    Example: marriage registration is done immediately, or within 5 working days when the
    conditions must be verified (Law on Civil Status 2014 Art. 18).
    """

    time_limit: TimeLimit
    channel: Channel | None = None
    condition: str | None = None
    basis: LegalBasis

    @model_validator(mode="after")
    def _says_when(self) -> Self:
        if self.channel is None and not self.condition:
            raise ValueError("a time-limit variant needs a channel or a condition in words")
        return self


class RequiredDocument(_Model):
    """One item of the dossier (thành phần hồ sơ).

    Args:
        name: what to submit, in Vietnamese.
        originals: number of originals (bản chính).
        copies: number of copies (bản sao).
        required: ``False`` for a conditional item; then ``condition`` says when it is needed.
        condition: the condition in words.
        template: the form to use (e.g. a form number in a circular), if any.
        basis: where the requirement comes from.
    """

    name: Text
    originals: Annotated[int, Field(ge=0)] = 1
    copies: Annotated[int, Field(ge=0)] = 0
    required: bool = True
    condition: str | None = None
    template: str | None = None
    basis: LegalBasis | None = None

    @model_validator(mode="after")
    def _condition(self) -> Self:
        if not self.required and not self.condition:
            raise ValueError("a conditional document must say its condition in words")
        return self


class Fee(_Model):
    """A fee or charge (phí, lệ phí): an amount in VND, or a rule in words where it varies.

    Every amount names its source (``basis``); a fee without a known amount states the rule.

    >>> Fee(name="Lệ phí", rule="free when ...", basis=LegalBasis(document="x")).amount_vnd
    """

    name: Text
    amount_vnd: Annotated[int | None, Field(ge=0)] = None
    rule: str | None = None
    exemptions: tuple[str, ...] = ()
    basis: LegalBasis

    @model_validator(mode="after")
    def _amount_or_rule(self) -> Self:
        if self.amount_vnd is None and not self.rule and not self.exemptions:
            raise ValueError("a fee needs amount_vnd, a rule in words, or exemptions")
        return self


class Step(_Model):
    """One step of the procedure (trình tự thực hiện), in words, with the agency doing it."""

    description: Text
    agency: Code | None = None


class Procedure(_Model):
    """An administrative procedure (thủ tục hành chính, TTHC).

    ``national_code`` is the code in the national procedure database; it is never invented:
    leave it empty when unknown. Every number cites its source: ``time_limit`` needs
    ``time_limit_basis``; a procedure without a sourced limit says why in ``notes``.

    ``route_id`` names the inter-agency route (liên thông) in
    :attr:`mot_cua.catalog.Catalog.routes`.

    >>> p = Procedure(
    ...     id="demo", name="Thủ tục mẫu", field="Hộ tịch", level="commune", lead_agency="ubnd-xa",
    ...     time_limit="3 ngày làm việc", time_limit_basis={"document": "60/2014/QH13"},
    ...     legal_basis=[{"document": "60/2014/QH13"}])
    >>> str(p.time_limit), p.channels
    ('3 ngày làm việc', (<Channel.IN_PERSON: 'in_person'>,))
    """

    id: Code
    national_code: str | None = None
    name: Text
    field: Text
    level: AuthorityLevel
    lead_agency: Code
    coordinating_agencies: tuple[Code, ...] = ()
    applicant_kinds: Annotated[tuple[ApplicantKind, ...], Field(min_length=1)] = (
        ApplicantKind.CITIZEN,
    )
    channels: Annotated[tuple[Channel, ...], Field(min_length=1)] = (Channel.IN_PERSON,)
    online_level: OnlineLevel | None = None
    time_limit: TimeLimit | None = None
    time_limit_basis: LegalBasis | None = None
    time_limit_variants: tuple[TimeLimitVariant, ...] = ()
    excluded_from_limit: tuple[str, ...] = ()
    required_documents: tuple[RequiredDocument, ...] = ()
    fees: tuple[Fee, ...] = ()
    results: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    legal_basis: Annotated[tuple[LegalBasis, ...], Field(min_length=1)]
    steps: tuple[Step, ...] = ()
    route_id: Code | None = None
    notes: tuple[str, ...] = ()

    @field_validator("national_code")
    @classmethod
    def _national(cls, value: str | None) -> str | None:
        # Stored stripped, as Catalog.by_national_code looks it up (blank: unknown).
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        if not _CODE_RE.fullmatch(value):
            raise ValueError(
                f"national code {brief(value)} must be letters, digits, '.', '_' or '-' with no "
                "spaces inside, e.g. '1.001234'"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.time_limit is not None and self.time_limit_basis is None:
            raise ValueError("time_limit needs time_limit_basis (the law and article that set it)")
        if self.time_limit is None and not self.notes:
            raise ValueError(
                "a procedure without time_limit must say why in notes (e.g. 'not sourced')"
            )
        if self.lead_agency in self.coordinating_agencies:
            raise ValueError(
                f"lead_agency {brief(self.lead_agency)} is also listed in coordinating_agencies"
            )
        if self.online_level is not None and Channel.ONLINE not in self.channels:
            raise ValueError("online_level is set but 'online' is not among channels")
        if len(set(self.channels)) != len(self.channels):
            raise ValueError("channels lists a channel twice")
        for i, variant in enumerate(self.time_limit_variants):
            if variant.channel is not None and variant.channel not in self.channels:
                raise ValueError(
                    f"time_limit_variants[{i}] is for channel {brief(variant.channel.value)}, "
                    "which is not among channels"
                )
        return self

    def limit_for(self, channel: Channel | str) -> TimeLimit | None:
        """The time limit for a channel: its channel variant, else the base, else the route's.

        A liên thông procedure whose own limit is not sourced uses the total limit of its
        route when ``route_id`` names a shipped route template
        (:func:`mot_cua.routing.template_ids`); for a route defined in a catalogue file use
        :meth:`mot_cua.catalog.Catalog.limit_for`, which resolves both.

        Args:
            channel: a :class:`Channel` or its value (``"in_person"``, ``"online"``,
                ``"postal"``).

        Returns:
            The limit, or ``None`` when no sourced limit exists.

        Raises:
            InvalidInputError: ``channel`` is not a channel.

        >>> p = Procedure.model_validate({
        ...     "id": "x", "name": "X", "field": "F", "level": "province", "lead_agency": "a",
        ...     "channels": ["in_person", "online"], "time_limit": "5 ngày làm việc",
        ...     "time_limit_basis": {"document": "D"}, "legal_basis": [{"document": "D"}],
        ...     "time_limit_variants": [{"channel": "online", "time_limit": "3 ngày làm việc",
        ...                              "basis": {"document": "D"}}]})
        >>> str(p.limit_for("online")), str(p.limit_for("in_person"))
        ('3 ngày làm việc', '5 ngày làm việc')
        >>> p.limit_for("fax")
        Traceback (most recent call last):
        ...
        mot_cua.errors.InvalidInputError: channel 'fax' is unknown; channels: in_person, ...
        """
        wanted = _channel(channel)
        for variant in self.time_limit_variants:
            if variant.channel == wanted and variant.condition is None:
                return variant.time_limit
        if self.time_limit is not None or self.route_id is None:
            return self.time_limit
        # routing is a later layer: import it only for a liên thông procedure without a limit.
        from mot_cua.routing import load_template, template_ids

        if self.route_id in template_ids():
            return load_template(self.route_id).limit
        return None


def _channel(value: object) -> Channel:
    """A :class:`Channel` from its value, else :class:`InvalidInputError`."""
    if isinstance(value, Channel):
        return value
    try:
        return Channel(value)  # type: ignore[arg-type]  # anything: refused below
    except ValueError:
        raise InvalidInputError(
            f"channel {brief(value)} is unknown; channels: {', '.join(c.value for c in Channel)}",
            field="channel",
            value=value,
        ) from None


# --------------------------------------------------------------------------------------------
# Applicants
# --------------------------------------------------------------------------------------------


class Contact(_Model):
    """How to reach the applicant."""

    phone: str | None = None
    email: str | None = None
    address: str | None = None


class Applicant(_Model):
    """The applicant (người nộp / chủ hồ sơ): a citizen or an organisation.

    A citizen carries a CCCD (12-digit personal identification number) and a date of birth;
    an organisation a tax code (MST). Both are checked with :mod:`mot_cua.identifiers`; a CCCD
    whose century/sex or year digits contradict ``date_of_birth`` is rejected.

    >>> Applicant(kind="organisation", name="Công ty TNHH A", tax_code="0100233488").tax_code
    '0100233488'
    >>> Applicant(kind="citizen", name="B", cccd="001099012345",
    ...           date_of_birth="2001-02-03")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Applicant
    ...
    """

    kind: ApplicantKind
    name: Text
    cccd: str | None = None
    date_of_birth: dt.date | None = None
    tax_code: str | None = None
    address: str | None = None
    contact: Contact | None = None

    @field_validator("cccd")
    @classmethod
    def _cccd(cls, value: str | None) -> str | None:
        return None if value is None else CCCD.validate(value)

    @field_validator("tax_code")
    @classmethod
    def _mst(cls, value: str | None) -> str | None:
        return None if value is None else MST.validate(value)

    @model_validator(mode="after")
    def _kind_fields(self) -> Self:
        if self.kind is ApplicantKind.ORGANISATION and (self.cccd or self.date_of_birth):
            raise ValueError(
                "an organisation has no cccd or date_of_birth; give its tax_code, and put its "
                "representative in contact"
            )
        if self.kind is ApplicantKind.CITIZEN and self.tax_code:
            raise ValueError(
                "a citizen's tax code is their CCCD (Circular 86/2024/TT-BTC); give cccd instead"
            )
        if self.cccd and self.date_of_birth:
            CCCD.check_birth(self.cccd, self.date_of_birth)
        return self


# --------------------------------------------------------------------------------------------
# Dossiers
# --------------------------------------------------------------------------------------------


class SubmittedDocument(_Model):
    """A document actually submitted with a dossier."""

    name: Text
    originals: Annotated[int, Field(ge=0)] = 0
    copies: Annotated[int, Field(ge=0)] = 0
    electronic: bool = False
    reference: str | None = None


class FeePayment(_Model):
    """A fee paid for a dossier, in VND."""

    name: Text
    amount_vnd: Annotated[int, Field(ge=0)]
    paid_at: AwareDatetime | None = None
    receipt_number: str | None = None


class HistoryEntry(_Model):
    """One event in a dossier's history, as the lifecycle records it.

    Args:
        at: when it happened (aware; stored in Asia/Ho_Chi_Minh).
        actor: who did it (user or agency code).
        event: the lifecycle event name (e.g. ``receive``).
        from_status: status before, ``None`` for the creation entry.
        to_status: status after.
        note: free text (reasons for a refusal, items to supplement...).
        payload: JSON data attached by the lifecycle.
        due_at: the due moment after the event, if it changed or is known.
    """

    at: AwareDatetime
    actor: Text
    event: Text
    from_status: DossierStatus | None = None
    to_status: DossierStatus
    note: str | None = None
    payload: dict[str, JsonValue] = Field(default_factory=dict)
    due_at: AwareDatetime | None = None


#: Statuses reached only through reception: ``received_at`` is required.
_RECEIVED_STATES = frozenset(
    {
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.AWAITING_SUPPLEMENT,
        DossierStatus.AWAITING_PAYMENT,
        DossierStatus.RESOLVED,
        DossierStatus.RETURNED,
        DossierStatus.STOPPED,
    }
)
#: Received and still running: the appointment (``deadline``) is required too.
_OPEN_STATES = frozenset(
    {
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.AWAITING_SUPPLEMENT,
        DossierStatus.AWAITING_PAYMENT,
    }
)


class Dossier(_JsonModel):
    """A dossier (hồ sơ): one application from submission to the returned result.

    A dossier in a status reached through reception (received, processing, awaiting a
    supplement or payment, resolved, returned, stopped) must carry ``received_at``; one still
    running (received, processing, awaiting) must also carry its ``deadline``: a received
    dossier without its appointment is not a valid state (the receipt, form 01, states it).

    The one mutable aggregate (``validate_assignment=True``); change it through the lifecycle so
    that every change is recorded in :attr:`history`.

    JSON, like every model here: ``to_json(indent=None)``, ``Dossier.from_json(text)`` and
    ``Dossier.from_dict(mapping)``, which raise :class:`~mot_cua.errors.InvalidInputError`
    listing every invalid field path.

    Args:
        code: the dossier code, ``<unit code>-<YYMMDD>-<NNNN>`` (see
            :class:`mot_cua.identifiers.DossierCode`).
        procedure_id: the :attr:`Procedure.id`.
        applicant: who applies.
        channel: how the dossier was submitted.
        receiving_unit: code of the unit that received it.
        deciding_unit: code of the unit that decides; can differ from the receiving unit since
            1 July 2025 (Decree 118/2025/NĐ-CP; mot_cua rules §1). ``None``: not yet assigned.
        submitted_at: when it was submitted.
        received_at: when it was received (the receipt, form 01), if it was.
        documents: submitted documents.
        fees_paid: fees paid.
        status: the current status.
        deadline: the current due date (ngày hẹn trả), once computed.
        history: events so far, oldest first.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    code: Text
    procedure_id: Code
    applicant: Applicant
    channel: Channel
    receiving_unit: Code
    deciding_unit: Code | None = None
    submitted_at: AwareDatetime
    received_at: AwareDatetime | None = None
    documents: list[SubmittedDocument] = Field(default_factory=list)
    fees_paid: list[FeePayment] = Field(default_factory=list)
    status: DossierStatus = DossierStatus.SUBMITTED
    deadline: Deadline | None = None
    history: list[HistoryEntry] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.received_at is not None and self.received_at < self.submitted_at:
            raise ValueError(
                f"received_at {self.received_at.isoformat()} is before submitted_at "
                f"{self.submitted_at.isoformat()}"
            )
        if self.status in _RECEIVED_STATES and self.received_at is None:
            raise ValueError(
                f"a dossier in status {brief(self.status.value)} was received: give received_at "
                "(the receipt, form 01), or keep status 'submitted' until it is received"
            )
        if self.status in _OPEN_STATES and self.deadline is None:
            raise ValueError(
                f"a dossier in status {brief(self.status.value)} needs its appointment (ngày hẹn "
                "trả kết quả on the receipt, form 01 of Circular 01/2018/TT-VPCP): give "
                "deadline=compute_due(...), or let Lifecycle.apply_to() set it"
            )
        return self

    @property
    def unit_deciding(self) -> str:
        """The deciding unit, or the receiving unit when no other one is assigned."""
        return self.deciding_unit or self.receiving_unit


#: Every public model, by name: what ``mot-cua schema [MODEL]`` exports.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    cls.__name__: cls
    for cls in (
        Agency,
        Applicant,
        Contact,
        Dossier,
        DossierCode,
        Fee,
        FeePayment,
        HistoryEntry,
        LegalBasis,
        Location,
        Procedure,
        RequiredDocument,
        Step,
        SubmittedDocument,
        TimeLimitVariant,
    )
}
