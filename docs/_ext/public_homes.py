"""Link type annotations naming a core model's private home to its public entry.

The core's pydantic models are defined in ``mot_cua._values.*`` and served by their public
modules (``mot_cua.limits.TimeLimit``...; docs/design.md, "Models load lazily"). autodoc writes
annotations with the defining module; this resolves ``mot_cua._values.limits.TimeLimit`` to the
documented ``mot_cua.limits.TimeLimit``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

_PRIVATE = "mot_cua._values."


def _resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.reference | None:
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith(_PRIVATE):
        return None
    public = "mot_cua." + target.removeprefix(_PRIVATE)
    domain: Any = env.get_domain("py")
    found: nodes.reference | None = domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], public, node, contnode
    )
    return found


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("missing-reference", _resolve)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
