"""The statutory forms of the one-stop desk, for the regime a dossier was received under.

Install with ``pip install "mot_cua[forms]"`` (Jinja2, WeasyPrint, segno). The forms are those of
Circular 01/2018/TT-VPCP (Decree 61/2018/NĐ-CP; dossiers received up to 30/6/2025; six forms) and
Circular 03/2025/TT-VPCP (Decree 118/2025/NĐ-CP; from 1/7/2025; seven forms, adding the stop
notice):

======================  ====  ====  ==============================================
form (:class:`FormKind`) 2018  2025  filled from
======================  ====  ====  ==============================================
``receipt``             01    01    the dossier and its deadline
``supplement_request``  02    02    the ``request_supplement`` or ``request_completion``
``refusal``             03    03    the ``refuse`` event
``apology``             04    04    the ``extend`` event (its ``new_due_at``)
``stop_notice``         –     05    the ``stop`` event
``control_sheet``       05    06    a ``RouteTracking`` (or the dossier's transfers)
``register``            06    07    a list of dossiers
======================  ====  ====  ==============================================

Templates are data (Jinja2, one per form and circular, package folder ``templates/``) with an A4
print stylesheet; they render to HTML and, with WeasyPrint, to PDF. Dates and times are written as
the forms write them ("09 giờ 30 phút, ngày 05 tháng 8 năm 2025"); fields without data print as
dotted blanks. The font, Liberation Serif 2.1.5 (SIL Open Font License 1.1), ships in the package.

>>> import datetime as dt
>>> from mot_cua import VN_TZ, Applicant, Dossier, compute_due
>>> received = dt.datetime(2025, 8, 5, 9, 30, tzinfo=VN_TZ)
>>> dossier = Dossier(
...     code="H01.70-250805-0001", procedure_id="chung-thuc.chu-ky",
...     applicant=Applicant(kind="citizen", name="Nguyễn Thị Lan", cccd="001190012345"),
...     channel="in_person", receiving_unit="ttphcc-phuong-hoan-kiem",
...     submitted_at=received, received_at=received,
...     deadline=compute_due(received, "3 ngày làm việc"))
>>> form = fill_form("receipt", dossier)
>>> form.spec.label, form.spec.circular
('Mẫu số 01', '03/2025/TT-VPCP')
>>> form.fields["due"]
'17 giờ 00 phút, ngày 08 tháng 8 năm 2025'
>>> "Thông tư số 03/2025/TT-VPCP" in render_html("receipt", dossier, fonts="none")
True
>>> render_pdf("receipt", dossier)[:5]
b'%PDF-'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mot_cua.catalog import Catalog
from mot_cua.forms._fill import FilledForm, FormDetails, fill_form, regime_of
from mot_cua.forms._render import FONT_FILES, FontMode, to_html, to_pdf, to_pdfs
from mot_cua.forms._spec import CIRCULARS, FormKind, FormSpec, form_spec, forms_for
from mot_cua.lifecycle import Lifecycle, Regime
from mot_cua.models import Dossier
from mot_cua.routing import RouteTracking

__all__ = [
    "CIRCULARS",
    "FONT_FILES",
    "FilledForm",
    "FontMode",
    "FormDetails",
    "FormKind",
    "FormSpec",
    "fill_form",
    "form_spec",
    "forms_for",
    "regime_of",
    "render_html",
    "render_pdf",
    "to_html",
    "to_pdf",
    "to_pdfs",
]


def render_html(
    form: FormKind | str,
    source: Dossier | Sequence[Dossier],
    *,
    lifecycle: Lifecycle | None = None,
    tracking: RouteTracking | None = None,
    details: FormDetails | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    regime: Regime | str | None = None,
    fonts: FontMode = "embed",
) -> str:
    """Fill a form and render it as one HTML document (:func:`fill_form`, then :func:`to_html`).

    Args:
        form: the form's :class:`FormKind` value or its number in the regime.
        source: the dossier (a list of dossiers for the register).
        lifecycle: the dossier's lifecycle (history, receipt, deadline).
        tracking: the route tracking (control sheet; who apologises).
        details: what the objects do not hold (:class:`FormDetails`).
        catalog: agency and procedure names (default: the shipped sample catalogue).
        regime: fix the regime (default: from the receipt date).
        fonts: ``embed`` (self-contained), ``link`` or ``none`` (see :data:`FontMode`).

    Returns:
        The HTML text.

    Raises:
        UnknownFormError: no such form in the regime.
        FormError: the data cannot fill the form.
        InvalidInputError: a wrong type or option.

    >>> from mot_cua.testing import make_dossier
    >>> "Thông tư số 01/2018/TT-VPCP" in render_html(
    ...     "receipt", make_dossier(status="received"), fonts="none")
    True
    """
    filled = fill_form(
        form,
        source,
        lifecycle=lifecycle,
        tracking=tracking,
        details=details,
        catalog=catalog,
        regime=regime,
    )
    return to_html(filled, fonts=fonts)


def render_pdf(
    form: FormKind | str,
    source: Dossier | Sequence[Dossier],
    *,
    lifecycle: Lifecycle | None = None,
    tracking: RouteTracking | None = None,
    details: FormDetails | Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    regime: Regime | str | None = None,
) -> bytes:
    """Fill a form and render it as a PDF (:func:`fill_form`, then :func:`to_pdf`).

    Args:
        form: the form's :class:`FormKind` value or its number in the regime.
        source: the dossier (a list of dossiers for the register).
        lifecycle: the dossier's lifecycle (history, receipt, deadline).
        tracking: the route tracking (control sheet; who apologises).
        details: what the objects do not hold (:class:`FormDetails`).
        catalog: agency and procedure names (default: the shipped sample catalogue).
        regime: fix the regime (default: from the receipt date).

    Returns:
        The PDF bytes (A4, the register in landscape; the font embedded).

    Raises:
        UnknownFormError: no such form in the regime.
        FormError: the data cannot fill the form.
        InvalidInputError: a wrong type or option.

    >>> from mot_cua.testing import make_dossier
    >>> render_pdf("control_sheet", make_dossier(status="received"))[:5]
    b'%PDF-'
    """
    filled = fill_form(
        form,
        source,
        lifecycle=lifecycle,
        tracking=tracking,
        details=details,
        catalog=catalog,
        regime=regime,
    )
    return to_pdf(filled)
