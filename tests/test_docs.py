"""Every public function explains itself: numpydoc sections and a doctest example."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import conv_lesson
from conv_lesson import data, draw, exercises, ops, publish, widgets

MODULES = [exercises] + [
    importlib.import_module(f"{package.__name__}.{info.name}")
    for package in (ops, data, draw, widgets, publish)
    for info in pkgutil.iter_modules(package.__path__)
]
PACKAGE = Path(conv_lesson.__file__).parent


def _public_functions():
    seen = {}
    for module in MODULES:
        names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                seen[f"{module.__name__}.{name}"] = obj
    for name in conv_lesson.__all__:
        obj = getattr(conv_lesson, name)
        if inspect.isfunction(obj):
            seen[f"{obj.__module__}.{obj.__name__}"] = obj
    return seen


FUNCTIONS = _public_functions()


def _lesson_imports():
    """``{(module, name)}`` that the lesson sources import from the package."""
    import ast
    import json

    found = set()
    for path in sorted((PACKAGE.parent / "notebooks" / "source").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            lines = "".join(cell["source"]).splitlines()
            code = "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("conv_lesson"):
                    found.update((node.module, alias.name) for alias in node.names)
    return found


def test_the_public_face_is_what_the_lessons_import_and_scan():
    imports = _lesson_imports()
    assert {module for module, _ in imports} == {"conv_lesson", "conv_lesson.exercises"}, imports
    from_top = {name for module, name in imports if module == "conv_lesson"}
    assert set(conv_lesson.__all__) == from_top | {"Scan"}
    assert len(conv_lesson.__all__) == len(set(conv_lesson.__all__))
    for name in ("feature_map", "output_size", "stepper", "slide_1d", "feature_map_gallery", "photo"):
        assert name in conv_lesson.__all__


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_docstring_has_an_example(qualname):
    doc = inspect.getdoc(FUNCTIONS[qualname]) or ""
    assert len(doc.splitlines()[0]) > 10, "a one-line summary first"
    assert ">>>" in doc, "a small doctest example"
    params = [p for p in inspect.signature(FUNCTIONS[qualname]).parameters if p not in ("self", "kwargs", "args")]
    if params and qualname.startswith(("conv_lesson.ops", "conv_lesson.data")):
        assert "Parameters" in doc and "Returns" in doc


def test_the_readme_names_every_module_of_the_package():
    """README's "For authors" lists each module with a line on what it holds: a new one must be added there."""
    readme = (PACKAGE.parent / "README.md").read_text()
    authors = readme[readme.index("## For authors") :]
    items = {m.group(1): m.group(0) for m in re.finditer(r"\n  - `([a-z_]+/)[^\n]*(?:\n    [^\n]*)*", authors)}
    assert {"conv_lesson/", "ops/", "data/", "draw/", "widgets/", "exercises/", "publish/"} <= set(items), items.keys()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name == "__init__.py" and len(rel.parts) > 1:
            continue  # "Each package's __init__.py gathers its modules' public names."
        item = items["conv_lesson/" if len(rel.parts) == 1 else f"{rel.parts[0]}/"]
        if f"{rel.name}`" not in item:
            missing.append(str(rel))
    assert missing == [], f"README's For authors does not name: {missing}"
