"""pytest plugin (entry point ``mot_cua``): mot_cua's test helpers as prefixed fixtures.

Fixtures: ``mot_cua_clock`` (a :class:`~mot_cua.testing.FrozenClock` at Mon 03/03/2025 09:00),
``mot_cua_calendar`` (:func:`~mot_cua.testing.fixed_calendar`, Monday–Friday 2024–2026),
``mot_cua_dossier`` (the :func:`~mot_cua.testing.make_dossier` factory) and
``mot_cua_lifecycle`` (a factory of lifecycles on ``mot_cua_clock``; pass ``calendar=`` to use
``mot_cua_calendar`` instead of the real Vietnamese calendar).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mot_cua.calendar import WorkingCalendar
from mot_cua.lifecycle import Lifecycle
from mot_cua.limits import TimeLimit
from mot_cua.models import Dossier
from mot_cua.testing import FrozenClock, fixed_calendar, make_dossier, make_lifecycle

__all__ = ["mot_cua_calendar", "mot_cua_clock", "mot_cua_dossier", "mot_cua_lifecycle"]


@pytest.fixture
def mot_cua_clock() -> FrozenClock:
    """A frozen clock at Mon 03/03/2025 09:00 (Asia/Ho_Chi_Minh); move it with ``advance``."""
    return FrozenClock()


@pytest.fixture
def mot_cua_calendar() -> WorkingCalendar:
    """A fixed Monday–Friday calendar for 2024–2026 (no holidays data involved)."""
    return fixed_calendar()


@pytest.fixture
def mot_cua_dossier() -> Callable[..., Dossier]:
    """The dossier factory: ``mot_cua_dossier(channel="online")``."""
    return make_dossier


@pytest.fixture
def mot_cua_lifecycle(mot_cua_clock: FrozenClock) -> Callable[..., Lifecycle]:
    """A lifecycle factory on ``mot_cua_clock``: ``mot_cua_lifecycle("3 ngày làm việc")``."""

    def factory(time_limit: TimeLimit | str = "10 ngày làm việc", **options: Any) -> Lifecycle:
        return make_lifecycle(time_limit, clock=mot_cua_clock, **options)

    return factory
