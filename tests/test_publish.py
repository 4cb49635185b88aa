"""Saved pictures, kernel-less widget forms and the pieces of the site and slides, without a browser."""

from __future__ import annotations

import base64
import functools
import json
import re
import sys
from pathlib import Path

import ipywidgets
import nbformat
import pytest
from test_stepper import widget_tree

from conv_lesson import data, slide_1d, stepper
from conv_lesson.publish import assets, execute, frames, slides
from conv_lesson.publish.offline import (
    load_ipython_extension,
    offline_form,
    offline_stepper,
    stored_small,
    stored_strides,
)
from conv_lesson.widgets import ImageUpload, Stepper
from conv_lesson.widgets.common import RUN_NOTE, static_html

ROOT = Path(__file__).resolve().parent.parent
VIEW = "application/vnd.jupyter.widget-view+json"


def test_a_stepper_saves_its_finished_map_with_alt_text_and_the_run_line():
    s = stepper(data.face_image(), data.face_detector())
    bundle = s._repr_mimebundle_()
    assert VIEW in bundle
    html = bundle["text/html"]
    assert "25 of 25 cells filled" in re.search(r'alt="([^"]+)"', html).group(1)
    assert "step 25 of 25" in html and RUN_NOTE in html
    assert "step 25 of 25" in bundle["text/plain"] and RUN_NOTE in bundle["text/plain"]
    assert s.step.value == 1  # saving the picture did not move the stepper
    assert bundle == s._repr_mimebundle_() | {VIEW: bundle[VIEW]}  # deterministic


def test_a_live_stepper_saves_its_last_step_and_stays_where_it_was():
    s = stepper(data.photo(30), "outline", mode="live")
    s.step.value = 7
    before = s.frame_png()
    html = s._repr_mimebundle_()["text/html"]
    assert f"step {s.n_steps} of {s.n_steps}" in html
    assert s.frame_png() == before and s.step.value == 7


def test_slide_1d_saves_the_end_of_the_slide():
    w = slide_1d(preset="two dice", t=3)
    html = w._repr_mimebundle_()["text/html"]
    assert "n = 13" in html and "Run this cell to slide n yourself" in html  # a sequence slides n, not t
    assert w.t == 3  # the widget stays where it was
    assert "Run this cell to slide t yourself" in slide_1d(preset="box*box")._repr_mimebundle_()["text/html"]


@pytest.mark.parametrize("bad", [None, "png", 3])
def test_static_html_needs_bytes(bad):
    with pytest.raises(TypeError, match="png must be bytes"):
        static_html(bad, "alt")


def test_stored_strides():
    assert stored_strides(1, 1) == [1]
    with pytest.raises(ValueError, match="stride_max"):
        stored_strides(1, 0)


def test_a_published_stepper_holds_one_flipbook_per_stride_linked_in_the_browser():
    box = offline_stepper(stepper(data.face_image(), data.face_detector()))
    toggle, stack = box.children[0].children
    assert [c.n_steps for c in stack.children] == [25, 9, 4]
    # the toggle buttons choose the stride: no flipbook shows a stride slider of its own
    assert all(c.mode == "flipbook" and c.stride not in list(widget_tree(c)) for c in stack.children)
    assert toggle.index == stack.selected_index == 0


def test_a_published_stepper_with_a_fixed_stride_stores_that_stride_only():
    box = offline_stepper(stepper(data.face_image(), data.face_detector(), stride=2, stride_control=False))
    shown = list(widget_tree(box))
    assert not any(isinstance(w, ipywidgets.ToggleButtons) for w in shown)  # nothing to choose
    flipbooks = [w for w in shown if isinstance(w, Stepper)]
    assert [f.n_steps for f in flipbooks] == [9]
    assert flipbooks[0].stride not in shown


def test_a_published_flip_stepper_stores_both_flips():
    box = offline_stepper(stepper(data.face_image(), data.detector("outline"), flip_control=True))
    flip_toggle, flips = box.children[-1].children
    assert flip_toggle.description == "flip" and len(flips.children) == 2
    flipped = flips.children[1].children[1].children[0]
    assert flipped.controller.settings["flip"] is True


def test_a_published_stepper_with_menus_says_they_need_a_kernel():
    box = offline_stepper(stepper(data.face_image(), data.face_detector(), presets=True))
    assert "need a running notebook" in box.children[0].value


def test_a_published_gallery_explorer_keeps_its_thumbnails_choosing_a_stored_detector():
    import numpy as np
    from ipywidgets.widgets.widget import _instances
    from ipywidgets.widgets.widget_link import Link

    from conv_lesson import gallery_explorer
    from conv_lesson.ops.checks import as_array

    names = ["identity", "outline"]
    ex = gallery_explorer(data.face_image(), names)
    box = offline_form(ex)
    picker, stack = box.children
    assert picker.names == names and picker.images == ex.picker.images  # the same maps to click
    links = [w for w in _instances.values() if isinstance(w, Link)]
    assert any({w.source, w.target} == {(picker, "selected"), (stack, "selected_index")} for w in links)
    assert len(stack.children) == len(names) and stack.selected_index == picker.selected == 0
    for name, page in zip(names, stack.children):
        card, stored = page.children
        assert f"<b>{name}</b>" in card.value
        numbers = [float(x) for x in re.findall(r">(-?[0-9.]+)</td>", card.value)]
        assert numbers == as_array(data.detector(name), "d", (2,), "").ravel().tolist()
        chosen = stored.children[-1].children[1].children[0]  # the stride-1 flipbook
        np.testing.assert_array_equal(chosen.controller.settings["detector"], data.detector(name))
    assert "needs-kernel" not in str([c.value for p in stack.children for c in p.children[:1]])


def test_the_offline_extension_swaps_the_display_and_only_where_it_is_loaded():
    from types import SimpleNamespace

    from IPython.core.formatters import DisplayFormatter

    s, w, up = stepper(data.face_image(), data.face_detector()), slide_1d(), ImageUpload(size=16)
    plain, offline = DisplayFormatter(), DisplayFormatter()
    load_ipython_extension(SimpleNamespace(display_formatter=offline))
    assert plain.format(s)[0][VIEW]["model_id"] == s.model_id  # no extension: the live widget
    assert "upload" in str(plain.format(up)[0]["text/html"]).lower()
    for widget in (s, w):
        shown = offline.format(widget)[0][VIEW]["model_id"]
        assert shown != widget.model_id and "conv-lesson-published" in _widget(shown)._dom_classes
    assert "needs a running notebook" in offline.format(up)[0]["text/html"]


def _widget(model_id):
    from ipywidgets.widgets.widget import _instances

    return _instances[model_id]


def test_the_site_kernel_loads_the_offline_extension_or_does_not_start():
    assert "--IPKernelApp.extensions=conv_lesson.publish.offline" in execute.KERNEL_ARGUMENTS
    assert "--IPKernelApp.reraise_ipython_extension_failures=True" in execute.KERNEL_ARGUMENTS


def test_the_vendored_assets_match_their_manifest_and_have_licences():
    assert assets.verify() == []
    for package in assets.manifest():
        assert package["version"] and package["license"]
        assert any(name.upper().startswith("LICENSE") for name in package["files"]), package["npm"]


def test_prune_keeps_what_is_shown_and_the_links_between_it():
    def model(name, **state):
        return {"model_name": name, "model_module": "m", "model_module_version": "1", "state": state}

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={VIEW: {"model_id": "a", "version_major": 2}})]
    nb.cells = [cell]
    state = {
        "a": model("VBoxModel", children=["IPY_MODEL_b"]),
        "b": model("IntSliderModel", layout="IPY_MODEL_c"),
        "c": model("LayoutModel"),
        "d": model("IntSliderModel"),
        "link": model("LinkModel", source=["IPY_MODEL_a", "value"], target=["IPY_MODEL_b", "value"]),
        "dead": model("LinkModel", source=["IPY_MODEL_d", "value"], target=["IPY_MODEL_b", "value"]),
    }
    nb.metadata["widgets"] = {execute.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    assert execute.prune_widget_state(nb) == 2
    assert sorted(nb.metadata["widgets"][execute.WIDGET_STATE]["state"]) == ["a", "b", "c", "link"]


def test_compact_frames_are_smaller_and_still_the_same_picture():
    import base64
    import io

    import numpy as np
    from PIL import Image

    s = stepper(data.face_image(), data.face_detector())
    png = s.frame_png()
    url = frames.compact_frame(png)
    small = base64.b64decode(url.split(",", 1)[1])
    assert len(small) < len(png) / 2
    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    b = np.asarray(Image.open(io.BytesIO(small)).convert("RGB"), dtype=int)
    assert a.shape == b.shape and np.abs(a - b).mean() < 4


def test_slide_types_by_rule():
    nb = nbformat.read(ROOT / "notebooks" / "02_feature_detector_and_feature_map.ipynb", as_version=4)
    deck = slides.slide_types(nb)
    kinds = [c.metadata.slideshow.slide_type for c in deck.cells]
    assert kinds[0] == "slide"
    for cell, kind in zip(deck.cells, kinds):
        if "solution" in cell.metadata.get("tags", []):
            assert kind == "skip"
        elif cell.cell_type == "code" and slides.INTERACTIVE.search(cell.source):
            assert kind == "slide"
    assert "slideshow" not in json.dumps(nb.cells[0].metadata)  # the lesson itself is not changed


def test_the_cli_knows_site_and_slides():
    from conv_lesson.__main__ import build_parser

    args = build_parser().parse_args(["site", "-o", "out", "--lessons", "01", "02"])
    assert (args.command, args.output, args.lessons, args.jobs) == ("site", "out", ["01", "02"], 2)
    args = build_parser().parse_args(["slides", "02", "-o", "deck"])
    assert (args.command, args.lesson, args.output) == ("slides", "02", "deck")


def test_the_cli_says_what_is_wrong_with_a_lesson_number(capsys):
    from conv_lesson.__main__ import main

    assert main(["slides", "99", "-o", "deck"]) == 1
    assert "number must be one of the lessons" in capsys.readouterr().err


def test_run_notebooks_strips_widget_views_and_keeps_the_saved_picture():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import run_notebooks
    finally:
        sys.path.remove(str(ROOT / "tools"))
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("stepper(a, b)")
    bundle = {VIEW: {"model_id": "x"}, "text/html": "<figure>", "text/plain": "Stepper"}
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=bundle),
        nbformat.v4.new_output("display_data", data={VIEW: {"model_id": "y"}}),
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {}
    assert run_notebooks.strip_widget_views(nb) == 2
    assert [o.data for o in cell.outputs] == [{"text/html": "<figure>", "text/plain": "Stepper"}]
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_committed_lessons_hold_no_widget_view_and_a_picture_per_interactive_figure(path):
    """Without widget state a saved widget view shows "Error displaying widget" (re-run tools/run_notebooks.py)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = [o.get("data", {}) for o in cell.get("outputs", [])]
        assert not any(VIEW in d for d in outputs), f"a widget view is saved in: {cell.source[:60]}"
        if slides.INTERACTIVE.search(cell.source):
            html = "".join("".join(d.get("text/html", "")) for d in outputs)
            assert 'class="conv-lesson-static"' in html and "Run this cell" in html, cell.source[:60]


@functools.lru_cache(maxsize=1)
def _stepper_urls():
    from conv_lesson.draw.export import data_url

    s = stepper(data.face_image(), data.face_detector())
    urls = []
    for k in range(1, s.n_steps + 1):
        s.step.value = k
        urls.append(data_url(s.frame_png()))
    return tuple(urls)


@pytest.mark.parametrize("every", [4, 32])
def test_delta_frames_give_back_every_frame_and_store_far_less(every):
    import numpy as np

    urls = _stepper_urls()
    stored, patches = frames.delta_frames(urls, keyframe_every=every)
    assert len(stored) == len(patches) == len(urls) == 25
    keys = [i for i, p in enumerate(patches) if not p]
    assert keys[0] == 0 and all(b - a <= every for a, b in zip(keys, keys[1:] + [len(urls)]))
    for i in sorted({1, 2, every - 1, every, every + 1, len(urls) - 1} & set(range(len(urls)))):  # key frame, last
        shown = frames.compose(stored, patches, i)[:, :, :3].astype(int)
        drawn = frames.decode_url(urls[i])[:, :, :3].astype(int)
        assert (np.abs(shown - drawn).max(axis=2) > 64).mean() < 0.002  # only the palette's small shifts
        assert (np.abs(shown - frames.decode_url(urls[i - 1])[:, :, :3]).max(axis=2) > 64).mean() > 0.005
    whole = sum(len(frames.compact_frame(base64.b64decode(u.split(",", 1)[1]))) for u in urls)
    if every == 32:
        assert sum(map(len, stored)) < whole / 3


def test_delta_frames_start_a_key_frame_when_the_size_changes():
    import numpy as np

    from conv_lesson.draw.export import data_url, encode_png

    rng = np.random.default_rng(0)
    small = (rng.integers(0, 2, (60, 80, 3)) * 255).astype(np.uint8)
    wide = np.concatenate([small, small], axis=1)
    nudged = small.copy()
    nudged[5:9, 5:9] = 128
    urls = [data_url(encode_png(p)) for p in (small, nudged, wide)]
    stored, patches = frames.delta_frames(urls)
    assert patches[0] == [] and patches[1] == [5, 5] and patches[2] == []
    assert frames.compose(stored, patches, 2).shape == (60, 160, 4)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: frames.delta_frames("data:image/png;base64,"), TypeError, "urls must be a sequence"),
        (lambda: frames.delta_frames(["x"]), ValueError, "url must be a data:image"),
        (lambda: frames.delta_frames([], colors=1), ValueError, "colors must be an int >= 2"),
        (lambda: frames.delta_frames([], colors=300), ValueError, "colors must be an int from 2 to 256"),
        (lambda: frames.delta_frames([], keyframe_every=0), ValueError, "keyframe_every must be an int >= 1"),
        (lambda: frames.compose(["a"], [[], []], 0), ValueError, "same length"),
        (lambda: frames.compose(["a"], [[]], 1), ValueError, "index must be below"),
    ],
)
def test_frame_storage_says_what_is_wrong(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_stored_small_stores_flipbooks_as_delta_frames_and_compacts_other_pictures():
    form = offline_form(stepper(data.face_image(), data.face_detector()))
    flipbooks = [w.view for w in widget_tree(form) if hasattr(w, "controller")]
    whole = [list(f.frames) for f in flipbooks]
    live = stepper(data.face_image(), data.face_detector(), mode="live")
    saved = offline_form(live)  # too many steps to store: its saved picture, a PNG data URL in HTML
    assert "data:image/png;base64," in saved.value
    png = base64.b64decode(re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", saved.value).group(1))
    box = ipywidgets.VBox([form, saved])
    assert stored_small(box) is box
    assert len(flipbooks) == 3  # strides 1, 2, 3
    for flipbook, urls in zip(flipbooks, whole):
        assert (flipbook.frames, flipbook.patches) == tuple(frames.delta_frames(urls))
    assert "data:image/png;base64," not in saved.value
    assert frames.compact_frame(png) in saved.value
    stored = [(list(f.frames), list(f.patches)) for f in flipbooks]
    stored_small(box)  # a second time: already small, left as it is
    assert [(list(f.frames), list(f.patches)) for f in flipbooks] == stored
    with pytest.raises(TypeError, match="widget must be an ipywidgets Widget"):
        stored_small("not a widget")
