"""The package's layers import one way: cli -> report -> analysis -> solve -> match -> files, lint -> match, files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vendormatch"

# What each layer may import besides itself.
ALLOWED: dict[str, set[str]] = {
    "files": set(),
    "match": {"files"},
    "lint": {"files", "match"},
    "solve": {"files", "match"},
    "analysis": {"files", "match", "solve"},
    "report": {"files", "match", "solve", "analysis"},
    "cli": {"files", "match", "lint", "solve", "analysis", "report"},
}


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every vendormatch module a file imports, at any depth (function-level imports count too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "vendormatch":
                found.extend((node.lineno, f"vendormatch.{alias.name}") for alias in node.names)
            elif node.module.startswith("vendormatch."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name.startswith("vendormatch."))
    return found


def _layer_of(module: str) -> str:
    return module.split(".")[1]


def test_every_module_lives_in_a_layer() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"})
    assert loose == [], f"modules outside the layer subpackages: {loose}"
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} == set(ALLOWED)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_point_one_way(layer: str) -> None:
    wrong: list[str] = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, module in _imported_modules(path):
            target = _layer_of(module)
            if target != layer and target not in ALLOWED[layer]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert wrong == [], f"{layer} may import only {sorted(ALLOWED[layer])}: " + "; ".join(wrong)


def test_layer_docstrings_say_what_they_hold_and_may_import() -> None:
    for layer in ALLOWED:
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")))
        assert doc is not None and "May import" in doc, f"vendormatch/{layer}/__init__.py needs a docstring"


def test_no_import_cycles_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(("vendormatch", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = {module for _, module in _imported_modules(path) if module != name}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, stack: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle.extend([*stack[stack.index(nxt):], nxt] if nxt in stack else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*stack, nxt]):
                return True
        state[node] = 2
        return False

    for start in sorted(graph):
        if state.get(start) is None and visit(start, [start]):
            break
    assert cycle == [], "import cycle: " + " -> ".join(cycle)


def test_the_checker_sees_a_wrong_way_import(tmp_path: Path) -> None:
    """The test itself must be able to fail: a planted upward import is found."""
    planted = tmp_path / "bad.py"
    planted.write_text("def f() -> None:\n    from vendormatch.cli.commands import main\n", encoding="utf-8")
    assert [(line, _layer_of(module)) for line, module in _imported_modules(planted)] == [(2, "cli")]


#: Modules past this many lines are families of modules waiting to be split along their seams.
MAX_MODULE_LINES = 350


def test_no_module_is_over_the_line_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"modules over {MAX_MODULE_LINES} lines: {long}"
