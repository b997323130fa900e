"""Mermaid diagrams that render offline, from ``file://`` as well as over HTTP.

Government intranets often have no Internet access and docs are often opened straight from disk,
where browsers refuse ES-module imports. So the ```` ```mermaid ```` fences become
``<pre class="mermaid">`` blocks, and the vendored Mermaid build (``_static/mermaid/``, MIT
licence beside it) is loaded as a classic script on the pages that have a diagram.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

SCRIPT = "mermaid/mermaid.min.js"
START = 'mermaid.initialize({startOnLoad: true, securityLevel: "strict"});'


class mermaid_node(nodes.General, nodes.Element):  # noqa: N801 (docutils' naming)
    """A diagram: its Mermaid source in ``node["code"]``."""


class MermaidDirective(Directive):
    has_content = True
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        node = mermaid_node()
        node["code"] = "\n".join(self.content)
        return [node]


def _visit_html(self: Any, node: mermaid_node) -> None:
    self.body.append(f'<pre class="mermaid">\n{html.escape(node["code"])}\n</pre>\n')
    raise nodes.SkipNode


def _visit_other(self: Any, node: mermaid_node) -> None:
    self.body.append(node["code"])
    raise nodes.SkipNode


def _add_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is not None and doctree.next_node(mermaid_node) is not None:
        app.add_js_file(SCRIPT)
        app.add_js_file(None, body=START)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        mermaid_node,
        html=(_visit_html, None),
        latex=(_visit_other, None),
        text=(_visit_other, None),
        man=(_visit_other, None),
        texinfo=(_visit_other, None),
    )
    app.add_directive("mermaid", MermaidDirective)
    app.connect("html-page-context", _add_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
