"""``POST /v1/forms/{name}``: a statutory form (receipt, apology, control sheet...) as PDF or HTML.

The body carries the dossier (``dossiers`` for the register), optionally a history to replay, a
route tracking and the form details; the answer is the form itself (``application/pdf``, or
``text/html`` with ``"format": "html"``). Errors are problem+json like every other endpoint: 404
for a form that does not exist in the dossier's regime (the stop notice before 1 July 2025),
422 for data that cannot fill the form (a receipt without a due moment, an apology without a new
date).

Added to every app by :data:`mot_cua.server.ROUTER_MODULES` when the ``forms`` extra
(Jinja2, WeasyPrint) is installed.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoint's annotations at
# definition time.
import importlib.util
import re
from typing import Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mot_cua.errors import InvalidInputError
from mot_cua.models import Dossier
from mot_cua.server._settings import ServerSettings
from mot_cua.server._v1 import ERRORS

__all__ = ["MAX_ROWS", "FormRequest", "router", "routers"]

router = APIRouter(prefix="/v1", tags=["forms"])


class FormRequest(BaseModel):
    """What a form is filled from (see :func:`mot_cua.forms.fill_form`)."""

    model_config = ConfigDict(extra="forbid")

    dossier: Dossier | None = Field(default=None, description="the dossier (every form but 07)")
    dossiers: list[Dossier] | None = Field(default=None, description="the register's dossiers")
    history: JsonValue = Field(
        default=None,
        description="events to replay (a list, or {'events': [...], 'procedure': "
        "{'time_limit': ...}}) as POST /v1/history/replay takes them",
    )
    tracking: dict[str, JsonValue] | None = Field(
        default=None,
        description="{'route': <route or template id>, 'handovers'?: [...], 'now'?: ...}",
    )
    details: dict[str, JsonValue] | None = Field(
        default=None, description="FormDetails: number, receiver, sets, qr, new_due_at, ..."
    )
    regime: Literal["decree-61-2018", "decree-118-2025"] | None = None
    format: Literal["pdf", "html"] = "pdf"


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

#: The most table rows (documents, items, hand-overs, register entries) one request may print:
#: layout time grows with the rows, and a request must finish within the service's time limit.
MAX_ROWS = 100


def _render(name: str, body: FormRequest) -> tuple[bytes, str, str]:
    from mot_cua.catalog import Catalog
    from mot_cua.forms import fill_form, to_html, to_pdf
    from mot_cua.forms._inputs import lifecycle_from_history, tracking_from_data

    if (body.dossier is None) == (body.dossiers is None):
        raise InvalidInputError(
            "give 'dossier' (one dossier), or 'dossiers' (a list, for the register), not both",
            field="dossier",
        )
    catalog = Catalog.default()
    source: Dossier | list[Dossier] = body.dossier if body.dossier is not None else []
    lifecycle = tracking = None
    if body.dossier is None:
        source = list(body.dossiers or [])
        if body.history is not None or body.tracking is not None:
            raise InvalidInputError(
                "'history' and 'tracking' go with one 'dossier', not a register", field="history"
            )
    else:
        if body.history is not None:
            lifecycle = lifecycle_from_history(body.history, body.dossier, catalog=catalog)
        if body.tracking is not None:
            tracking = tracking_from_data(body.tracking, body.dossier)
    form = fill_form(
        name,
        source,
        lifecycle=lifecycle,
        tracking=tracking,
        details=body.details or {},
        catalog=catalog,
        regime=body.regime,
    )
    rows = max(len(form.fields.get(key) or ()) for key in ("documents", "items", "rows"))
    if rows > MAX_ROWS:
        raise InvalidInputError(
            f"{form.spec.label} ({form.spec.title}) would have {rows} table rows; the service "
            f"prints at most {MAX_ROWS} per form (a PDF takes ~20 ms of layout per row): split "
            "the register or the list, or render it with the library (mot_cua.forms)",
            field="dossiers" if form.spec.kind.value == "register" else "dossier",
        )
    stem = _SAFE.sub("_", f"mau-{form.spec.number}-{form.dossier_code or form.spec.kind.value}")
    if body.format == "pdf":
        return to_pdf(form), "application/pdf", f"{stem}.pdf"
    return to_html(form).encode("utf-8"), "text/html; charset=utf-8", f"{stem}.html"


_FORM_ERRORS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the form",
        "content": {"application/pdf": {}, "text/html": {}},
    },
    404: {"description": "no such form in the dossier's regime", **ERRORS[422]},
    **ERRORS,
}


@router.post(
    "/forms/{name}",
    summary="A statutory form (Circular 01/2018 or 03/2025/TT-VPCP) as PDF or HTML",
    response_class=Response,
    responses=_FORM_ERRORS,
)
async def form(
    body: FormRequest,
    name: str = Path(
        description="receipt, supplement_request, refusal, apology, stop_notice, "
        "control_sheet, register, or the form's number in the regime (01...)",
        examples=["receipt"],
    ),
) -> Response:
    """Fill the form ``name`` for the regime the dossier was received under and return it."""
    content, media_type, filename = await run_in_threadpool(_render, name, body)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def routers(settings: ServerSettings) -> list[APIRouter] | None:
    """The forms router when the ``forms`` extra is installed (else nothing is added).

    Args:
        settings: the service's settings (unused: the forms need no configuration).

    Returns:
        ``[router]``, or ``None`` without Jinja2 and WeasyPrint.
    """
    del settings
    if importlib.util.find_spec("jinja2") is None or importlib.util.find_spec("weasyprint") is None:
        return None
    return [router]
