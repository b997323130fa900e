"""Running the service: uvicorn in this process, or a child server for tests and benchmarks."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from fastapi import FastAPI

from mot_cua.errors import InvalidInputError
from mot_cua.server._settings import SETTINGS_ENV, ServerSettings

__all__ = ["LocalServer", "app_from_environment", "free_port", "log_config", "serve"]


def app_from_environment() -> FastAPI:
    """The app for a uvicorn worker process, built from :data:`SETTINGS_ENV`.

    ``uvicorn --factory mot_cua.server:app_from_environment`` runs the same service as
    ``mot-cua serve``.
    """
    from mot_cua.server._app import create_app

    return create_app(ServerSettings.from_env())


def log_config(*, access_log: bool) -> dict[str, Any]:
    """The logging configuration of ``mot-cua serve``: JSON access lines on standard output.

    uvicorn's own access log is replaced by ``mot_cua.server.access`` (one JSON object a line);
    uvicorn's start-up and error messages go to standard error.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(message)s"},
            "server": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stdout",
            },
            "server": {
                "class": "logging.StreamHandler",
                "formatter": "server",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "mot_cua.server.access": {
                "handlers": ["access"],
                "level": "INFO" if access_log else "WARNING",
                "propagate": False,
            },
            "mot_cua.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["server"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def serve(settings: ServerSettings) -> None:
    """Run the service with uvicorn until interrupted (``mot-cua serve``).

    Args:
        settings: where to listen and the limits; checked with :meth:`ServerSettings.checked`.

    Raises:
        InvalidInputError: a public host without ``allow_public``, or a router that cannot load.
    """
    import uvicorn

    from mot_cua.server._app import create_app

    settings = settings.checked()
    # Build the app once here so that a bad router or setting fails before any worker starts.
    app = create_app(settings)
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": log_config(access_log=settings.access_log),
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": 5,
    }
    if settings.workers == 1:
        uvicorn.run(app, **common)
        return
    os.environ[SETTINGS_ENV] = settings.to_env()
    uvicorn.run(
        "mot_cua.server._run:app_from_environment",
        factory=True,
        workers=settings.workers,
        **common,
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` now (the operating system's pick).

    Example:
        >>> 0 < free_port() < 65536
        True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


class LocalServer:
    """``mot-cua serve`` in a child process on a free loopback port, for tests and benchmarks.

    Args:
        workers: uvicorn worker processes.
        args: extra ``mot-cua serve`` arguments (e.g. ``["--max-batch-items", "10"]``).
        log: a file for the server's output (default: discarded).
        timeout: seconds to wait for ``/healthz`` to answer.

    Raises:
        InvalidInputError: the server did not start (its output is quoted).

    Example:
        >>> import json, urllib.request
        >>> with LocalServer() as server:
        ...     with urllib.request.urlopen(server.url + "/healthz") as r:
        ...         json.loads(r.read())["status"]
        'ok'
    """

    def __init__(
        self,
        *,
        workers: int = 1,
        args: Sequence[str] = (),
        log: Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._argv = [
            sys.executable,
            "-m",
            "mot_cua",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            *args,
        ]
        self._log = log
        self._timeout = timeout
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LocalServer:
        """Start the server and wait until ``/healthz`` answers."""
        out: Any = subprocess.DEVNULL
        if self._log is not None:
            out = self._log.open("wb")
        self._proc = subprocess.Popen(self._argv, stdout=out, stderr=subprocess.STDOUT)
        if out is not subprocess.DEVNULL:
            out.close()
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                break
            with (
                contextlib.suppress(OSError, ValueError),
                urllib.request.urlopen(self.url + "/healthz", timeout=1) as r,
            ):
                if json.loads(r.read()).get("status") == "ok":
                    return self
            time.sleep(0.05)
        self.stop()
        tail = ""
        if self._log is not None and self._log.exists():
            tail = self._log.read_text("utf-8", errors="replace")[-2000:]
        raise InvalidInputError(f"the server did not start on {self.url}: {tail or 'no output'}")

    @property
    def pid(self) -> int | None:
        """The process id of the server (its uvicorn workers are its children), while it runs."""
        return None if self._proc is None else self._proc.pid

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        self._proc = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()
