"""Shared fixtures for mot_cua's own tests."""

from __future__ import annotations

import datetime as dt

from mot_cua import VN_TZ


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    """An instant in Asia/Ho_Chi_Minh."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


#: Headless Chromium as the browser tests run it: as root, no GPU, and none of the background
#: connections this machine's closed network would refuse (add ``--user-data-dir`` per run).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
