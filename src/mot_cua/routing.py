"""Inter-agency routing (liên thông): routes, step budgets, hand-overs and who made a dossier late.

A one-stop desk passes a dossier to a lead agency, which routes it to the other agencies, each
within its own share of the statutory time; the result comes back through the desk
(mot_cua rules §7, medium). Routing is *horizontal* when every agency is at one level and *vertical*
when it crosses levels. Each step's share is fixed in the published internal procedure, and the
shares must fit inside the statutory limit (mot_cua rules §7; the e-PAR software never checked
this, and 44 of 114 procedures of one deployment disagreed with their own budgets). The agency
whose step ran late is the one that apologises (Decree 61/2018/NĐ-CP; mot_cua rules §5, §7).

* :class:`Route`, :class:`Stage`, :class:`RouteStep`: the model. A stage holds one step or several
  parallel steps; the slowest parallel step decides when the next stage can start.
* :func:`check_route`: budgets along the longest path against the limit (error when they exceed,
  :class:`~mot_cua.errors.RouteBudgetWarning` stating the slack when they leave time unused),
  agencies against a catalogue.
* :func:`plan`: each step's planned start and due moment, on the calendar and policy of the
  dossier's deadline.
* :func:`track` / :func:`track_dossier`: hand-overs (:class:`HandOver`), each step's actual start,
  finish, live due moment and timeliness (the control sheet, phiếu kiểm soát quá trình giải quyết
  hồ sơ), and the attribution of a delay.
* :func:`load_template` / :func:`template_ids`: the shipped routes (Decree 63/2024/NĐ-CP groups and
  a commune-to-province land route), figures only where a source gives them.

**Route time.** Budgets are added on one axis, the *route offset*, measured in working days from the
receipt and counted like :func:`~mot_cua.deadlines.compute_due` counts the dossier's limit: a route
whose budgets add up to its limit ends exactly at the dossier's due moment, and half days are never
truncated (0.5 + 0.5 = 1 working day, as peer systems count). A step that finishes at the close
of a day hands over at that instant; the next step starts at the next working day's opening and
its budget counts from there (see docs/design.md, "Routing").

>>> import datetime as dt
>>> from mot_cua import VN_TZ
>>> route = Route.model_validate({
...     "id": "demo", "limit": "3 ngày làm việc",
...     "stages": [{"steps": [{"agency": "a", "budget": "1 ngày làm việc"}]},
...                {"steps": [{"agency": "b", "budget": "2 ngày làm việc"}]}]})
>>> p = plan(route, dt.datetime(2025, 4, 24, 9, 0, tzinfo=VN_TZ))   # Sat 26/4/2025 is worked
>>> [(s.agency, f"{s.planned_start:%a %d/%m %H:%M}", f"{s.planned_due:%a %d/%m %H:%M}")
...  for s in p.steps]
[('a', 'Thu 24/04 09:00', 'Fri 25/04 17:00'), ('b', 'Sat 26/04 07:30', 'Mon 28/04 17:00')]
>>> p.due_at == p.path_due_at
True
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from mot_cua import files
from mot_cua.calendar import UncertainDay, WorkingCalendar
from mot_cua.deadlines import (
    DeadlineEngine,
    DeadlinePolicy,
    Pause,
    apply_pause,
    compute_due,
    timeliness,
)
from mot_cua.errors import (
    InputFileError,
    InvalidInputError,
    RouteBudgetWarning,
    RouteError,
    UnknownAgencyError,
    UnsupportedMethodError,
    brief,
)
from mot_cua.limits import Method, TimeLimit, Timeliness, TimeUnit
from mot_cua.models import Agency, AuthorityLevel, Dossier, DossierStatus, format_validation_error
from mot_cua.timezone import VN_TZ, ensure_aware

__all__ = [
    "ControlSheetRow",
    "HandOver",
    "PlannedStep",
    "Route",
    "RouteCheck",
    "RoutePlan",
    "RouteScope",
    "RouteStep",
    "RouteTracking",
    "Stage",
    "StepAction",
    "StepProgress",
    "StepState",
    "check_route",
    "handovers_from_history",
    "load_route",
    "load_template",
    "plan",
    "template_ids",
    "track",
    "track_dossier",
]

_EPS = 1e-9


def _aware(value: dt.datetime) -> dt.datetime:
    return ensure_aware(value, name="datetime")


_Aware = Annotated[dt.datetime, AfterValidator(_aware)]


class StepAction(StrEnum):
    """What an agency does in a step (values are persisted; labels are Vietnamese)."""

    RECEIVE = "receive"
    VERIFY = "verify"
    DECIDE = "decide"
    SIGN = "sign"
    ISSUE = "issue"
    RETURN = "return"
    PAY_TAX = "pay_tax"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return _ACTION_VI[self]


_ACTION_VI = {
    StepAction.RECEIVE: "Tiếp nhận",
    StepAction.VERIFY: "Thẩm định",
    StepAction.DECIDE: "Giải quyết",
    StepAction.SIGN: "Ký duyệt",
    StepAction.ISSUE: "Cấp kết quả",
    StepAction.RETURN: "Trả kết quả",
    StepAction.PAY_TAX: "Thực hiện nghĩa vụ tài chính",
    StepAction.OTHER: "Xử lý",
}


class RouteScope(StrEnum):
    """liên thông ngang (one level) or dọc (across levels), derived from the agencies' levels."""

    HORIZONTAL = "horizontal"
    VERTICAL = "vertical"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return "Liên thông ngang" if self is RouteScope.HORIZONTAL else "Liên thông dọc"


_BUDGET_UNITS = frozenset(
    {TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.SAME_DAY, TimeUnit.IMMEDIATELY}
)


class RouteStep(BaseModel):
    """One agency's step in a route.

    Args:
        id: a stable key (used by hand-over matching, :meth:`Route.with_budgets`, selections);
            default: ``"<stage>.<step>"`` counted from 1.
        agency: the agency's code.
        action: what it does (receive, verify, decide, sign, issue, return, pay tax, ...).
        budget: its share of the time, in working days (fractions allowed), working hours, or
            same day; ``None`` when no source gives it: :func:`plan` then asks for it.
        budget_source: where the budget comes from.
        clock_stops: the statutory clock stands still during this step (the applicant acts, e.g.
            pays tax; mot_cua rules §5). Its time is not counted and never attributed.
        optional: the applicant may leave this step out (:meth:`Route.select`).
        level: the agency's level, for a standalone route file without a catalogue.
        label: a Vietnamese description.
        note: free text (confidence, what to configure).

    >>> RouteStep(agency="ubnd-xa", budget="0,5 ngày làm việc").budget.value
    0.5
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = None
    agency: Annotated[str, Field(min_length=1)]
    action: StepAction = StepAction.OTHER
    budget: TimeLimit | None = None
    budget_source: str | None = None
    clock_stops: bool = False
    optional: bool = False
    level: AuthorityLevel | None = None
    label: str | None = None
    note: str | None = None

    @field_validator("budget")
    @classmethod
    def _unit(cls, value: TimeLimit | None) -> TimeLimit | None:
        if value is not None and value.unit not in _BUDGET_UNITS:
            raise ValueError(
                f"a step budget is counted in working days, working hours or 'trong ngày', not "
                f"{value.unit.value} ({value}); convert it, e.g. '2 ngày làm việc'"
            )
        return value


class Stage(BaseModel):
    """One step, or several steps run in parallel; the slowest one decides the stage's end."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    steps: Annotated[tuple[RouteStep, ...], Field(min_length=1)]


class Route(BaseModel):
    """An inter-agency route: the receiving desk, the lead agency and ordered stages.

    Args:
        id: the route's id (named in every error message).
        name: Vietnamese name.
        desk: the receiving desk (Bộ phận Một cửa / service centre), by agency code.
        lead_agency: the agency that leads (cơ quan chủ trì).
        limit: the procedure's statutory limit for the whole route; ``None`` when unknown.
        limit_source: where the limit comes from.
        stages: the ordered stages; no stage may be empty.
        min_optional: how many optional steps the applicant must keep (Decree 63/2024 group 2:
            death registration plus at least one other procedure).
        valid_from: first receipt date the route applies to.
        source: the documents the route rests on.
        notes: what is uncertain or must be configured.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = "route"
    name: str | None = None
    desk: str | None = None
    lead_agency: str | None = None
    limit: TimeLimit | None = None
    limit_source: str | None = None
    stages: Annotated[tuple[Stage, ...], Field(min_length=1)]
    min_optional: Annotated[int, Field(ge=0)] = 0
    valid_from: dt.date | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for key, _, _, _ in self.iter_steps():
            if key in seen:
                raise ValueError(f"step id {brief(key)} is used twice; give every step its own id")
            seen.add(key)
        return self

    def iter_steps(self) -> Iterable[tuple[str, int, int, RouteStep]]:
        """Yield ``(key, stage index, step index, step)`` in route order (indices from 0)."""
        for si, stage in enumerate(self.stages):
            for ji, step in enumerate(stage.steps):
                yield (step.id or f"{si + 1}.{ji + 1}"), si, ji, step

    @property
    def agencies(self) -> tuple[str, ...]:
        """Every agency code named by the route (desk, lead, steps), in order, once each."""
        codes = [c for c in (self.desk, self.lead_agency) if c]
        codes += [s.agency for _, _, _, s in self.iter_steps()]
        return tuple(dict.fromkeys(codes))

    def with_budgets(self, budgets: Mapping[str, TimeLimit | str]) -> Route:
        """Return the route with the budgets of the named steps set (e.g. unknown ones).

        Raises:
            RouteError: a key names no step.

        >>> r = load_template("decree63-birth").with_budgets({"thuong-tru": "2 ngày làm việc"})
        >>> [s.budget and str(s.budget) for _, _, _, s in r.iter_steps()]
        ['trong ngày', '2 ngày làm việc', None]
        """
        if not isinstance(budgets, Mapping):
            _mapping(budgets, "budgets", "of step id to budget, e.g. {'thuong-tru': '1 ngày'}")
            raise InvalidInputError("budgets must be a mapping of step id to budget")
        keys = {k for k, _, _, _ in self.iter_steps()}
        unknown = sorted(str(b) for b in set(budgets) - keys)
        if unknown:
            raise RouteError(
                f"route {brief(self.id)}: no step with id {', '.join(map(repr, unknown))}; the "
                "steps "
                f"are {', '.join(sorted(keys))}",
                route=self.id,
                steps=unknown,
            )
        stages = []
        for si, stage in enumerate(self.stages):
            steps = []
            for ji, step in enumerate(stage.steps):
                key = step.id or f"{si + 1}.{ji + 1}"
                if key in budgets:
                    value = budgets[key]
                    limit = value if isinstance(value, TimeLimit) else TimeLimit.parse(value)
                    step = _rebuild(step, budget=limit, budget_source="set by the caller")
                steps.append(step)
            stages.append(Stage(steps=tuple(steps)))
        return _rebuild(self, stages=tuple(stages))

    def select(self, step_ids: Iterable[str]) -> Route:
        """Keep the required steps and the chosen optional ones (the applicant's choice).

        Decree 63/2024/NĐ-CP group 2: the applicant chooses 2, 3 or 4 procedures.

        Raises:
            RouteError: an id names no optional step, or fewer than :attr:`min_optional` remain.

        >>> r = load_template("decree63-death").select(["mai-tang"])
        >>> [k for k, _, _, _ in r.iter_steps()]
        ['khai-tu', 'mai-tang']
        """
        chosen = set(_items(step_ids, str, "step_ids", "step ids"))
        optional = {k for k, _, _, s in self.iter_steps() if s.optional}
        wrong = sorted(chosen - optional)
        if wrong:
            raise RouteError(
                f"route {brief(self.id)}: {', '.join(map(repr, wrong))} is not an optional step; "
                f"choose among {', '.join(sorted(optional)) or '(none)'}",
                route=self.id,
            )
        if len(chosen) < self.min_optional:
            raise RouteError(
                f"route {brief(self.id)}: choose at least {self.min_optional} of "
                f"{', '.join(sorted(optional))} (got {len(chosen)})",
                route=self.id,
            )
        stages = []
        for si, stage in enumerate(self.stages):
            kept = tuple(
                s
                for ji, s in enumerate(stage.steps)
                if not s.optional or (s.id or f"{si + 1}.{ji + 1}") in chosen
            )
            if kept:
                stages.append(Stage(steps=kept))
        return _rebuild(self, stages=tuple(stages), min_optional=0)

    def scope(self, levels: Mapping[str, AuthorityLevel | Agency] | None = None) -> RouteScope:
        """Horizontal when every agency is at one level, vertical otherwise.

        Args:
            levels: agency code → level (or :class:`~mot_cua.models.Agency`); a step's own
                ``level`` is used when its agency is not in the mapping.

        Raises:
            RouteError: an agency's level is unknown.

        >>> load_template("land-first-registration").scope()
        <RouteScope.VERTICAL: 'vertical'>
        """
        _mapping(levels, "levels", "of agency code to AuthorityLevel or Agency")
        found: set[AuthorityLevel] = set()
        for key, si, ji, step in self.iter_steps():
            given = (levels or {}).get(step.agency)
            level = given.level if isinstance(given, Agency) else given
            level = level or step.level
            if level is None:
                raise RouteError(
                    f"route {brief(self.id)}, stage {si + 1}, step {ji + 1} ({key}): the level of "
                    f"agency {brief(step.agency)} is unknown; set 'level' on the step or check the "
                    "route against a catalogue",
                    route=self.id,
                    stage=si,
                    step=ji,
                )
            try:
                found.add(AuthorityLevel(level))
            except ValueError:
                raise RouteError(
                    f"route {brief(self.id)}, step {key}: {brief(level)} is not an authority "
                    "level; "
                    f"levels: {', '.join(a.value for a in AuthorityLevel)}",
                    route=self.id,
                ) from None
        return RouteScope.HORIZONTAL if len(found) <= 1 else RouteScope.VERTICAL

    def to_mermaid(self, names: Mapping[str, str] | None = None) -> str:
        """A Mermaid flowchart of the route (parallel steps side by side).

        Args:
            names: agency code → display name (default: the codes).

        >>> print(Route.model_validate({"id": "r", "desk": "desk", "stages": [
        ...     {"steps": [{"agency": "a", "budget": "1 ngày làm việc"}]}]}).to_mermaid())
        flowchart LR
            received(["Tiếp nhận: desk"])
            s1_1["a<br/>Xử lý · 1 ngày làm việc"]
            returned(["Trả kết quả"])
            received --> s1_1
            s1_1 --> returned
        """
        names = _mapping(names, "names", "of agency code to name") or {}
        lines = ["flowchart LR"]
        desk = names.get(self.desk, self.desk) if self.desk else "Một cửa"
        lines.append(f'    received(["Tiếp nhận: {_mm(desk)}"])')
        ids: list[list[str]] = []
        for si, stage in enumerate(self.stages):
            row = []
            for ji, step in enumerate(stage.steps):
                node = f"s{si + 1}_{ji + 1}"
                budget = str(step.budget) if step.budget is not None else "thời hạn: cần cấu hình"
                if step.clock_stops:
                    budget += ", không tính thời hạn"
                if step.optional:
                    budget += ", tùy chọn"
                text = f"{_mm(names.get(step.agency, step.agency))}<br/>{step.action.label} · "
                text += _mm(budget)
                shape = ('{{"', '"}}') if step.clock_stops else ('["', '"]')
                lines.append(f"    {node}{shape[0]}{text}{shape[1]}")
                row.append(node)
            ids.append(row)
        lines.append('    returned(["Trả kết quả"])')
        previous = ["received"]
        for row in [*ids, ["returned"]]:
            lines.extend(f"    {a} --> {b}" for a in previous for b in row)
            previous = row
        return "\n".join(lines)


_MM_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}


def _mm(text: str) -> str:
    """Escape text for a quoted Mermaid label with entity codes (``#quot;``, ``#lt;``, ...).

    ``#`` goes first since it starts an entity code; line breaks become ``<br/>``. Vietnamese
    letters need no escaping inside quotes.
    """
    out = "".join(_MM_ENTITIES.get(c, c) for c in text)
    return "<br/>".join(out.splitlines()) if "\n" in out or "\r" in out else out


_M = TypeVar("_M", bound=BaseModel)


def _rebuild(model: _M, **update: Any) -> _M:
    """``model`` with ``update`` applied, validated (a RouteError names what is wrong)."""
    data = {k: getattr(model, k) for k in type(model).model_fields}
    data.update(update)
    try:
        return type(model).model_validate(data)
    except ValidationError as exc:
        kind = "route" if isinstance(model, Route) else "step"
        where = f"{kind} {brief(getattr(model, 'id', None))}"
        raise _wrap(exc, where) from exc


def _wrap(exc: ValidationError, where: str) -> RouteError:
    lines = format_validation_error(exc, where=where)
    return RouteError(
        f"invalid route: {'; '.join(lines)}; fix the listed fields",
        problems=lines,
    )


def load_route(source: str | bytes | Mapping[str, Any], *, route_id: str | None = None) -> Route:
    """Read a route from JSON text or a mapping (e.g. a catalogue's raw ``routes`` entry).

    The minimal route is ``{"limit": "5 ngày làm việc", "stages": [{"steps": [{"agency": "...",
    "budget": "2 ngày làm việc"}]}]}``.

    Text is parsed by :func:`mot_cua.files.parse_json` (UTF-8, bounded nesting and integer
    length), like every file mot_cua reads; read a file with :func:`mot_cua.files.read_json`.

    Args:
        source: JSON text (``str`` or UTF-8 ``bytes``) or a mapping.
        route_id: the id to use when the data has none (e.g. the file name).

    Returns:
        The validated route.

    Raises:
        RouteError: unreadable text, or malformed data (an empty stage, a bad budget, ...); the
            message names the route and every field path, e.g. ``stages.1.steps``.

    >>> load_route('{"id": "x", "stages": [{"steps": []}]}')
    Traceback (most recent call last):
    ...
    mot_cua.errors.RouteError: invalid route: route 'x'.stages.0.steps: ...
    """
    if route_id is not None and not isinstance(route_id, str):
        raise RouteError(
            f"route_id must be text, not {brief(route_id)}", route=brief(route_id, 200)
        )
    if isinstance(source, str | bytes):
        where = f"route {brief(route_id or '')}"
        try:
            text = (
                files.decode_text(source, what="route", source=where)
                if isinstance(source, bytes)
                else source
            )
            data = files.parse_json(text, what="route", source=where)
        except InputFileError as exc:
            raise RouteError(str(exc), route=route_id) from None
    elif isinstance(source, Mapping):
        data = dict(source)
    else:
        raise RouteError(
            f"a route is JSON text or a mapping, not {type(source).__name__}", route=route_id
        )
    if not isinstance(data, dict):
        raise RouteError("a route must be a JSON object with 'stages'")
    if route_id is not None and "id" not in data:
        data["id"] = route_id
    where = f"route {brief(data.get('id', 'route'))}"
    try:
        return Route.model_validate(data)
    except ValidationError as exc:
        raise _wrap(exc, where) from exc


# -- templates ------------------------------------------------------------------------------------


def template_ids() -> tuple[str, ...]:
    """Ids of the shipped route templates (``src/mot_cua/data/routes/*.json``).

    >>> template_ids()
    ('decree63-birth', 'decree63-death', 'land-first-registration')
    """
    folder = resources.files("mot_cua").joinpath("data", "routes")
    return tuple(
        sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))
    )


def load_template(template_id: str) -> Route:
    """Load a shipped route template by id (validated, cached).

    Unknown budgets stay ``None``: set them with :meth:`Route.with_budgets`.

    Args:
        template_id: one of :func:`template_ids`.

    Returns:
        The route.

    Raises:
        RouteError: no template with that id.

    >>> load_template("decree63-birth").limit.to_text("en")
    '3 working days'
    """
    if not isinstance(template_id, str) or template_id not in template_ids():
        raise RouteError(
            f"no route template {brief(template_id)}; choose one of {', '.join(template_ids())}",
            template=template_id,
        )
    return _load_template(template_id)


@cache
def _load_template(template_id: str) -> Route:
    raw = resources.files("mot_cua").joinpath("data", "routes", f"{template_id}.json").read_bytes()
    where = f"mot_cua/data/routes/{template_id}.json"
    data = files.parse_json(files.decode_text(raw, what="route", source=where), what="route")
    data.pop("$comment", None)
    return load_route(data, route_id=template_id)


# -- argument checks (every public function raises our errors on junk) ---------------------------


def _arg(value: Any, kind: type | tuple[type, ...], name: str, hint: str) -> Any:
    """``value`` if it is a ``kind``, else :class:`InvalidInputError` naming ``name``."""
    if (
        isinstance(value, bool)
        and kind is not bool
        and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        value = object()  # a bool is an int: never accept it where an object is wanted
    if not isinstance(value, kind):
        raise InvalidInputError(
            f"{name} must be {hint}, not {type(value).__name__} ({brief(value, 60)})", field=name
        )
    return value


def _opt(value: Any, kind: type, name: str, hint: str) -> Any:
    return None if value is None else _arg(value, kind, name, hint)


def _items(value: Any, kind: type, name: str, hint: str) -> list[Any]:
    """A list of ``kind`` from any iterable that is not text or a mapping."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInputError(
            f"{name} must be a list of {hint}, not {type(value).__name__} ({brief(value, 60)})",
            field=name,
        )
    found = list(value)
    for i, item in enumerate(found):
        _arg(item, kind, f"{name}[{i}]", hint)
    return found


def _mapping(value: Any, name: str, hint: str) -> Mapping[Any, Any] | None:
    if value is not None and not isinstance(value, Mapping):
        raise InvalidInputError(
            f"{name} must be a mapping {hint}, not {type(value).__name__} ({brief(value, 60)})",
            field=name,
        )
    return value


def _common(
    route: Any, calendar: Any, policy: Any, extended: Any
) -> tuple[Route, WorkingCalendar | None, DeadlinePolicy | None]:
    """The arguments shared by :func:`plan`, :func:`track` and :func:`check_route`."""
    _arg(route, Route, "route", "a Route (load_route(...) or load_template(...))")
    _opt(calendar, WorkingCalendar, "calendar", "a WorkingCalendar, e.g. WorkingCalendar.vietnam()")
    _opt(policy, DeadlinePolicy, "policy", "a DeadlinePolicy")
    _arg(extended, bool, "extended", "True or False")
    return route, calendar, policy


# -- the route clock ------------------------------------------------------------------------------


def _limit_days(limit: TimeLimit, seconds_per_day: float, where: str) -> float:
    if limit.unit is TimeUnit.WORKING_DAYS:
        return limit.value
    if limit.unit is TimeUnit.WORKING_HOURS:
        return limit.value * 3600 / seconds_per_day
    if limit.unit in (TimeUnit.SAME_DAY, TimeUnit.IMMEDIATELY):
        return 0.0
    raise RouteError(
        f"{where}: a limit in {limit.unit.value} ({limit}) cannot be compared with step budgets "
        "in working days; give the route's limit in working days or working hours",
        limit=str(limit),
    )


class _Clock:
    """Route offsets (working days since the receipt) ↔ instants, for one receipt.

    ``pos(x)`` is the due moment of a limit of ``x`` working days counted from the receipt, as
    :func:`compute_due` counts it under the same calendar and policy; ``offset(t)`` is its
    inverse (the working time elapsed at ``t``).
    """

    def __init__(self, cal: WorkingCalendar, policy: DeadlinePolicy, received: dt.datetime):
        self.cal = cal
        self.policy = policy
        self.eng = DeadlineEngine(cal, policy)
        self.per_day = policy.seconds_per_day
        self.method = policy.method
        hours = policy.office_hours
        if self.method is Method.WORKING_TIME:
            self.start = self.eng.next_office_instant(received)
            self.segs: list[tuple[dt.time, dt.time]] = []
            self.day0, self.j0 = self.start.date(), 0
            return
        if self.method is Method.HALF_DAYS:
            morning, afternoon = policy.slots
            self.segs = [(hours.opening, morning), (morning, afternoon)]
            self.day0, self.j0 = self.eng.slot_of(received, cutoff=True)
        else:
            self.segs = [(hours.opening, hours.closing)]
            self.day0, _ = self.eng.deemed_day(received, cutoff=True)
            self.j0 = 0
        moved = self.day0 != received.date()
        self.start = self.eng.at(self.day0, hours.opening) if moved else received

    @property
    def k(self) -> int:
        return len(self.segs)

    def _add(self, day: dt.date, n: int) -> dt.date:
        return self.cal._quiet_add(day, n) if n else day

    def seg_end(self, day: dt.date, j: int) -> dt.datetime:
        if self.method is Method.DAYS and self.policy.due_time == "end_of_day":
            return self.eng.at(day, dt.time(23, 59, 59))
        return self.eng.at(day, self.segs[j][1])

    def seg_len(self, day: dt.date, j: int) -> float:
        if self.method is Method.DAYS:
            return self.per_day
        a, b = self.segs[j]
        return float(self.eng.office_seconds_between(self.eng.at(day, a), self.eng.at(day, b)))

    def pos(self, x: float) -> dt.datetime:
        if self.method is Method.WORKING_TIME:
            return self.eng.add_office_seconds(self.start, round(x * self.per_day))
        total = x * self.k
        n = math.floor(total + _EPS)
        frac = total - n if total - n > _EPS else 0.0
        g = self.j0 + n
        if not frac:
            return self.seg_end(self._add(self.day0, g // self.k), g % self.k)
        g += 1
        day, j = self._add(self.day0, g // self.k), g % self.k
        begin = self.eng.at(day, self.segs[j][0])
        return self.eng.add_office_seconds(begin, round(frac * self.seg_len(day, j)))

    def offset(self, t: dt.datetime) -> float:
        t = t.astimezone(VN_TZ)
        if self.method is Method.WORKING_TIME:
            return self.eng.office_seconds_between(self.start, t) / self.per_day
        d = t.date()
        if d <= self.day0 and t <= self.seg_end(self.day0, self.j0):
            return 0.0
        k = self.k
        if not self.eng.working(d):
            d = self.cal._quiet_add(d, -1)
            return max(0.0, (self.cal._quiet_between(self.day0, d) * k + k - 1 - self.j0) / k)
        base = self.cal._quiet_between(self.day0, d) * k
        for j, (a, _) in enumerate(self.segs):
            g = base + j
            begin, end = self.eng.at(d, a), self.seg_end(d, j)
            if t < begin:
                return max(0.0, (g - 1 - self.j0) / k)
            if t < end:
                done = self.eng.office_seconds_between(begin, t) / self.seg_len(d, j)
                return max(0.0, (g - 1 - self.j0 + min(done, 1.0)) / k)
        return max(0.0, (base + k - 1 - self.j0) / k)

    def working_days(self, a: dt.datetime, b: dt.datetime) -> float:
        """Office time from ``a`` to ``b``, in working days of ``seconds_per_day``."""
        return self.eng.office_seconds_between(a, b) / self.per_day

    def add_hours(self, start: dt.datetime, step: RouteStep) -> dt.datetime:
        """Due moment of a budget in working hours: office time from ``start`` (lunch and
        closing skipped, Civil Code 2015 Art. 147)."""
        assert step.budget is not None
        return self.eng.add_office_seconds(start, round(step.budget.value * 3600))

    def resume(self, t: dt.datetime) -> dt.datetime:
        """Where work continues after a hand-over at ``t`` (next opening when after closing)."""
        return self.eng.next_office_instant(t)

    def day_end(self, t: dt.datetime) -> dt.datetime:
        """End of the working day of ``t`` (same-day budgets; ``t`` is inside office time)."""
        if self.method is Method.HALF_DAYS:
            return self.eng.at(t.date(), self.segs[-1][1])
        return self.eng.due_clock(t.date())


def _calendar(calendar: WorkingCalendar | None, policy: DeadlinePolicy) -> WorkingCalendar:
    cal = calendar if calendar is not None else WorkingCalendar.vietnam()
    return cal if policy.worked_saturdays else cal.without_worked_saturdays()


def _in_hours(step: RouteStep) -> bool:
    return step.budget is not None and step.budget.unit is TimeUnit.WORKING_HOURS


def _check_policy(route: Route, policy: DeadlinePolicy) -> None:
    """Reject policies the route clock cannot follow (the dossier's clock would differ).

    (``due_time="end_of_day"`` outside the days method is refused by
    :class:`~mot_cua.deadlines.DeadlinePolicy` itself.)
    """
    if policy.method is Method.HALF_DAYS:
        for key, si, ji, step in route.iter_steps():
            b = step.budget
            if (
                b is not None
                and b.unit is TimeUnit.WORKING_DAYS
                and not step.clock_stops
                and not math.isclose(b.value * 2, round(b.value * 2))
            ):
                raise UnsupportedMethodError(
                    f"route {brief(route.id)}, stage {si + 1}, step {ji + 1} ({key}): the "
                    f"half-days method counts in half working days; {b} is not a multiple "
                    "of 0.5: round the budget to a half day, or use method='days' or "
                    "'working-time'",
                    route=route.id,
                    step=key,
                    limit=str(b),
                )


def _provisional(
    cal: WorkingCalendar,
    instants: Iterable[dt.datetime],
    *,
    warned: bool = False,
    stacklevel: int = 4,
) -> bool:
    """Whether ``instants`` reach a provisional year.

    Never touches the process-wide warning filters (no ``warnings.catch_warnings``): the result
    is flagged on the returned object, and the calendar's own policy (``on_provisional``) says
    whether to warn or raise, unless ``warned`` says :func:`compute_due` already did. The default
    ``stacklevel`` points the warning at the caller of the public function that calls this one.
    """
    top = max(i.astimezone(VN_TZ).date() for i in instants)
    if not cal.is_provisional(top):
        return False
    if not warned and cal.on_provisional != "ignore":
        cal._warn(top.toordinal(), stacklevel=stacklevel)
    return True


def _uncertain(
    cal: WorkingCalendar, first: dt.datetime, instants: Iterable[dt.datetime]
) -> tuple[UncertainDay, ...]:
    """The pending days between ``first`` and the latest of ``instants`` (dates in Vietnam)."""
    last = max(i.astimezone(VN_TZ).date() for i in instants)
    return cal.uncertain_days(first.astimezone(VN_TZ).date(), last)


def _uncertain_json(days: Iterable[UncertainDay]) -> list[dict[str, str]]:
    return [
        {"date": u.date.isoformat(), "status": u.status.value, "label": u.label, "source": u.source}
        for u in days
    ]


def _budget(step: RouteStep, per_day: float) -> float:
    assert step.budget is not None
    return _limit_days(step.budget, per_day, "step")


# -- checking -------------------------------------------------------------------------------------


class RouteCheck(BaseModel):
    """What :func:`check_route` found (budgets in working days).

    Args:
        route_id: the route.
        path_days: the budgets along the longest path (a lower bound while budgets are unknown).
        limit_days: the limit in working days, ``None`` when the route has no limit.
        slack_days: ``limit_days - path_days`` when every budget is known.
        critical_path: the step keys of the longest path, one per stage.
        unknown_budgets: steps whose budget is still ``None``.
        scope: horizontal / vertical when every level is known, else ``None``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    path_days: float
    limit_days: float | None
    slack_days: float | None
    critical_path: tuple[str, ...]
    unknown_budgets: tuple[str, ...]
    scope: RouteScope | None


def check_route(
    route: Route,
    agencies: Iterable[str] | Mapping[str, Agency | AuthorityLevel] | None = None,
    *,
    policy: DeadlinePolicy | None = None,
    extended: bool = False,
    warn: bool = True,
) -> RouteCheck:
    """Check that a route fits its limit and names known agencies.

    Budgets are added along the longest path: stages in sequence, the slowest of parallel steps.
    Working hours count as ``hours / office hours per day``; a same-day step costs nothing in the
    first stage (the receipt day is not counted, Civil Code 2015 Art. 147) and one working day
    later on (it takes the day it is handed over on); a clock-stopping step costs nothing (its
    time is not counted, mot_cua rules §5). Unknown budgets (``None``) are reported, not guessed.

    Args:
        route: the route.
        agencies: the catalogue's agency codes (or code → Agency/level); ``None`` for a standalone
            route file, which may name agencies freely.
        policy: gives the office hours per day used to convert working hours.
        extended: compare against the limit with its extension (e.g. land in disadvantaged
            communes, Decree 101/2024).
        warn: emit :class:`~mot_cua.errors.RouteBudgetWarning` for slack (``False`` when the
            caller reports :attr:`RouteCheck.slack_days` itself, as the catalogue does).

    Returns:
        A :class:`RouteCheck`. A :class:`~mot_cua.errors.RouteBudgetWarning` states the slack when
        every budget is known and they leave time unused.

    Raises:
        RouteError: the budgets exceed the limit (the message names the route and the sums).
        UnknownAgencyError: an agency is not in ``agencies`` (every one is listed).

    >>> r = Route.model_validate({"id": "x", "limit": "2 ngày làm việc", "stages": [
    ...     {"steps": [{"agency": "a", "budget": "1.5 ngày làm việc"},
    ...                {"agency": "b", "budget": "1 ngày làm việc"}]},
    ...     {"steps": [{"agency": "c", "budget": "1 ngày làm việc"}]}]})
    >>> check_route(r)
    Traceback (most recent call last):
    ...
    mot_cua.errors.RouteError: route 'x': ... 2.5 working days (stage 1: 1.5 [1.1 a]; stage 2: ...
    """
    _common(route, None, policy, extended)
    _arg(warn, bool, "warn", "True or False")
    if isinstance(agencies, Mapping):
        codes = [str(k) for k in agencies]
    elif agencies is not None:
        codes = _items(agencies, str, "agencies", "agency codes (or a mapping by code)")
    pol = policy if policy is not None else DeadlinePolicy()
    per_day = pol.seconds_per_day
    if agencies is not None:
        _check_agencies(route, set(codes))
    total, parts, critical, unknown = _longest_path(route, per_day)
    limit_days, slack = _check_fit(
        route, total, parts, per_day, extended=extended, known=not unknown, warn=warn
    )
    levels = agencies if isinstance(agencies, Mapping) else None
    try:
        scope: RouteScope | None = route.scope(levels)
    except RouteError:
        scope = None
    return RouteCheck(
        route_id=route.id,
        path_days=total,
        limit_days=limit_days,
        slack_days=slack,
        critical_path=tuple(critical),
        unknown_budgets=tuple(unknown),
        scope=scope,
    )


def _check_agencies(route: Route, known: set[str]) -> None:
    """Every agency the route names (desk, lead, steps) must be in ``known``; all are listed."""
    missing = []
    for field, code in (("desk", route.desk), ("lead_agency", route.lead_agency)):
        if code and code not in known:
            missing.append(f"{field} {brief(code)}")
    for key, si, ji, step in route.iter_steps():
        if step.agency not in known:
            missing.append(f"stage {si + 1}, step {ji + 1} ({key}) agency {brief(step.agency)}")
    if missing:
        raise UnknownAgencyError(
            f"route {brief(route.id)}: unknown agencies: {'; '.join(missing)}; add them to the "
            "catalogue's agencies or correct the codes",
            route=route.id,
            missing=missing,
        )


def _longest_path(route: Route, per_day: float) -> tuple[float, list[str], list[str], list[str]]:
    """The longest path's budgets in working days, its per-stage parts (for messages), its step
    keys (one per stage), and the steps whose budget is unknown."""
    unknown: list[str] = []
    total = 0.0
    parts: list[str] = []
    critical: list[str] = []
    for si, stage in enumerate(route.stages):
        best, best_key = 0.0, ""
        for ji, step in enumerate(stage.steps):
            key = step.id or f"{si + 1}.{ji + 1}"
            if step.clock_stops:
                cost = 0.0
            elif step.budget is None:
                unknown.append(key)
                continue
            elif step.budget.unit is TimeUnit.SAME_DAY:
                cost = 0.0 if si == 0 else 1.0
            else:
                cost = _budget(step, per_day)
            if cost > best or not best_key:
                best, best_key = cost, f"{key} {step.agency}"
        total += best
        critical.append(best_key.split(" ")[0])
        parts.append(f"stage {si + 1}: {_num(best)} [{best_key}]")
    # Rounded to 1e-9 day (well under a second): 0.1 + 0.2 is 0.3, not 0.30000000000000004.
    return round(total, 9), parts, critical, unknown


def _check_fit(
    route: Route,
    total: float,
    parts: list[str],
    per_day: float,
    *,
    extended: bool,
    known: bool,
    warn: bool,
) -> tuple[float | None, float | None]:
    """The limit and the slack in working days (``None`` without a limit / unknown budgets).

    Raises :class:`~mot_cua.errors.RouteError` when the path exceeds the limit, and warns of
    slack (the warning points at the caller of :func:`check_route`) when every budget is known.
    """
    limit = route.limit.extended() if (route.limit is not None and extended) else route.limit
    if limit is None:
        return None, None
    limit_days = round(_limit_days(limit, per_day, f"route {brief(route.id)}"), 9)
    if total > limit_days + _EPS:
        raise RouteError(
            f"route {brief(route.id)}: the step budgets along the longest path add up to "
            f"{_num(total)} working days ({'; '.join(parts)}), more than the limit {limit} "
            f"({_num(limit_days)} working days); shorten the step budgets or correct the "
            "limit",
            route=route.id,
            path_days=total,
            limit_days=limit_days,
        )
    if not known:
        return limit_days, None
    slack = round(limit_days - total, 9)
    if slack > _EPS and warn:
        warnings.warn(
            RouteBudgetWarning(
                f"route {brief(route.id)}: the step budgets add up to {_num(total)} "
                "working "
                f"days, {_num(slack)} working days less than the limit {limit}; the slack "
                "is unassigned (assign it to a step or accept it)"
            ),
            stacklevel=3,
        )
    return limit_days, slack


def _num(x: float) -> str:
    r = round(x, 4)
    return str(int(r)) if r == int(r) else f"{r:g}"


# -- planning -------------------------------------------------------------------------------------


class PlannedStep(BaseModel):
    """One step of a :class:`RoutePlan`.

    ``planned_due`` is ``None`` for a clock-stopping step (its length depends on the applicant).
    ``start_offset``/``end_offset`` are route offsets in working days since the receipt.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    stage: int
    index: int
    agency: str
    action: StepAction
    budget: TimeLimit | None
    clock_stops: bool
    planned_start: _Aware
    planned_due: _Aware | None
    start_offset: float
    end_offset: float


_Keyed = TypeVar("_Keyed", "PlannedStep", "StepProgress")


def _find_step(steps: Sequence[_Keyed], key: str, route_id: str) -> _Keyed:
    for s in steps:
        if s.key == key:
            return s
    keys = ", ".join(s.key for s in steps)
    raise RouteError(
        f"route {brief(route_id)} has no step {brief(key)}; its steps are {keys}", route=route_id
    )


class RoutePlan(BaseModel):
    """Planned start and due moment of every step, and of the route.

    Args:
        due_at: the dossier's due moment: the route's limit counted by
            :func:`~mot_cua.deadlines.compute_due`, or the end of the path when the route has no
            limit.
        path_due_at: when the longest path of budgets ends (≤ ``due_at`` for a route that fits).
        path_days: the longest path in working days.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    received_at: _Aware
    deemed_receipt: _Aware
    steps: tuple[PlannedStep, ...]
    path_days: float
    path_due_at: _Aware
    due_at: _Aware
    limit: TimeLimit | None
    provisional: bool = False
    uncertain_days: tuple[UncertainDay, ...] = ()

    def step(self, key: str) -> PlannedStep:
        """The planned step with this key.

        Raises:
            RouteError: no such step.
        """
        return _find_step(self.steps, key, self.route_id)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``mot-cua route plan --json``."""
        return {
            "route": self.route_id,
            "received_at": self.received_at.isoformat(),
            "deemed_receipt": self.deemed_receipt.isoformat(),
            "limit": None if self.limit is None else str(self.limit),
            "due_at": self.due_at.isoformat(),
            "path_due_at": self.path_due_at.isoformat(),
            "path_days": self.path_days,
            "provisional": self.provisional,
            "uncertain_days": _uncertain_json(self.uncertain_days),
            "steps": [
                {
                    "key": s.key,
                    "stage": s.stage + 1,
                    "agency": s.agency,
                    "action": s.action.value,
                    "budget": None if s.budget is None else str(s.budget),
                    "clock_stops": s.clock_stops,
                    "planned_start": s.planned_start.isoformat(),
                    "planned_due": None if s.planned_due is None else s.planned_due.isoformat(),
                }
                for s in self.steps
            ],
        }


def plan(
    route: Route,
    received_at: dt.datetime,
    *,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    extended: bool = False,
) -> RoutePlan:
    """Plan every step from the receipt: planned start and due moment, chained stage by stage.

    Args:
        route: the route; every step that counts must have a budget.
        received_at: the receipt (aware).
        calendar: the working calendar (default :meth:`WorkingCalendar.vietnam`).
        policy: the deadline policy of the dossier (method, cut-off, office hours, ...).
        extended: use the limit's extension (Decree 101/2024: disadvantaged communes).

    A budget in working hours is office time from the step's start (Civil Code 2015 Art. 147;
    the cut-off does not apply to it); day budgets follow the route offsets; a step "ngay"
    (immediately) is due when it starts. Every step's ``planned_due`` is at or after its
    ``planned_start``. A plan that reaches a provisional calendar year is flagged
    ``provisional`` (the calendar's ``on_provisional`` policy decides whether it also warns; the
    process-wide warning filters are never touched, so the function is thread-safe); the pending
    days it spans (law not settled) are listed in ``uncertain_days``.

    Returns:
        The plan.

    Raises:
        RouteError: a step's budget is unknown (the message says how to set it).
        UnsupportedMethodError: a budget the half-days method cannot count (not a multiple of
            0.5 working day).
        NaiveDatetimeError: ``received_at`` has no UTC offset.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> r = Route.model_validate({"id": "half", "stages": [
    ...     {"steps": [{"agency": "a", "budget": "0.5 ngày làm việc"}]},
    ...     {"steps": [{"agency": "b", "budget": "0.5 ngày làm việc"}]}]})
    >>> p = plan(r, dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ))
    >>> [f"{s.planned_due:%d/%m %H:%M}" for s in p.steps], p.path_days   # never truncated
    (['03/03 11:15', '03/03 17:00'], 1.0)
    """
    _common(route, calendar, policy, extended)
    received = ensure_aware(received_at, name="received_at")
    pol = policy if policy is not None else DeadlinePolicy()
    cal = _calendar(calendar, pol)
    _check_budgets_known(route)
    _check_policy(route, pol)
    clock = _Clock(cal, pol, received)
    steps, path_days, path_due = _plan_steps(route, clock, received)
    limit, due_at, warned = _plan_due(route, received, path_due, cal, pol, extended=extended)
    ends = [received, path_due, due_at, *(st.planned_due for st in steps if st.planned_due)]
    provisional = _provisional(cal, ends, warned=warned)
    return RoutePlan(
        route_id=route.id,
        received_at=received,
        deemed_receipt=clock.start,
        steps=tuple(steps),
        path_days=round(path_days, 6),
        path_due_at=path_due,
        due_at=due_at,
        limit=limit,
        provisional=provisional,
        uncertain_days=_uncertain(cal, received, ends),
    )


def _check_budgets_known(route: Route) -> None:
    """Refuse a route with a counted step whose budget is still unknown (no source gives one)."""
    missing = [
        f"stage {si + 1}, step {ji + 1} ({key}, {step.agency})"
        for key, si, ji, step in route.iter_steps()
        if step.budget is None and not step.clock_stops
    ]
    if missing:
        raise RouteError(
            f"route {brief(route.id)}: no budget for {'; '.join(missing)}; no source gives one, "
            "so set "
            "it yourself: route.with_budgets({'<step id>': '2 ngày làm việc'}) or "
            "--set-budget STEP=LIMIT",
            route=route.id,
            steps=missing,
        )


def _plan_steps(
    route: Route, clock: _Clock, received: dt.datetime
) -> tuple[list[PlannedStep], float, dt.datetime]:
    """The planned steps, chained stage by stage; the path's length (working days) and end."""
    steps: list[PlannedStep] = []
    s = 0.0
    prev_end = clock.start  # when the previous stage's slowest step is due
    for si, stage in enumerate(route.stages):
        begin = clock.start if si == 0 else clock.resume(prev_end)
        end = s
        dues: list[dt.datetime] = []
        for ji, step in enumerate(stage.steps):
            start, due, e = _plan_step(clock, step, si, begin, s, received)
            end = max(end, e)
            if due is not None:
                dues.append(due)
            steps.append(
                PlannedStep(
                    key=step.id or f"{si + 1}.{ji + 1}",
                    stage=si,
                    index=ji,
                    agency=step.agency,
                    action=step.action,
                    budget=step.budget,
                    clock_stops=step.clock_stops,
                    planned_start=start,
                    planned_due=due,
                    start_offset=s,
                    end_offset=e,
                )
            )
        s = end
        if dues:
            prev_end = max(dues)
    path_due = prev_end if any(st.planned_due for st in steps) else clock.pos(s)
    return steps, s, path_due


def _plan_step(
    clock: _Clock,
    step: RouteStep,
    si: int,
    begin: dt.datetime,
    s: float,
    received: dt.datetime,
) -> tuple[dt.datetime, dt.datetime | None, float]:
    """One step's planned start, due moment (``None`` if it stops the clock) and end offset,
    for a stage that begins at ``begin`` (route offset ``s``)."""
    due: dt.datetime | None
    start = begin
    if step.clock_stops:
        e, due = s, None
    elif step.budget is not None and step.budget.unit is TimeUnit.SAME_DAY:
        due = clock.day_end(clock.resume(begin))
        e = max(s, clock.offset(due))
    elif step.budget is not None and step.budget.unit is TimeUnit.IMMEDIATELY:
        # "ngay": done when the dossier arrives, never before it arrives.
        start = clock.resume(begin)
        due = start
        e = max(s, clock.offset(due))
    elif _in_hours(step):
        # Civil Code 2015 Art. 147: a period in hours runs from the stated moment (the
        # receipt itself for the first stage: the 15:00 cut-off does not apply).
        start = clock.resume(received if si == 0 else begin)
        due = clock.add_hours(start, step)
        e = max(s, clock.offset(due))
    else:
        e = s + _budget(step, clock.per_day)
        due = clock.pos(e)
    return start, due, e


def _plan_due(
    route: Route,
    received: dt.datetime,
    path_due: dt.datetime,
    cal: WorkingCalendar,
    pol: DeadlinePolicy,
    *,
    extended: bool,
) -> tuple[TimeLimit | None, dt.datetime, bool]:
    """The limit in force, the dossier's due moment (the limit counted by
    :func:`~mot_cua.deadlines.compute_due`, or the path's end without a limit), and whether
    :func:`~mot_cua.deadlines.compute_due` already warned of a provisional year."""
    limit = route.limit.extended() if (route.limit is not None and extended) else route.limit
    if limit is None:
        return None, path_due, False
    # compute_due follows the calendar's on_provisional policy (no global filter change).
    deadline = compute_due(received, limit, calendar=cal, policy=pol)
    return limit, deadline.due_at, deadline.provisional


# -- tracking -------------------------------------------------------------------------------------


class HandOver(BaseModel):
    """One hand-over of the dossier (a row of the control sheet).

    >>> HandOver(from_agency="desk", to_agency="ubnd", at="2025-03-03T09:30:00+07:00").at.hour
    9
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_agency: Annotated[str, Field(min_length=1)]
    to_agency: Annotated[str, Field(min_length=1)]
    at: _Aware
    note: str | None = None


class StepState(StrEnum):
    """Where a step stands."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {"pending": "Chưa đến lượt", "running": "Đang xử lý", "done": "Đã chuyển"}[
            self.value
        ]


class StepProgress(BaseModel):
    """A step as tracked: planned, actual, live due moment and timeliness at hand-over.

    Args:
        live_due: the due moment counted from the actual start with the step's own budget,
            moved by the pauses that began while it ran (``None`` for a clock-stopping step or a
            step not started).
        timeliness: early / on time / late at hand-over (``None`` until it hands over).
        late_by_days: working time past ``live_due`` at hand-over, or now for a running step.
        behind: running and already past its live due moment (behind schedule now).
        critical: the step whose hand-over ended its stage (the slowest parallel step).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    stage: int
    agency: str
    action: StepAction
    budget: TimeLimit | None
    clock_stops: bool
    planned_start: _Aware
    planned_due: _Aware | None
    actual_start: _Aware | None
    actual_finish: _Aware | None
    live_due: _Aware | None
    state: StepState
    timeliness: Timeliness | None
    late_by_days: float = 0.0
    behind: bool = False
    critical: bool = False


class ControlSheetRow(BaseModel):
    """A row of the control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ).

    Who handed the dossier to whom, when, and how timely the closed step was.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_agency: str
    to_agency: str
    at: _Aware
    step: str | None
    timeliness: Timeliness | None
    note: str | None = None


class RouteTracking(BaseModel):
    """Every step's progress and, for a late or delayed dossier, who caused it.

    Args:
        due_at: the route's due moment, moved by every pause.
        late: the dossier finished after ``due_at``, or ``now`` is past it.
        late_steps: keys of the steps that consumed more than their budget, worst first.
        responsible_agency: the agency that owes the apology (the worst late step; the lead
            agency when the dossier is late but no step overran).
        apology_by: agencies of the late (or behind-now) steps, worst first.
        behind_now: keys of the running steps that are behind schedule at ``now``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    plan: RoutePlan
    steps: tuple[StepProgress, ...]
    handovers: tuple[HandOver, ...]
    pauses: tuple[Pause, ...]
    due_at: _Aware
    finished_at: _Aware | None
    now: _Aware | None
    late: bool
    late_steps: tuple[str, ...]
    responsible_agency: str | None
    apology_by: tuple[str, ...]
    behind_now: tuple[str, ...]

    def step(self, key: str) -> StepProgress:
        """The tracked step with this key.

        Raises:
            RouteError: no such step.
        """
        return _find_step(self.steps, key, self.route_id)

    def control_sheet(self) -> tuple[ControlSheetRow, ...]:
        """The hand-over log with the timeliness of the step each hand-over closed."""
        rows = []
        for h in self.handovers:
            closed = next(
                (s for s in self.steps if s.actual_finish == h.at and s.agency == h.from_agency),
                None,
            )
            rows.append(
                ControlSheetRow(
                    from_agency=h.from_agency,
                    to_agency=h.to_agency,
                    at=h.at,
                    step=closed.key if closed else None,
                    timeliness=closed.timeliness if closed else None,
                    note=h.note,
                )
            )
        return tuple(rows)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``mot-cua route track --json``."""

        def iso(v: dt.datetime | None) -> str | None:
            return None if v is None else v.isoformat()

        return {
            "route": self.route_id,
            "provisional": self.plan.provisional,
            "uncertain_days": _uncertain_json(self.plan.uncertain_days),
            "plan": self.plan.to_dict(),
            "due_at": self.due_at.isoformat(),
            "finished_at": iso(self.finished_at),
            "now": iso(self.now),
            "late": self.late,
            "late_steps": list(self.late_steps),
            "responsible_agency": self.responsible_agency,
            "apology_by": list(self.apology_by),
            "behind_now": list(self.behind_now),
            "steps": [
                {
                    "key": s.key,
                    "stage": s.stage + 1,
                    "agency": s.agency,
                    "action": s.action.value,
                    "budget": None if s.budget is None else str(s.budget),
                    "state": s.state.value,
                    "planned_start": iso(s.planned_start),
                    "planned_due": iso(s.planned_due),
                    "actual_start": iso(s.actual_start),
                    "actual_finish": iso(s.actual_finish),
                    "live_due": iso(s.live_due),
                    "timeliness": None if s.timeliness is None else s.timeliness.value,
                    "late_by_days": s.late_by_days,
                    "behind": s.behind,
                    "critical": s.critical,
                }
                for s in self.steps
            ],
            "control_sheet": [
                {
                    "from": r.from_agency,
                    "to": r.to_agency,
                    "at": r.at.isoformat(),
                    "step": r.step,
                    "timeliness": None if r.timeliness is None else r.timeliness.value,
                    "note": r.note,
                }
                for r in self.control_sheet()
            ],
        }


def _merge(pauses: Iterable[Pause]) -> list[Pause]:
    out: list[Pause] = []
    for p in sorted(pauses, key=lambda x: x.start):
        if out and p.start <= out[-1].end:
            last = out[-1]
            if p.end > last.end:
                out[-1] = Pause(start=last.start, end=p.end, label=f"{last.label}; {p.label}")
        else:
            out.append(p)
    return out


def track(
    route: Route,
    received_at: dt.datetime,
    handovers: Sequence[HandOver] = (),
    *,
    pauses: Sequence[Pause] = (),
    finished_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    extended: bool = False,
) -> RouteTracking:
    """Track a dossier along its route from the hand-overs recorded so far.

    Matching: the first stage starts at the receipt; a later step starts at the first unused
    hand-over *to* its agency at or after its stage could start (the earliest hand-over out of the
    previous stage), and finishes at the first unused hand-over *from* its agency after its start
    (or at ``finished_at``, the result's return, for the last stage).

    A step's live due moment counts its own budget from its actual start (same convention as
    :func:`plan`) and moves with the pauses that begin while it runs (supplement requests,
    payments, clock-stopping steps). A late step's overrun is the working time between its live
    due moment and its hand-over; the worst late step's agency owes the apology (mot_cua rules §7).

    Args:
        route: the route (every counted budget known).
        received_at: the receipt.
        handovers: the hand-overs so far, any order.
        pauses: intervals during which the clock stood still.
        finished_at: when the result was returned (ends the last stage), if it was.
        now: the current instant, for "behind schedule now" (a clock is passed in, never read).
        calendar: the working calendar.
        policy: the deadline policy.
        extended: use the limit's extension.

    Raises:
        RouteError: a budget is unknown; a hand-over names an agency outside the route, comes
            before the receipt or after ``now``, repeats another, or does not follow the stages
            (the message names its index in ``handovers``); ``now`` or ``finished_at`` is before
            the receipt.
    """
    _common(route, calendar, policy, extended)
    handovers = _items(handovers, HandOver, "handovers", "HandOver")
    pauses = _items(pauses, Pause, "pauses", "Pause")
    pol = policy if policy is not None else DeadlinePolicy()
    cal = _calendar(calendar, pol)
    the_plan = plan(route, received_at, calendar=cal, policy=pol, extended=extended)
    received = the_plan.received_at
    finish = None if finished_at is None else ensure_aware(finished_at, name="finished_at")
    current = None if now is None else ensure_aware(now, name="now")
    _check_instants(route, received, finish, current)
    clock = _Clock(cal, pol, received)
    actual, ordered = _match_handovers(route, handovers, received, current, finish)
    # A step still running is judged now, or at the return of the result if that came first.
    ref = min((t for t in (current, finish) if t is not None), default=None)
    merged = _merge(_with_clock_stops(route, pauses, actual, ref))
    progress = _progress(route, the_plan, actual, merged, clock, ref)
    _mark_critical(route, progress, received)
    route_due, warned = _route_due(route, the_plan, merged, cal, pol, extended=extended)
    ends = [route_due, *(p.live_due for p in progress if p.live_due is not None)]
    ends += [t for t in (finish, current) if t is not None]
    the_plan = _replan_flags(the_plan, cal, ends, warned=warned)
    late, late_steps, responsible, apology = _blame(route, progress, route_due, finish, current)
    return RouteTracking(
        route_id=route.id,
        plan=the_plan,
        steps=tuple(progress),
        handovers=ordered,
        pauses=tuple(merged),
        due_at=route_due,
        finished_at=finish,
        now=current,
        late=late,
        late_steps=late_steps,
        responsible_agency=responsible,
        apology_by=apology,
        behind_now=tuple(p.key for p in progress if p.behind),
    )


_Actual = dict[str, tuple[dt.datetime | None, dt.datetime | None]]


def _match_handovers(
    route: Route,
    handovers: Sequence[HandOver],
    received: dt.datetime,
    current: dt.datetime | None,
    finish: dt.datetime | None,
) -> tuple[_Actual, tuple[HandOver, ...]]:
    """Each step's actual (start, finish) by key, and the hand-overs in the order they happened.

    Checks the hand-overs first (:func:`_check_handovers`), then that every one was placed
    (:func:`_check_placed`). Equal instants are ordered by the route position of what they did.
    """
    # (caller's index, hand-over), in time order; ties keep the caller's order.
    hos = sorted(
        enumerate(_check_handovers(route, handovers, received, current)), key=lambda x: x[1].at
    )
    used_to: set[int] = set()
    used_from: set[int] = set()
    rank: dict[int, float] = {}  # route position of what a hand-over did: orders equal instants
    first_out: dt.datetime = received  # earliest hand-over out of the previous stage
    ready: dt.datetime | None = received  # when the previous stage's slowest step handed over
    actual: _Actual = {}
    open_steps: list[str] = []  # steps of the first unfinished stage that never handed over
    last_stage = len(route.stages) - 1
    for si, stage in enumerate(route.stages):
        stage_finishes: list[dt.datetime] = []
        for ji, step in enumerate(stage.steps):
            key = step.id or f"{si + 1}.{ji + 1}"
            start: dt.datetime | None = None
            if si == 0:
                start = received
            elif ready is not None:
                start = _claim_arrival(hos, used_to, rank, step, si, first_out, ready)
            end: dt.datetime | None = None
            if start is not None:
                end = _claim_departure(hos, used_from, rank, step, si, start)
                if end is None and si == last_stage and finish is not None:
                    end = finish
            if si == 0:
                _claim_desk_transfer(hos, used_to, rank, step, end)
            actual[key] = (start, end)
            if end is not None:
                stage_finishes.append(end)
            elif start is not None and not open_steps:
                open_steps.append(f"{key} ({step.agency})")
        if len(stage_finishes) == len(stage.steps):
            first_out, ready = min(stage_finishes), max(stage_finishes)
        else:
            ready = None
    _check_placed(route, hos, used_to | used_from, open_steps)
    ordered = tuple(h for _, h in sorted(hos, key=lambda x: (x[1].at, rank.get(x[0], 0))))
    return actual, ordered


def _claim_arrival(
    hos: Sequence[tuple[int, HandOver]],
    used_to: set[int],
    rank: dict[int, float],
    step: RouteStep,
    si: int,
    first_out: dt.datetime,
    ready: dt.datetime,
) -> dt.datetime | None:
    """A later-stage step's start: the unused hand-overs to its agency since ``first_out``."""
    incoming = [
        i for i, h in hos if i not in used_to and h.to_agency == step.agency and h.at >= first_out
    ]
    if not incoming:
        return None
    # The slowest parallel step decides: work starts when the last one arrives.
    start = max(_at(hos, incoming[0]), ready)
    for i in incoming:
        if _at(hos, i) <= start:
            used_to.add(i)
            rank.setdefault(i, si - 0.5)
    return start


def _claim_departure(
    hos: Sequence[tuple[int, HandOver]],
    used_from: set[int],
    rank: dict[int, float],
    step: RouteStep,
    si: int,
    start: dt.datetime,
) -> dt.datetime | None:
    """A step's finish: the first unused hand-over from its agency at or after ``start``."""
    for i, h in hos:
        if i not in used_from and h.from_agency == step.agency and h.at >= start:
            used_from.add(i)
            rank[i] = si
            return h.at
    return None


def _claim_desk_transfer(
    hos: Sequence[tuple[int, HandOver]],
    used_to: set[int],
    rank: dict[int, float],
    step: RouteStep,
    end: dt.datetime | None,
) -> None:
    """The desk's transfer to a first-stage agency (the clock already runs)."""
    for i, h in hos:
        if h.to_agency == step.agency and (end is None or h.at <= end):
            used_to.add(i)
            rank.setdefault(i, -1)


def _with_clock_stops(
    route: Route, pauses: Sequence[Pause], actual: _Actual, ref: dt.datetime | None
) -> list[Pause]:
    """The caller's pauses (in Vietnam time), plus the time of clock-stopping steps."""
    all_pauses = [
        p.model_copy(update={"start": p.start.astimezone(VN_TZ), "end": p.end.astimezone(VN_TZ)})
        for p in pauses
    ]
    for key, _, _, step in route.iter_steps():
        start, end = actual[key]
        if step.clock_stops and start is not None:
            stop = end or ref
            if stop is not None and stop > start:
                all_pauses.append(Pause(start=start, end=stop, label=f"{key}: {step.action.label}"))
    return all_pauses


_ONE_DAY = TimeLimit(value=1, unit=TimeUnit.WORKING_DAYS)


def _progress(
    route: Route,
    the_plan: RoutePlan,
    actual: _Actual,
    merged: Sequence[Pause],
    clock: _Clock,
    ref: dt.datetime | None,
) -> list[StepProgress]:
    """Every step's progress: live due moment, state, timeliness and overrun."""
    progress: list[StepProgress] = []
    for (key, si, _, step), planned in zip(route.iter_steps(), the_plan.steps, strict=True):
        start, end = actual[key]
        live = _live_due(clock, step, si, start, end, merged)
        state = (
            StepState.PENDING
            if start is None
            else (StepState.RUNNING if end is None else StepState.DONE)
        )
        verdict = None
        late_by = 0.0
        behind = False
        if live is not None and end is not None:
            verdict = timeliness(end, live)
            if verdict is Timeliness.LATE:
                late_by = clock.working_days(live, end)
        elif live is not None and ref is not None and ref > live:
            behind = True
            late_by = clock.working_days(live, ref)
        progress.append(
            StepProgress(
                key=key,
                stage=si,
                agency=step.agency,
                action=step.action,
                budget=step.budget,
                clock_stops=step.clock_stops,
                planned_start=planned.planned_start,
                planned_due=planned.planned_due,
                actual_start=start,
                actual_finish=end,
                live_due=live,
                state=state,
                timeliness=verdict,
                late_by_days=round(late_by, 4),
                behind=behind,
            )
        )
    return progress


def _live_due(
    clock: _Clock,
    step: RouteStep,
    si: int,
    start: dt.datetime | None,
    end: dt.datetime | None,
    merged: Sequence[Pause],
) -> dt.datetime | None:
    """A started step's due moment: its budget from its actual start, moved by the pauses that
    begin while it runs; ``None`` for a pending or clock-stopping step, or one without budget."""
    if start is None or step.clock_stops or step.budget is None:
        return None
    step_unit = _ONE_DAY
    if step.budget.unit is TimeUnit.SAME_DAY:
        live = clock.day_end(clock.resume(clock.start if si == 0 else start))
    elif _in_hours(step):
        live = clock.add_hours(clock.resume(start), step)
        step_unit = step.budget
    else:
        x0 = 0.0 if si == 0 else clock.offset(start)
        live = clock.pos(x0 + _budget(step, clock.per_day))
    eng = DeadlineEngine(clock.cal, clock.policy)
    for p in merged:
        if p.start >= start and (end is None or p.start < end):
            live = apply_pause(eng, step_unit, live, p)
    return live


def _mark_critical(route: Route, progress: list[StepProgress], received: dt.datetime) -> None:
    """Flag the critical (slowest) step of each finished parallel stage, in place."""
    for si in range(len(route.stages)):
        members = [p for p in progress if p.stage == si and p.actual_finish is not None]
        if members:
            slowest = max(members, key=lambda p: p.actual_finish or received)
            progress[progress.index(slowest)] = slowest.model_copy(update={"critical": True})


def _route_due(
    route: Route,
    the_plan: RoutePlan,
    merged: Sequence[Pause],
    cal: WorkingCalendar,
    pol: DeadlinePolicy,
    *,
    extended: bool,
) -> tuple[dt.datetime, bool]:
    """The route's live due moment (the limit, or the path, moved by the pauses), and whether a
    provisional-year warning was already given."""
    received = the_plan.received_at
    limit = route.limit.extended() if (route.limit is not None and extended) else route.limit
    if limit is not None:
        route_deadline = compute_due(
            received,
            limit,
            calendar=cal,
            policy=pol,
            pauses=[p for p in merged if p.start >= received],
        )
        return route_deadline.due_at, the_plan.provisional or route_deadline.provisional
    route_due = the_plan.path_due_at
    eng = DeadlineEngine(cal, pol)
    for p in merged:
        route_due = apply_pause(eng, _ONE_DAY, route_due, p)
    return route_due, the_plan.provisional


def _replan_flags(
    the_plan: RoutePlan, cal: WorkingCalendar, ends: list[dt.datetime], *, warned: bool
) -> RoutePlan:
    """The plan, flagged provisional / with the pending days that the tracking now reaches."""
    # stacklevel 5: the warning points at the caller of track().
    if _provisional(cal, ends, warned=warned, stacklevel=5) and not the_plan.provisional:
        the_plan = the_plan.model_copy(update={"provisional": True})
    received = the_plan.received_at
    spanned = _uncertain(cal, received, [*ends, the_plan.due_at, the_plan.path_due_at])
    if spanned != the_plan.uncertain_days:
        the_plan = the_plan.model_copy(update={"uncertain_days": spanned})
    return the_plan


def _blame(
    route: Route,
    progress: Sequence[StepProgress],
    route_due: dt.datetime,
    finish: dt.datetime | None,
    current: dt.datetime | None,
) -> tuple[bool, tuple[str, ...], str | None, tuple[str, ...]]:
    """Whether the dossier is late, the late steps (worst first), the responsible agency and
    those who owe the apology (mot_cua rules §7)."""
    late = (finish is not None and finish > route_due) or (
        finish is None and current is not None and current > route_due
    )
    # Worst first; equal overruns in route order (earlier stage, then earlier step).
    culprits = [
        p
        for _, p in sorted(
            ((n, p) for n, p in enumerate(progress) if p.timeliness is Timeliness.LATE or p.behind),
            key=lambda x: (-x[1].late_by_days, x[0]),
        )
    ]
    late_steps = tuple(p.key for p in culprits)
    apology = tuple(dict.fromkeys(p.agency for p in culprits))
    responsible = apology[0] if apology else None
    if late and responsible is None:
        responsible = route.lead_agency or route.desk
        apology = (responsible,) if responsible else ()
    return late, late_steps, responsible, apology


def _at(hos: Sequence[tuple[int, HandOver]], index: int) -> dt.datetime:
    return next(h.at for i, h in hos if i == index)


def _check_instants(
    route: Route, received: dt.datetime, finish: dt.datetime | None, now: dt.datetime | None
) -> None:
    for name, value in (("now", now), ("finished_at", finish)):
        if value is not None and value < received:
            raise RouteError(
                f"route {brief(route.id)}: {name}={value.isoformat()} is before the receipt at "
                f"{received.isoformat()}; no clock runs before the receipt: check the instants "
                "and their UTC offsets",
                route=route.id,
                field=name,
            )
    if finish is not None and now is not None and finish > now:
        raise RouteError(
            f"route {brief(route.id)}: finished_at={finish.isoformat()} is after now="
            f"{now.isoformat()}; a result cannot be returned in the future",
            route=route.id,
            field="finished_at",
        )


def _check_handovers(
    route: Route,
    handovers: Sequence[HandOver],
    received: dt.datetime,
    now: dt.datetime | None,
) -> list[HandOver]:
    """Hand-overs that name the route's agencies, after the receipt, not in the future, once.

    A route that names no desk leaves the receiving desk implicit: an agency outside the route
    may then hand the dossier to the first stage, or receive it from the last stage (the result
    goes back through the desk, mot_cua rules §7).
    """
    known = route.agencies
    first = {s.agency for s in route.stages[0].steps}
    last = {s.agency for s in route.stages[-1].steps}
    seen: dict[tuple[str, str, dt.datetime], int] = {}
    out: list[HandOver] = []
    for i, h in enumerate(handovers):
        if not isinstance(h, HandOver):
            raise RouteError(
                f"route {brief(route.id)}: handovers[{i}] must be a HandOver, not {brief(h)}",
                route=route.id,
                index=i,
            )
        where = f"route {brief(route.id)}: handovers[{i}] ({h.from_agency} → {h.to_agency} at "
        where += f"{h.at.isoformat()})"
        for side, code in (("from", h.from_agency), ("to", h.to_agency)):
            implicit_desk = route.desk is None and (
                (side == "from" and h.to_agency in first)
                or (side == "to" and h.from_agency in last)
            )
            if code not in known and not implicit_desk:
                raise RouteError(
                    f"{where}: the {side} agency {brief(code)} is not in the route (its agencies: "
                    f"{', '.join(known)}); correct the agency code, or add the agency's step "
                    "to the route",
                    route=route.id,
                    index=i,
                    agency=code,
                )
        if h.at < received:
            raise RouteError(
                f"{where}: before the receipt at {received.isoformat()}; correct its time (a "
                "dossier is handed over only after it is received)",
                route=route.id,
                index=i,
            )
        if now is not None and h.at > now:
            raise RouteError(
                f"{where}: after now ({now.isoformat()}); a hand-over cannot be recorded in "
                "the future: correct its time or now",
                route=route.id,
                index=i,
            )
        ident = (h.from_agency, h.to_agency, h.at)
        if ident in seen:
            raise RouteError(
                f"{where}: repeats handovers[{seen[ident]}]; remove the duplicate",
                route=route.id,
                index=i,
            )
        seen[ident] = i
        out.append(h.model_copy(update={"at": h.at.astimezone(VN_TZ)}))
    return out


def _check_placed(
    route: Route, hos: Sequence[tuple[int, HandOver]], placed: set[int], open_steps: list[str]
) -> None:
    """Every hand-over must start or end a step; the first one that does not is named."""
    for i, h in sorted(hos):
        if i in placed:
            continue
        why = (
            f"; the route is held up at {open_steps[0]}, which never handed over: record its "
            "hand-over"
            if open_steps
            else ""
        )
        raise RouteError(
            f"route {brief(route.id)}: handovers[{i}] ({h.from_agency} → {h.to_agency} at "
            f"{h.at.isoformat()}) is out of order: {brief(h.from_agency)} does not hold the "
            "dossier "
            f"at that moment under the route's stages{why}; check the hand-overs' order and "
            "times against the stages, or correct the agency codes",
            route=route.id,
            index=i,
        )


_PAUSE_STATUSES = {
    DossierStatus.AWAITING_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    DossierStatus.AWAITING_PAYMENT: "Thực hiện nghĩa vụ tài chính",
}


def handovers_from_history(
    dossier: Dossier,
) -> tuple[tuple[HandOver, ...], tuple[Pause, ...], dt.datetime | None]:
    """Hand-overs, pauses and the return instant recorded in a dossier's history.

    * ``transfer`` entries give hand-overs: to ``payload["to_agency"]``, from
      ``payload["from_agency"]`` or else the previous holder (first: the receiving unit).
    * An entry into ``awaiting_supplement`` or ``awaiting_payment`` starts a pause; the next entry
      leaving that status ends it (mot_cua rules §5: supplements and financial obligations stop the
      clock).
    * The first entry into ``returned`` is the return of the result.

    Raises:
        InvalidInputError: a ``transfer`` entry without ``payload["to_agency"]``.
    """
    _arg(dossier, Dossier, "dossier", "a Dossier")
    holder = dossier.receiving_unit
    handovers: list[HandOver] = []
    pauses: list[Pause] = []
    open_pause: tuple[dt.datetime, str, DossierStatus] | None = None
    returned: dt.datetime | None = None
    for i, entry in enumerate(dossier.history):
        if entry.event == "transfer":
            to = entry.payload.get("to_agency")
            if not isinstance(to, str) or not to:
                raise InvalidInputError(
                    f"dossier {brief(dossier.code)}: history[{i}] is a transfer without "
                    "payload['to_agency']; record the receiving agency's code",
                    field=f"history[{i}].payload.to_agency",
                )
            src = entry.payload.get("from_agency")
            source = src if isinstance(src, str) and src else holder
            handovers.append(
                HandOver(from_agency=source, to_agency=to, at=entry.at, note=entry.note)
            )
            holder = to
        if (
            open_pause is not None
            and entry.from_status is open_pause[2]
            and (entry.to_status is not open_pause[2])
        ):
            pauses.append(Pause(start=open_pause[0], end=entry.at, label=open_pause[1]))
            open_pause = None
        if entry.to_status in _PAUSE_STATUSES and open_pause is None:
            open_pause = (entry.at, _PAUSE_STATUSES[entry.to_status], entry.to_status)
        if entry.to_status is DossierStatus.RETURNED and returned is None:
            returned = entry.at
    return tuple(handovers), tuple(pauses), returned


def track_dossier(
    route: Route,
    dossier: Dossier,
    *,
    now: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    policy: DeadlinePolicy | None = None,
    extended: bool = False,
) -> RouteTracking:
    """:func:`track` from a dossier's history (see :func:`handovers_from_history`).

    A pause still open at ``now`` counts up to ``now``.

    Raises:
        RouteError: the dossier has not been received (no clock runs yet).
    """
    _common(route, calendar, policy, extended)
    _arg(dossier, Dossier, "dossier", "a Dossier")
    if dossier.received_at is None:
        raise RouteError(
            f"dossier {brief(dossier.code)} has not been received: an incomplete dossier starts no "
            "clock (mot_cua rules §3); track it once it is received",
            dossier=dossier.code,
        )
    handovers, pauses, returned = handovers_from_history(dossier)
    pause_list = list(pauses)
    current = None if now is None else ensure_aware(now, name="now")
    if current is not None and dossier.status in _PAUSE_STATUSES:
        started = next(
            (e.at for e in reversed(dossier.history) if e.to_status is dossier.status), None
        )
        if started is not None and started < current:
            pause_list.append(
                Pause(start=started, end=current, label=_PAUSE_STATUSES[dossier.status])
            )
    return track(
        route,
        dossier.received_at,
        handovers,
        pauses=pause_list,
        finished_at=returned,
        now=current,
        calendar=calendar,
        policy=policy,
        extended=extended,
    )
