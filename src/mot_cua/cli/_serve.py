"""``mot-cua serve``: the JSON API over HTTP (extra ``mot_cua[server]``: FastAPI on uvicorn)."""

from __future__ import annotations

import argparse
from typing import Any

from mot_cua.errors import InvalidInputError

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``serve`` sub-command."""
    p = sub.add_parser(
        "serve",
        help="serve the JSON API over HTTP (OpenAPI at /openapi.json)",
        description="Serve the JSON API over HTTP: due dates, calendar, histories, routes and "
        "the catalogue, with the same JSON as --json (docs/server.md). Binds to loopback; "
        "needs the extra mot_cua[server].",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument(
        "--allow-public",
        action="store_true",
        help="allow a non-loopback --host (put your own gateway with authentication in front)",
    )
    p.add_argument(
        "--max-body-bytes", type=int, default=4 * 1024 * 1024, help="largest request body"
    )
    p.add_argument(
        "--max-batch-items", type=int, default=10_000, help="most items in one due:batch"
    )
    p.add_argument(
        "--timeout", type=float, default=10.0, help="seconds a request may run (then 503)"
    )
    p.add_argument("--no-access-log", action="store_true", help="do not log each request")
    p.add_argument(
        "--router",
        action="append",
        default=[],
        metavar="MODULE:NAME",
        help="include an extra router (an APIRouter or a factory taking the settings)",
    )
    p.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help="serve the dossier store at URL too (stateful /v1/dossiers endpoints, bearer "
        "tokens; docs/store.md)",
    )
    p.add_argument("--json", action="store_true", help="report a start-up error as JSON")
    p.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace, **extra: Any) -> Any:
    """The :class:`~mot_cua.server.ServerSettings` for parsed ``serve`` arguments.

    Raises:
        InvalidInputError: the server extra is missing, or an option is out of range.
    """
    try:
        from pydantic import ValidationError

        from mot_cua.server import ServerSettings
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise InvalidInputError(
            f"mot-cua serve needs the server extra ({exc.name} is missing): "
            "pip install 'mot_cua[server]'"
        ) from exc
    try:
        return ServerSettings(
            host=args.host,
            port=args.port,
            workers=args.workers,
            allow_public=args.allow_public,
            max_body_bytes=args.max_body_bytes,
            max_batch_items=args.max_batch_items,
            request_timeout=args.timeout,
            access_log=not args.no_access_log,
            routers=tuple(args.router),
            store_url=getattr(args, "store", None),
            **extra,
        ).checked()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).replace("_", "-") if err["loc"] else "option"
        name = {"request-timeout": "timeout", "access-log": "no-access-log"}.get(name, name)
        raise InvalidInputError(f"--{name}: {err['msg']}", field=name) from exc


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua serve``."""
    settings = settings_from_args(args)
    from mot_cua.server import serve

    serve(settings)
    return 0
