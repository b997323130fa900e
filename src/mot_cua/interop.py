"""Vietnamese field names for national-portal integrations, round-tripping without loss.

mot_cua's JSON uses English field names. Integrations with the national public-service portal
(Cổng Dịch vụ công quốc gia) use Vietnamese names; :func:`to_national` and :func:`from_national`
translate a :class:`~mot_cua.models.Dossier` both ways. The mapping (:data:`NATIONAL_FIELDS`):

============================  ==================  ==============================================
mot_cua                       national name       value
============================  ==================  ==============================================
``code``                      ``MaHoSo``          text
``procedure_id``              ``MaTTHC``          national code when the catalogue knows it
``applicant.name``            ``ChuHoSo``         text
``applicant.contact.phone``   ``SoDienThoai``     text
``applicant.contact.email``   ``Email``           text
``channel``                   ``KenhThucHien``    1 in person, 2 online, 3 postal (mot_cua rules §6)
``received_at``               ``NgayTiepNhan``    ``yyyyMMddHHmmss``, Asia/Ho_Chi_Minh
``deadline.due_at``           ``NgayHenTra``      ``yyyyMMddHHmmss``, Asia/Ho_Chi_Minh
``status``                    ``TrangThaiHoSo``   1–10 (mot_cua rules §6)
============================  ==================  ==============================================

The names and codes are those used consistently by independent integrations (mot_cua rules §6,
medium-high; the official specification was not available). Everything else the portal has no
field for (the applicant's identifiers, documents, fees, history, the full deadline with its
trace) travels in one extension object under the key ``MotCua`` (:data:`EXTENSION_KEY`), in
mot_cua's English JSON, so that ``from_national(to_national(d)) == d``. Timestamps keep
sub-second digits (``yyyyMMddHHmmss.ffffff``) only when they have them.

>>> import datetime as dt
>>> from mot_cua.deadlines import compute_due
>>> from mot_cua.models import Applicant, Dossier
>>> from mot_cua.timezone import VN_TZ
>>> received = dt.datetime(2025, 1, 6, 9, 30, tzinfo=VN_TZ)
>>> d = Dossier(code="H29-250106-0001", procedure_id="ho-tich.dang-ky-khai-sinh",
...             applicant=Applicant(kind="citizen", name="Nguyễn Văn A"), channel="online",
...             receiving_unit="H29", submitted_at=dt.datetime(2025, 1, 6, 9, tzinfo=VN_TZ),
...             received_at=received, status="received",
...             deadline=compute_due(received, "trong ngày"))
>>> n = to_national(d)
>>> n["MaHoSo"], n["KenhThucHien"], n["NgayTiepNhan"], n["NgayHenTra"], n["TrangThaiHoSo"]
('H29-250106-0001', 2, '20250106093000', '20250106170000', 2)
>>> from_national(n) == d
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from mot_cua.catalog import Catalog
from mot_cua.errors import InvalidInputError, MotCuaError, brief
from mot_cua.limits import Deadline, Method
from mot_cua.models import (
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatus,
    format_validation_error,
)
from mot_cua.timezone import VN_TZ

__all__ = ["EXTENSION_KEY", "NATIONAL_FIELDS", "from_national", "to_national"]

#: mot_cua field path → national portal field name.
NATIONAL_FIELDS: dict[str, str] = {
    "code": "MaHoSo",
    "procedure_id": "MaTTHC",
    "applicant.name": "ChuHoSo",
    "applicant.contact.phone": "SoDienThoai",
    "applicant.contact.email": "Email",
    "channel": "KenhThucHien",
    "received_at": "NgayTiepNhan",
    "deadline.due_at": "NgayHenTra",
    "status": "TrangThaiHoSo",
}

#: Key of the extension object holding what the national fields cannot carry.
EXTENSION_KEY = "MotCua"

_FMT = "%Y%m%d%H%M%S"
#: Exactly 14 ASCII digits (and up to 6 fractional ones): strptime alone reads "202511693000".
_STAMP = re.compile(r"[0-9]{14}(?:\.[0-9]{1,6})?")


def _stamp(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    local = value.astimezone(VN_TZ)
    text = local.strftime(_FMT)
    return f"{text}.{local.microsecond:06d}" if local.microsecond else text


def _parse_stamp(value: Any, name: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{name} must be text yyyyMMddHHmmss, got {brief(value)}", field=name, value=value
        )
    if not _STAMP.fullmatch(value):
        raise InvalidInputError(
            f"{name}={brief(value)} is not a timestamp yyyyMMddHHmmss (14 digits, optionally "
            "followed by .ffffff), e.g. 20250106093000",
            field=name,
            value=value,
        )
    try:
        fmt = _FMT + ".%f" if "." in value else _FMT
        naive = dt.datetime.strptime(value, fmt)  # the portal's local time
    except ValueError as exc:
        raise InvalidInputError(
            f"{name}={brief(value)} is not a timestamp yyyyMMddHHmmss (Asia/Ho_Chi_Minh local "
            "time)",
            field=name,
            value=value,
        ) from exc
    return naive.replace(tzinfo=VN_TZ)


def to_national(dossier: Dossier, *, catalog: Catalog | None = None) -> dict[str, Any]:
    """Render a dossier with the national portal's Vietnamese field names.

    Args:
        dossier: the dossier.
        catalog: when given and the procedure has a ``national_code``, ``MaTTHC`` carries that
            code instead of the local procedure id.

    Returns:
        A JSON-ready dict; see :data:`NATIONAL_FIELDS` and :data:`EXTENSION_KEY`.

    Raises:
        InvalidInputError: ``dossier`` is not a Dossier or ``catalog`` not a Catalog.
    """
    _check(dossier, catalog)
    procedure_code = dossier.procedure_id
    if catalog is not None and dossier.procedure_id in catalog:
        procedure_code = catalog.get(dossier.procedure_id).national_code or procedure_code
    contact = dossier.applicant.contact
    full = dossier.model_dump(mode="json")
    national: dict[str, Any] = {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure_code,
        "ChuHoSo": dossier.applicant.name,
        "SoDienThoai": contact.phone if contact else None,
        "Email": contact.email if contact else None,
        "KenhThucHien": dossier.channel.national_code,
        "NgayTiepNhan": _stamp(dossier.received_at),
        "NgayHenTra": _stamp(dossier.deadline.due_at if dossier.deadline else None),
        "TrangThaiHoSo": dossier.status.national_code,
    }
    extension = {k: v for k, v in full.items() if k not in {"code", "channel", "status"}}
    national[EXTENSION_KEY] = extension
    return national


def from_national(data: Mapping[str, Any], *, catalog: Catalog | None = None) -> Dossier:
    """Read a dossier from national-portal field names (the inverse of :func:`to_national`).

    Without the ``MotCua`` extension (data from another system), the dossier is built from the
    national fields alone: a citizen applicant named ``ChuHoSo``, ``submitted_at`` =
    ``NgayTiepNhan``. A closed dossier gets no deadline object (``NgayHenTra`` alone cannot say
    how it was computed). A dossier still running (status 2, 4, 5 or 6) must carry its
    appointment: ``NgayHenTra`` is required and kept as recorded (not recomputed: the other
    system's calendar may differ), with the procedure's limit from ``catalog``
    (:meth:`~mot_cua.catalog.Catalog.limit_for`), which is then required too.

    Args:
        data: the national record.
        catalog: resolves ``MaTTHC`` national codes to procedure ids when given.

    Raises:
        InvalidInputError: a field is missing or invalid; the message names it.
    """
    if not isinstance(data, Mapping):
        raise InvalidInputError(
            f"a national dossier record must be an object, not {type(data).__name__}"
        )
    if catalog is not None and not isinstance(catalog, Catalog):
        raise InvalidInputError(
            f"catalog must be a Catalog, not {type(catalog).__name__}", field="catalog"
        )
    try:
        channel = Channel.from_national_code(_required(data, "KenhThucHien"))
        status = DossierStatus.from_national_code(_required(data, "TrangThaiHoSo"))
        code = _required(data, "MaHoSo")
        extension = data.get(EXTENSION_KEY)
        if extension is not None:
            if not isinstance(extension, Mapping):
                raise InvalidInputError(f"{EXTENSION_KEY} must be an object", field=EXTENSION_KEY)
            record = {**extension, "code": code, "channel": channel, "status": status}
            return Dossier.model_validate(record)
        procedure = str(_required(data, "MaTTHC"))
        if catalog is not None:
            with contextlib.suppress(MotCuaError):
                procedure = catalog.by_national_code(procedure).id
        received = _parse_stamp(data.get("NgayTiepNhan"), "NgayTiepNhan")
        if received is None:
            raise InvalidInputError(
                "NgayTiepNhan is required when the record has no MotCua extension",
                field="NgayTiepNhan",
            )
        deadline = _recorded_deadline(data, status, channel, procedure, received, catalog)
        contact = {"phone": data.get("SoDienThoai"), "email": data.get("Email")}
        applicant = Applicant(
            kind=ApplicantKind.CITIZEN,
            name=_required(data, "ChuHoSo"),
            contact=contact if any(contact.values()) else None,  # type: ignore[arg-type]
        )
        unit = str(code).rsplit("-", 2)[0]
        return Dossier(
            code=code,
            procedure_id=procedure,
            applicant=applicant,
            channel=channel,
            receiving_unit=unit,
            submitted_at=received,
            received_at=received,
            status=status,
            deadline=deadline,
        )
    except ValidationError as exc:
        lines = format_validation_error(exc)
        raise InvalidInputError(
            "invalid national dossier record: " + "; ".join(lines), problems=lines
        ) from exc
    except (TypeError, AttributeError) as exc:
        raise InvalidInputError(f"invalid national dossier record: {exc}") from exc


def _check(dossier: object, catalog: object) -> None:
    if not isinstance(dossier, Dossier):
        raise InvalidInputError(
            f"to_national needs a Dossier, not {type(dossier).__name__}", field="dossier"
        )
    if catalog is not None and not isinstance(catalog, Catalog):
        raise InvalidInputError(
            f"catalog must be a Catalog (e.g. Catalog.default()), not {type(catalog).__name__}",
            field="catalog",
        )


_RUNNING = frozenset(
    {
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.AWAITING_SUPPLEMENT,
        DossierStatus.AWAITING_PAYMENT,
    }
)


def _recorded_deadline(
    data: Mapping[str, Any],
    status: DossierStatus,
    channel: Channel,
    procedure: str,
    received: dt.datetime,
    catalog: Catalog | None,
) -> Deadline | None:
    """The appointment of a running dossier from another system, as recorded (``NgayHenTra``)."""
    if status not in _RUNNING:
        return None
    due = _parse_stamp(data.get("NgayHenTra"), "NgayHenTra")
    if due is None:
        raise InvalidInputError(
            f"NgayHenTra is required: a dossier in status {status.national_code} "
            f"({status.label}) is running and must carry its appointment",
            field="NgayHenTra",
        )
    if catalog is None or procedure not in catalog:
        raise InvalidInputError(
            f"a running dossier without the {EXTENSION_KEY} extension needs the procedure's "
            f"time limit: pass catalog= with procedure {brief(procedure)} (MaTTHC)",
            field="MaTTHC",
            value=procedure,
        )
    limit = catalog.limit_for(procedure, channel)
    if due < received:
        raise InvalidInputError(
            f"NgayHenTra {data.get('NgayHenTra')} is before NgayTiepNhan "
            f"{data.get('NgayTiepNhan')}",
            field="NgayHenTra",
        )
    return Deadline(
        received_at=received, deemed_receipt=received, limit=limit, method=Method.DAYS, due_at=due
    )


def _required(data: Mapping[str, Any], name: str) -> Any:
    value = data.get(name)
    if value in (None, ""):
        raise InvalidInputError(f"national field {name} is missing", field=name)
    return value
