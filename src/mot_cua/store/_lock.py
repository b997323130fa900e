"""The writers' lock of a SQLite store: threads of a process, then processes, take turns.

SQLite admits one writer at a time. A writer that finds the database locked waits in SQLite's
busy handler, which polls with growing sleeps (1, 2, 5, 10 ... 100 ms): with several writer
processes the lock is mostly free while they all sleep, and eight processes appended fewer
events a second than one. Waiting on a lock instead wakes the next writer the moment the
previous one commits: a ``threading.Lock`` for the threads of one process, and ``flock`` on a
file beside the database (``<database>-mot_cua.lock``, created on first use) for processes.
The kernel releases ``flock`` when its holder dies, so a killed writer never blocks the others.
Where there is no ``flock`` (Windows) or the file cannot be created (a read-only directory),
only the thread lock is taken and processes fall back to SQLite's own waiting.
"""

from __future__ import annotations

import os
import threading
from types import TracebackType

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["WriterLock"]


class WriterLock:
    """Mutual exclusion for the writers of one SQLite database (see the module docstring).

    Args:
        path: the database file, or ``None`` (an in-memory database: threads only).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.db"
    >>> lock = WriterLock(str(path))
    >>> with lock:
    ...     pathlib.Path(str(path) + "-mot_cua.lock").exists()
    True
    """

    def __init__(self, path: str | None) -> None:
        self._threads = threading.Lock()
        self._path = None if path is None or fcntl is None else f"{path}-mot_cua.lock"
        self._fd: int | None = None
        self._pid = -1

    def _file(self) -> int | None:
        """The lock file's descriptor in this process (a forked child opens its own: an
        inherited descriptor shares the parent's lock)."""
        if self._path is None:
            return None
        if self._pid != os.getpid():
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                self._path = None  # cannot create it: SQLite's own waiting only
                return None
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            fd = self._file()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        """Close the lock file's descriptor (the lock must not be held)."""
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd, self._pid = None, -1
