"""``mot-cua token create|list|revoke URL``: bearer tokens of the store's HTTP service.

``create`` prints the secret once; the store keeps only its SHA-256 (docs/store.md, "Tokens").
"""

from __future__ import annotations

import argparse
from typing import Any

from mot_cua.cli._output import print_json
from mot_cua.errors import brief

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``token`` sub-command and its actions."""
    p = sub.add_parser(
        "token",
        help="bearer tokens for the store's HTTP service: create, list, revoke",
        description="Bearer tokens for `mot-cua serve --store URL` (docs/store.md). Roles: desk, "
        "agency (needs --agency), auditor (read-only), admin.",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))

    create = actions.add_parser("create", help="create a token and print its secret once")
    create.add_argument("url", metavar="URL")
    create.add_argument("--name", required=True, help="a unique name (recorded as the actor)")
    create.add_argument(
        "--role", required=True, choices=("desk", "agency", "auditor", "admin"), help="its role"
    )
    create.add_argument("--agency", default=None, metavar="CODE", help="limit it to an agency")
    create.add_argument("--json", action="store_true", help="print one JSON object")
    create.set_defaults(func=_create)

    listing = actions.add_parser("list", help="list tokens (never their secrets)")
    listing.add_argument("url", metavar="URL")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(func=_list)

    revoke = actions.add_parser("revoke", help="revoke a token by name")
    revoke.add_argument("url", metavar="URL")
    revoke.add_argument("--name", required=True, help="the token's name")
    revoke.add_argument("--json", action="store_true", help="print one JSON object")
    revoke.set_defaults(func=_revoke)


def _info(token: Any) -> dict[str, Any]:
    data: dict[str, Any] = token.model_dump(mode="json")
    data["active"] = token.active
    return data


def _create(args: argparse.Namespace) -> int:
    from mot_cua.cli._store import open_store

    store = open_store(args.url)
    try:
        info, secret = store.create_token(args.name, args.role, agency=args.agency)
    finally:
        store.close()
    if args.json:
        print_json({"token": _info(info), "secret": secret})
    else:
        scope = f", agency {info.agency}" if info.agency else ""
        print(f"token {brief(info.name)} ({info.role}{scope}) created; its secret, shown only now:")
        print(secret)
    return 0


def _list(args: argparse.Namespace) -> int:
    from mot_cua.cli._store import open_store

    store = open_store(args.url)
    try:
        tokens = store.tokens()
    finally:
        store.close()
    if args.json:
        print_json({"tokens": [_info(t) for t in tokens]})
        return 0
    for t in tokens:
        state = "active" if t.active else f"revoked {t.revoked_at:%Y-%m-%d %H:%M}"
        print(f"{t.name}\t{t.role}\t{t.agency or '-'}\t{t.created_at:%Y-%m-%d %H:%M}\t{state}")
    if not tokens:
        print("no tokens")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from mot_cua.cli._store import open_store

    store = open_store(args.url)
    try:
        info = store.revoke_token(args.name)
    finally:
        store.close()
    if args.json:
        print_json({"token": _info(info)})
    else:
        print(f"token {brief(info.name)} revoked")
    return 0
