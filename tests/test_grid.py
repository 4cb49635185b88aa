"""Part 4 of issue 11, headless: the editable grid, draw-your-own, finishing a row or the map, live
frames on request, the gallery explorer and the learning-rate curves.

Expected maps come from a plain loop here, never from ``conv_lesson.ops``.
"""

from __future__ import annotations

import numpy as np
import pytest

from conv_lesson import data, draw_your_own, gallery_explorer, learning_rate_explorer, stepper
from conv_lesson.draw import learning_rate_curves, map_thumbnails
from conv_lesson.publish.offline import offline_form
from conv_lesson.widgets import EditableGrid
from conv_lesson.widgets.controller import StepperController
from conv_lesson.widgets.frameview import StepButtons


def loop_map(image, detector):
    image, detector = np.asarray(image, float), np.asarray(detector, float)
    kh, kw = detector.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (image[i : i + kh, j : j + kw] * detector).sum()
    return out


def shown_so_far(full, k):
    out = np.full(full.shape, np.nan)
    out.ravel()[:k] = full.ravel()[:k]
    return out


def test_grid_holds_its_values_and_refuses_bad_ones():
    g = EditableGrid([[0, 1], [1, 0]], label="image")
    assert g.value == [[0.0, 1.0], [1.0, 0.0]] and g.kind == "toggle" and g.label == "image"
    with pytest.raises(ValueError, match="value must hold only 0 and 1"):
        g.value = [[0, 2]]
    assert g.value == [[0.0, 1.0], [1.0, 0.0]]  # unchanged
    with pytest.raises(ValueError, match="values must hold only 0 and 1"):
        EditableGrid([[0.5]])
    with pytest.raises(ValueError, match="kind must be one of"):
        EditableGrid([[1]], kind="slider")
    with pytest.raises(TypeError, match="label must be a str"):
        EditableGrid([[1]], label=3)
    with pytest.raises(ValueError, match="at most 24x24"):
        EditableGrid(np.zeros((30, 3)))
    numbers = EditableGrid([[-1.5, 2]], kind="number")
    numbers.value = [[3, -4.25]]
    assert numbers.array().tolist() == [[3.0, -4.25]]
    assert EditableGrid([[1]], scale=2).cell_px == 56


def test_drawing_on_the_grid_updates_the_stepper_map():
    w = draw_your_own()
    s = w.stepper
    s.step.value = 12
    image = data.face_image().astype(float)
    image[2, 2] = image[0, 6] = 1
    image[1, 1] = 0
    w.image_grid.value = image.tolist()
    assert w.last_error is None
    expected = loop_map(image, data.face_detector())
    assert s.step.value == 12  # the step stays
    np.testing.assert_array_equal(s.shown_feature_map(), shown_so_far(expected, 12))
    s.finish_map()
    np.testing.assert_array_equal(s.shown_feature_map(), expected)


def test_typing_the_detector_updates_the_stepper_map():
    w = draw_your_own()
    new = [[1, -1, 0.5], [0, 2, 0], [-1, 0, 1]]
    w.detector_grid.value = new
    w.stepper.finish_map()
    np.testing.assert_allclose(w.stepper.shown_feature_map(), loop_map(data.face_image(), new))
    assert w.detector().tolist() == [[1, -1, 0.5], [0, 2, 0], [-1, 0, 1]]


def test_draw_your_own_takes_any_small_drawing_and_detector():
    image = np.zeros((6, 8))
    image[2:4, 3:6] = 1
    w = draw_your_own(image, [[1, 1], [1, 1]], mode="live")
    assert w.stepper.mode == "live" and w.stepper.n_steps == 5 * 7
    w.stepper.finish_map()
    np.testing.assert_array_equal(w.stepper.shown_feature_map(), loop_map(image, np.ones((2, 2))))
    assert "Draw your own" in repr(w)


def _from_browser(widget, **state):
    """Set ``state`` on ``widget`` as ipywidgets does while a message from the browser is applied."""
    with widget._lock_property(**state):
        for name, value in state.items():
            setattr(widget, name, value)


@pytest.mark.parametrize("mode", ["flipbook", "live"])
def test_a_drawing_change_keeps_the_step_the_browser_is_at(mode):
    # Two quick arrow keys: the browser is at step 3 and has told the kernel so through the picture
    # (and the buttons), but ipywidgets holds the slider's 3 back until the kernel has handled its
    # 2. A click on the drawing goes at once: the rebuild must not send the browser back to 2.
    w = draw_your_own(mode=mode)
    s = w.stepper
    _from_browser(s.step, value=2)
    if mode == "live":
        s.view._handle_custom_msg({"request": 2}, [])  # the picture asks for its step's frame
    _from_browser(s.view, index=3)
    _from_browser(s.buttons, value=3)
    sent = []
    for widget, name in ((s.step, "value"), (s.view, "index"), (s.buttons, "value")):
        widget.observe(lambda change, name=name: sent.append((name, change.new)), name)
    image = w.image()
    image[0, 4] = 1 - image[0, 4]
    w.image_grid.value = image.tolist()
    assert sent == [] and w.last_error is None, "the rebuild sent a step to the browser"
    _from_browser(s.step, value=3)  # the slider's held-back value arrives
    if mode == "live":
        assert s.view.live_step == 2  # the frame of the step the kernel knew, at once
        s.view._handle_custom_msg({"request": 3}, [])  # the picture is at 3: it asks for that frame
    expected = loop_map(image, data.face_detector())
    assert s.status.endswith(f"feature map cell (0, 2) = {expected[0, 2]:g}")
    np.testing.assert_array_equal(s.shown_feature_map(), shown_so_far(expected, 3))


def test_a_change_that_leaves_fewer_steps_moves_the_browser_to_the_last():
    w = draw_your_own()
    s = w.stepper
    _from_browser(s.step, value=20)
    w.detector_grid.value = np.ones((5, 5)).tolist()  # a 3x3 map now: 9 steps
    assert s.step.value == s.view.index == s.buttons.value == 9
    assert s.step.max == s.view.count == 9 and w.last_error is None


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"image": [[0, 2], [1, 0]]}, ValueError, "image must hold only 0 and 1"),
        ({"image": [1, 0, 1]}, ValueError, "image must be a 2-D array"),
        ({"detector": np.ones((9, 9))}, ValueError, "detector must not be larger than the image"),
        ({"detector": "edges"}, TypeError, "detector"),
        ({"mode": "fast"}, ValueError, "mode must be one of"),
        ({"scale": 10}, ValueError, "scale"),
    ],
)
def test_draw_your_own_names_the_bad_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        draw_your_own(**kwargs)


def test_an_error_in_a_callback_is_shown_in_the_widget():
    w = draw_your_own()
    w.detector_grid.value = np.ones((7, 7)).tolist()  # legal for the grid, but fits the image once only
    assert w.last_error is None and w.stepper.n_steps == 1
    w.stepper.controller.change = None  # sabotage: the next rebuild fails inside the callback
    w.image_grid.value = np.zeros((7, 7)).tolist()
    assert isinstance(w.last_error, TypeError)
    assert "Could not use the drawing" in w.error.value and w.error.layout.display is None


@pytest.mark.parametrize(
    ("start", "row_end"),
    [(1, 5), (3, 5), (5, 10), (6, 10), (21, 25), (25, 25)],
)
def test_finish_row_goes_to_the_end_of_the_row_or_the_next(start, row_end):
    s = stepper(data.face_image(), data.face_detector())  # 5x5 map: rows end at 5, 10, ... 25
    s.step.value = start
    s.finish_row()
    assert s.step.value == row_end
    full = loop_map(data.face_image(), data.face_detector())
    np.testing.assert_array_equal(s.shown_feature_map(), shown_so_far(full, row_end))
    assert StepperController(data.face_image(), data.face_detector()).row_end(start) == row_end
    buttons = StepButtons(value=start, min=1, max=25, row_length=5)
    buttons.finish_row()
    assert buttons.value == row_end


def test_finish_row_and_map_with_stride_and_in_live_mode():
    s = stepper(data.photo(32), "vertical_edges", stride=2, mode="live")  # 15x15 map
    assert s.buttons.row_length == 15
    s.step.value = 17
    s.finish_row()
    assert s.step.value == 30
    assert s.status.startswith("step 30 of 225 ")
    s.finish_map()
    assert s.step.value == 225
    full = loop_map(data.photo(32), data.detector("vertical_edges"))[::2, ::2]
    np.testing.assert_allclose(s.shown_feature_map(), full)


def test_live_frames_are_drawn_on_request_and_not_for_every_browser_step():
    s = stepper(data.photo(32), "vertical_edges", mode="live")
    drawn = []
    s.view.observe(lambda change: drawn.append(change.new), "live_step")
    # the browser moves the slider by itself (Play): the kernel draws nothing for it
    with s.step._lock_property(value=40):  # what ipywidgets does while a browser change is applied
        s.step.value = 40
    assert drawn == [] and s.controller.step == 1
    # the picture asks for the latest step: one frame, that step's
    s.view._handle_custom_msg({"request": 40}, [])
    assert drawn == [40] and s.controller.step == 40
    assert s.status.startswith("step 40 of 900 ")
    s.view._handle_custom_msg({"request": 10_000}, [])  # out of range: the last step
    assert drawn[-1] == 900
    s.view._handle_custom_msg({"nonsense": 1}, [])
    assert drawn[-1] == 900 and s.last_error is None


def test_map_thumbnails_and_the_explorer():
    image = data.photo(24)
    names = ["vertical_edges", "outline", "gaussian_blur"]
    thumbs = map_thumbnails(image, names)
    assert [t.name for t in thumbs] == names
    for t in thumbs:
        np.testing.assert_allclose(t.feature_map, loop_map(image, data.detector(t.name)), atol=1e-12)
        assert t.png[:4] == b"\x89PNG"
    ex = gallery_explorer(image, names)
    assert ex.picker.names == names and len(ex.picker.images) == 3
    ex.picker.selected = 1  # a click on the outline map
    assert "outline" in ex.card.value and ex.card.value.count("<td ") == 9
    ex.stepper.finish_map()
    np.testing.assert_allclose(ex.stepper.shown_feature_map(), loop_map(image, data.detector("outline")))
    ex.choose("gaussian_blur")
    assert ex.picker.selected == 2
    with pytest.raises(ValueError, match="name must be one of"):
        ex.choose("sharpen")
    with pytest.raises(TypeError, match="detectors"):
        gallery_explorer(image, "outline")


def _descent(image, target, rate, steps):
    """Gradient descent written out here: the loss before each step, and the step it blew up at."""
    rng = np.random.default_rng(0)
    det = rng.normal(scale=0.1, size=(3, 3))
    losses = []
    for step in range(steps):
        err = loop_map(image, det) - target
        loss = float(np.mean(err**2))
        if not np.isfinite(loss) or (losses and loss > 100 * losses[0]):
            return losses, step
        losses.append(loss)
        det = det - rate * 2 / err.size * loop_map(image, err)
    return losses, None


def test_learning_rate_curves_crawl_converge_and_blow_up():
    image = data.photo(16)
    target = loop_map(image, data.detector("vertical_edges"))
    fig = learning_rate_curves(image, target, [0.01, 0.5, 3.0], steps=60)
    titles = [ax.get_title() for ax in fig.axes]
    for ax, rate in zip(fig.axes, [0.01, 0.5, 3.0]):
        losses, blew_up = _descent(image, target, rate, 60)
        np.testing.assert_allclose(ax.lines[0].get_ydata(), losses)
        word = "blows up" if blew_up is not None else ("crawls" if losses[-1] > 0.01 * losses[0] else "converges")
        assert word in ax.get_title(), (rate, ax.get_title())
    assert "crawls" in titles[0] and "converges" in titles[1] and "blows up" in titles[2]
    w = learning_rate_explorer(image, target, small=0.01, large=3.0, rate=0.5, steps=60)
    assert [t.splitlines()[-1].split(":")[0] for t in w.titles()][1] == "converges"
    w.rate.value = 3.0
    assert "blows up" in w.titles()[1] and w.frame_png()[:4] == b"\x89PNG"
    assert "blows up" in w.picture.value and "<img" in w.picture.value  # the titles are the picture's alt text
    with pytest.raises(ValueError, match="rate"):
        learning_rate_explorer(image, target, rate=0)


def test_a_published_learning_rate_explorer_steps_through_stored_rates_in_the_browser():
    from ipywidgets.widgets.widget import _instances
    from ipywidgets.widgets.widget_link import Link

    image = data.photo(16)
    target = loop_map(image, data.detector("vertical_edges"))
    w = learning_rate_explorer(image, target, small=0.01, large=3.0, rate=0.6, steps=60)
    slider, note, stack = offline_form(w).children
    rates = [10**-1, 10**-0.5, 0.6, 10**-0.15, 10**-0.1, 10**-0.05]  # the stored positions and the start
    assert slider.labels == [f"{r:.3g}" for r in rates] and (slider.min, slider.max) == (0, 5)  # read out as rates
    assert slider.value == stack.selected_index == 2 and "needs a running notebook" in note.value
    links = [x for x in _instances.values() if isinstance(x, Link)]
    assert any({x.source, x.target} == {(slider, "value"), (stack, "selected_index")} for x in links)
    for rate, page in zip(rates, stack.children):
        picture, caption = page.children
        middle = caption.value.split(" | ")[1]
        losses, blew_up = _descent(image, target, rate, 60)
        assert middle.startswith(f"learning rate {rate:.3g}: ") and "<img" in picture.value
        assert middle in picture.value  # in its alt text too (both escaped for HTML)
        if blew_up is not None:
            assert middle.endswith(f"blows up at step {blew_up}"), (rate, middle)
        else:
            assert f"{losses[-1]:.3g} in 60 steps" in middle, (rate, middle)
    assert len({p.children[0].value for p in stack.children}) == len(rates)
