"""The documentation: a reference entry for every public name, no citation of files that do not
ship, no placeholder left, and diagrams that render offline."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM_FLAGS as BROWSER_FLAGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
API = (DOCS / "api.md").read_text("utf-8")

#: Packages whose ``__all__`` is public API besides ``mot_cua`` itself (adapters need their extra).
PUBLIC_PACKAGES = (
    "mot_cua",
    "mot_cua.testing",
    "mot_cua.indicators",
    "mot_cua.reports",
    "mot_cua.contract",
    "mot_cua.server",
    "mot_cua.store",
    "mot_cua.forms",
    "mot_cua.batch",
    "mot_cua.spark",
    "mot_cua.files",
)

_DIRECTIVE = re.compile(r"^\.\. auto(\w+):: ([\w.]+)\s*$((?:\n   .*)*)", re.M)


def _documented() -> tuple[set[str], set[str]]:
    """(fully qualified names documented one by one, modules documented with :members:)."""
    names: set[str] = set()
    modules: set[str] = set()
    for kind, target, options in _DIRECTIVE.findall(API):
        if kind == "module":
            if ":members:" in options:
                modules.add(target)
        else:
            names.add(target)
    return names, modules


def _home(package: str, name: str) -> str:
    """The module that defines ``name`` as exported by ``package``."""
    obj = getattr(importlib.import_module(package), name)
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and module.startswith("mot_cua._values."):
        return "mot_cua." + module.rsplit(".", 1)[1]  # a core module's model: documented there
    if isinstance(module, str) and module.startswith("mot_cua") and not isinstance(obj, str):
        return module
    for candidate in sorted(m for m in sys.modules if m.startswith("mot_cua") and m != package):
        if name in getattr(sys.modules[candidate], "__all__", ()):
            return candidate
    return package


def _packages() -> list[str]:
    found = []
    for package in PUBLIC_PACKAGES:
        try:
            importlib.import_module(package)
        except ImportError:
            continue
        found.append(package)
    return found


@pytest.mark.parametrize("package", _packages())
def test_every_public_name_has_a_reference_entry(package: str) -> None:
    names, modules = _documented()
    missing = []
    for name in importlib.import_module(package).__all__:
        home = _home(package, name)
        documented = (
            f"{home}.{name}" in names
            or f"{package}.{name}" in names
            or home in modules
            or (package in modules and package != "mot_cua")
        )
        if not documented:
            missing.append(f"{home}.{name}")
    assert not missing, f"docs/api.md has no entry for: {', '.join(missing)}"


def _shipped_text_files() -> list[Path]:
    files = [*(ROOT / "src").rglob("*"), *DOCS.glob("*.md"), *(ROOT / "examples").rglob("*")]
    files += [ROOT / "README.md"]
    suffixes = {".py", ".toml", ".json", ".md", ".html", ".j2", ".jinja", ".po", ".txt", ".csv"}
    return [p for p in files if p.is_file() and p.suffix in suffixes]


def test_nothing_cites_the_unshipped_spec_files() -> None:
    """Users never see RULES.md or EXAMPLES.md (they do not ship): docs/rules.md stands for them."""
    offenders = []
    for path in _shipped_text_files():
        text = path.read_text("utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), 1):
            if re.search(r"\b(RULES|EXAMPLES|INDICATORS)\.md\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}")
    assert not offenders, "cite the law or docs/rules.md instead: " + ", ".join(offenders[:20])


def test_no_placeholder_page_is_left() -> None:
    left = [p.name for p in DOCS.glob("*.md") if "PLACEHOLDER" in p.read_text("utf-8")]
    assert not left, f"pages still placeholders: {left}"


def test_diagrams_need_no_network() -> None:
    conf = (DOCS / "conf.py").read_text("utf-8")
    assert "sphinxcontrib.mermaid" not in conf
    assert "offline_mermaid" in conf
    vendored = DOCS / "_static" / "mermaid"
    assert (vendored / "mermaid.min.js").stat().st_size > 1_000_000
    assert "MIT" in (vendored / "LICENSE").read_text("utf-8")
    ext = (DOCS / "_ext" / "offline_mermaid.py").read_text("utf-8")
    assert "http" not in ext


def test_every_page_is_in_a_toctree() -> None:
    index = (DOCS / "index.md").read_text("utf-8")
    pages = {p.stem for p in DOCS.glob("*.md")} - {"index"}
    listed = set(re.findall(r"^([\w-]+)$", index, re.M))
    assert pages <= listed, f"not in docs/index.md: {sorted(pages - listed)}"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (*BROWSER_FLAGS, "--virtual-time-budget=10000")


@pytest.mark.browser
def test_diagrams_render_offline_from_disk(tmp_path: Path) -> None:
    """Built docs opened from file:// (no network, no server) show the lifecycle as an SVG."""
    assert CHROMIUM, "Chromium is installed by .ci/system-packages"
    out = tmp_path / "html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(DOCS), str(out)],
        check=True,
        capture_output=True,
    )
    for page, kind in (("lifecycle", "stateDiagram"), ("routing", "flowchart")):
        with tempfile.TemporaryDirectory() as profile:
            dom = subprocess.run(
                [
                    CHROMIUM,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={profile}",
                    "--dump-dom",
                    (out / f"{page}.html").as_uri(),
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            ).stdout
        assert re.search(rf'aria-roledescription="{kind}', dom), f"{page}: no rendered diagram"
