"""The stateful endpoints of ``mot-cua serve --store URL``: dossiers kept in a :mod:`mot_cua.store`.

* ``POST /v1/dossiers``: create a dossier, optionally with its first events (``receive``).
* ``POST /v1/dossiers/{code}/events``: append one event; ``If-Match: "<version>"`` answers 412
  when another writer got there first, an illegal transition answers 409 with the lifecycle's
  message; ``Idempotency-Key`` makes a retry safe.
* ``GET /v1/dossiers/{code}`` (with ``ETag``), ``GET /v1/dossiers/{code}/events``.
* ``GET /v1/dossiers?status=&agency=&overdue_at=&due_within=&...``: indexed queries, paged.
* ``GET /v1/worklists/apologies?date=``: the apology-and-extension worklist.

Every request needs ``Authorization: Bearer <secret>`` (``mot-cua token create``): 401 without a
valid token, 403 outside its scope; the recorded actor is the token's name, never body text.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' annotations at
# definition time, and they refer to the router's local dependency.
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from starlette.responses import Response

from mot_cua.contract import error_object
from mot_cua.errors import (
    AccessDeniedError,
    BusinessRuleError,
    ConcurrencyError,
    InvalidInputError,
    MotCuaError,
    StoreError,
    TransitionRejected,
    UnknownDossierError,
    brief,
)
from mot_cua.server._problems import PROBLEM_MEDIA_TYPE, problem
from mot_cua.server._settings import ServerSettings
from mot_cua.server._v1 import JSONBody
from mot_cua.store import AppendResult, DossierState, EventInput, Principal, Store, StoredEvent

__all__ = ["DossierCreate", "EventBody", "routers", "store_router"]

_PROBLEM = {"content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"description": "no valid bearer token", **_PROBLEM},
    403: {"description": "the token's role or agency does not allow it", **_PROBLEM},
    422: {"description": "invalid input (the error names the field)", **_PROBLEM},
    503: {"description": "the store is unavailable", **_PROBLEM},
}
_FOUND: dict[int | str, dict[str, Any]] = {
    **_AUTH,
    404: {"description": "no such dossier", **_PROBLEM},
}


class EventBody(BaseModel):
    """One lifecycle event. Payload keys (``reason``, ``missing``, ...) as in ``Lifecycle.send``.

    ``at`` defaults to the moment the store commits the event. There is no ``actor``: the actor
    is the authenticated token.
    """

    model_config = ConfigDict(extra="allow")

    event: str = Field(examples=["receive"])
    at: dt.datetime | None = Field(default=None, examples=["2025-03-03T09:00:00+07:00"])
    reason: str | None = None
    missing: list[str] | None = None
    outcome: str | None = None
    new_due_at: str | None = None
    to_agency: str | None = None
    to_level: str | None = None
    note: str | None = None

    def to_input(self, key: str | None = None) -> EventInput:
        """The store's input for this event (``actor`` refused: it is the principal)."""
        data = self.model_dump(exclude_none=True)
        data.pop("event")
        at = data.pop("at", None)
        if "actor" in data:
            raise InvalidInputError(
                "the body may not name the actor: the recorded actor is the authenticated "
                "token; remove 'actor'",
                field="actor",
            )
        if at is not None and at.tzinfo is None:
            raise InvalidInputError(
                f"at={at.isoformat()} has no UTC offset; write e.g. {at.isoformat()}+07:00",
                field="at",
            )
        return EventInput(self.event, at, "api", data, key)


class DossierCreate(BaseModel):
    """A new dossier, optionally with its first events (e.g. ``receive``)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(examples=["H29-250303-0001"])
    time_limit: str | None = Field(default=None, examples=["10 ngày làm việc"])
    procedure_id: str | None = None
    channel: str | None = Field(default=None, examples=["in_person"])
    field: str | None = None
    receiving_unit: str | None = None
    agency: str | None = None
    events: list[EventBody] = Field(default_factory=list)


class DossierView(BaseModel):
    """A dossier's current state (``DossierState``) with the events allowed now."""

    model_config = ConfigDict(extra="allow")

    code: str
    version: int
    status: str
    allowed_events: list[str]


class DossierEnvelope(BaseModel):
    """A dossier and the events a write stored (``duplicate``: a retried idempotency key)."""

    dossier: DossierView
    events: list[dict[str, JsonValue]]
    duplicate: bool = False


class DossierPage(BaseModel):
    """A page of dossiers; ``next`` is the ``after`` of the next page (``null``: last page)."""

    dossiers: list[DossierView]
    next: str | None = None


class ApologyWorklist(BaseModel):
    """Dossiers whose apology-and-extension form is due by ``date`` (most urgent first)."""

    date: dt.date
    dossiers: list[DossierView]


def _status(exc: MotCuaError, *, writing_events: bool = False) -> int:
    if isinstance(exc, AccessDeniedError):
        return int(exc.details.get("status", 403))
    if isinstance(exc, ConcurrencyError):
        return 412 if writing_events else 409
    if isinstance(exc, UnknownDossierError):
        return 404
    if isinstance(exc, TransitionRejected | BusinessRuleError):
        return 409
    if isinstance(exc, StoreError):
        return 503
    return 422


def _problem(request: Request, exc: MotCuaError, *, writing_events: bool = False) -> Response:
    status = _status(exc, writing_events=writing_events)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="mot_cua"'
    current = exc.details.get("current_version")
    if status == 412 and current is not None:
        headers["ETag"] = f'"{current}"'
    body = error_object(exc)["error"]
    for key in ("dossier", "current_version", "expected_version"):
        if exc.details.get(key) is not None:
            body[key] = exc.details[key]
    return problem(status, body, instance=request.url.path, headers=headers)


def _view(state: DossierState) -> dict[str, Any]:
    return state.to_json_dict()


def _events(events: tuple[StoredEvent, ...] | list[StoredEvent]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in events]


def _written(result: AppendResult, *, created: bool, location: str) -> Response:
    body = {
        "dossier": _view(result.state),
        "events": _events(result.events),
        "duplicate": result.duplicate,
    }
    status = 200 if result.duplicate else (201 if created else 200)
    headers = {"ETag": result.state.etag, "Location": location}
    return JSONBody(body, status_code=status, headers=headers)


def _if_match(value: str | None) -> int | None:
    """The version an ``If-Match`` header names (``"3"``, ``3``, ``W/"3"``); ``*``: any."""
    if value is None or value.strip() == "*":
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInputError(
            f'If-Match {brief(value)} is not a dossier version; send the ETag you read, e.g. "3"',
            field="If-Match",
        )
    return int(text)


def _bearer(store: Store, authorization: str | None) -> Principal:
    if authorization is None or not authorization.lower().startswith("bearer "):
        raise AccessDeniedError(
            "this endpoint needs Authorization: Bearer <secret>; ask the operator for a "
            "token (mot-cua token create)",
            status=401,
        )
    return store.authenticate(authorization.split(None, 1)[1].strip())


def _naive(**instants: dt.datetime | None) -> None:
    for name, value in instants.items():
        if value is not None and value.tzinfo is None:
            raise InvalidInputError(
                f"{name}={value.isoformat()} has no UTC offset; add one, e.g. +07:00", field=name
            )


def store_router(store: Store) -> APIRouter:
    """The store's endpoints on ``store`` (include them in :func:`mot_cua.server.create_app`).

    Args:
        store: an initialised store.

    Returns:
        The router.

    Example:
        >>> from mot_cua.server import create_app
        >>> s = Store("sqlite://"); _ = s.init()
        >>> app = create_app(routers=[store_router(s)])
        >>> "/v1/dossiers/{code}/events" in app.openapi()["paths"]
        True
    """
    router = APIRouter(prefix="/v1", tags=["store"])

    def authenticated(request: Request) -> Principal | Response:
        try:
            return _bearer(store, request.headers.get("authorization"))
        except MotCuaError as exc:
            return _problem(request, exc)

    caller_type = Annotated[Principal | Response, Depends(authenticated)]
    _write_routes(router, store, caller_type)
    _read_routes(router, store, caller_type)
    return router


def _write_routes(router: APIRouter, store: Store, Caller: Any) -> None:  # noqa: N803
    @router.post(
        "/dossiers",
        summary="Create a dossier (optionally received at once)",
        status_code=201,
        response_model=DossierEnvelope,
        responses={
            **_AUTH,
            409: {"description": "the code exists, or an illegal first event", **_PROBLEM},
        },
    )
    def create_dossier(
        body: DossierCreate,
        request: Request,
        caller: Caller,
        idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    ) -> Response:
        if isinstance(caller, Response):
            return caller
        try:
            result = store.create(
                body.code,
                time_limit=body.time_limit,
                procedure_id=body.procedure_id,
                channel=body.channel,
                field=body.field,
                receiving_unit=body.receiving_unit,
                agency=body.agency,
                events=[e.to_input() for e in body.events],
                idempotency_key=idempotency_key,
                principal=caller,
            )
        except MotCuaError as exc:
            return _problem(request, exc)
        return _written(result, created=True, location=f"/v1/dossiers/{result.state.code}")

    @router.post(
        "/dossiers/{code}/events",
        summary="Append one event (If-Match: the version you read)",
        status_code=201,
        response_model=DossierEnvelope,
        responses={
            **_FOUND,
            409: {"description": "the lifecycle refuses the event (its message)", **_PROBLEM},
            412: {"description": "If-Match is stale: another writer appended first", **_PROBLEM},
        },
    )
    def append_event(
        body: EventBody,
        request: Request,
        caller: Caller,
        code: Annotated[str, Path(max_length=64)],
        if_match: Annotated[str | None, Header()] = None,
        idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    ) -> Response:
        if isinstance(caller, Response):
            return caller
        try:
            result = store.append_many(
                code,
                [body.to_input(idempotency_key)],
                expected_version=_if_match(if_match),
                principal=caller,
            )
        except MotCuaError as exc:
            return _problem(request, exc, writing_events=True)
        return _written(result, created=True, location=f"/v1/dossiers/{code}")


def _read_routes(router: APIRouter, store: Store, Caller: Any) -> None:  # noqa: N803
    @router.get(
        "/dossiers/{code}",
        summary="A dossier's current state (ETag: its version)",
        response_model=DossierView,
        responses={**_FOUND, 304: {"description": "If-None-Match is current"}},
    )
    def get_dossier(
        request: Request,
        caller: Caller,
        code: Annotated[str, Path(max_length=64)],
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        if isinstance(caller, Response):
            return caller
        try:
            state = store.get(code, principal=caller)
        except MotCuaError as exc:
            return _problem(request, exc)
        if if_none_match is not None and if_none_match.strip() in (state.etag, "*"):
            return Response(status_code=304, headers={"ETag": state.etag})
        return JSONBody(_view(state), headers={"ETag": state.etag})

    @router.get(
        "/dossiers/{code}/events", summary="A dossier's history, oldest first", responses=_FOUND
    )
    def get_history(
        request: Request, caller: Caller, code: Annotated[str, Path(max_length=64)]
    ) -> Response:
        if isinstance(caller, Response):
            return caller
        try:
            events = store.history(code, principal=caller)
        except MotCuaError as exc:
            return _problem(request, exc)
        return JSONBody({"code": code, "events": _events(events)})

    _list_routes(router, store, Caller)


def _list_routes(router: APIRouter, store: Store, Caller: Any) -> None:  # noqa: N803
    @router.get(
        "/dossiers",
        summary="Dossiers by status, agency, receipt, overdue, due within N working days",
        response_model=DossierPage,
        responses=_AUTH,
    )
    def list_dossiers(
        request: Request,
        caller: Caller,
        status: Annotated[list[str] | None, Query(description="one or more statuses")] = None,
        agency: Annotated[str | None, Query(max_length=128)] = None,
        received_from: dt.datetime | None = None,
        received_to: dt.datetime | None = None,
        overdue_at: dt.datetime | None = None,
        due_within: Annotated[int | None, Query(ge=0, le=366)] = None,
        at: Annotated[dt.datetime | None, Query(description="'now' for due_within")] = None,
        finding: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        after: Annotated[str | None, Query(max_length=64)] = None,
    ) -> Response:
        if isinstance(caller, Response):
            return caller
        try:
            _naive(
                received_from=received_from, received_to=received_to, overdue_at=overdue_at, at=at
            )
            found = store.find(
                status=status,
                agency=agency,
                received_from=received_from,
                received_to=received_to,
                overdue_at=overdue_at,
                due_within=due_within,
                at=at,
                finding=finding,
                visible_to=caller,
                limit=limit + 1,
                after=after,
            )
        except MotCuaError as exc:
            return _problem(request, exc)
        page = found[:limit]
        more = page[-1].code if len(found) > limit else None
        return JSONBody({"dossiers": [_view(s) for s in page], "next": more})

    @router.get(
        "/worklists/apologies",
        summary="The apology-and-extension worklist for a date",
        response_model=ApologyWorklist,
        responses=_AUTH,
    )
    def apologies(
        request: Request,
        caller: Caller,
        date: Annotated[dt.date, Query(description="the worklist's day, YYYY-MM-DD")],
        agency: Annotated[str | None, Query(max_length=128)] = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> Response:
        if isinstance(caller, Response):
            return caller
        try:
            found = store.apologies_owed(date, agency=agency, visible_to=caller, limit=limit)
        except MotCuaError as exc:
            return _problem(request, exc)
        return JSONBody({"date": date.isoformat(), "dossiers": [_view(s) for s in found]})


def routers(settings: ServerSettings) -> list[APIRouter] | None:
    """The store's routers when the service runs with ``--store URL`` (else none).

    Raises:
        StoreError: the store cannot be opened or is not initialised.
    """
    if settings.store_url is None:
        return None
    store = Store(settings.store_url)
    store.check()
    return [store_router(store)]
