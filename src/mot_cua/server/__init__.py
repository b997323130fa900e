"""The HTTP service: mot_cua's JSON contract over HTTP (extra ``mot_cua[server]``).

A FastAPI application on uvicorn. Every endpoint calls the same ``mot_cua.contract`` handler as
the command line, so a body is the JSON ``mot-cua ... --json`` prints, and the OpenAPI 3.1
document (``GET /openapi.json``) is generated from the same pydantic models. Errors are RFC 9457
problem objects carrying the command line's error object. See docs/server.md.

Example:
    >>> from mot_cua.server import ServerSettings, create_app
    >>> app = create_app(ServerSettings(max_batch_items=100))
    >>> sorted(p for p in app.openapi()["paths"] if p.startswith("/v1/calendar"))
    ['/v1/calendar/days/{date}', '/v1/calendar/{year}']
"""

from __future__ import annotations

from mot_cua.server._app import ROUTER_MODULES, create_app, load_router
from mot_cua.server._problems import PROBLEM_MEDIA_TYPE, problem, problem_for_error
from mot_cua.server._run import LocalServer, app_from_environment, free_port, serve
from mot_cua.server._settings import SETTINGS_ENV, ServerSettings, is_loopback

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ROUTER_MODULES",
    "SETTINGS_ENV",
    "LocalServer",
    "ServerSettings",
    "app_from_environment",
    "create_app",
    "free_port",
    "is_loopback",
    "load_router",
    "problem",
    "problem_for_error",
    "serve",
]
