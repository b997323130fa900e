"""The limits a public service needs, and structured access logs, as one ASGI middleware.

* **Body size**: a ``Content-Length`` over the limit is refused (413) before anything is read; a
  chunked body is counted as it arrives and refused as soon as it passes the limit.
* **Time**: a request still running after ``request_timeout`` seconds is answered 503 with
  ``Retry-After`` (a computation already running in a worker thread finishes in the background;
  every operation of the service is bounded by the calendar's range, so none runs for long).
* **Access log**: one JSON object per request on the ``mot_cua.server.access`` logger: time,
  method, path, status, duration in milliseconds, bytes in and out, client address and the
  caller's ``X-Request-Id`` when given. Bodies are never logged (they hold personal data).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mot_cua.server._problems import problem

__all__ = ["ACCESS_LOG", "ServiceMiddleware"]

ACCESS_LOG = logging.getLogger("mot_cua.server.access")


class BodyTooLarge(HTTPException):
    """A request body over the limit (raised from ``receive``; FastAPI re-raises HTTP errors)."""

    def __init__(self, limit: int) -> None:
        message = f"the request body is larger than {limit} bytes; split it into smaller requests"
        super().__init__(413, detail=message)
        self.error: dict[str, Any] = {"type": "too_large", "message": message, "limit": limit}


class ServiceMiddleware:
    """Body-size limit, per-request time limit and a JSON access log around an ASGI app.

    Args:
        app: the application to wrap.
        max_body_bytes: the largest request body accepted.
        request_timeout: seconds before a request is answered 503.
        access_log: whether to write the access log.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        request_timeout: float,
        access_log: bool,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.request_timeout = request_timeout
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request within the limits."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state: dict[str, Any] = {"status": 0, "out": 0, "in": 0, "started": False}
        limit = self.max_body_bytes

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["in"] += len(message.get("body", b""))
                if state["in"] > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["out"] += len(message.get("body", b""))
            await send(message)

        try:
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                await self._refuse(scope, tracking_send, 413, BodyTooLarge(limit).error)
                return
            try:
                async with asyncio.timeout(self.request_timeout):
                    await self.app(scope, counting_receive, tracking_send)
            except TimeoutError:
                if state["started"]:
                    raise
                error = {
                    "type": "timeout",
                    "message": f"the request took longer than {self.request_timeout:g} s; send "
                    "fewer items per request or retry later",
                    "limit": self.request_timeout,
                }
                await self._refuse(scope, tracking_send, 503, error, retry=True)
        finally:
            if self.access_log:
                _log(scope, state, time.perf_counter() - start)

    async def _refuse(
        self, scope: Scope, send: Send, status: int, error: Any, *, retry: bool = False
    ) -> None:
        headers = {"Retry-After": "1"} if retry else None
        response = problem(status, dict(error), instance=scope.get("path"), headers=headers)

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, no_body, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _log(scope: Scope, state: dict[str, Any], seconds: float) -> None:
    if not ACCESS_LOG.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    entry: dict[str, Any] = {
        "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "method": scope.get("method"),
        "path": scope.get("path"),
        "status": state["status"] or 500,
        "ms": round(seconds * 1000, 3),
        "bytes_in": state["in"],
        "bytes_out": state["out"],
        "client": None if not client else f"{client[0]}:{client[1]}",
    }
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            entry["request_id"] = value.decode("latin-1")[:128]
    ACCESS_LOG.info(json.dumps(entry, separators=(",", ":")))
