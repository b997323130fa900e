"""The application factory: one FastAPI app with the v1 routes, the limits and extra routers."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI

from mot_cua.errors import InvalidInputError, brief
from mot_cua.server._middleware import ServiceMiddleware
from mot_cua.server._problems import install_problem_handlers
from mot_cua.server._settings import ServerSettings

__all__ = ["ROUTER_MODULES", "create_app", "load_router"]

#: Routers other adapters contribute to every app, each ``"module:name"`` (see :func:`load_router`).
#: A module that adds routes for an adapter adds one line here, as sub-commands do in
#: ``mot_cua.cli.COMMAND_MODULES``; its function decides from the settings whether to add anything
#: (the store's routes only with ``--store``).
ROUTER_MODULES: tuple[str, ...] = (
    "mot_cua.server._app:store_routers",
    "mot_cua.server.forms_routes:routers",
)


def store_routers(settings: ServerSettings) -> list[APIRouter] | None:
    """The store's routers with ``--store URL``; without a store, SQLAlchemy is never loaded.

    The store-less service needs only the ``[server]`` extra, so the store's module (which needs
    ``[store]``) is imported only when a store is configured.
    """
    if settings.store_url is None:
        return None
    from mot_cua.server.store_routes import routers

    return routers(settings)


def load_router(ref: str, settings: ServerSettings) -> list[APIRouter]:
    """The routers named by ``ref``, ``"module:name"``.

    ``name`` is an :class:`fastapi.APIRouter`, or a function taking the settings and returning
    a router, a list of routers or ``None`` (nothing to add with these settings).

    Args:
        ref: ``"package.module:name"``.
        settings: the service's settings, passed to a factory function.

    Returns:
        The routers to include (possibly none).

    Raises:
        InvalidInputError: ``ref`` is malformed, cannot be imported or names something else.

    Example:
        >>> load_router("mot_cua.server._app:_example_router", ServerSettings())[0].prefix
        '/v1/example'
    """
    module_name, sep, attr = ref.partition(":")
    if not sep or not module_name or not attr:
        raise InvalidInputError(
            f"router {brief(ref)}: write 'package.module:name'", field="routers"
        )
    try:
        target: Any = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise InvalidInputError(
            f"router {brief(ref)} cannot be loaded ({exc}); check the name and that its extra is "
            "installed",
            field="routers",
        ) from exc
    if not isinstance(target, APIRouter) and callable(target):
        target = target(settings)
    if target is None:
        return []
    items = [target] if isinstance(target, APIRouter) else list(target)
    if not all(isinstance(r, APIRouter) for r in items):
        raise InvalidInputError(
            f"router {brief(ref)} is not an APIRouter nor a function returning routers",
            field="routers",
        )
    return items


_example_router = APIRouter(prefix="/v1/example")


def create_app(
    settings: ServerSettings | None = None,
    *,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """Build the HTTP service.

    Args:
        settings: limits and extensions (default :class:`ServerSettings`).
        routers: extra routers to include after the v1 routes (e.g. a portal's own endpoints),
            in addition to :data:`ROUTER_MODULES` and ``settings.routers``.

    Returns:
        The ASGI application (run it with uvicorn, or ``mot-cua serve``).

    Raises:
        InvalidInputError: a router named in the settings cannot be loaded.

    Example:
        >>> app = create_app()
        >>> "/v1/due" in app.openapi()["paths"]
        True
    """
    from mot_cua.server._v1 import router as v1_router
    from mot_cua.server._v1 import system_router

    settings = settings or ServerSettings()
    app = FastAPI(
        title="mot_cua",
        summary="Vietnamese administrative procedures: due dates, calendar, lifecycle, routing.",
        version=_version(),
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(system_router)
    app.include_router(v1_router)
    for extra in _extra_routers(settings, routers):
        app.include_router(extra)
    _document_problems(app)
    app.add_middleware(
        ServiceMiddleware,
        max_body_bytes=settings.max_body_bytes,
        request_timeout=settings.request_timeout,
        access_log=settings.access_log,
    )
    return app


def _document_problems(app: FastAPI) -> None:
    """Add the ``Problem`` schema (the error responses' body) to the OpenAPI components."""
    from mot_cua.server._problems import Problem

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Problem"] = Problem.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _extra_routers(settings: ServerSettings, routers: Iterable[APIRouter]) -> list[APIRouter]:
    found: list[APIRouter] = []
    for ref in (*ROUTER_MODULES, *settings.routers):
        found.extend(load_router(ref, settings))
    found.extend(routers)
    return found


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mot_cua")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
