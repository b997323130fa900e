"""The JSON outputs of ``mot-cua store ...`` and ``mot-cua token ... --json``, as models.

:data:`STORE_OUTPUT_MODELS` maps each command name to its model, in the form of
``mot_cua.contract``'s ``OUTPUT_MODELS`` (a test checks every real output against them).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, JsonValue

from mot_cua.store._models import Role

__all__ = [
    "STORE_OUTPUT_MODELS",
    "StoreExportResponse",
    "StoreImportResponse",
    "StoreInitResponse",
    "StoreVerifyResponse",
    "TokenCreateResponse",
    "TokenListResponse",
    "TokenOut",
    "TokenRevokeResponse",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StoreInitResponse(_Out):
    """Output of ``store init``: the URL (password hidden), schema revision and dialect."""

    url: str
    revision: str
    dialect: Literal["sqlite", "postgresql"]


class StoreImportResponse(_Out):
    """Output of ``store import``: how many dossiers were imported."""

    imported: int


class StoreExportResponse(_Out):
    """Output of ``store export -o PATH --json``."""

    exported: int
    path: str
    format: Literal["csv", "jsonl"]


class DifferenceOut(_Out):
    """One difference found by ``store verify``."""

    code: str
    field: str
    stored: JsonValue
    replayed: JsonValue


class StoreVerifyResponse(_Out):
    """Output of ``store verify`` (exit 1 when ``ok`` is false)."""

    ok: bool
    dossiers: int
    events: int
    differences: list[DifferenceOut]


class TokenOut(_Out):
    """A token as listed (never its secret)."""

    name: str
    role: Role
    agency: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    active: bool


class TokenCreateResponse(_Out):
    """Output of ``token create``: the token and its secret (shown once)."""

    token: TokenOut
    secret: str


class TokenListResponse(_Out):
    """Output of ``token list``."""

    tokens: list[TokenOut]


class TokenRevokeResponse(_Out):
    """Output of ``token revoke``."""

    token: TokenOut


#: The model of each store command's ``--json`` output, by command name.
STORE_OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    "store-init": StoreInitResponse,
    "store-import": StoreImportResponse,
    "store-export": StoreExportResponse,
    "store-verify": StoreVerifyResponse,
    "token-create": TokenCreateResponse,
    "token-list": TokenListResponse,
    "token-revoke": TokenRevokeResponse,
}
