"""The lesson notebooks as files: one idea each, saved from one fresh run, small.

nbval (in the same test command) executes them and compares their text outputs;
these tests check what nbval cannot: the shape of each lesson and its saved state.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = [
    "01_what_is_a_convolution",
    "02_feature_detector_and_feature_map",
    "03_stride",
    "04_interpreting_feature_maps",
    "05_padding_dilation_channels_and_the_flip",
    "06_learning_a_detector",
]


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _code(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_the_whole_series_is_there():
    assert [p.stem for p in LESSONS] == EXPECTED
    index = (NOTEBOOKS / "README.md").read_text()
    for name in EXPECTED:
        assert name in index


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_saved_outputs_come_from_one_fresh_run(path):
    counts = [c.get("execution_count") for c in _code(_load(path)) if "".join(c["source"]).strip()]
    assert counts == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_widget_state_and_small(path):
    nb = _load(path)
    assert "widgets" not in nb.get("metadata", {})
    assert path.stat().st_size < 1_000_000
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"0x[0-9a-f]{8,}", text), "a memory address leaked into an output"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_structure(path):
    nb = _load(path)
    md = _markdown(nb)
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# "), "a lesson starts with its title"
    assert re.search(r"you will learn", md, re.I)
    assert re.search(r"^#+ Summary", md, re.M)
    assert re.search(r"^#+ Exercises", md, re.M)
    i = EXPECTED.index(path.stem)
    if i + 1 < len(EXPECTED):
        assert f"{EXPECTED[i + 1]}.ipynb" in md, "a link to the next lesson"
    checks = sum("".join(c["source"]).count("check_") for c in _code(nb))
    assert checks >= 2, "at least two checked exercises"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_notebooks_stay_thin(path):
    """Logic lives in the package: a lesson defines no helper functions of its own,
    except the one exercise where the student writes a loop."""
    for cell in _code(_load(path)):
        src = "".join(cell["source"])
        for name in re.findall(r"^def (\w+)", src, re.M):
            assert name.startswith("my_"), f"{path.stem} defines {name}(): move it into conv_lesson"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_errors_saved(path):
    for cell in _code(_load(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", "".join(cell["source"])
            if out["output_type"] == "stream":
                assert out["name"] != "stderr" or not "".join(out["text"]).strip(), "".join(out["text"])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_widget_output_has_a_static_picture(path):
    figures = 0
    for cell in _code(_load(path)):
        src = "".join(cell["source"])
        if not re.search(r"^(stepper|slide_1d)\(", src, re.M):
            continue
        views = [
            o.get("data", {})
            for o in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        assert views, f"no widget output saved for: {src}"
        for data in views:
            assert "image/png" in data, "a reader without a kernel must still see the first state"
            figures += 1
    if path.stem in ("01_what_is_a_convolution", "02_feature_detector_and_feature_map", "03_stride"):
        assert figures, "this lesson is built around an interactive figure"
