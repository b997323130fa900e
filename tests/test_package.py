"""The package's shape: the curated API, the import direction, the examples and the set-up."""

from __future__ import annotations

import ast
import importlib.resources
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import mot_cua

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "mot_cua"

# errors → {files, i18n} → timezone → hours → limits → identifiers → models → calendar → deadlines
# → {lifecycle, routing} → catalog → indicators → interop → contract → testing
# → adapters: batch → reports → {forms, store} → spark → server → cli (docs/design.md).
# A module may import only earlier layers; the core (up to testing) never imports an adapter.
LAYERS: list[set[str]] = [
    {"errors"},
    {"files", "i18n"},
    {"timezone"},
    {"hours"},
    {"limits"},
    {"identifiers"},
    {"models"},
    {"calendar"},
    {"deadlines"},
    {"lifecycle", "routing"},
    {"catalog"},
    {"indicators"},
    {"interop"},
    {"contract"},
    {"testing"},
    {"batch"},
    {"reports"},
    {"forms", "store"},
    {"spark"},
    {"server"},
    {"cli", "__init__", "__main__"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def test_all_is_sorted_and_complete() -> None:
    names = mot_cua.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    public = {n for n in dir(mot_cua) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(mot_cua, n)).__name__ == "module"}
    assert set(names) == public - modules
    for name in names:
        assert getattr(mot_cua, name) is not None


def _top_module(path: Path) -> str:
    rel = path.relative_to(SRC).parts
    if rel[0] == "_values" and len(rel) > 1:
        # The pydantic half of a core module (loaded on first use) sits in that module's layer.
        return rel[1].removesuffix(".py")
    return rel[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(mot_cua module imported, at module level?) for every import in a file."""
    tree = ast.parse(path.read_text("utf-8"))
    found: list[tuple[str, bool]] = []
    top_level = {id(n) for n in tree.body}
    type_checking = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "mot_cua" and len(parts) > 2 and parts[1] == "_values":
                found.append((parts[2], id(node) in top_level))  # a core module's models
            elif parts[0] == "mot_cua" and len(parts) > 1:
                found.append((parts[1], id(node) in top_level))
            elif parts[0] in {"holidays", "statemachine"}:
                found.append((parts[0], id(node) in top_level))
    return found


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_import_direction(path: Path) -> None:
    me = _top_module(path)
    for target, module_level in _imports(path):
        if target == "holidays":
            assert me == "calendar", f"only calendar imports holidays ({path})"
            continue
        if target == "statemachine":
            assert me == "lifecycle", f"only lifecycle imports statemachine ({path})"
            continue
        if target in {"data", me}:
            continue
        if me in {"cli", "__init__", "__main__"}:
            continue
        if not module_level:
            # Lazy imports may reach later layers (e.g. the CLI-facing loaders), never the CLI.
            assert target != "cli", f"{path} imports the CLI"
            continue
        assert LAYER[target] < LAYER[me], f"{path}: {me} must not import {target} (docs/design.md)"


def test_core_import_stays_light() -> None:
    code = (
        "import sys, mot_cua; "
        "print(sorted(m for m in ('numpy', 'holidays', 'hypothesis', 'polars', 'pyarrow', "
        "'fastapi', 'sqlalchemy', 'weasyprint', 'jinja2', 'pyspark', 'pandas') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_run(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = path.read_text("utf-8")
    assert ast.get_docstring(ast.parse(source)), f"{path.name} needs a docstring"
    assert "def main(" in source
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip(), f"{path.name} printed nothing"


def test_examples_exist_for_each_capability() -> None:
    assert (ROOT / "examples" / "01_due_date.py") in EXAMPLES


def _readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    m = re.search(rf"<!-- {marker} -->\s*```(?:sh|bash|console)?\n(.+?)\n```", text, re.S)
    assert m, f"README.md lacks the {marker} block"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert _readme_command("test-command") in ci


def test_readme_main_job_uses_the_cli() -> None:
    assert "mot-cua due" in _readme_command("main-command")


def test_package_data_ships() -> None:
    assert importlib.resources.files("mot_cua.data").joinpath("calendar_overrides.toml").is_file()
    assert (SRC / "py.typed").is_file()
