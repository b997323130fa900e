"""API tokens: secrets, their hashes, and what each role may do.

A secret is ``mct_`` followed by 32 random bytes (``secrets.token_urlsafe``), printed once by
``mot-cua token create``; the store keeps only its SHA-256. A slow password hash (scrypt,
PBKDF2) protects low-entropy passwords against guessing; a 256-bit random secret cannot be
guessed, so one SHA-256 is enough, and it lets the store find a token by an indexed equality
look-up on every request instead of trying a slow hash against every row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from mot_cua.errors import AccessDeniedError, brief
from mot_cua.store._models import Role

__all__ = ["SECRET_PREFIX", "Principal", "hash_secret", "new_secret"]

#: Every secret starts with this prefix (recognisable in logs and by secret scanners).
SECRET_PREFIX = "mct_"


def new_secret() -> str:
    """A fresh secret: the prefix and 32 random bytes, URL-safe base64."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The hex SHA-256 the store keeps for a secret.

    >>> len(hash_secret("mct_x"))
    64
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _forbidden(message: str, **details: object) -> AccessDeniedError:
    return AccessDeniedError(message, status=403, **details)


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a token's name, role and agency scope.

    Scope rules (docs/store.md, "Who may do what"): a principal with an agency sees the dossiers
    received by that agency or routed to it (its current agency); ``agency`` tokens may add
    events only to dossiers currently routed to their agency; ``auditor`` tokens never write;
    a principal without an agency (``desk``, ``auditor`` or ``admin``) sees every dossier.

    >>> p = Principal("ubnd-xa-a", "agency", "ubnd-xa-a")
    >>> p.can_read(agency="ubnd-xa-a", receiving_unit="x"), p.can_write(agency="so-tp", \
receiving_unit="ubnd-xa-a")
    (True, False)
    """

    name: str
    role: Role
    agency: str | None = None

    def can_read(self, *, agency: str | None, receiving_unit: str | None) -> bool:
        """Whether this principal may read a dossier with this agency and receiving unit."""
        return self.agency is None or self.agency in (agency, receiving_unit)

    def can_write(self, *, agency: str | None, receiving_unit: str | None) -> bool:
        """Whether this principal may add events to such a dossier."""
        if self.role == "auditor":
            return False
        if self.role == "agency":
            return agency == self.agency
        return self.can_read(agency=agency, receiving_unit=receiving_unit)

    def check_read(self, code: str, *, agency: str | None, receiving_unit: str | None) -> None:
        """Raise 403 unless :meth:`can_read`.

        Raises:
            AccessDeniedError: out of scope (``details["status"] == 403``).
        """
        if not self.can_read(agency=agency, receiving_unit=receiving_unit):
            raise _forbidden(
                f"token {brief(self.name)} (agency {self.agency}) may not read dossier {code}, "
                "which "
                f"is routed to {agency}; use a token of that agency",
                dossier=code,
            )

    def check_write(self, code: str, *, agency: str | None, receiving_unit: str | None) -> None:
        """Raise 403 unless :meth:`can_write`.

        Raises:
            AccessDeniedError: read-only role or out of scope (``details["status"] == 403``).
        """
        if self.role == "auditor":
            raise _forbidden(
                f"token {brief(self.name)} has the auditor role, which is read-only; use a desk, "
                "agency or admin token to record events",
                dossier=code,
            )
        if not self.can_write(agency=agency, receiving_unit=receiving_unit):
            raise _forbidden(
                f"token {brief(self.name)} ({self.role}, agency {self.agency}) may not add events "
                "to "
                f"dossier {code}, which is routed to {agency}; only that agency's tokens may",
                dossier=code,
            )

    def check_create(self, *, agency: str | None, receiving_unit: str | None) -> None:
        """Raise 403 unless this principal may create a dossier with these units.

        Raises:
            AccessDeniedError: read-only role or another agency (``details["status"] == 403``).
        """
        if self.role == "auditor":
            raise _forbidden(f"token {brief(self.name)} has the auditor role, which is read-only")
        if self.agency is not None and self.agency not in (agency, receiving_unit):
            raise _forbidden(
                f"token {brief(self.name)} (agency {self.agency}) may only create dossiers "
                "received "
                f"by or routed to {self.agency}, not to {agency or receiving_unit}"
            )
