"""The procedure catalogue: agencies and procedures loaded from TOML or JSON files, validated.

A catalogue is a file, or a folder of files, each a table with up to three sections::

    [[agencies]]      # mot_cua.models.Agency
    [[procedures]]    # mot_cua.models.Procedure
    [routes.<id>]     # raw inter-agency route data, validated by the routing module

:meth:`Catalog.load` validates everything and reports **all** problems at once, each with its
location (file, procedure id, field path), in one :class:`~mot_cua.errors.CatalogError`: invalid
fields, impossible time limits, duplicate ids, references to unknown agencies. Suspicious but
legal values (a very long limit, a procedure decided at another level than its lead agency, a unit
code unknown to the post-2025 list) raise one :class:`~mot_cua.errors.CatalogWarning`.

:meth:`Catalog.default` is the shipped sample: 14 real procedures, each number with its legal
source (package data ``mot_cua/data/catalog``; docs/catalogue.md).

>>> cat = Catalog.default()
>>> str(cat.get("doanh-nghiep.dang-ky-thanh-lap").time_limit)
'3 ngày làm việc'
>>> [p.id for p in cat.search("dang ky khai sinh")]
['ho-tich.dang-ky-khai-sinh', 'lien-thong.khai-sinh-thuong-tru-bhyt']
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from mot_cua import files
from mot_cua.errors import (
    CatalogError,
    CatalogWarning,
    InputFileError,
    InvalidInputError,
    MotCuaError,
    RouteError,
    UnknownAgencyError,
    UnknownProcedureError,
    brief,
    require,
)
from mot_cua.limits import TimeLimit, TimeUnit
from mot_cua.models import Agency, AuthorityLevel, Channel, Location, Procedure
from mot_cua.routing import Route, check_route, load_route, load_template, template_ids

__all__ = ["Catalog", "Problem", "check_location", "normalize_text"]

_WHAT = "catalogue file"
_SECTIONS = frozenset({"agencies", "procedures", "routes", "meta"})
_SUFFIXES = (".toml", ".json")

#: Limits above these values are legal but suspicious (a typo such as 300 for 30 is likelier than
#: a real procedure of that length); they raise a CatalogWarning, never an error.
_SUSPICIOUS = {
    TimeUnit.WORKING_DAYS: 90,
    TimeUnit.CALENDAR_DAYS: 120,
    TimeUnit.WORKING_HOURS: 480,
    TimeUnit.HOURS: 720,
    TimeUnit.MONTHS: 12,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One catalogue problem and where it is.

    Args:
        file: the file it was found in (``"<data>"`` for in-memory data).
        path: the field path inside the file, e.g. ``procedures[3].time_limit.value``.
        message: what is wrong and how to fix it.
        item: the id of the procedure or the code of the agency, when known.
    """

    file: str
    path: str
    message: str
    item: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}"
        if self.item:
            where += f" (id {brief(self.item)})"
        return f"{where}: {self.message}"


def _same_limit(a: TimeLimit, b: TimeLimit) -> bool:
    """Whether two limits count the same time (their sources may be worded differently)."""
    return (a.value, a.unit, a.extension) == (b.value, b.unit, b.extension)


def normalize_text(text: str) -> str:
    """Fold text for searching: lowercase, no diacritics, ``đ`` → ``d``, single spaces.

    Raises:
        InvalidInputError: ``text`` is not text.

    >>> normalize_text("  Đăng ký  KHAI SINH ")
    'dang ky khai sinh'
    """
    if not isinstance(text, str):
        raise InvalidInputError(
            f"normalize_text needs text, not {type(text).__name__} ({brief(text, 60)})",
            field="text",
        )
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def check_location(location: Location) -> list[str]:
    """Check unit codes against the post-1 July 2025 list (optional extra ``provinces``).

    Uses the ``vietnam-provinces`` package (34 provinces, 3,321 communes) when installed; returns
    no problem when it is not. Codes of units abolished on 1 July 2025 are reported too: keep them
    only for historical data.

    Returns:
        Problems in words (empty when the codes exist or the package is absent).

    Raises:
        InvalidInputError: ``location`` is not a :class:`~mot_cua.models.Location`.

    >>> check_location(Location(province_code="01", commune_code="00070"))
    []
    """
    if not isinstance(location, Location):
        raise InvalidInputError(
            f"check_location needs a Location, not {type(location).__name__}", field="location"
        )
    try:
        from vietnam_provinces import Province, Ward
    except ImportError:  # pragma: no cover - exercised when the extra is absent
        return []
    problems = []
    try:
        Province.from_code(int(location.province_code))  # type: ignore[arg-type]
    except ValueError:
        problems.append(
            f"province code {brief(location.province_code)} is not one of the 34 provinces in "
            "force "
            "from 1 July 2025"
        )
    if location.commune_code is not None:
        try:
            ward = Ward.from_code(int(location.commune_code))  # type: ignore[arg-type]
        except ValueError:
            problems.append(
                f"commune code {brief(location.commune_code)} is not one of the 3,321 communes in "
                "force from 1 July 2025"
            )
        else:
            if int(ward.province_code) != int(location.province_code):
                problems.append(
                    f"commune {location.commune_code} ({ward.name}) belongs to province "
                    f"{int(ward.province_code):02d}, not {location.province_code}"
                )
    return problems


class Catalog:
    """Validated agencies and procedures, with look-ups by id, national code, name and field.

    Build one with :meth:`load`, :meth:`from_data` or :meth:`default`; the constructor takes
    already validated models and checks the references between them.

    Args:
        agencies: the agencies.
        procedures: the procedures.
        routes: route data keyed by route id (mappings as in a catalogue file, or
            :class:`~mot_cua.routing.Route` objects; see :attr:`routes`).

    Raises:
        CatalogError: duplicate ids, references to unknown agencies or routes, or routes whose
            step budgets exceed the procedure's limit.
    """

    def __init__(
        self,
        agencies: Iterable[Agency] = (),
        procedures: Iterable[Procedure] = (),
        routes: Mapping[str, Mapping[str, Any] | Route] | None = None,
    ) -> None:
        loader = _Loader()
        for i, agency in enumerate(_items(agencies, Agency, "agencies")):
            loader.agencies.append((Problem("<data>", f"agencies[{i}]", "", agency.code), agency))
        for i, proc in enumerate(_items(procedures, Procedure, "procedures")):
            loader.procedures.append((Problem("<data>", f"procedures[{i}]", "", proc.id), proc))
        if routes is not None and not isinstance(routes, Mapping):
            raise CatalogError(
                f"routes must be a mapping of route id to route, not {type(routes).__name__}",
                problems=[],
            )
        for key, value in (routes or {}).items():
            if not isinstance(value, Route | Mapping):
                raise CatalogError(
                    f"routes[{brief(key)}] must be a Route or a mapping, not "
                    f"{type(value).__name__}",
                    problems=[],
                )
            loader.routes[key] = value.model_dump() if isinstance(value, Route) else dict(value)
            loader.route_origin[key] = "<data>"
        built = loader.finish()
        self._agencies: Mapping[str, Agency] = built._agencies
        self._procedures: Mapping[str, Procedure] = built._procedures
        self._routes: Mapping[str, Route] = built._routes
        self._national: Mapping[str, Procedure] = built._national
        self.warnings: tuple[str, ...] = built.warnings

    @classmethod
    def _build(
        cls,
        agencies: dict[str, Agency],
        procedures: dict[str, Procedure],
        routes: dict[str, Route],
        warnings_: list[str],
    ) -> Catalog:
        self = cls.__new__(cls)
        self._agencies = MappingProxyType(agencies)
        self._procedures = MappingProxyType(procedures)
        self._routes = MappingProxyType(routes)
        self._national = MappingProxyType(
            {p.national_code: p for p in procedures.values() if p.national_code}
        )
        self.warnings = tuple(warnings_)
        return self

    # -- loading --------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Catalog:
        """Load a catalogue file (``.toml`` or ``.json``) or a folder of them.

        Files of a folder are read in name order, recursively; their sections are merged. Every
        file is read through :mod:`mot_cua.files` (UTF-8 text, bounded size and nesting). A
        catalogue with no procedure at all (an empty file, the wrong file, a failed export) is
        refused: it is almost certainly a mistake.

        Args:
            path: a ``.toml`` or ``.json`` file, or a folder of them (``str`` or path-like).

        Returns:
            The validated catalogue.

        Raises:
            CatalogError: the path does not exist, a file cannot be read or parsed, the data is
                invalid, or there is no procedure; the message lists every problem with its
                location.

        >>> Catalog.load("no/such/folder")
        Traceback (most recent call last):
        ...
        mot_cua.errors.CatalogError: catalogue path 'no/such/folder' does not exist; ...
        """
        if not isinstance(path, str | os.PathLike):
            raise CatalogError(
                f"Catalog.load needs a path (str or pathlib.Path), not {type(path).__name__} "
                f"({brief(path)}); e.g. Catalog.load('catalog.toml')",
                path=brief(path, 200),
                problems=[],
            )
        if not str(path).strip():
            raise CatalogError(
                "Catalog.load needs a path, got an empty one; e.g. Catalog.load('catalog.toml')",
                path=str(path),
                problems=[],
            )
        root = Path(path)
        try:
            is_dir, is_file = root.is_dir(), root.is_file()
        except (OSError, ValueError) as exc:  # over-long path, NUL byte...
            raise CatalogError(
                f"catalogue path {str(root)[:80]!r}... cannot be used "
                f"({getattr(exc, 'strerror', None) or exc}); give a .toml or .json file or a "
                "folder",
                path=str(root)[:200],
                problems=[],
            ) from None
        if is_dir:
            files = sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and p.is_file())
            if not files:
                raise CatalogError(
                    f"catalogue folder {brief(str(root))} holds no .toml or .json file; give a "
                    "file "
                    "or a folder with one",
                    path=str(root),
                    problems=[],
                )
        elif is_file:
            files = [root]
        else:
            raise CatalogError(
                f"catalogue path {brief(str(root))} does not exist; give a .toml or .json file or "
                "a "
                "folder",
                path=str(root),
                problems=[],
            )
        loader = _Loader()
        for file in files:
            loader.read_file(file, name=str(file))
        return loader.finish(require_procedures=str(root))

    @classmethod
    def from_data(cls, data: Any, *, source: str = "<data>") -> Catalog:
        """Build a catalogue from already parsed data (one file's worth).

        Raises:
            CatalogError: the data is invalid; the message lists every problem.

        >>> Catalog.from_data({"agencies": [{"code": "a", "name": "A", "level": "province"}]})
        <Catalog: 1 agencies, 0 procedures, 0 routes>
        """
        require(source, str, "source", "a text naming where the data came from")
        loader = _Loader()
        loader.read_data(data, source)
        return loader.finish()

    @classmethod
    def default(cls) -> Catalog:
        """The shipped sample catalogue (package data ``mot_cua/data/catalog``), cached.

        >>> len(Catalog.default()) >= 12
        True
        """
        return _default_catalog()

    # -- look-ups -------------------------------------------------------------------------------

    @property
    def agencies(self) -> Mapping[str, Agency]:
        """Agencies by code (read-only)."""
        return self._agencies

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        """Procedures in load order."""
        return tuple(self._procedures.values())

    @property
    def routes(self) -> Mapping[str, Route]:
        """The catalogue's own inter-agency routes (its ``routes`` sections), validated.

        ``Procedure.route_id`` refers to these keys or to a shipped template
        (:func:`mot_cua.routing.template_ids`); :meth:`route` resolves both.
        """
        return self._routes

    def route(self, route_id: str) -> Route:
        """The route with this id: the catalogue's own, else a shipped template.

        Raises:
            RouteError: no route or template with that id.

        >>> Catalog.default().route("decree63-birth").lead_agency
        'ubnd-phuong-hoan-kiem'
        """
        route_id = _key(route_id, "route id", RouteError)
        found = self._routes.get(route_id)
        if found is not None:
            return found
        if route_id in template_ids():
            return load_template(route_id)
        raise RouteError(
            f"no route {brief(route_id)} in the catalogue or the shipped templates "
            f"({', '.join(template_ids())}); define it under [routes.{_toml_key(route_id)}]",
            route=route_id,
        )

    def get(self, procedure_id: str) -> Procedure:
        """The procedure with this id.

        Raises:
            UnknownProcedureError: no such id.
        """
        try:
            return self._procedures[_key(procedure_id, "procedure id", UnknownProcedureError)]
        except KeyError:
            raise UnknownProcedureError(
                f"no procedure {brief(procedure_id)} in the catalogue; list them with "
                "`mot-cua catalog list` or Catalog.search()",
                procedure_id=procedure_id,
            ) from None

    def by_national_code(self, code: str) -> Procedure:
        """The procedure with this national procedure code (mã TTHC).

        Raises:
            UnknownProcedureError: no procedure carries that code.
        """
        try:
            return self._national[_key(code, "national code", UnknownProcedureError).strip()]
        except KeyError:
            raise UnknownProcedureError(
                f"no procedure with national code {brief(code)} in the catalogue (national codes "
                "are "
                "only recorded when known)",
                national_code=code,
            ) from None

    def agency(self, code: str) -> Agency:
        """The agency with this code.

        Raises:
            UnknownAgencyError: no such code.
        """
        try:
            return self._agencies[_key(code, "agency code", UnknownAgencyError)]
        except KeyError:
            raise UnknownAgencyError(
                f"no agency {brief(code)} in the catalogue", agency_code=code
            ) from None

    def search(self, query: str = "", *, field: str | None = None) -> list[Procedure]:
        """Procedures whose name (or id) contains every word of ``query``, optionally in a field.

        Matching ignores case and Vietnamese diacritics (``đ`` matches ``d``).

        Args:
            query: words to find (empty: every procedure).
            field: part of the field (lĩnh vực) name, or ``None`` for every field.

        Returns:
            The matching procedures, in catalogue order.

        Raises:
            InvalidInputError: ``query`` or ``field`` is not text.

        >>> [p.id for p in Catalog.default().search("chứng thực", field="chung thuc")]
        ['chung-thuc.ban-sao-tu-ban-chinh', 'chung-thuc.chu-ky']
        """
        for name, value in (("query", query), ("field", field)):
            if not isinstance(value, str) and not (name == "field" and value is None):
                raise InvalidInputError(
                    f"Catalog.search: {name} must be text, not {type(value).__name__} "
                    f"({brief(value)}); e.g. search('khai sinh', field='Hộ tịch')",
                    field=name,
                    value=brief(value, 200),
                )
        words = normalize_text(query).split()
        wanted_field = normalize_text(field) if field else None
        found = []
        for proc in self._procedures.values():
            if wanted_field is not None and wanted_field not in normalize_text(proc.field):
                continue
            haystack = normalize_text(f"{proc.name} {proc.id.replace('-', ' ')}")
            if all(w in haystack for w in words):
                found.append(proc)
        return found

    def fields(self) -> list[str]:
        """The fields (lĩnh vực) present, sorted."""
        return sorted({p.field for p in self._procedures.values()})

    def __len__(self) -> int:
        return len(self._procedures)

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self._procedures.values())

    def __contains__(self, procedure_id: object) -> bool:
        return isinstance(procedure_id, str) and procedure_id in self._procedures

    def limit_for(
        self, procedure: str | Procedure, channel: Channel | str = Channel.IN_PERSON
    ) -> TimeLimit:
        """The one answer to "what is this procedure's limit" (used by replay, plan, the API).

        The procedure's own limit for the channel (:meth:`Procedure.limit_for`: its channel
        variant, else its base limit), else the total limit of its inter-agency route
        (``route_id``, a route of this catalogue or a shipped template).

        Args:
            procedure: a procedure id of this catalogue, or a :class:`Procedure`.
            channel: the channel the dossier came through.

        Returns:
            The sourced limit.

        Raises:
            UnknownProcedureError: no procedure with that id.
            InvalidInputError: ``channel`` is not a channel.
            CatalogError: neither the procedure nor its route has a sourced limit.

        >>> str(Catalog.default().limit_for("lien-thong.khai-sinh-thuong-tru-bhyt", "online"))
        '3 ngày làm việc'
        """
        proc = procedure if isinstance(procedure, Procedure) else self.get(procedure)
        own = proc.limit_for(channel)
        if own is not None:
            return own
        if proc.route_id is not None:
            try:
                route_limit = self.route(proc.route_id).limit
            except RouteError:
                route_limit = None
            if route_limit is not None:
                return route_limit
        raise CatalogError(
            f"procedure {brief(proc.id)} has no sourced time limit"
            + (f" and its route {brief(proc.route_id)} none either" if proc.route_id else "")
            + "; give the limit explicitly (the procedure's notes say why it is missing)",
            procedure_id=proc.id,
            problems=[],
        )

    def __repr__(self) -> str:
        return (
            f"<Catalog: {len(self._agencies)} agencies, {len(self._procedures)} procedures, "
            f"{len(self._routes)} routes>"
        )


def _key(value: object, what: str, error: type[MotCuaError]) -> str:
    """A look-up key, which must be text (else ``error`` says so)."""
    if not isinstance(value, str):
        raise error(
            f"a {what} must be text, not {type(value).__name__} ({brief(value)})",
            value=brief(value, 200),
        )
    return value


def _items(items: object, model: type[Any], what: str) -> list[Any]:
    """The constructor's ``agencies`` / ``procedures``: an iterable of validated models."""
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise CatalogError(
            f"{what} must be an iterable of {model.__name__}, not {type(items).__name__}",
            problems=[],
        )
    found = list(items)
    for i, item in enumerate(found):
        if not isinstance(item, model):
            raise CatalogError(
                f"{what}[{i}] must be a {model.__name__} (validate data with "
                f"Catalog.from_data), not {type(item).__name__}",
                problems=[],
            )
    return found


@functools.cache
def _default_catalog() -> Catalog:
    loader = _Loader()
    folder = resources.files("mot_cua").joinpath("data", "catalog")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(_SUFFIXES):
            loader.read_bytes(entry.read_bytes(), name=f"mot_cua/data/catalog/{entry.name}")
    return loader.finish()


class _Loader:
    """Collects items and problems from one or more files, then checks references."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.suspicious: list[Problem] = []
        self.agencies: list[tuple[Problem, Agency]] = []
        self.procedures: list[tuple[Problem, Procedure]] = []
        self.routes: dict[str, dict[str, Any]] = {}
        self.route_origin: dict[str, str] = {}

    # reading ---------------------------------------------------------------------------------

    def read_file(self, path: Path, *, name: str) -> None:
        try:
            raw = files.read_bytes(path, what=_WHAT)
        except InputFileError as exc:
            self._file_problem(name, exc)
            return
        self.read_bytes(raw, name=name)

    def read_bytes(self, raw: bytes, *, name: str) -> None:
        """Decode and parse one file through :mod:`mot_cua.files` (every problem recorded)."""
        try:
            text = files.decode_text(raw, what=_WHAT, source=name)
            if name.endswith(".json"):
                data: Any = files.parse_json(text, what=_WHAT, source=name)
            else:
                data = files.parse_toml(text, what=_WHAT, source=name)
        except InputFileError as exc:
            self._file_problem(name, exc)
            return
        self.read_data(data, name)

    def _file_problem(self, name: str, exc: InputFileError) -> None:
        message = str(exc)
        prefix = f"{_WHAT} {name}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
        self.problems.append(Problem(name, "(file)", message))

    def read_data(self, data: Any, name: str) -> None:
        if not isinstance(data, Mapping):
            self.problems.append(
                Problem(
                    name,
                    "(root)",
                    f"expected a table with 'agencies', 'procedures' and/or 'routes', "
                    f"got {type(data).__name__}",
                )
            )
            return
        for key in data:
            if key not in _SECTIONS:
                self.problems.append(
                    Problem(
                        name,
                        str(key),
                        "unknown section; a catalogue file holds 'agencies', 'procedures', "
                        "'routes' (and optional 'meta')",
                    )
                )
        self._read_list(data.get("agencies", []), name, "agencies", Agency, self.agencies)
        self._read_list(data.get("procedures", []), name, "procedures", Procedure, self.procedures)
        routes = data.get("routes", {})
        if not isinstance(routes, Mapping):
            self.problems.append(
                Problem(
                    name,
                    "routes",
                    f"expected a table keyed by route id, got {type(routes).__name__}",
                )
            )
            return
        for key, value in routes.items():
            if not isinstance(value, Mapping):
                self.problems.append(
                    Problem(name, f"routes.{key}", "a route must be a table", str(key))
                )
            elif key in self.routes:
                self.problems.append(
                    Problem(
                        name,
                        f"routes.{key}",
                        f"duplicate route id, first defined in {self.route_origin[key]}",
                        str(key),
                    )
                )
            else:
                self.routes[str(key)] = dict(value)
                self.route_origin[str(key)] = name

    def _read_list(
        self,
        items: Any,
        name: str,
        section: str,
        model: type[Agency] | type[Procedure],
        into: list[Any],
    ) -> None:
        if not isinstance(items, list):
            self.problems.append(
                Problem(name, section, f"expected a list of tables, got {type(items).__name__}")
            )
            return
        key = "code" if model is Agency else "id"
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, Mapping):
                self.problems.append(
                    Problem(name, where, f"expected a table, got {type(item).__name__}")
                )
                continue
            ident = item.get(key)
            ident = ident if isinstance(ident, str) else None
            try:
                obj = model.model_validate(item)
            except ValidationError as exc:
                for err in exc.errors():
                    path = ".".join(str(p) for p in err.get("loc", ()))
                    self.problems.append(
                        Problem(
                            name,
                            f"{where}.{path}" if path else where,
                            str(err.get("msg", "invalid value")),
                            ident,
                        )
                    )
                continue
            into.append((Problem(name, where, "", ident), obj))

    # checking --------------------------------------------------------------------------------

    def finish(self, *, require_procedures: str | None = None) -> Catalog:
        """Check references and build the catalogue (``require_procedures``: the path loaded,
        whose catalogue must hold at least one procedure)."""
        agencies: dict[str, Agency] = {}
        origin: dict[str, Problem] = {}
        for at, agency in self.agencies:
            if agency.code in agencies:
                first = origin[agency.code]
                self._error(
                    at, f"duplicate agency code, first defined at {first.file}: {first.path}"
                )
            else:
                agencies[agency.code] = agency
                origin[agency.code] = at
        for at, agency in self.agencies:
            if agency.parent is not None and agency.parent not in agencies:
                self._error(
                    at,
                    f"unknown agency {brief(agency.parent)}; define it under [[agencies]] or fix "
                    "the code",
                    ".parent",
                )
            if agency.location is not None:
                for msg in check_location(agency.location):
                    self._warn(at, msg, ".location")
        procedures: dict[str, Procedure] = {}
        p_origin: dict[str, Problem] = {}
        national: dict[str, Problem] = {}
        for at, proc in self.procedures:
            if proc.id in procedures:
                first = p_origin[proc.id]
                self._error(
                    at,
                    f"duplicate procedure id, first defined at {first.file}: {first.path}",
                    ".id",
                )
                continue
            procedures[proc.id] = proc
            p_origin[proc.id] = at
            if proc.national_code:
                if proc.national_code in national:
                    first = national[proc.national_code]
                    self._error(
                        at,
                        f"national code {brief(proc.national_code)} also used by procedure "
                        f"{brief(first.item)} ({first.file}: {first.path})",
                        ".national_code",
                    )
                else:
                    national[proc.national_code] = at
            self._check_procedure(at, proc, agencies)
        routes = self._check_routes(procedures, p_origin, agencies)
        if require_procedures is not None and not procedures and not self.problems:
            self.problems.append(
                Problem(
                    require_procedures,
                    "procedures",
                    "the catalogue has no procedure (an empty file, the wrong file or a failed "
                    "export?); add [[procedures]] tables, or check the path",
                )
            )
        if self.problems:
            lines = [str(p) for p in self.problems]
            raise CatalogError(
                f"the catalogue has {len(lines)} problem(s): "
                + "; ".join(_one_line(line) for line in lines),
                problems=lines,
            )
        found = [str(p) for p in self.suspicious]
        if found:
            warnings.warn(
                f"the catalogue has {len(found)} suspicious value(s):\n  " + "\n  ".join(found),
                CatalogWarning,
                stacklevel=3,
            )
        return Catalog._build(agencies, procedures, routes, found)

    def _check_routes(
        self,
        procedures: Mapping[str, Procedure],
        p_origin: Mapping[str, Problem],
        agencies: Mapping[str, Agency],
    ) -> dict[str, Route]:
        """Validate the catalogue's routes and every procedure's ``route_id`` (mot_cua rules §7).

        A ``route_id`` names a route of the catalogue or a shipped template
        (:func:`mot_cua.routing.template_ids`). Each referenced route must name known agencies and
        its step budgets must fit the procedure's limit (errors); slack is a suspicious value.
        """
        routes: dict[str, Route] = {}
        for key, raw in self.routes.items():
            at = Problem(self.route_origin[key], f"routes.{key}", "", key)
            try:
                routes[key] = load_route(raw, route_id=key)
            except MotCuaError as exc:
                self._error(at, str(exc))
        checked: set[str] = set()
        for proc_id, proc in procedures.items():
            if proc.route_id is None:
                continue
            at = p_origin[proc_id]
            route = routes.get(proc.route_id)
            if route is None and proc.route_id in template_ids():
                route = load_template(proc.route_id)
            if route is None:
                if proc.route_id not in self.routes:  # a malformed route is reported already
                    self._error(
                        at,
                        f"unknown route {brief(proc.route_id)}; define it under [routes."
                        f"{proc.route_id}] or use a shipped template "
                        f"({', '.join(template_ids())})",
                        ".route_id",
                    )
                continue
            if proc.time_limit is not None:
                if route.limit is not None and not _same_limit(route.limit, proc.time_limit):
                    self._warn(
                        at,
                        f"route {brief(route.id)} has the limit {route.limit} but the procedure "
                        f"{proc.time_limit}; the procedure's limit is checked",
                        ".route_id",
                    )
                route = route.model_copy(update={"limit": proc.time_limit})
            self._check_one_route(at, route, agencies, ".route_id")
            checked.add(route.id)
        for key, route in routes.items():
            if key not in checked:
                at = Problem(self.route_origin[key], f"routes.{key}", "", key)
                self._check_one_route(at, route, agencies, "")
        return routes

    def _check_one_route(
        self, at: Problem, route: Route, agencies: Mapping[str, Agency], suffix: str
    ) -> None:
        try:
            result = check_route(route, agencies, warn=False)
        except MotCuaError as exc:
            self._error(at, str(exc), suffix)
            return
        if result.slack_days:
            self._warn(
                at,
                f"route {brief(route.id)}: the step budgets leave {result.slack_days:g} working "
                f"day(s) of the limit unassigned",
                suffix,
            )

    def _check_procedure(
        self, at: Problem, proc: Procedure, agencies: Mapping[str, Agency]
    ) -> None:
        refs = [(".lead_agency", proc.lead_agency)]
        refs += [
            (f".coordinating_agencies[{i}]", c) for i, c in enumerate(proc.coordinating_agencies)
        ]
        refs += [(f".steps[{i}].agency", s.agency) for i, s in enumerate(proc.steps) if s.agency]
        for path, code in refs:
            if code not in agencies:
                self._error(
                    at,
                    f"unknown agency {brief(code)}; define it under [[agencies]] or fix the code",
                    path,
                )
        lead = agencies.get(proc.lead_agency)
        if lead is not None and lead.level is not proc.level:
            self._warn(
                at,
                f"procedure decided at level {brief(proc.level.value)} but its lead agency "
                f"{brief(lead.code)} is at level {brief(lead.level.value)}",
                ".level",
            )
        if proc.level is AuthorityLevel.DISTRICT:
            self._warn(
                at,
                "the district level was abolished on 1 July 2025 (Decree 118/2025/NĐ-CP); keep "
                "it only for historical data",
                ".level",
            )
        limits = [(".time_limit", proc.time_limit)]
        limits += [
            (f".time_limit_variants[{i}].time_limit", v.time_limit)
            for i, v in enumerate(proc.time_limit_variants)
        ]
        for path, limit in limits:
            if limit is None:
                continue
            ceiling = _SUSPICIOUS.get(limit.unit)
            if ceiling is not None and limit.extended().value > ceiling:
                self._warn(
                    at,
                    f"time limit {limit} is unusually long (more than {ceiling} "
                    f"{limit.unit.value}); check the source",
                    path,
                )

    def _error(self, at: Problem, message: str, suffix: str = "") -> None:
        self.problems.append(Problem(at.file, at.path + suffix, message, at.item))

    def _warn(self, at: Problem, message: str, suffix: str = "") -> None:
        self.suspicious.append(Problem(at.file, at.path + suffix, message, at.item))


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, for a one-line message."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _toml_key(key: str) -> str:
    """``key`` as written in a TOML table header: bare when it can be, else quoted."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return json.dumps(key)
