"""The package's shape, checked: imports run one way, private means private, rooms stay small."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "conv_lesson"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py"))
#: What each layer may not import (ops ← data ← draw ← widgets ← publish: never the other way).
FORBIDDEN = {
    "ops": ("matplotlib", "ipywidgets", "anywidget", "PIL", "conv_lesson.draw", "conv_lesson.widgets",
            "conv_lesson.data", "conv_lesson.publish"),
    "data": ("ipywidgets", "anywidget", "conv_lesson.draw", "conv_lesson.widgets", "conv_lesson.publish"),
    "draw": ("ipywidgets", "anywidget", "traitlets", "conv_lesson.widgets", "matplotlib.pyplot",
             "conv_lesson.publish"),
    "widgets": ("matplotlib.pyplot", "conv_lesson.publish"),
}  # fmt: skip
MODULE_LINES, CLASS_LINES, FUNCTION_LINES = 600, 250, 60


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path):
    """Every module ``path`` imports, as absolute dotted names, with the names taken from it."""
    tree = ast.parse(path.read_text())
    here = _module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module, [alias.name for alias in node.names]


def _module_graph():
    """``{module: {package module it imports}}``, imports inside functions too; ``from a import b``
    counts as importing ``a.b`` when that is a module of the package."""
    modules = {_module_name(path): path for path in SOURCES}
    graph = {}
    for name, path in modules.items():
        found = set()
        for module, names in _imports(path):
            if not module.startswith("conv_lesson"):
                continue
            subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules]
            found.update(subs or [module])
        graph[name] = found - {name}
    return graph


def _cycle(graph):
    """One import cycle of ``graph`` (a list of modules, the first repeated at the end), or None.

    A module importing a package it is inside of is left out: Python imports the package
    first, whatever the module says."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if node.startswith(nxt + "."):
                continue
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_no_import_cycle_not_even_inside_a_function():
    assert _cycle(_module_graph()) is None, " -> ".join(_cycle(_module_graph()))


def test_the_cycle_check_finds_a_cycle_made_inside_a_function():
    graph = _module_graph()
    graph["conv_lesson.ops.scan"] = graph["conv_lesson.ops.scan"] | {"conv_lesson.widgets.stepper"}
    found = _cycle(graph)
    assert found is not None and found[0] == found[-1] and "conv_lesson.widgets.stepper" in found


def _layer(path):
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    forbidden = FORBIDDEN.get(_layer(path), ())
    for module, _ in _imports(path):
        for bad in forbidden:
            assert not (module == bad or module.startswith(bad + ".")), f"{path.name} imports {module}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_reaches_into_another_modules_private_names(path):
    tree = ast.parse(path.read_text())
    own = {}
    for module, names in _imports(path):
        if module.startswith("conv_lesson"):
            for name in names:
                assert not (name.startswith("_") and not name.startswith("__")), f"imports {module}.{name}"
                own[name] = module
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in own:
            attr = node.attr
            assert not (attr.startswith("_") and not attr.startswith("__")), f"uses {node.value.id}.{attr}"


def _length(node):
    """Lines of a function or class without its docstring."""
    lines = node.end_lineno - node.lineno + 1
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        lines -= body[0].end_lineno - body[0].lineno + 1
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_rooms_stay_small(path):
    text = path.read_text()
    lines = text.splitlines()
    assert len(lines) <= MODULE_LINES, f"{len(lines)} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            assert _length(node) <= CLASS_LINES, f"class {node.name}: {_length(node)} lines"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _length(node) > FUNCTION_LINES:
            why = lines[node.lineno - 2].strip() + lines[node.lineno - 1]
            assert "# long:" in why, f"def {node.name}: {_length(node)} lines and no '# long:' comment saying why"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_banner_comments(path):
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        assert not re.match(r"\s*#\s*[-=#*]{4,}", line), f"line {n}: {line.strip()}"


def test_javascript_and_css_are_real_files_shipped_with_the_package():
    static = PACKAGE / "widgets" / "static"
    for name in (
        "flipbook.js",
        "buttons.js",
        "flipbook.css",
        "buttons.css",
        "grid.js",
        "grid.css",
        "thumbs.js",
        "thumbs.css",
    ):
        assert (static / name).stat().st_size > 100
    for path in SOURCES:
        assert "export default" not in path.read_text(), f"{path.name} holds JavaScript in a string"
    toml = (PACKAGE.parent / "pyproject.toml").read_text()
    assert re.search(r'"conv_lesson\.widgets"\s*=\s*\[[^\]]*static/\*', toml), "static/ is not package data"


@pytest.mark.parametrize("name", ["flipbook.js", "buttons.js", "grid.js", "thumbs.js"])
def test_the_javascript_parses_as_an_es_module(name):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JavaScript is checked in the browser tests only")
    source = (PACKAGE / "widgets" / "static" / name).read_text()
    result = subprocess.run([node, "--input-type=module", "--check"], input=source, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
