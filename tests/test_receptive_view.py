"""The receptive-field view (lesson 07), headless: what it highlights is checked against a brute force.

The dependency of an output cell on the cells below it is found here by
running the layers themselves (plain loops, all-ones kernels) on one-hot
inputs: the output cell's value is then the number of paths from that input
cell, 0 where it does not depend on it at all. Nothing of ``conv_lesson.ops``
is used for the expectation.
"""

from __future__ import annotations

import numpy as np
import pytest

import conv_lesson
from conv_lesson.draw import ReceptiveFieldFigure
from conv_lesson.draw.receptive import default_input_shape, path_counts
from conv_lesson.publish.offline import offline_form
from conv_lesson.widgets import ReceptiveFieldView, receptive_field_view

CASES = [
    [(3, 1, 1), (3, 1, 1)],
    [(3, 2, 1), (3, 1, 1)],
    [(2, 1, 2), (3, 2, 1)],
    [(3, 1, 1), (2, 2, 1), (3, 1, 2)],
]


def loop_layer(x, kernel, stride, dilation):
    """One layer with an all-ones kernel, no padding, by hand."""
    extent = dilation * (kernel - 1) + 1
    rows, cols = (x.shape[0] - extent) // stride + 1, (x.shape[1] - extent) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            for a in range(kernel):
                for b in range(kernel):
                    out[i, j] += x[i * stride + a * dilation, j * stride + b * dilation]
    return out


def brute_counts(layers, cell, shapes, level):
    """Paths from every cell of ``level`` to ``cell`` of the last layer, by running the layers on one-hots."""
    counts = np.zeros(shapes[level])
    for r, c in np.ndindex(shapes[level]):
        x = np.zeros(shapes[level])
        x[r, c] = 1
        for kernel, stride, dilation in layers[level:]:
            x = loop_layer(x, kernel, stride, dilation)
        counts[r, c] = x[cell]
    return counts


def shown(grid):
    """What a grid shows: its coloured values, NaN where a cell is left blank."""
    arr = grid.mesh.get_array()
    return np.where(np.ma.getmaskarray(arr), np.nan, np.ma.getdata(arr)).reshape(grid.shape)


@pytest.mark.parametrize("layers", CASES, ids=str)
def test_every_output_cell_highlights_exactly_its_brute_force_dependency(layers):
    fig = ReceptiveFieldFigure(layers)
    assert fig.n_steps == fig.shapes[-1][0] * fig.shapes[-1][1]
    for step in range(1, fig.n_steps + 1):
        fig.set_step(step)
        cell = fig.cell
        assert cell == divmod(step - 1, fig.shapes[-1][1])
        for level, (grid, span) in enumerate(zip(fig.grids, fig.spans)):
            expected = brute_counts(layers, cell, fig.shapes, level)
            got = shown(grid)
            assert np.array_equal(np.isfinite(got), expected > 0), f"step {step}, level {level}"
            assert np.array_equal(got[expected > 0], expected[expected > 0])
            rows, cols = np.nonzero(expected)
            assert span.get_xy() == (cols.min() - 0.5, rows.min() - 0.5)
            assert (span.get_width(), span.get_height()) == (cols.max() - cols.min() + 1, rows.max() - rows.min() + 1)


@pytest.mark.parametrize("layers", CASES, ids=str)
def test_the_side_written_is_the_span_of_the_input_dependency(layers):
    fig = ReceptiveFieldFigure(layers)
    rows, _ = np.nonzero(brute_counts(layers, (0, 0), fig.shapes, 0))
    side = rows.max() - rows.min() + 1
    assert fig.receptive_field == side
    assert any(f"sees {side}×{side} input cells" in t.get_text() for t in fig.figure.texts)
    assert f"a {side}×{side} square" in fig.detail(1)


def test_path_counts_of_two_3x3_layers_are_the_outer_product_of_1_2_3_2_1():
    counts = path_counts([(3, 1, 1), (3, 1, 1)], (1, 1), (7, 7))
    row = np.array([0, 1, 2, 3, 2, 1, 0])
    assert np.array_equal(counts[0], np.outer(row, row))
    assert counts[2].sum() == 1 and counts[2][1, 1] == 1


def test_default_input_gives_a_small_last_output():
    assert default_input_shape([(3, 1, 1), (3, 1, 1)]) == (7, 7)
    for layers in CASES:
        shape = default_input_shape(layers)
        fig = ReceptiveFieldFigure(layers)
        assert fig.shapes[0] == shape and max(shape) <= 16 and fig.shapes[-1][0] >= 1


@pytest.mark.parametrize("layers", CASES[:2], ids=str)
def test_blitted_frames_equal_a_full_redraw(layers):
    fig = ReceptiveFieldFigure(layers)
    for step in (1, fig.n_steps, 2):
        assert np.array_equal(fig.render(step), fig.render_full(step)), f"step {step}"
    assert np.array_equal(fig.render(1), fig.render_full(1))


def test_the_widget_is_a_flipbook_with_a_frame_text_and_alt_per_output_cell():
    v = receptive_field_view([(3, 1, 1), (3, 1, 1)])
    assert isinstance(v, ReceptiveFieldView) and v.mode == "flipbook"
    assert len(v.view.frames) == len(v.view.texts) == len(v.view.alts) == v.n_steps == 9
    assert len(set(v.view.alts)) == 9 and len(set(v.view.frames)) == 9
    assert "output cell (1, 2)" in v.view.alts[5].lower() and "5×5" in v.view.alts[5]
    v.step.value = 6
    assert v.cell == (1, 2) and v.frame_png() == v.controller.frames[5]
    assert v.levels()[0].rows == (1, 2, 3, 4, 5) and v.levels()[0].cols == (2, 3, 4, 5, 6)
    assert v.view.index == v.buttons.value == 6
    v.next_step()
    assert v.status.startswith("step 7 of 9 · output cell (2, 0)")


def test_stride_and_dilation_controls_rebuild_the_view():
    v = receptive_field_view([(3, 1, 1), (3, 1, 1)])
    v.step.value = 4
    v.controls["stride_1"].value = 2
    assert v.layers == [(3, 2, 1), (3, 1, 1)] and v.last_error is None
    assert v.controller.figure.receptive_field == 7 and len(v.view.frames) == v.n_steps
    v.controls["dilation_2"].value = 2
    assert v.layers == [(3, 2, 1), (3, 1, 2)] and v.last_error is None
    fig = v.controller.figure
    fig.set_step(v.step.value)
    expected = brute_counts(v.layers, v.cell, fig.shapes, 0)
    assert np.array_equal(np.isfinite(shown(fig.grids[0])), expected > 0)


def test_settings_that_do_not_fit_are_shown_in_the_widget_and_undone():
    v = receptive_field_view([(3, 1, 1), (3, 1, 1)], input_shape=(6, 6))
    before = list(v.view.frames)
    v.controls["dilation_1"].value = 3  # 7 wide: no longer fits a 6x6 input
    assert isinstance(v.last_error, ValueError)
    assert v.error.layout.display is None and "ValueError" in v.error.value
    assert v.controls["dilation_1"].value == 1 and v.layers == [(3, 1, 1), (3, 1, 1)]
    assert v.view.frames == before
    v.controls["stride_2"].value = 2
    assert v.last_error is None or v.error.value == ""


def test_an_error_inside_a_step_callback_is_shown_not_raised(monkeypatch):
    v = receptive_field_view([(3, 1, 1)])

    def boom(step):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(v.controller, "set_step", boom)
    v.step.value = 2
    assert isinstance(v.last_error, RuntimeError) and "drawing failed" in v.error.value


def test_saved_picture_and_published_form():
    v = receptive_field_view([(3, 1, 1), (3, 1, 1)])
    bundle = v._repr_mimebundle_()
    assert "<img" in bundle["text/html"] and "output cell (2, 2)" in bundle["text/html"].lower()
    assert bundle["text/plain"].startswith("ReceptiveFieldView (flipbook).")
    published = offline_form(v)
    assert "needs-kernel" in published.children[0].value
    assert not published.children[1].controls and published.children[1].n_steps == 9


@pytest.mark.parametrize(
    ("kwargs", "exc", "words"),
    [
        ({"layers": "3x3"}, TypeError, "layers"),
        ({"layers": []}, ValueError, "layers"),
        ({"layers": [(3, 0, 1)]}, ValueError, "stride"),
        ({"layers": [(3, 1, 1)], "input_shape": (2, 2)}, ValueError, "input"),
        ({"layers": [(3, 1, 1)], "input_shape": 5}, TypeError, "input_shape"),
        ({"layers": [(3, 1, 1)], "scale": 0}, ValueError, "scale"),
        ({"layers": [(3, 1, 1)], "mode": "fast"}, ValueError, "mode"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        receptive_field_view(**kwargs)


def test_exported():
    assert conv_lesson.receptive_field_view is receptive_field_view
    assert "receptive_field_view" in conv_lesson.__all__


def test_many_output_cells_render_live_and_step_the_same():
    v = receptive_field_view([(3, 1, 1)], input_shape=(24, 24))  # 484 output cells: live
    assert v.mode == "live" and v.view.mode == "live" and v.view.frames == []
    v.step.value = 30
    assert v.view.live_step == 30 and v.cell == (1, 7)
    assert v.view.live_frame.startswith("data:image/png;base64,") and "output cell (1, 7)" in v.view.live_alt.lower()
    flip = receptive_field_view([(3, 1, 1)], input_shape=(6, 6), mode="live")
    assert flip.mode == "live" and flip.n_steps == 16
