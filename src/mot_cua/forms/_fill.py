"""Filling a form's fields from mot_cua's own objects.

Every field is prepared here as text (dates and times in words, names looked up in the
catalogue); the templates only lay it out. A field without data is ``None`` and prints as the
paper form's dotted blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from mot_cua.catalog import Catalog
from mot_cua.errors import FormError, InvalidInputError, UnknownAgencyError, UnknownProcedureError
from mot_cua.forms._spec import FormKind, FormSpec, form_spec
from mot_cua.forms._vi import (
    abbreviate_parent,
    balanced_lines,
    date_in_words,
    moment_in_words,
    numeric_moment,
    place_name,
    vnd,
)
from mot_cua.lifecycle import Lifecycle, Regime
from mot_cua.models import (
    Agency,
    Dossier,
    DossierStatus,
    HistoryEntry,
    Procedure,
    format_validation_error,
)
from mot_cua.routing import RouteTracking, handovers_from_history
from mot_cua.timezone import ensure_aware

__all__ = ["FilledForm", "FormDetails", "fill_form"]


def _aware(value: dt.datetime) -> dt.datetime:
    return ensure_aware(value, name="new_due_at")


class FormDetails(BaseModel):
    """What a form prints that mot_cua's objects do not hold (all optional: blanks otherwise).

    Args:
        number: the form's number ("Số: ...").
        place: the place it is dated at; default: the agency's province without its prefix.
        issued_on: its date; default: the date of the event it records (the receipt, the
            refusal, ...), or today's date is never guessed: blanks.
        agency: the issuing agency, overriding the catalogue look-up of the dossier's unit.
        parent_agency: the first header line (cơ quan chủ quản); default: the agency's parent.
        receiver: the clerk who receives, guides or refuses (signature block).
        signer: the head of agency signing forms 04 and 05.
        sets: number of sets submitted (receipt, item 2).
        return_place: where the result is collected (receipt, item 6).
        register_book: the register book (quyển số).
        register_entry: the entry number in the register (số thứ tự).
        lookup_code: a look-up code for the status page.
        qr: text or URL for a QR code; ``{code}`` is replaced by the dossier code.
        items: the items to supplement (form 02), overriding the history's ``missing``.
        reason: the reason printed (forms 02–05), overriding the history's.
        guidance: guidance for the applicant (forms 02, 03).
        contact: whom to contact for guidance (form 02).
        new_due_at: the new appointment (form 04), overriding the history's ``new_due_at``.
        return_methods: how each dossier's result was returned (register), by dossier code.

    >>> FormDetails(sets=1, qr="https://example.vn/tra-cuu?ma={code}").sets
    1
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: str | None = None
    place: str | None = None
    issued_on: dt.date | None = None
    agency: Agency | None = None
    parent_agency: str | None = None
    receiver: str | None = None
    signer: str | None = None
    sets: Annotated[int | None, Field(ge=1)] = None
    return_place: str | None = None
    register_book: str | None = None
    register_entry: str | None = None
    lookup_code: str | None = None
    qr: str | None = None
    items: tuple[str, ...] = ()
    reason: str | None = None
    guidance: str | None = None
    contact: str | None = None
    new_due_at: Annotated[dt.datetime | None, AfterValidator(lambda v: v and _aware(v))] = None
    return_methods: dict[str, str] = Field(default_factory=dict)


class FilledForm(BaseModel):
    """A form with its fields filled in: what the template lays out.

    ``fields`` maps names to text (or lists of rows); a missing value is ``None``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec: FormSpec
    dossier_code: str | None
    fields: dict[str, Any]


class _Ctx:
    """Look-ups shared by the fillers."""

    def __init__(self, catalog: Catalog, details: FormDetails) -> None:
        self.catalog = catalog
        self.details = details

    def agency(self, code: str | None) -> Agency | None:
        if code is None:
            return None
        try:
            return self.catalog.agency(code)
        except UnknownAgencyError:
            return None

    def agency_name(self, code: str | None) -> str | None:
        found = self.agency(code)
        return found.name if found is not None else code

    def procedure(self, procedure_id: str) -> Procedure | None:
        try:
            return self.catalog.get(procedure_id)
        except UnknownProcedureError:
            return None

    def header(self, code: str | None, day: dt.date | None) -> dict[str, Any]:
        d = self.details
        agency = d.agency or self.agency(code)
        parent = d.parent_agency
        if parent is None and agency is not None and agency.parent:
            found = self.agency(agency.parent)
            parent = found.name if found is not None else None
        place = d.place
        if place is None and agency is not None and agency.location is not None:
            place = place_name(agency.location.province_name)
        issued = d.issued_on or day
        return {
            "parent_agency": parent.upper() if parent else None,
            "parent_lines": (balanced_lines(abbreviate_parent(parent.upper())) if parent else []),
            "agency": agency.name.upper() if agency is not None else None,
            "agency_lines": balanced_lines(agency.name.upper()) if agency is not None else [],
            "agency_name": agency.name if agency is not None else None,
            "number": d.number,
            "place": place,
            "date": date_in_words(issued),
        }


def _last(history: Sequence[HistoryEntry], events: Iterable[str]) -> tuple[int, HistoryEntry]:
    wanted = set(events)
    for i in range(len(history) - 1, -1, -1):
        if history[i].event in wanted:
            return i, history[i]
    return -1, _NO_ENTRY


_NO_ENTRY = HistoryEntry(
    at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    actor="-",
    event="-",
    to_status=DossierStatus.SUBMITTED,
)


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _fail(spec: FormSpec, dossier: Dossier, what: str, fix: str, field: str) -> FormError:
    return FormError(
        f"{spec.label} ({spec.title}, Thông tư {spec.circular}) for dossier {dossier.code}: "
        f"{what}; {fix}",
        form=spec.kind.value,
        dossier=dossier.code,
        field=field,
    )


def _applicant(dossier: Dossier) -> dict[str, Any]:
    a = dossier.applicant
    contact = a.contact
    return {
        "name": a.name,
        "kind": a.kind.label,
        "id_number": a.cccd or a.tax_code,
        "id_label": "Mã số thuế" if a.tax_code else "Số định danh cá nhân",
        "address": a.address or (contact.address if contact else None),
        "phone": contact.phone if contact else None,
        "email": contact.email if contact else None,
    }


def _common(ctx: _Ctx, dossier: Dossier, code: str | None, day: Any) -> dict[str, Any]:
    procedure = ctx.procedure(dossier.procedure_id)
    return {
        "header": ctx.header(code, day),
        "code": dossier.code,
        "applicant": _applicant(dossier),
        "procedure": procedure.name if procedure is not None else None,
        "received": moment_in_words(dossier.received_at),
        "received_date": date_in_words(dossier.received_at),
        "lookup_code": ctx.details.lookup_code,
        "receiver": ctx.details.receiver,
        "signer": ctx.details.signer,
    }


def _copy_kind(originals: int, copies: int) -> str | None:
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return ", ".join(parts) or None


def _appointment(dossier: Dossier) -> dt.datetime | None:
    """The return time the receipt gave (before any apology moved it)."""
    _, entry = _last(dossier.history, ("receive",))
    if entry.due_at is not None:
        return entry.due_at
    if dossier.deadline is not None:
        return dossier.deadline.extended_from or dossier.deadline.due_at
    return None


def _receipt(ctx: _Ctx, spec: FormSpec, dossier: Dossier) -> dict[str, Any]:
    if dossier.received_at is None:
        raise _fail(
            spec,
            dossier,
            "the dossier has not been received (an incomplete dossier gets form 02, not a receipt)",
            "record the receive event first",
            "received_at",
        )
    due = _appointment(dossier)
    if due is None:
        raise _fail(
            spec,
            dossier,
            "it has no due moment, and the receipt must print the return time",
            "compute the deadline (mot_cua.compute_due or the Lifecycle) and set dossier.deadline",
            "deadline",
        )
    fields = _common(ctx, dossier, dossier.receiving_unit, dossier.received_at)
    d = ctx.details
    limit = dossier.deadline.limit if dossier.deadline is not None else None
    fields.update(
        documents=[
            {
                "name": doc.name,
                "kind": _copy_kind(doc.originals, doc.copies),
                "note": "Bản điện tử" if doc.electronic else (doc.reference or ""),
            }
            for doc in dossier.documents
        ],
        sets=d.sets,
        limit=str(limit) if limit is not None else None,
        due=moment_in_words(due),
        return_place=d.return_place,
        register_book=d.register_book,
        register_entry=d.register_entry,
        channel=dossier.channel.label,
        fees=[
            f"{fee.name}: {vnd(fee.amount_vnd)}"
            + (f" (biên lai số {fee.receipt_number})" if fee.receipt_number else "")
            for fee in dossier.fees_paid
        ],
    )
    return fields


def _supplement(ctx: _Ctx, spec: FormSpec, dossier: Dossier) -> dict[str, Any]:
    _, entry = _last(dossier.history, ("request_supplement", "request_completion"))
    found = entry is not _NO_ENTRY
    missing = entry.payload.get("missing") if found else None
    items = list(ctx.details.items) or (
        [str(m) for m in missing if _text(m)] if isinstance(missing, list) else []
    )
    if not items:
        raise _fail(
            spec,
            dossier,
            "no items to supplement: the history has no request_supplement or "
            "request_completion event listing them",
            "record the event with missing=[...] or pass FormDetails(items=[...])",
            "items",
        )
    day = entry.at if found else None
    fields = _common(ctx, dossier, dossier.receiving_unit, day)
    fields.update(
        items=items,
        reason=ctx.details.reason or (_text(entry.payload.get("reason")) if found else None),
        guidance=ctx.details.guidance,
        contact=ctx.details.contact,
        during_processing=found and entry.event == "request_supplement",
        requested=moment_in_words(day) if day is not None else None,
    )
    return fields


def _refusal(ctx: _Ctx, spec: FormSpec, dossier: Dossier) -> dict[str, Any]:
    _, entry = _last(dossier.history, ("refuse",))
    found = entry is not _NO_ENTRY
    reason = ctx.details.reason or (_text(entry.payload.get("reason")) if found else None)
    if reason is None:
        raise _fail(
            spec,
            dossier,
            "a refusal states its reasons (Decree 61/2018/NĐ-CP) and none is recorded",
            "record refuse(reason='...') or pass FormDetails(reason='...')",
            "reason",
        )
    fields = _common(ctx, dossier, dossier.receiving_unit, entry.at if found else None)
    fields.update(reason=reason, guidance=ctx.details.guidance)
    return fields


def _recorded_instant(raw: object) -> dt.datetime | None:
    """An aware instant recorded in a history payload (ISO text), or ``None`` if unreadable."""
    if not isinstance(raw, str):
        return None
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _apology(
    ctx: _Ctx, spec: FormSpec, dossier: Dossier, tracking: RouteTracking | None
) -> dict[str, Any]:
    index, entry = _last(dossier.history, ("extend",))
    found = entry is not _NO_ENTRY
    new_due = ctx.details.new_due_at
    if new_due is None and found:
        new_due = _recorded_instant(entry.payload.get("new_due_at"))
    if new_due is None:
        raise _fail(
            spec,
            dossier,
            "an apology must give the new date for the result, and none is recorded",
            "record extend(new_due_at=..., reason='...') or pass FormDetails(new_due_at=...)",
            "new_due_at",
        )
    original = None
    if index > 0:
        original = dossier.history[index - 1].due_at
    if original is None and dossier.deadline is not None:
        original = dossier.deadline.extended_from or dossier.deadline.due_at
    issuer = (
        tracking.responsible_agency
        if tracking is not None and tracking.responsible_agency
        else dossier.unit_deciding
    )
    fields = _common(ctx, dossier, issuer, entry.at if found else None)
    fields.update(
        original_due=moment_in_words(original),
        new_due=moment_in_words(new_due),
        reason=ctx.details.reason or (_text(entry.payload.get("reason")) if found else None),
    )
    return fields


def _stop(ctx: _Ctx, spec: FormSpec, dossier: Dossier) -> dict[str, Any]:
    _, entry = _last(dossier.history, ("stop",))
    found = entry is not _NO_ENTRY
    reason = ctx.details.reason or (_text(entry.payload.get("reason")) if found else None)
    if reason is None:
        raise _fail(
            spec,
            dossier,
            "a stop notice states its reasons (Decree 118/2025/NĐ-CP) and none is recorded",
            "record stop(reason='...') or pass FormDetails(reason='...')",
            "reason",
        )
    stage = entry.from_status.label if found and entry.from_status is not None else None
    fields = _common(ctx, dossier, dossier.unit_deciding, entry.at if found else None)
    fields.update(
        reason=reason,
        stage=stage,
        stopped=moment_in_words(entry.at) if found else moment_in_words(None),
    )
    return fields


def _control_sheet(
    ctx: _Ctx, spec: FormSpec, dossier: Dossier, tracking: RouteTracking | None
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    if tracking is not None:
        for r in tracking.control_sheet():
            rows.append(
                {
                    "from": ctx.agency_name(r.from_agency),
                    "to": ctx.agency_name(r.to_agency),
                    "at": moment_in_words(r.at),
                    "result": r.timeliness.label.capitalize() if r.timeliness else None,
                    "note": r.note,
                }
            )
    else:
        handovers, _, _ = handovers_from_history(dossier)
        for h in handovers:
            rows.append(
                {
                    "from": ctx.agency_name(h.from_agency),
                    "to": ctx.agency_name(h.to_agency),
                    "at": moment_in_words(h.at),
                    "result": None,
                    "note": h.note,
                }
            )
    procedure = ctx.procedure(dossier.procedure_id)
    lead = procedure.lead_agency if procedure is not None else dossier.unit_deciding
    others = list(procedure.coordinating_agencies) if procedure is not None else []
    if tracking is not None:
        others += [s.agency for s in tracking.steps]
    # The receiving desk hands the dossier on and back: it is not a coordinating agency.
    skip = {lead, dossier.receiving_unit}
    coordinating = [ctx.agency_name(a) for a in dict.fromkeys(others) if a not in skip]
    fields = _common(ctx, dossier, dossier.receiving_unit, dossier.received_at)
    fields.update(
        rows=rows,
        lead=ctx.agency_name(lead),
        coordinating=", ".join(c for c in coordinating if c) or None,
        due=moment_in_words(_appointment(dossier)),
        blank_moment=moment_in_words(None),
    )
    return fields


def _register_row(ctx: _Ctx, i: int, dossier: Dossier) -> dict[str, Any]:
    procedure = ctx.procedure(dossier.procedure_id)
    transferred = next((e.at for e in dossier.history if e.event == "transfer"), None)
    returned = next((e.at for e in dossier.history if e.event == "return_result"), None)
    a = _applicant(dossier)
    reach = "; ".join(x for x in (a["address"], a["phone"]) if x)
    return {
        "n": i,
        "code": dossier.code,
        "procedure": procedure.name if procedure is not None else dossier.procedure_id,
        "applicant": a["name"],
        "reach": reach,
        "lead": ctx.agency_name(
            procedure.lead_agency if procedure is not None else dossier.unit_deciding
        ),
        "received": numeric_moment(dossier.received_at),
        "due": numeric_moment(dossier.deadline.due_at if dossier.deadline else None),
        "transferred": numeric_moment(transferred),
        "returned": numeric_moment(returned),
        "method": ctx.details.return_methods.get(dossier.code, ""),
    }


def _register(ctx: _Ctx, spec: FormSpec, dossiers: Sequence[Dossier]) -> dict[str, Any]:
    first = dossiers[0] if dossiers else None
    unit = first.receiving_unit if first is not None else None
    return {
        "header": ctx.header(unit, None),
        "rows": [_register_row(ctx, i, d) for i, d in enumerate(dossiers, start=1)],
        "register_book": ctx.details.register_book,
    }


def regime_of(dossier: Dossier) -> Regime:
    """The regime a dossier was received under (its submission date before a receipt).

    Args:
        dossier: the dossier.

    Returns:
        Decree 61/2018 (Circular 01/2018/TT-VPCP) up to 30/6/2025, Decree 118/2025 (Circular
        03/2025/TT-VPCP) from 1/7/2025, read in Asia/Ho_Chi_Minh (mot_cua rules §1).

    >>> from mot_cua.testing import make_dossier
    >>> regime_of(make_dossier(status="received")).value
    'decree-61-2018'
    """
    if not isinstance(dossier, Dossier):
        raise InvalidInputError(
            f"regime_of needs a Dossier, not {type(dossier).__name__}; build one with "
            "Dossier(...) or Dossier.from_dict(...)",
            field="dossier",
        )
    at = dossier.received_at or dossier.submitted_at
    return Regime.for_date(at.date())


def _check_types(source: object, lifecycle: object, tracking: object, catalog: object) -> None:
    """Refuse arguments of the wrong type with one message naming the argument."""
    if not isinstance(source, Dossier) and (
        isinstance(source, str | bytes | bytearray | Mapping) or not isinstance(source, Iterable)
    ):
        raise InvalidInputError(
            f"source must be a Dossier (or, for the register, a list of them), not "
            f"{type(source).__name__}; build one with Dossier.from_dict(...)",
            field="source",
        )
    for name, value, kind in (
        ("lifecycle", lifecycle, Lifecycle),
        ("tracking", tracking, RouteTracking),
        ("catalog", catalog, Catalog),
    ):
        if value is not None and not isinstance(value, kind):
            raise InvalidInputError(
                f"{name} must be a {kind.__name__} or None, not {type(value).__name__}",
                field=name,
            )


def _with_lifecycle(dossier: Dossier, lifecycle: Lifecycle | None) -> Dossier:
    if lifecycle is None:
        return dossier
    data = dossier.model_dump()
    deadline = lifecycle.deadline
    data.update(
        status=lifecycle.status or dossier.status,
        received_at=deadline.received_at if deadline is not None else dossier.received_at,
        deadline=deadline if deadline is not None else dossier.deadline,
        history=list(lifecycle.history) or dossier.history,
    )
    return Dossier.model_validate(data)


def _register_regime(dossiers: Sequence[Dossier], regime: Regime | None) -> Regime:
    if regime is not None:
        return regime
    found = {regime_of(d) for d in dossiers}
    if len(found) > 1:
        raise FormError(
            "the register mixes dossiers received before and from 1 July 2025 (Circular "
            "01/2018/TT-VPCP and Circular 03/2025/TT-VPCP): split it at 01/07/2025 or fix "
            "regime=",
            form=FormKind.REGISTER.value,
            field="dossiers",
        )
    if not found:
        raise FormError(
            "an empty register has no receipt date to choose its circular from: pass regime=",
            form=FormKind.REGISTER.value,
            field="regime",
        )
    return found.pop()


_FILLERS: Mapping[FormKind, Callable[[_Ctx, FormSpec, Dossier], dict[str, Any]]] = {
    FormKind.RECEIPT: _receipt,
    FormKind.SUPPLEMENT_REQUEST: _supplement,
    FormKind.REFUSAL: _refusal,
    FormKind.STOP_NOTICE: _stop,
}


def fill_form(
    form: FormKind | str,
    source: Dossier | Sequence[Dossier],
    *,
    lifecycle: Lifecycle | None = None,
    tracking: RouteTracking | None = None,
    details: FormDetails | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    regime: Regime | str | None = None,
) -> FilledForm:
    """Fill a statutory form from a dossier (or, for the register, a list of dossiers).

    Args:
        form: the form: a :class:`FormKind` value (``"receipt"``, ...) or its number in the
            regime (``"01"``).
        source: the dossier; for the register, the dossiers in register order.
        lifecycle: the dossier's lifecycle; its history, receipt and deadline are used instead
            of the dossier's own fields.
        tracking: the route tracking (control sheet rows with their early / on time / late;
            the apology is issued by the agency that caused the delay).
        details: what the objects do not hold (:class:`FormDetails`).
        catalog: where agency and procedure names come from (default: the shipped sample
            catalogue; unknown codes print as blanks in headers and as codes in tables).
        regime: fix the regime; default: from the receipt date (mot_cua rules §1:
            Circular 01/2018/TT-VPCP up to 30/6/2025, Circular 03/2025/TT-VPCP from 1/7/2025).

    Returns:
        The filled form.

    Raises:
        UnknownFormError: no such form in the regime (the stop notice before 1 July 2025).
        FormError: the data cannot fill the form (no due moment for a receipt, no new date for
            an apology, no reasons for a refusal or a stop, a register mixing regimes).
        InvalidInputError: ``details``, ``source``, ``lifecycle``, ``tracking`` or ``catalog`` is
            not of the right type.

    >>> from mot_cua.testing import make_dossier
    >>> form = fill_form("receipt", make_dossier(status="received"), details={"sets": 2})
    >>> form.spec.label, form.fields["due"], form.fields["sets"]
    ('Mẫu số 01', '17 giờ 00 phút, ngày 17 tháng 3 năm 2025', 2)
    """
    info = _form_details(details)
    _check_types(source, lifecycle, tracking, catalog)
    fixed = Regime._parse(regime) if regime is not None else None
    ctx = _Ctx(catalog if catalog is not None else Catalog.default(), info)
    if isinstance(source, Dossier):
        dossier = _with_lifecycle(source, lifecycle)
        chosen = fixed or (lifecycle.regime if lifecycle and lifecycle.regime else None)
        spec = form_spec(form, chosen or regime_of(dossier))
        if spec.kind is FormKind.REGISTER:
            dossiers: Sequence[Dossier] = [dossier]
        else:
            return FilledForm(
                spec=spec,
                dossier_code=dossier.code,
                fields=_one(ctx, spec, dossier, tracking),
            )
    else:
        dossiers = list(source)
        if not all(isinstance(d, Dossier) for d in dossiers):
            raise InvalidInputError(
                "the register is filled from a list of Dossier objects", field="source"
            )
        spec = form_spec(form, _register_regime(dossiers, fixed))
        if spec.kind is not FormKind.REGISTER:
            raise InvalidInputError(
                f"{spec.label} ({spec.title}) is filled from one dossier, not a list; only the "
                "register takes a list",
                field="source",
            )
    return FilledForm(spec=spec, dossier_code=None, fields=_register(ctx, spec, dossiers))


def _form_details(details: FormDetails | Mapping[str, Any] | None) -> FormDetails:
    """``details`` as :class:`FormDetails` (empty when ``None``), validated.

    Raises:
        InvalidInputError: not a FormDetails or a mapping, or a field is invalid.
    """
    if details is None:
        return FormDetails()
    if isinstance(details, FormDetails):
        return details
    if not isinstance(details, Mapping):
        raise InvalidInputError(
            f"details must be a FormDetails or a mapping, not {type(details).__name__}; "
            "pass e.g. details={'sets': 2}",
            field="details",
        )
    try:
        return FormDetails.model_validate(details)
    except ValidationError as exc:
        problems = "; ".join(format_validation_error(exc, where="details"))
        raise InvalidInputError(
            f"invalid form details: {problems}; fix the listed fields", field="details"
        ) from exc


def _one(
    ctx: _Ctx, spec: FormSpec, dossier: Dossier, tracking: RouteTracking | None
) -> dict[str, Any]:
    if spec.kind is FormKind.APOLOGY:
        fields = _apology(ctx, spec, dossier, tracking)
    elif spec.kind is FormKind.CONTROL_SHEET:
        fields = _control_sheet(ctx, spec, dossier, tracking)
    else:
        fields = _FILLERS[spec.kind](ctx, spec, dossier)
    qr = ctx.details.qr
    fields["qr_text"] = qr.replace("{code}", dossier.code) if qr else None
    return fields
