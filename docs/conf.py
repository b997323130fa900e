"""Sphinx configuration for mot_cua's documentation (MyST Markdown, furo theme)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "mot_cua"
author = "mot_cua developers"
copyright = "2026, mot_cua developers"  # noqa: A001
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "offline_mermaid",
    "public_homes",
]
myst_enable_extensions = ["colon_fence", "deflist"]
# ```mermaid fences become diagrams (lifecycle and routing pages).
myst_fence_as_directive = ["mermaid"]
# Diagrams render offline: the Mermaid script ships in _static/mermaid/ (no CDN; see its README),
# loaded by our own small extension _ext/offline_mermaid.py.
html_static_path = ["_static"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_static", "_ext"]
html_theme = "furo"
html_title = "mot_cua"
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"exclude-members": "model_config, model_fields, model_computed_fields"}
napoleon_google_docstring = True
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
