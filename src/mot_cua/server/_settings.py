"""The settings of the HTTP service: where it listens and the limits it enforces."""

from __future__ import annotations

import ipaddress
import json
import os
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mot_cua.errors import InvalidInputError, brief

__all__ = ["SETTINGS_ENV", "ServerSettings", "is_loopback"]

#: The environment variable that carries the settings (JSON) to uvicorn's worker processes.
SETTINGS_ENV = "MOT_CUA_SERVER_SETTINGS"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (``127.0.0.0/8``, ``::1`` or ``localhost``).

    Args:
        host: a host name or an IP address, as given to ``--host``.

    Returns:
        ``True`` only for addresses that other machines cannot reach.

    Example:
        >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
        (True, True, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


class ServerSettings(BaseModel):
    """Where the service listens, the limits it enforces and the routers it adds.

    Every limit exists because a public service needs it: a body larger than ``max_body_bytes``
    is refused with 413 before it is read whole, a batch of more than ``max_batch_items`` with
    413, and a request still running after ``request_timeout`` seconds is answered with 503.

    Args:
        host: the address to bind; loopback unless ``allow_public`` (the store-less service has no
            authentication, so it must not be reachable from other machines by accident).
        port: the TCP port.
        workers: uvicorn worker processes.
        allow_public: allow a non-loopback ``host``.
        max_body_bytes: the largest request body accepted.
        max_batch_items: the most items ``POST /v1/due:batch`` accepts in one request.
        request_timeout: seconds a request may run before the service answers 503.
        access_log: write one JSON line per request to the ``mot_cua.server.access`` logger.
        routers: extra routers, each ``"module:name"``; ``name`` is an ``APIRouter`` or a
            function ``(settings) -> list[APIRouter]`` (see docs/server.md, "Adding routers").
        store_url: the dossier store's database URL, for the store's routers (``--store``).
        options: free-form settings for routers added by other adapters.

    Raises:
        InvalidInputError: from :meth:`checked` for a public ``host`` without ``allow_public``.

    Example:
        >>> ServerSettings().host, ServerSettings().max_batch_items
        ('127.0.0.1', 10000)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8000
    workers: Annotated[int, Field(ge=1, le=64)] = 1
    allow_public: bool = False
    max_body_bytes: Annotated[int, Field(ge=1024)] = 4 * 1024 * 1024
    max_batch_items: Annotated[int, Field(ge=1)] = 10_000
    request_timeout: Annotated[float, Field(gt=0, le=3600)] = 10.0
    access_log: bool = True
    routers: tuple[str, ...] = ()
    store_url: str | None = None
    options: dict[str, str] = Field(default_factory=dict)

    def checked(self) -> ServerSettings:
        """These settings, after refusing a public address without ``allow_public``.

        Returns:
            ``self``.

        Raises:
            InvalidInputError: ``host`` is not loopback and ``allow_public`` is false.

        Example:
            >>> ServerSettings(host="0.0.0.0").checked()
            Traceback (most recent call last):
            ...
            mot_cua.errors.InvalidInputError: --host '0.0.0.0' is not a loopback address; ...
        """
        # With a store, the stateful endpoints require bearer tokens (docs/store.md).
        if not self.allow_public and self.store_url is None and not is_loopback(self.host):
            raise InvalidInputError(
                f"--host {brief(self.host)} is not a loopback address; the service has no "
                "authentication without a store, so bind 127.0.0.1 or pass --allow-public "
                "behind your own gateway",
                field="host",
            )
        return self

    def to_env(self) -> str:
        """These settings as the JSON text :meth:`from_env` reads (for worker processes)."""
        return self.model_dump_json()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServerSettings:
        """The settings in :data:`SETTINGS_ENV`, or the defaults when it is not set.

        Args:
            environ: the environment to read (default: ``os.environ``).

        Returns:
            The settings.

        Raises:
            InvalidInputError: the variable does not hold valid settings.

        Example:
            >>> ServerSettings.from_env({SETTINGS_ENV: '{"port": 9000}'}).port
            9000
        """
        env = os.environ if environ is None else environ
        text = env.get(SETTINGS_ENV)
        if not text:
            return cls()
        try:
            data: Any = json.loads(text)
            return cls.model_validate(data)
        except (ValueError, ValidationError) as exc:
            raise InvalidInputError(
                f"{SETTINGS_ENV} does not hold valid server settings: {_first_error(exc)}",
                field=SETTINGS_ENV,
            ) from exc


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"{loc}: {err['msg']}" if loc else str(err["msg"])
    return str(exc).splitlines()[0]
