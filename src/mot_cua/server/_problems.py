"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error response of the service is one problem object::

    {"type": "urn:mot-cua:error:invalid_input", "title": "Invalid input", "status": 422,
     "detail": "<what is wrong, where, how to fix it>", "instance": "/v1/due",
     "error": {"type": "invalid_input", "message": "...", "field": "received", ...}}

``error`` is the very object ``mot-cua ... --json`` prints under ``"error"`` for the same mistake,
so a portal parses one shape for the command line and the service. No response ever carries a
stack trace: an unexpected failure is answered 500 with a reference to the server's log line.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from mot_cua.contract import error_object
from mot_cua.errors import MotCuaError

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "Problem",
    "ProblemResponse",
    "install_problem_handlers",
    "problem",
    "problem_for_error",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_LOG = logging.getLogger("mot_cua.server")

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    500: "Internal error",
    503: "Service unavailable",
}


class Problem(BaseModel):
    """An error response (RFC 9457 problem details) with the command line's error object."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="urn:mot-cua:error:<error type>")
    title: str
    status: int
    detail: str = Field(description="what is wrong, where, and how to fix it")
    instance: str | None = Field(default=None, description="the request path")
    error: dict[str, Any] = Field(
        description="the error object of `mot-cua ... --json`: type, message, field?, index?, ..."
    )


class ProblemResponse(Response):
    """A JSON response with the ``application/problem+json`` media type."""

    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        """Serialise ``content`` as UTF-8 JSON, Vietnamese kept readable."""
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def problem(
    status: int,
    error: Mapping[str, Any],
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    """A problem response carrying the command line's error object.

    Args:
        status: the HTTP status (4xx for the caller's mistakes).
        error: the inner error object, ``{"type", "message", ...}``.
        instance: the request path the problem is about.
        headers: extra response headers (e.g. ``Retry-After``).

    Returns:
        The response.

    Example:
        >>> r = problem(422, {"type": "invalid_input", "message": "bad"}, instance="/v1/due")
        >>> r.status_code, r.media_type
        (422, 'application/problem+json')
        >>> json.loads(r.body)["type"]
        'urn:mot-cua:error:invalid_input'
    """
    kind = str(error.get("type") or "error")
    body: dict[str, Any] = {
        "type": f"urn:mot-cua:error:{kind}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": str(error.get("message") or ""),
    }
    if instance is not None:
        body["instance"] = instance
    body["error"] = dict(error)
    return ProblemResponse(body, status_code=status, headers=dict(headers or {}))


def status_for(exc: MotCuaError) -> int:
    """The HTTP status for a library error: 404 for an unknown id, 422 otherwise.

    Example:
        >>> from mot_cua.errors import InvalidInputError, UnknownProcedureError
        >>> status_for(UnknownProcedureError("x")), status_for(InvalidInputError("y"))
        (404, 422)
    """
    return 404 if isinstance(exc, LookupError) else 422


def problem_for_error(exc: MotCuaError, *, instance: str | None = None) -> ProblemResponse:
    """The problem response for a library error (the CLI's error object, status by kind).

    Example:
        >>> from mot_cua.errors import UnknownProcedureError
        >>> problem_for_error(UnknownProcedureError("no procedure 'x'")).status_code
        404
    """
    return problem(status_for(exc), error_object(exc)["error"], instance=instance)


def _loc(loc: Sequence[Any]) -> str | None:
    """A pydantic location as the contract writes field paths: ``pauses[0].start``."""
    parts = list(loc)
    if parts and parts[0] in {"body", "path", "query", "header"}:
        parts = parts[1:]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors: list[Mapping[str, Any]] = list(exc.errors())
    if not errors:
        errors = [{"loc": (), "msg": "invalid request"}]
    first = errors[0]
    if first.get("type") == "json_invalid":
        ctx = first.get("ctx") or {}
        message = f"the body is not JSON ({ctx.get('error', 'decode error')}); send a JSON object"
        return problem(400, {"type": "invalid_json", "message": message}, instance=request.url.path)
    problems = []
    for e in errors[:50]:
        where = _loc(e.get("loc", ()))
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {msg}" if where else msg)
    summary = problems[0] if len(errors) == 1 else f"{len(errors)} problems; first: {problems[0]}"
    error: dict[str, Any] = {"type": "invalid_input", "message": summary}
    field = _loc(first.get("loc", ()))
    if field:
        error["field"] = field
    error["problems"] = problems
    return problem(422, error, instance=request.url.path)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400 and exc.detail == "There was an error parsing the body":
        # FastAPI's answer to a body json.loads refuses beyond decoding: nesting too deep,
        # an integer of more than 4,300 digits.
        error = {
            "type": "invalid_json",
            "message": "the body could not be read as JSON (nested too deeply, or a number too "
            "long); send a plain JSON object",
        }
    elif isinstance(getattr(exc, "error", None), dict):
        error = dict(exc.error)  # type: ignore[attr-defined]
    elif status == 404:
        error = {
            "type": "not_found",
            "message": f"no endpoint {request.method} {request.url.path}; the endpoints are "
            "listed at /openapi.json",
        }
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow") or ""
        error = {
            "type": "method_not_allowed",
            "message": f"{request.method} is not allowed on {request.url.path}"
            + (f"; use {allowed}" if allowed else ""),
        }
    else:
        kind = {413: "too_large"}.get(status, "http_error")
        error = {"type": kind, "message": str(exc.detail)}
    return problem(status, error, instance=request.url.path, headers=exc.headers)


def _library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MotCuaError)
    return problem_for_error(exc, instance=request.url.path)


def _unexpected(request: Request, exc: Exception) -> Response:
    incident = uuid.uuid4().hex[:12]
    _LOG.error(
        "unexpected error %s on %s %s", incident, request.method, request.url.path, exc_info=exc
    )
    error = {
        "type": "internal",
        "message": f"internal error (incident {incident} in the server's log); please report it",
        "incident": incident,
    }
    return problem(500, error, instance=request.url.path)


def _pydantic_error(request: Request, exc: Exception) -> Response:
    # A model a handler validates itself (the contract wraps these, this is the safety net).
    return problem(422, error_object(exc)["error"], instance=request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` with a problem object (never a stack trace)."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(MotCuaError, _library_error)
    app.add_exception_handler(ValidationError, _pydantic_error)
    app.add_exception_handler(Exception, _unexpected)
