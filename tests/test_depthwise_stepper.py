"""Lesson 09's depthwise stepper, headless: each channel read by its own detector, into its own map.

Expectations are computed here, channel by channel, with a plain numpy double loop over the
padded channel (never with ``conv_lesson.ops``).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_matrix_steppers import shown  # what a grid shows: its coloured values, NaN where blank
from test_outlines import assert_outlines_stand_out, contrast

import conv_lesson
from conv_lesson.draw import DepthwiseFigure, smallest_text_px, text_sizes_px
from conv_lesson.draw.cells import faded
from conv_lesson.draw.readable import MIN_TEXT_PX
from conv_lesson.publish.offline import offline_form
from conv_lesson.widgets import StepperView, depthwise_stepper

RGB = np.arange(75).reshape(5, 5, 3) * 7 % 10  # 5x5x3, the channels different from one another
EDGES = np.array([[[1, 0, -1]] * 3, [[1, 2, 1], [0, 0, 0], [-1, -2, -1]], np.ones((3, 3))])
TWO = np.stack([np.eye(4, dtype=int), np.arange(16).reshape(4, 4) % 3], axis=-1)  # 4x4x2
DIAG = np.array([[[1, 0], [0, 1]], [[0, 1], [2, 0]]])


def windows_by_hand(channel, det, stride, padding):
    """Every window of the padded channel (scan order) with its top-left corner; the map's shape."""
    padded = np.pad(channel, padding)
    kh, kw = det.shape
    rows, cols = (padded.shape[0] - kh) // stride + 1, (padded.shape[1] - kw) // stride + 1
    found = []
    for i in range(rows):
        for j in range(cols):
            found.append(((i * stride, j * stride), padded[i * stride : i * stride + kh, j * stride : j * stride + kw]))
    return found, (rows, cols)


def map_by_hand(channel, det, stride, padding):
    """One channel's feature map: a double loop, sums of products."""
    found, shape = windows_by_hand(channel, det, stride, padding)
    out = np.zeros(shape)
    for n, (_, window) in enumerate(found):
        total = 0.0
        for a in range(det.shape[0]):
            for b in range(det.shape[1]):
                total += window[a, b] * det[a, b]
        out.flat[n] = total
    return out


CASES = [(RGB, EDGES, 1, 0), (RGB, EDGES, 2, 1), (TWO, DIAG, 1, 0), (TWO, DIAG, 2, 1)]


@pytest.mark.parametrize(("image", "dets", "stride", "padding"), CASES)
def test_every_step_shows_the_maps_a_per_channel_loop_gives(image, dets, stride, padding):
    fig = DepthwiseFigure(image, dets, stride=stride, padding=padding)
    channels = image.shape[2]
    full = [map_by_hand(image[..., c], dets[c], stride, padding) for c in range(channels)]
    cells = full[0].size
    assert fig.n_windows == cells and fig.n_steps == channels * cells + 1
    for step in range(1, fig.n_steps + 1):
        fig.set_step(step)
        now, k = divmod(step - 1, cells)  # the channel read, and how many of its cells were done before
        for c in range(channels):
            expected = np.full(full[c].shape, np.nan)
            if c < now:
                expected = full[c]
            elif c == now:
                expected.flat[: k + 1] = full[c].flat[: k + 1]
            np.testing.assert_allclose(shown(fig.map_grids[c]), expected, err_msg=f"step {step}, map {c}")
    assert np.allclose(np.moveaxis(fig.maps, -1, 0), full)


@pytest.mark.parametrize(("image", "dets", "stride", "padding"), CASES)
def test_channel_c_is_read_only_by_detector_c(image, dets, stride, padding):
    fig = DepthwiseFigure(image, dets, stride=stride, padding=padding)
    channels = image.shape[2]
    for step in range(1, fig.n_steps):
        c, k = divmod(step - 1, fig.n_windows)
        (top, left), window = windows_by_hand(image[..., c], dets[c], stride, padding)[0][k]
        fig.set_step(step)
        # the arithmetic is this channel's window times this channel's detector, and nothing else
        products = " + ".join(f"{a:g}×{b:g}".replace("×-", "×(-") + (")" if b < 0 else "")
                              for a, b in zip(window.ravel(), dets[c].ravel()))  # fmt: skip
        assert f"detector {c}: {products} = " in fig.detail(step)
        assert f"window at row {top}, column {left}" in fig.status(step)
        # only channel c and detector c are bright; only their outlines, and channel c's frame, show
        for o in range(channels):
            read = o == c
            assert fig.inputs[o].wash.get_visible() is not read and fig.detectors[o].wash.get_visible() is not read
            assert fig.windows[o].get_visible() is read and fig.used[o].get_visible() is read
            assert fig.written[o].get_visible() is read and fig.lanes[o].get_visible() is read
        assert fig.windows[c].get_xy() == (left - 0.5, top - 0.5)
    # changing every other channel changes nothing in map c
    for c in range(channels):
        other = image.astype(float).copy()
        other[..., [o for o in range(channels) if o != c]] += 5
        changed = DepthwiseFigure(other, dets, stride=stride, padding=padding)
        assert np.array_equal(changed.maps[..., c], fig.maps[..., c])
        steps = range(c * fig.n_windows + 1, (c + 1) * fig.n_windows + 1)
        assert [changed.detail(s) for s in steps] == [fig.detail(s) for s in steps]


def test_the_last_step_says_no_step_mixed_two_channels():
    fig = DepthwiseFigure(RGB, EDGES)
    n = fig.n_steps
    assert n == 3 * 9 + 1
    fig.set_step(n)
    assert "no step mixed two channels" in fig.status(n) and "1×1 pointwise" in fig.detail(n)
    assert all(d.get_visible() for d in fig.done) and not any(w.get_visible() for w in fig.windows)
    assert not any(g.wash.get_visible() for g in fig.inputs + fig.detectors)
    assert "No step read two channels" in fig.describe(n) and fig.tables_html(n) == ""
    footer = fig.figure.texts[-1].get_text()
    assert "No step ever mixes two channels" in footer and "1×1 pointwise" in footer


def test_alt_text_names_the_channel_and_its_detector():
    fig = DepthwiseFigure(RGB, EDGES)
    alt = fig.describe(11)  # green: its second window
    assert alt.startswith("Three rows of panels") and "Channel 1 (green) is read" in alt
    assert "detector 1, its own, is outlined" in alt and "The red and blue channels" in alt
    assert "map 0 is finished and map 2 is still empty" in alt and "row 0, column 1" in alt
    assert "solid line" in alt and "dashed line" in alt
    two = DepthwiseFigure(TWO, DIAG)
    assert "Channel 1 is read" in two.describe(two.n_steps - 1) and "Channel 0 and" in two.describe(two.n_steps - 1)
    assert "channel 1 (green), read by detector 1" in fig.tables_html(11)
    assert fig.tables_html(11).count("<table>") == 3 and "image window at step 11" in fig.tables_html(11)


def test_greyed_out_numbers_keep_their_contrast():
    fig = DepthwiseFigure(RGB, EDGES)
    fig.set_step(1)
    for grid in fig.inputs[1:] + fig.detectors[1:]:
        mesh = grid.grid.mesh
        values = np.ma.getdata(mesh.get_array()).ravel()
        washed = [np.array(faded(mesh.cmap(mesh.norm(v)))[:3]) * 255 for v in values]
        inks = grid.faded.get_facecolor()[:, :3] * 255
        assert len(inks) == len(values) and grid.faded.get_visible()
        assert min(contrast(i, w) for i, w in zip(inks, washed)) >= 4.5


@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_text_and_numbers_are_at_least_the_lessons_size(scale):
    fig = DepthwiseFigure(RGB, EDGES / 9, scale=scale)
    for step in (1, fig.n_steps):
        fig.set_step(step)
        assert "cell numbers" in {text for text, _ in text_sizes_px(fig.figure)}
        assert smallest_text_px(fig.figure) >= MIN_TEXT_PX * scale - 1e-6
    assert fig.figure.get_size_inches()[0] * 100 <= 1000


def test_outlines_stand_out_and_blitting_equals_a_full_redraw():
    fig = DepthwiseFigure(RGB, EDGES, padding=1)
    assert_outlines_stand_out(fig, [1, 30, fig.n_steps])
    for step in (1, 2, 30, fig.n_steps, 1):
        assert np.array_equal(fig.render(step), fig.render_full(step)), f"step {step}"


def test_the_stepper_is_a_flipbook_and_a_stride_change_rebuilds_it():
    s = depthwise_stepper(RGB, EDGES)
    assert isinstance(s, StepperView) and s.mode == "flipbook" and s.n_steps == 28
    assert len(s.view.frames) == len(s.view.alts) == len(set(s.view.alts)) == 28 and len(s.view.tables) == 28
    assert s.controls["stride"].max == 3
    s.step.value = 20
    s.controls["stride"].value = 2
    assert s.last_error is None and s.n_steps == 3 * 4 + 1 and s.step.value == 13 and s.step.max == 13
    assert len(s.view.frames) == 13
    hand = [map_by_hand(RGB[..., c], EDGES[c], 2, 0) for c in range(3)]
    assert np.allclose(np.moveaxis(s.controller.figure.maps, -1, 0), hand)
    s.step.value = 5  # channel 1 (green), its first window
    assert s.status == "step 5 of 13 · channel 1 (green) · window at row 0, column 0 · map 1 cell (0, 0) = " + (
        f"{hand[1][0, 0]:g}"
    )
    assert "<img" in s.saved_picture_html() and "no step mixed two channels" in s.saved_picture_html()


def test_the_site_steps_it_with_no_kernel():
    form = offline_form(depthwise_stepper(RGB, EDGES))
    note, flipbook = form.children
    assert "stride" in note.value and "need" in note.value
    assert isinstance(flipbook, StepperView) and flipbook.mode == "flipbook" and not flipbook.controls
    assert len(flipbook.view.frames) == len(flipbook.view.texts) == 28
    assert "channel 2 (blue)" in flipbook.view.texts[20] and "channel 2 (blue)" in flipbook.view.alts[20].lower()


@pytest.mark.parametrize(
    ("call", "exc", "words"),
    [
        (lambda: depthwise_stepper(RGB[..., 0], EDGES), ValueError, "image"),  # 2-D
        (lambda: depthwise_stepper(RGB[None], EDGES), ValueError, "image"),  # 4-D
        (lambda: depthwise_stepper(RGB[..., :1], EDGES[:1]), ValueError, "channels"),  # one channel
        (lambda: depthwise_stepper(np.zeros((4, 4, 5)), np.ones((5, 2, 2))), ValueError, "channels"),
        (lambda: depthwise_stepper(RGB, EDGES[0]), ValueError, "detectors"),  # 2-D
        (lambda: depthwise_stepper(RGB, EDGES[:2]), ValueError, "one detector per channel"),
        (lambda: depthwise_stepper(RGB, "edges"), TypeError, "detectors"),
        (lambda: depthwise_stepper(np.zeros((9, 9, 3)), EDGES), ValueError, "image"),  # a side too long
        (lambda: depthwise_stepper(np.zeros((8, 8, 2)), np.ones((2, 1, 1))), ValueError, "128 steps"),
        (lambda: depthwise_stepper(np.zeros((6, 6, 4)), np.ones((4, 1, 1)), stride=2, padding=1), ValueError, "wide"),
        (lambda: depthwise_stepper(RGB, EDGES / 9, padding=1), ValueError, "characters long, would be"),
        (lambda: depthwise_stepper(RGB, np.ones((3, 6, 6))), ValueError, "detector"),
        (lambda: depthwise_stepper(RGB, EDGES, stride=0), ValueError, "stride"),
        (lambda: depthwise_stepper(RGB, EDGES, padding="full"), ValueError, "padding"),
        (lambda: depthwise_stepper(RGB, EDGES, scale="big"), TypeError, "scale"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


def test_exported():
    assert "depthwise_stepper" in conv_lesson.__all__ and conv_lesson.depthwise_stepper is depthwise_stepper
