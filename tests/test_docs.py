"""Every public function explains itself: numpydoc sections and a doctest example."""

import importlib
import inspect
import pkgutil

import pytest

import conv_lesson
from conv_lesson import data, draw, exercises, ops, widgets

MODULES = [exercises] + [
    importlib.import_module(f"{package.__name__}.{info.name}")
    for package in (ops, data, draw, widgets)
    for info in pkgutil.iter_modules(package.__path__)
]


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


def test_the_api_is_re_exported():
    for name in (
        "feature_map",
        "output_size",
        "scan_positions",
        "step_view",
        "convolve_1d",
        "continuous_convolution",
        "flip_and_slide",
        "photo",
        "load_image",
        "detector",
        "stepper",
        "slide_1d",
        "feature_map_gallery",
    ):
        assert name in conv_lesson.__all__


@pytest.mark.parametrize("qualname", sorted(FUNCTIONS))
def test_docstring_has_an_example(qualname):
    doc = inspect.getdoc(FUNCTIONS[qualname]) or ""
    assert len(doc.splitlines()[0]) > 10, "a one-line summary first"
    assert ">>>" in doc, "a small doctest example"
    params = [p for p in inspect.signature(FUNCTIONS[qualname]).parameters if p not in ("self", "kwargs", "args")]
    if params and qualname.startswith(("conv_lesson.ops", "conv_lesson.data")):
        assert "Parameters" in doc and "Returns" in doc
