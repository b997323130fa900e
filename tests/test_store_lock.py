"""The writers' lock of a SQLite store (``mot_cua.store._lock``): threads, then processes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mot_cua.store import Store
from mot_cua.store._lock import WriterLock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")


def _hold(path: str, log: str, acquired: Any, seconds: float) -> None:
    lock = WriterLock(path)
    with lock:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} in\n")
        acquired.set()
        time.sleep(seconds)
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} out\n")


def test_a_second_process_waits_for_the_first(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    db, log = str(tmp_path / "w.db"), str(tmp_path / "log.txt")
    first_in, second_in = ctx.Event(), ctx.Event()
    a = ctx.Process(target=_hold, args=(db, log, first_in, 0.5))
    a.start()
    assert first_in.wait(10)
    b = ctx.Process(target=_hold, args=(db, log, second_in, 0.0))
    b.start()
    assert not second_in.wait(0.2)  # the first still holds it
    a.join(10)
    b.join(10)
    lines = Path(log).read_text("utf-8").split()
    assert lines == [str(a.pid), "in", str(a.pid), "out", str(b.pid), "in", str(b.pid), "out"]


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    db, log = str(tmp_path / "k.db"), str(tmp_path / "log.txt")
    acquired = ctx.Event()
    a = ctx.Process(target=_hold, args=(db, log, acquired, 60.0))
    a.start()
    assert acquired.wait(10)
    assert a.pid is not None
    os.kill(a.pid, signal.SIGKILL)
    a.join(10)
    lock = WriterLock(db)
    with lock:  # would block for a minute if the dead writer still held it
        pass
    lock.close()


def test_threads_take_turns_and_the_lock_is_reentrant_after_close(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "t.db"))
    inside, most = [0], [0]

    def work() -> None:
        for _ in range(50):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1
    lock.close()
    with lock:  # reopened on use
        pass
    lock.close()


def test_an_unwritable_directory_falls_back_to_the_thread_lock(tmp_path: Path) -> None:
    lock = WriterLock(str(tmp_path / "missing-dir" / "x.db"))  # the lock file cannot be made
    with lock:
        pass
    assert lock._path is None
    assert not (tmp_path / "missing-dir").exists()


def test_a_store_file_gets_its_lock_file_and_memory_stores_none(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'f.db'}")
    s.init()
    s.create("L-1", time_limit="10 ngày làm việc", agency="so-tp")
    assert (tmp_path / "f.db-mot_cua.lock").exists()
    s.close()
    memory = Store("sqlite://")
    assert isinstance(memory._writer_lock, WriterLock)
    assert memory._writer_lock._path is None
    memory.close()
