"""The catalogue operations: list (search) procedures; show one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from mot_cua.contract._common import validated
from mot_cua.errors import InvalidInputError, require

if TYPE_CHECKING:
    from mot_cua.catalog import Catalog

__all__ = [
    "CatalogListRequest",
    "CatalogListResponse",
    "CatalogShowResponse",
    "ProcedureSummary",
    "handle_catalog_list",
    "handle_catalog_show",
]


class CatalogListRequest(BaseModel):
    """Input of ``catalog list``: optional words of the name and a field (lĩnh vực)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    search: str = Field(default="", description="words of the name (diacritics optional)")
    field: str | None = Field(default=None, description="field (lĩnh vực)")


class ProcedureSummary(BaseModel):
    """One procedure in a list."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    id: str
    name: str
    field: str | None
    time_limit: str | None


class CatalogListResponse(BaseModel):
    """Output of ``catalog list``: the procedures found (an array wrapped in an object)."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    count: int
    procedures: list[ProcedureSummary]


class CatalogShowResponse(BaseModel):
    """Output of ``catalog show``: the procedure, as the catalogue model serialises it."""

    model_config = ConfigDict(defer_build=True, extra="forbid")

    procedure: dict[str, Any]


def _catalog(catalog: Catalog | None) -> Catalog:
    from mot_cua.catalog import Catalog

    if catalog is None:
        return Catalog.default()
    require(catalog, Catalog, "catalog", "a Catalog (Catalog.load(path)) or None")
    return catalog


def handle_catalog_list(
    request: CatalogListRequest | Mapping[str, Any] | None = None,
    *,
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """Search the catalogue.

    Args:
        request: a :class:`CatalogListRequest` or its JSON object (``None``: everything).
        catalog: the catalogue (default: the shipped sample).

    Returns:
        A JSON-ready dict matching :class:`CatalogListResponse`.

    Raises:
        InvalidInputError: a bad field.

    >>> handle_catalog_list({"search": "khai sinh"})["count"] > 0
    True
    """
    req = validated(CatalogListRequest, request or {}, what="a catalogue search")
    found = _catalog(catalog).search(req.search, field=req.field)
    procedures = [
        {
            "id": p.id,
            "name": p.name,
            "field": p.field,
            "time_limit": None if p.time_limit is None else str(p.time_limit),
        }
        for p in found
    ]
    return {"count": len(procedures), "procedures": procedures}


def handle_catalog_show(procedure_id: object, *, catalog: Catalog | None = None) -> dict[str, Any]:
    """One procedure of the catalogue, in full.

    Args:
        procedure_id: the procedure's id.
        catalog: the catalogue (default: the shipped sample).

    Returns:
        A JSON-ready dict matching :class:`CatalogShowResponse`.

    Raises:
        UnknownProcedureError: no procedure with that id.
        InvalidInputError: the id is not a text.

    >>> handle_catalog_show("doanh-nghiep.dang-ky-thanh-lap")["procedure"]["id"]
    'doanh-nghiep.dang-ky-thanh-lap'
    """
    if not isinstance(procedure_id, str) or not procedure_id.strip():
        raise InvalidInputError("give a procedure id (text)", field="id")
    proc = _catalog(catalog).get(procedure_id)
    return {"procedure": proc.model_dump(mode="json", exclude_none=True)}
