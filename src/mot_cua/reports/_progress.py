"""A small progress bar on standard error, shown only when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """Stage-by-stage progress: ``[#####.....] 3/6 classify  1.2 s`` redrawn in place.

    Reading and counting are vectorised, so progress is reported per stage, not per row.

    Args:
        stages: the stage names, in order (unknown names are shown without advancing).
        stream: where to draw (default standard error).
        enabled: ``None`` draws only when ``stream`` is a terminal.

    >>> import io
    >>> bar = ProgressBar(["read", "count"], stream=io.StringIO(), enabled=True)
    >>> bar("read"); bar("count"); bar.close()
    >>> bar.stream.getvalue().count("2/2")
    1
    """

    def __init__(
        self, stages: list[str], *, stream: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.stages = stages
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.started = time.perf_counter()
        self._drawn = False

    def __call__(self, stage: str) -> None:
        if stage in self.stages:
            self.done = max(self.done, self.stages.index(stage) + 1)
        if not self.enabled:
            return
        width = 24
        filled = width * self.done // max(len(self.stages), 1)
        elapsed = time.perf_counter() - self.started
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{len(self.stages)} "
            f"{stage:<24} {elapsed:5.1f} s"
        )
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
