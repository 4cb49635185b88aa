"""The stepper (issue 3), headless: driven through its public attributes, no browser.

The expected feature maps are computed here with a plain loop, independent of
``conv_lesson.ops``.
"""

from __future__ import annotations

import base64
import io
import re

import ipywidgets
import numpy as np
import pytest
from PIL import Image

import conv_lesson
from conv_lesson import data, draw
from conv_lesson.draw import StepperFigure
from conv_lesson.ops import Scan
from conv_lesson.widgets import Stepper, stepper
from conv_lesson.widgets.controller import FLIPBOOK_MAX_STEPS, StepperController
from conv_lesson.widgets.frameview import FrameView, StepButtons
from conv_lesson.widgets.slider import Slider

SEED_IMAGE = data.face_image()
SEED_DETECTOR = data.face_detector()
STATUS = re.compile(
    r"^step (\d+) of (\d+) · window at row (\d+), column (\d+) · feature map cell \((\d+), (\d+)\) = (-?[\d.e+-]+)$"
)


def loop_map(image, detector, stride=1, padding=0):
    """The feature map by hand: pad, then visit each output cell."""
    image = np.pad(np.asarray(image, dtype=float), padding)
    detector = np.asarray(detector, dtype=float)
    kh, kw = detector.shape
    rows = (image.shape[0] - kh) // stride + 1
    cols = (image.shape[1] - kw) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = (image[i * stride : i * stride + kh, j * stride : j * stride + kw] * detector).sum()
    return out


def partial(full, k):
    out = np.full(full.shape, np.nan)
    out.ravel()[:k] = full.ravel()[:k]
    return out


def png_pixels(png):
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def decoded(data_url):
    prefix = "data:image/png;base64,"
    assert data_url.startswith(prefix)
    return base64.b64decode(data_url[len(prefix) :])


def check_step(s, full, k):
    """Everything the stepper shows at step k agrees with the hand-made map."""
    np.testing.assert_allclose(s.shown_feature_map(), partial(full, k), rtol=0, atol=1e-12)
    m = STATUS.match(s.status)
    assert m, s.status
    assert int(m[1]) == k and int(m[2]) == full.size
    i, j = divmod(k - 1, full.shape[1])
    assert (int(m[5]), int(m[6])) == (i, j)
    assert float(m[7]) == pytest.approx(full[i, j], abs=1e-9)
    if s.mode == "flipbook":
        assert s.frame_png() == decoded(s.view.frames[k - 1])
        assert s.status in s.view.texts[k - 1]
    else:
        assert s.frame_png() == decoded(s.view.live_frame)
        assert s.view.live_step == k


# the public API


def test_public_names_and_widget_kind():
    s = conv_lesson.stepper(SEED_IMAGE, SEED_DETECTOR)
    assert isinstance(s, Stepper) and isinstance(s, ipywidgets.Box)
    assert isinstance(s.step, Slider) and isinstance(s.stride, Slider) and isinstance(s.buttons, StepButtons)
    from matplotlib.figure import Figure

    assert isinstance(s.figure, Figure)
    assert (s.step.min, s.step.max, s.step.value) == (1, 25, 1)
    assert (s.buttons.min, s.buttons.max) == (1, 25)
    assert (s.stride.min, s.stride.max, s.stride.value) == (1, 4, 1)
    assert s.mode == "flipbook"
    bundle = s._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_every_step_of_the_seed_shows_the_right_partial_map(stride):
    full = loop_map(SEED_IMAGE, SEED_DETECTOR, stride=stride)
    s = stepper(SEED_IMAGE, SEED_DETECTOR, stride=stride)
    assert s.step.max == full.size == len(s.view.frames) == len(s.view.texts) == len(s.view.alts)
    pictures = set()
    for k in list(range(1, full.size + 1)) + [1]:
        s.step.value = k
        check_step(s, full, k)
        pictures.add(s.frame_png())
    assert len(pictures) == full.size  # every step looks different


def test_binary_arrays_count_matches_and_others_do_not():
    s = stepper(SEED_IMAGE, SEED_DETECTOR)
    s.step.value = 14  # cell (2, 3) = 2
    assert s.arithmetic.endswith("= 2 · 2 cells match")
    assert "<b>1×1</b>" in s.view.texts[13]
    s.step.value = 2
    assert s.arithmetic.endswith("= 1 · 1 cell matches")
    g = stepper(SEED_IMAGE, "vertical_edges")
    assert "match" not in g.arithmetic and "×(-1)" in g.arithmetic


def test_stride_change_mid_way_keeps_the_map_consistent_and_clamps_the_step():
    s = stepper(SEED_IMAGE, SEED_DETECTOR)
    s.step.value = 20
    s.stride.value = 2
    full2 = loop_map(SEED_IMAGE, SEED_DETECTOR, stride=2)
    assert (s.step.max, s.buttons.max, s.step.value) == (9, 9, 9)
    check_step(s, full2, 9)
    s.step.value = 4
    check_step(s, full2, 4)
    s.stride.value = 3
    full3 = loop_map(SEED_IMAGE, SEED_DETECTOR, stride=3)
    assert (s.step.max, s.step.value) == (4, 4)
    check_step(s, full3, 4)
    s.stride.value = 1  # more steps again: the step stays where it was
    assert (s.step.max, s.step.value) == (25, 4)
    check_step(s, loop_map(SEED_IMAGE, SEED_DETECTOR), 4)
    assert s.last_error is None


def test_stride_slider_goes_up_to_the_largest_stride_that_moves():
    assert stepper(SEED_IMAGE, SEED_DETECTOR).stride.max == 4  # 7 - 3: two positions per axis
    assert stepper(SEED_IMAGE, SEED_DETECTOR, padding=1).stride.max == 6
    assert stepper(np.ones((3, 3)), np.ones((3, 3))).stride.max == 1
    s = stepper(SEED_IMAGE, SEED_DETECTOR, stride=4)
    assert s.step.max == 4
    s.stride.value = 4
    assert s.shown_feature_map().shape == (2, 2)


def test_padding_and_flip_controls_mid_way():
    s = stepper(SEED_IMAGE, SEED_DETECTOR, padding_control=True, flip_control=True)
    s.step.value = 10
    s.padding_menu.value = 1
    full = loop_map(SEED_IMAGE, SEED_DETECTOR, padding=1)
    assert s.step.max == 49 and s.step.value == 10
    check_step(s, full, 10)
    s.flip_box.value = True
    flipped = loop_map(SEED_IMAGE, SEED_DETECTOR[::-1, ::-1], padding=1)
    check_step(s, flipped, 10)
    s.padding_menu.value = "same"
    check_step(s, flipped, 10)
    s.stride.value = 2
    check_step(s, loop_map(SEED_IMAGE, SEED_DETECTOR[::-1, ::-1], stride=2, padding=1), 10)
    s.padding_menu.value = 0
    s.flip_box.value = False
    assert s.step.max == 9
    check_step(s, loop_map(SEED_IMAGE, SEED_DETECTOR, stride=2), 9)
    assert s.last_error is None and s.error.value == ""


def widget_tree(widget):
    """``widget`` and every widget in its children, depth first: what a page lays out."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widget_tree(child)


def test_a_stepper_whose_stride_is_fixed_shows_no_stride_slider():
    """A scan the lesson fixes at one stride (the zero-inserted map of lesson 08) has no slider to break it."""
    fixed = stepper(SEED_IMAGE, SEED_DETECTOR, stride=2, stride_control=False)
    assert fixed.stride not in list(widget_tree(fixed))
    assert not any("stride" in getattr(w, "description", "") for w in widget_tree(fixed))
    assert fixed.step.max == 9
    fixed.step.value = 9
    check_step(fixed, loop_map(SEED_IMAGE, SEED_DETECTOR, stride=2), 9)
    fixed.stride.value = 1  # Python can still change it
    assert fixed.step.max == 25
    free = stepper(SEED_IMAGE, SEED_DETECTOR)
    assert free.stride in list(widget_tree(free)) and free.stride_control


def test_padding_cells_look_different():
    """The padding ring is hatched grey, not the colour of an image 0."""
    fig = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR, padding=1))
    rgb = fig.render(1)[:, :, :3]
    ax = fig.axes["input"]
    to_px = lambda col, row: ax.transData.transform((col, row))  # noqa: E731
    height = rgb.shape[0]

    def colour_at(col, row, dx=0.3, dy=-0.3):
        x, y = to_px(col + dx, row + dy)
        return tuple(rgb[int(height - y), int(x)])

    pad, inside = colour_at(4, 0), colour_at(3, 3)  # both hold a 0
    assert pad != inside
    assert min(pad) > 150  # light grey padding against dark blue zeros


def test_presets_dropdown_replaces_the_detector():
    image = SEED_IMAGE[:6, :6]
    s = stepper(image, SEED_DETECTOR, presets=True)
    assert s.detector_menu.value == "face"
    assert set(data.detector_names()) <= set(s.detector_menu.options)
    s.step.value = 7
    s.detector_menu.value = "vertical_edges"
    check_step(s, loop_map(image, data.detector("vertical_edges")), 7)
    assert "vertical edges" in s.detector_note.value
    s.detector_menu.value = "box_blur_5x5"  # 2x2 map: step and stride clamped
    assert (s.step.max, s.step.value, s.stride.max) == (4, 4, 1)
    check_step(s, loop_map(image, data.detector("box_blur_5x5")), 4)
    # too big for the image: the error is shown and the old detector kept
    s.detector_menu.value = "gaussian_blur_7x7"
    assert s.detector_menu.value == "box_blur_5x5"
    assert "larger than the padded image" in s.error.value
    assert isinstance(s.last_error, ValueError)
    check_step(s, loop_map(image, data.detector("box_blur_5x5")), 4)
    s.detector_menu.value = "identity"  # works again: the error goes away
    assert s.error.value == "" and s.stride.max == 3
    check_step(s, loop_map(image, data.detector("identity")), 4)


def test_presets_list_and_custom_detector():
    custom = np.array([[2, 0], [0, -1]])
    s = stepper(SEED_IMAGE, custom, presets=["outline", "identity"])
    assert s.detector_menu.options[0] == "(your detector)"
    s.detector_menu.value = "identity"
    s.detector_menu.value = "(your detector)"
    check_step(s, loop_map(SEED_IMAGE, custom), 1)
    t = stepper(SEED_IMAGE, "outline", presets=["identity"])
    assert t.detector_menu.value == "outline"


def test_large_photo_is_live_and_switches_to_flipbook_with_a_big_stride():
    image = data.photo(128)
    det = data.detector("vertical_edges")
    s = stepper(image, det)
    full = loop_map(image, det)
    assert s.mode == "live" and s.step.max == 126 * 126 > FLIPBOOK_MAX_STEPS
    assert s.view.frames == [] and s.view.mode == "live"
    for k in (1, 127, 8000, 15876):
        s.step.value = k
        np.testing.assert_allclose(s.shown_feature_map(), partial(full, k))
        assert s.frame_png() == decoded(s.view.live_frame)
    first = png_pixels(s.frame_png())
    s.stride.value = 16  # 8x8 map: a flipbook now
    full16 = loop_map(image, det, stride=16)
    assert s.mode == "flipbook" and s.step.max == 64 and s.step.value == 64
    np.testing.assert_allclose(s.shown_feature_map(), partial(full16, 64))
    s.stride.value = 1
    assert s.mode == "live" and s.step.value == 64
    np.testing.assert_allclose(s.shown_feature_map(), partial(full, 64))
    assert png_pixels(s.frame_png()).shape == first.shape
    assert s.last_error is None


def test_forced_modes_agree():
    live = stepper(SEED_IMAGE, SEED_DETECTOR, mode="live")
    book = stepper(SEED_IMAGE, SEED_DETECTOR, mode="flipbook")
    for k in (1, 13, 25):
        live.step.value = book.step.value = k
        assert live.frame_png() == book.frame_png()
        assert live.status == book.status
        assert live.view.live_text == book.view.texts[k - 1]


def test_frames_are_modest_in_size():
    s = stepper(SEED_IMAGE, SEED_DETECTOR)
    sizes = [len(decoded(f)) for f in s.view.frames]
    assert max(sizes) < 36_000, max(sizes)


# blitting


@pytest.mark.parametrize(
    "image, det, kwargs",
    [
        (SEED_IMAGE, SEED_DETECTOR, {}),
        (SEED_IMAGE, SEED_DETECTOR, {"padding": 1, "stride": 2, "caption": True}),
        (SEED_IMAGE, SEED_DETECTOR, {"dilation": 2, "flip": True}),
        (data.photo(40), data.detector("outline"), {"stride": 2}),
        (data.photo(12, grayscale=False), np.ones((3, 3, 3)) / 27, {"scale": 1.6}),
    ],
)
def test_blitted_frame_equals_full_redraw_pixel_for_pixel(image, det, kwargs):
    looks = {k: kwargs.pop(k) for k in ("caption", "scale") if k in kwargs}
    fig = StepperFigure(Scan(image, det, **kwargs), **looks)
    steps = sorted({1, 2, fig.n_steps // 2, fig.n_steps})
    for k in steps:
        blitted = fig.render(k)
        full = fig.render_full(k)
        assert blitted.shape == full.shape
        assert np.array_equal(blitted, full), f"step {k}: {(blitted != full).any(axis=2).sum()} pixels differ"
    # and the blitted frame after a full redraw is still right (the background is kept)
    assert np.array_equal(fig.render(steps[0]), fig.render_full(steps[0]))


def test_the_stepper_frame_is_its_figure_at_that_step():
    s = stepper(SEED_IMAGE, SEED_DETECTOR)
    s.step.value = 9
    full = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR)).render_full(9)
    assert np.array_equal(png_pixels(s.frame_png()), full[:, :, :3])


# controls, links, keyboard, scale


def test_previous_next_and_speed():
    s = stepper(SEED_IMAGE, SEED_DETECTOR)
    s.next_step()
    s.next_step()
    assert s.step.value == 3 and s.view.index == 3
    s.previous_step()
    assert s.step.value == 2
    s.step.value = 25
    s.next_step()
    assert s.step.value == 25
    s.buttons.previous()
    assert s.step.value == 24
    s.speed.value = 10
    assert s.buttons.speed == 10  # the clock that plays the steps
    s.buttons.value = 7  # from Python, the buttons move the step too (in the browser a jslink does it)
    assert s.step.value == 7 and s.view.index == 7
    s.step.value = 9
    assert s.buttons.value == 9


def test_keyboard_reachable_controls():
    s = stepper(SEED_IMAGE, SEED_DETECTOR, presets=True, padding_control=True, flip_control=True)
    for w in (s.step, s.speed, s.stride, s.detector_menu, s.padding_menu, s.flip_box):
        assert not w.disabled
        assert getattr(w, "tabbable", None) in (None, True)


def test_scale_enlarges_figure_fonts_and_controls():
    small = stepper(SEED_IMAGE, SEED_DETECTOR)
    big = stepper(SEED_IMAGE, SEED_DETECTOR, scale=1.6)
    a, b = png_pixels(small.frame_png()), png_pixels(big.frame_png())
    assert b.shape[0] == pytest.approx(1.6 * a.shape[0], abs=2)
    assert b.shape[1] == pytest.approx(1.6 * a.shape[1], abs=2)
    assert b.shape[1] <= 1280  # fits a 1280x720 projector
    assert big.figure.dpi == pytest.approx(160)
    assert "conv-lesson-stepper" in big._dom_classes

    def sizes(css):
        return [float(v) for v in re.findall(r"--jp-widgets-font-size: ([\d.]+)px", css)]

    assert sizes(big.view.scoped_css) == pytest.approx([1.6 * v for v in sizes(small.view.scoped_css)])
    assert float(big.step.layout.width[:-2]) == pytest.approx(1.6 * float(small.step.layout.width[:-2]), abs=1)


def test_alt_text_describes_each_frame():
    s = stepper(SEED_IMAGE, SEED_DETECTOR)
    assert len(set(s.view.alts)) == 25
    assert "7×7 input image" in s.view.alts[0] and "3×3 detector" in s.view.alts[0]
    s.step.value = 6
    assert "row 1, column 0" in s.alt_text


# errors


def test_an_error_inside_a_callback_is_shown_not_raised(monkeypatch):
    s = stepper(data.photo(64), "outline")  # live: each step renders
    assert s.mode == "live"

    def broken(*args, **kwargs):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(s.controller.figure, "frame_png", broken)
    s.step.value = 5  # must not raise
    assert "the renderer broke" in s.error.value
    assert "RuntimeError" in s.error.value
    assert s.error.layout.display != "none"
    assert isinstance(s.last_error, RuntimeError)
    monkeypatch.undo()
    s.step.value = 6
    assert s.error.value == "" and s.error.layout.display == "none"


def test_an_error_while_rebuilding_is_shown_not_raised(monkeypatch):
    s = stepper(SEED_IMAGE, SEED_DETECTOR)

    def broken(*args, **kwargs):
        raise ValueError("no frames today")

    from conv_lesson.widgets import controller

    monkeypatch.setattr(controller, "StepperFigure", broken)
    s.stride.value = 2
    assert "no frames today" in s.error.value


def test_callbacks_never_raise_under_random_use():
    rng = np.random.default_rng(0)
    s = stepper(SEED_IMAGE, SEED_DETECTOR, presets=True, padding_control=True, flip_control=True)
    names = list(s.detector_menu.options)
    for _ in range(30):
        what = rng.integers(6)
        if what == 0:
            s.step.value = int(rng.integers(s.step.min, s.step.max + 1))
        elif what == 1:
            s.stride.value = int(rng.integers(1, s.stride.max + 1))
        elif what == 2:
            s.detector_menu.value = names[rng.integers(len(names))]
        elif what == 3:
            s.padding_menu.value = [0, 1, 2, "same"][rng.integers(4)]
        elif what == 4:
            s.flip_box.value = bool(rng.integers(2))
        else:
            (s.next_step if rng.integers(2) else s.previous_step)()
        assert 1 <= s.step.value <= s.step.max == s.n_steps
        assert s.shown_feature_map().size == s.n_steps
        assert int(np.isfinite(s.shown_feature_map()).sum()) == s.step.value
        assert STATUS.match(s.status)


@pytest.mark.parametrize(
    "kwargs, exc, words",
    [
        ({"stride": (1, 2)}, TypeError, "stride must be an int"),
        ({"stride": 0}, ValueError, "stride must be an int >= 1"),
        ({"scale": 0}, ValueError, "scale must be between"),
        ({"scale": "big"}, TypeError, "scale must be a number"),
        ({"mode": "fast"}, ValueError, "mode must be one of"),
        ({"presets": ["nope"]}, ValueError, "name must be one of"),
        ({"presets": "outline"}, TypeError, "presets must be"),
        ({"flip_control": 1}, TypeError, "flip_control must be True or False"),
        ({"stride_control": "no"}, TypeError, "stride_control must be True or False"),
        ({"padding": -1}, ValueError, "padding"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs, exc, words):
    with pytest.raises(exc, match=re.escape(words)):
        stepper(SEED_IMAGE, SEED_DETECTOR, **kwargs)


def test_bad_image_or_detector():
    with pytest.raises(TypeError, match="image must be"):
        stepper(b"face", SEED_DETECTOR)
    with pytest.raises(ValueError, match="name must be one of"):
        stepper(SEED_IMAGE, "nope")
    with pytest.raises(ValueError, match="larger than the padded image"):
        stepper(SEED_IMAGE, np.ones((9, 9)))


# export


def test_save_animation_writes_a_gif_with_one_frame_per_step(tmp_path):
    s = stepper(SEED_IMAGE, SEED_DETECTOR, stride=3)
    seen = []
    out = s.save_animation(tmp_path / "steps.gif", fps=4, progress_callback=lambda d, t: seen.append((d, t)))
    with Image.open(out) as gif:
        assert gif.format == "GIF" and gif.n_frames == 4
        assert gif.info["duration"] == 250
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def _gif_frames(path):
    with Image.open(path) as gif:
        frames = []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames, gif.info["duration"], gif.info.get("loop")


def test_a_gif_from_blitted_frames_equals_one_from_full_redraws(tmp_path):
    # the stepper's GIF is made of its blitted frames; matplotlib's own writer, given the
    # same figure and no ``render``, redraws each frame in full: the pictures must not differ
    fig = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR, stride=2), caption=True)
    fast = fig.save_animation(tmp_path / "fast.gif", fps=3)
    slow = draw.export.save_animation(fig.figure, fig.set_step, range(1, fig.n_steps + 1), tmp_path / "slow.gif", fps=3)
    (fast_frames, *fast_info), (slow_frames, *slow_info) = _gif_frames(fast), _gif_frames(slow)
    assert len(fast_frames) == len(slow_frames) == 9 and fast_info == slow_info
    for a, b in zip(fast_frames, slow_frames):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="render must be callable or None; got"):
        draw.export.save_animation(fig.figure, fig.set_step, [1], tmp_path / "x.gif", render="fast")


def test_save_animation_errors(tmp_path):
    s = stepper(SEED_IMAGE, SEED_DETECTOR, stride=3)
    with pytest.raises(ValueError, match="must end in .gif or .mp4"):
        s.save_animation(tmp_path / "steps.avi")
    with pytest.raises(ValueError, match="fps"):
        s.save_animation(tmp_path / "steps.gif", fps=0)
    with pytest.raises(FileNotFoundError):
        s.save_animation(tmp_path / "missing" / "steps.gif")
    from matplotlib import animation

    if not animation.writers.is_available("ffmpeg"):
        with pytest.raises(RuntimeError, match="ffmpeg"):
            s.save_animation(tmp_path / "steps.mp4")


def test_widgets_helpers():
    view = FrameView()
    assert view.mode == "flipbook" and view.index == 1
    b = StepButtons(value=2, min=1, max=2, speed=4)
    b.next()
    assert b.value == 2
    assert draw.matches_text(0) == "0 cells match"


def test_a_stepper_build_checks_and_pads_the_image_once(monkeypatch):
    from conv_lesson.ops import scan as scan_module

    calls = {"checked": [], "padded": 0}
    as_array, pad_array = scan_module.as_array, scan_module.pad_array

    def counting_as_array(value, name, *args, **kwargs):
        calls["checked"].append(name)
        return as_array(value, name, *args, **kwargs)

    def counting_pad_array(*args, **kwargs):
        calls["padded"] += 1
        return pad_array(*args, **kwargs)

    monkeypatch.setattr(scan_module, "as_array", counting_as_array)
    monkeypatch.setattr(scan_module, "pad_array", counting_pad_array)
    s = stepper(SEED_IMAGE, SEED_DETECTOR, padding=1, padding_control=True)
    assert calls == {"checked": ["image", "detector"], "padded": 1}
    calls["checked"].clear()
    calls["padded"] = 0
    s.stride.value = 2  # a new stride: no new checks of the arrays, the padded image reused
    assert calls == {"checked": [], "padded": 0}
    s.padding_menu.value = 2  # new settings: checked and padded once more
    assert calls == {"checked": ["image", "detector"], "padded": 1}
    assert s.last_error is None


def test_the_controller_steps_without_any_widget():

    c = StepperController(SEED_IMAGE, SEED_DETECTOR)
    full = loop_map(SEED_IMAGE, SEED_DETECTOR)
    c.set_step(14)
    assert c.view.value == full[2, 3] and c.step == 14
    c.set_stride(2)
    assert c.n_steps == 9 and c.step == 9  # the step is clamped
    np.testing.assert_allclose(c.shown_feature_map(), loop_map(SEED_IMAGE, SEED_DETECTOR, stride=2))
    with pytest.raises(ValueError, match="larger than the padded image"):
        c.change(detector=np.ones((9, 9)))
    assert c.n_steps == 9  # a refused change leaves everything as it was
    c.change(padding=1)
    assert c.n_steps == 16 and len(c.frames) == 16


def _cell_rgb(fig, value):
    """The colour of a feature-map cell holding ``value`` (its centre, away from the number)."""
    rgb = fig.render(fig.n_steps)[:, :, :3]
    where = np.argwhere(fig.scan.feature_map == value)[0]
    x, y = fig.axes["map"].transData.transform((where[1] + 0.35, where[0] + 0.35))
    return tuple(int(v) for v in rgb[int(rgb.shape[0] - y), int(x)])


def test_same_image_and_detector_look_the_same_at_every_stride():
    figs = [StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR, stride=s)) for s in (1, 2, 3, 4)]
    sizes = {f.render(1).shape for f in figs}
    assert len(sizes) == 1, sizes  # the page does not jump when the stride changes
    for value in (0, 1):
        colours = {_cell_rgb(f, value) for f in figs if value in f.scan.feature_map}
        assert len(colours) == 1, (value, colours)


def test_the_frame_encoder_works_where_no_thread_can_start(monkeypatch):
    import concurrent.futures

    fig = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR, stride=3))
    threaded = fig.frames()

    class NoThreads:
        def __init__(self, *args, **kwargs):
            pass

        def submit(self, *args, **kwargs):
            raise RuntimeError("can't start new thread")

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", NoThreads)
    done = []
    assert fig.frames(progress=lambda d, t: done.append(d)) == threaded
    assert done == [1, 2, 3, 4]


@pytest.mark.parametrize("shape", [(1, 1, 3), (1, 7, 4), (9, 1, 4), (13, 17, 3), (40, 33, 4)])
def test_a_frame_png_decodes_to_the_same_pixels(shape):
    rng = np.random.default_rng(sum(shape))
    rgba = rng.integers(0, 256, shape, dtype=np.uint8)
    rgba[: shape[0] // 2] = rng.integers(0, 256, shape[2], dtype=np.uint8)  # flat rows too, as in a figure
    for pixels in (rgba, rgba[:, ::-1], np.asfortranarray(rgba)):  # any memory layout
        img = Image.open(io.BytesIO(draw.encode_png(pixels)))  # Pillow's decoder, not ours
        assert img.mode == "RGB" and img.size == (shape[1], shape[0])
        assert np.array_equal(np.asarray(img), pixels[:, :, :3])


def test_a_figure_frame_png_is_as_small_as_pillows():
    rgba = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR)).render(5)
    ours = draw.encode_png(rgba)
    buf = io.BytesIO()
    Image.fromarray(rgba[:, :, :3]).save(buf, format="PNG", compress_level=1)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(ours))), rgba[:, :, :3])
    assert len(ours) < 1.1 * len(buf.getvalue())


@pytest.mark.parametrize(
    ("pixels", "kwargs", "words"),
    [
        (np.zeros((2, 2, 4)), {}, ["rgba", "uint8", "float64"]),
        (np.zeros((2, 2), np.uint8), {}, ["rgba", "(H, W, 3 or 4)", "(2, 2)"]),
        (np.zeros((0, 2, 3), np.uint8), {}, ["rgba", "H and W > 0", "(0, 2, 3)"]),
        (np.zeros((2, 2, 3), np.uint8), {"compress_level": 10}, ["compress_level", "0 to 9", "10"]),
    ],
)
def test_encode_png_names_what_is_wrong(pixels, kwargs, words):
    with pytest.raises(ValueError) as err:
        draw.encode_png(pixels, **kwargs)
    assert all(w in str(err.value) for w in words), str(err.value)


def test_a_signed_map_is_drawn_in_the_gallerys_key_with_its_colour_bar():
    """One colour key for signed maps: white 0, red positive, blue negative, as the gallery draws them."""
    bar = np.zeros((8, 8))
    bar[1:7, 3:5] = 1
    fig = StepperFigure(Scan(bar, data.detector("vertical_edges")))
    zero, plus, minus = (_cell_rgb(fig, v) for v in (0, 4, -4))
    assert min(zero) >= 240, zero
    assert plus[0] > plus[2] + 50 and minus[2] > minus[0] + 50, (plus, minus)  # red and blue
    shown = draw.feature_map_gallery(bar, ["vertical_edges"]).map_axes[0].images[0]
    for value, rgb in ((0, zero), (4, plus), (-4, minus)):
        expected = np.array(shown.cmap(shown.norm(value))[:3]) * 255
        assert np.abs(expected - rgb).max() <= 3, (value, expected, rgb)
    # the key beside the map: a colour bar, which the face's map (never negative) does without
    face = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR))
    assert len(fig.figure.axes) == len(face.figure.axes) + 1


@pytest.mark.parametrize("bright", [[6, 7], []])  # the map holds no negative value, or only zeros
def test_an_edge_detectors_map_keeps_the_signed_key_whatever_the_drawing(bright):
    image = np.zeros((8, 8))
    image[:, bright] = 1
    fig = StepperFigure(Scan(image, data.detector("vertical_edges")))
    assert min(_cell_rgb(fig, 0)) >= 240  # 0 is white, as in every other drawing, not dark blue or grey
    face = StepperFigure(Scan(SEED_IMAGE, SEED_DETECTOR))
    assert len(fig.figure.axes) == len(face.figure.axes) + 1  # with its colour bar


def test_the_numbers_are_tables_in_the_browser_and_in_the_saved_lesson():
    # the feature map, computed here by the definition (loop_map), read back from the tables' cells
    expected = loop_map(SEED_IMAGE, SEED_DETECTOR)

    def map_cells(page):  # the feature map table's cells, row by row, as text (its header row left out)
        table = page.split("feature map so far")[1].split("</table>")[0]
        rows = table.split('<th scope="row">')[1:]
        return [re.sub(r"<[^>]+>", "", cell).strip() for row in rows for cell in row.split("<td>")[1:]]

    flip, live = stepper(SEED_IMAGE, SEED_DETECTOR), stepper(SEED_IMAGE, SEED_DETECTOR, mode="live")
    assert len(flip.view.tables) == flip.n_steps == 25 and live.view.tables == []
    for s, k in ((flip, 7), (live, 7)):
        s.step.value = k
        page = s.view.tables[k - 1] if s.mode == "flipbook" else s.view.live_tables
        cells = map_cells(page)
        assert cells[: k - 1] == [f"{v:g}" for v in expected.ravel()[: k - 1]]
        assert cells[k - 1] == f"{expected.ravel()[k - 1]:g} (this step)"
        assert cells[k:] == ["not yet"] * (25 - k)
        assert page.count("<table>") == 3 and '<th scope="col">column 0' in page and '<th scope="row">row 4' in page
    saved = flip._repr_mimebundle_()["text/html"]
    assert "<summary>numbers as a table</summary>" in saved  # the saved lesson keeps them (the last step)
    assert map_cells(saved)[:24] == [f"{v:g}" for v in expected.ravel()[:24]] and "not yet" not in saved
    assert map_cells(saved)[24] == f"{expected[4, 4]:g} (this step)"


def test_cells_no_window_reads_are_greyed_out_and_their_numbers_stay_readable():
    """Stride 3 on the 7x7 face reads columns and rows 0-5 only: row 6 and column 6 are washed pale (read
    off the rendered pixels: the same 0 as its neighbour, far lighter) and their numbers keep 4.5:1."""
    from matplotlib import colormaps

    from conv_lesson import face_detector, face_image
    from conv_lesson.draw import StepperFigure
    from conv_lesson.draw.cells import CELL_CMAP, faded, ink_on, value_norm

    image = face_image()
    assert image[0, 5] == image[0, 6] == 0
    fig = StepperFigure(Scan(image, face_detector(), stride=3))
    pixels = fig.render_full(1)
    ax = next(a for a in fig.figure.axes if a.get_title().startswith("input image"))
    assert "No window reads row 6 and column 6" in fig.describe(1)  # said in words too (not in the title:
    # a longer title would widen the picture at stride 3 only, and the page would jump)

    def luminance_at(col, row):
        x, y = ax.transData.transform((col, row + 0.3))  # below the number, in the cell's colour
        r, g, b = pixels[pixels.shape[0] - 1 - int(round(y)), int(round(x)), :3] / 255
        return 0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2

    assert luminance_at(6, 0) > 5 * luminance_at(5, 0) and luminance_at(6, 0) > 5 * luminance_at(0, 6 - 1)
    zero = faded(colormaps[CELL_CMAP](value_norm(image)(0.0)))
    ink = (0.0, 0.0, 0.0) if ink_on(zero) == "black" else (1.0, 1.0, 1.0)
    lum = [0.2126 * c[0] ** 2.2 + 0.7152 * c[1] ** 2.2 + 0.0722 * c[2] ** 2.2 for c in (zero, ink)]
    assert (max(lum) + 0.05) / (min(lum) + 0.05) >= 4.5
