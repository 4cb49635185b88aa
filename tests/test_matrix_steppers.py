"""The figures and steppers of lesson 08, headless: im2col, the convolution matrix, transposed convolution.

Expectations are computed here by hand (padding, windows, stamps), never with
``conv_lesson.ops``.
"""

from __future__ import annotations

import numpy as np
import pytest

import conv_lesson
from conv_lesson.draw import Im2colFigure, TransposedFigure, conv_matrix_figure
from conv_lesson.widgets import StepperView, im2col_stepper, transposed_stepper

IMAGE4 = np.array([[1, 2, 0, 1], [0, 1, 3, 1], [4, 0, 1, 2], [1, 1, 0, 2]])
IMAGE5 = np.arange(25).reshape(5, 5) % 4
EDGE = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])
DIAG = np.array([[1, 0], [0, 2]])


def shown(grid):
    """What a grid shows: its coloured values, NaN where a cell is left blank."""
    arr = grid.mesh.get_array()
    return np.where(np.ma.getmaskarray(arr), np.nan, np.ma.getdata(arr)).reshape(grid.shape)


def windows(image, k, stride, padding):
    """Every window of the padded image, in scan order, ravelled; and the map's shape."""
    padded = np.pad(image, padding)
    kh, kw = k
    rows, cols = (padded.shape[0] - kh) // stride + 1, (padded.shape[1] - kw) // stride + 1
    out = [padded[i * stride : i * stride + kh, j * stride : j * stride + kw].ravel()
           for i in range(rows) for j in range(cols)]  # fmt: skip
    return np.array(out), (rows, cols)


IM2COL_CASES = [(IMAGE4, DIAG, 1, 0), (IMAGE5, EDGE, 1, 0), (IMAGE4, EDGE, 1, 1), (IMAGE5, DIAG, 2, 0)]


@pytest.mark.parametrize(("image", "det", "stride", "padding"), IM2COL_CASES)
def test_each_im2col_step_adds_the_window_as_the_next_row(image, det, stride, padding):
    fig = Im2colFigure(image, det, stride=stride, padding=padding)
    rows, _ = windows(image, det.shape, stride, padding)
    assert fig.n_windows == len(rows) and fig.n_steps == len(rows) + 1
    for step in range(1, fig.n_windows + 1):
        fig.set_step(step)
        matrix = fig.matrix_grid.mesh.get_array()
        numbers = len(fig.matrix_grid.numbers.get_paths())
        assert np.array_equal(np.ma.getdata(matrix).reshape(fig.matrix.shape)[:step], rows[:step])
        assert numbers == step * rows.shape[1]  # every copied value written, none of the rows to come
        assert np.isnan(shown(fig.product_grid)).all() and np.isnan(shown(fig.map_grid)).all()
        assert fig.row.get_xy()[1] == step - 1.5 and fig.window.get_visible()
        assert f"row {step - 1} = [{', '.join(str(v) for v in rows[step - 1])}]" in fig.detail(step)


@pytest.mark.parametrize(("image", "det", "stride", "padding"), IM2COL_CASES)
def test_the_last_step_is_one_product_equal_to_the_feature_map(image, det, stride, padding):
    fig = Im2colFigure(image, det, stride=stride, padding=padding)
    rows, shape = windows(image, det.shape, stride, padding)
    expected = (rows @ det.ravel()).reshape(shape)
    fig.set_step(fig.n_steps)
    assert np.array_equal(shown(fig.map_grid), expected)
    assert np.array_equal(shown(fig.product_grid).ravel(), expected.ravel())
    assert np.array_equal(
        fig.product.reshape(shape), conv_lesson.feature_map(image, det, stride=stride, padding=padding)
    )
    assert not fig.window.get_visible() and all(r.get_visible() for r in fig.done)
    assert "one matrix product" in fig.status(fig.n_steps)


def test_padding_values_in_the_matrix_are_grey_not_coloured():
    fig = Im2colFigure(IMAGE4, EDGE, padding=1)
    fig.set_step(1)
    coloured = ~np.ma.getmaskarray(fig.matrix_grid.mesh.get_array()).reshape(fig.matrix.shape)[0]
    # window (0, 0) of the padded image: its first row and first column are padding
    assert coloured.tolist() == [False, False, False, False, True, True, False, True, True]


def test_conv_matrix_figure_numbers_exactly_the_cells_each_output_reads():
    fig = conv_matrix_figure((4, 4), EDGE, highlight=(1, 0))
    m_ax, row_ax = fig.axes
    mesh = m_ax.collections[1]  # the grid lines, then the mesh
    m = np.ma.getdata(mesh.get_array()).reshape(4, 16)
    read = ~np.ma.getmaskarray(mesh.get_array()).reshape(4, 16)
    for r, (i, j) in enumerate(np.ndindex(2, 2)):
        expected = np.zeros((4, 4), dtype=bool)
        expected[i : i + 3, j : j + 3] = True
        assert np.array_equal(read[r].reshape(4, 4), expected)
        assert np.array_equal(m[r].reshape(4, 4)[i : i + 3, j : j + 3], EDGE)
    assert [t.get_text() for t in m_ax.get_yticklabels()] == ["(0,0)", "(0,1)", "(1,0)", "(1,1)"]
    assert [t.get_text() for t in m_ax.get_xticklabels()][:5] == ["(0,0)", "(0,1)", "(0,2)", "(0,3)", "(1,0)"]
    outlines = [p for p in m_ax.patches if p.get_height() == 1]
    assert len(outlines) == 1 and outlines[0].get_xy() == (-0.5, 1.5)
    back = row_ax.collections[1].get_array()
    assert np.array_equal(np.ma.getdata(back).reshape(4, 4)[1:4, 0:3], EDGE)
    assert int((~np.ma.getmaskarray(back)).sum()) == 9


def test_conv_matrix_figure_with_stride_and_padding():
    fig = conv_matrix_figure((3, 3), DIAG, stride=2, padding=1)
    read = ~np.ma.getmaskarray(fig.axes[0].collections[1].get_array()).reshape(4, 9)
    # output (0, 0) reads only input (0, 0) (with weight 2); the rest of its window is padding
    assert read[0].tolist() == [True] + [False] * 8
    assert len(fig.axes) == 1


@pytest.mark.parametrize(
    ("kwargs", "exc", "words"),
    [
        ({"highlight": (5, 0)}, ValueError, "highlight"),
        ({"highlight": 9}, ValueError, "highlight"),
        ({"highlight": "row 1"}, TypeError, "highlight"),
        ({"image_shape": (8, 8)}, ValueError, "image_shape"),
        ({"image_shape": "4x4"}, TypeError, "image_shape"),
        ({"scale": 9}, ValueError, "scale"),
    ],
)
def test_conv_matrix_figure_bad_arguments(kwargs, exc, words):
    args = {"image_shape": (4, 4), "detector": EDGE, **kwargs}
    with pytest.raises(exc, match=words):
        conv_matrix_figure(**args)


def hand_stamps(g, w, stride, padding, upto):
    """The output after ``upto`` stamps, before and after cropping, added up here by hand."""
    g, w = np.asarray(g), np.asarray(w)
    full = ((g.shape[0] - 1) * stride + w.shape[0], (g.shape[1] - 1) * stride + w.shape[1])
    out = np.zeros(full)
    for n, (i, j) in enumerate(np.ndindex(g.shape)):
        if n == upto:
            break
        for a, b in np.ndindex(w.shape):
            out[i * stride + a, j * stride + b] += g[i, j] * w[a, b]
    return out, out[padding : full[0] - padding, padding : full[1] - padding]


TRANSPOSED_CASES = [([[1, 2], [3, -1]], DIAG, 1, 0), ([[1, 2], [3, -1]], np.ones((3, 3), int), 2, 1),
                    ([[1, 2], [3, 1]], DIAG, 3, 0), ([[2, 0, 1], [1, 1, 0], [0, 3, 1]], EDGE, 2, 1)]  # fmt: skip


@pytest.mark.parametrize(("g", "w", "stride", "padding"), TRANSPOSED_CASES)
def test_each_transposed_step_shows_the_sum_of_the_stamps_so_far(g, w, stride, padding):
    fig = TransposedFigure(g, w, stride=stride, padding=padding)
    for step in range(1, fig.n_steps + 1):
        full, cropped = hand_stamps(g, w, stride, padding, step)
        fig.set_step(step)
        assert np.array_equal(fig.canvases[step - 1], full)
        assert np.array_equal(fig.steps[step - 1].output, cropped)
        got = np.ma.getdata(fig.output_grid.mesh.get_array()).reshape(full.shape)
        coloured = ~np.ma.getmaskarray(fig.output_grid.mesh.get_array()).reshape(full.shape)
        assert np.array_equal(got[coloured], full[coloured])
        assert len(fig.output_grid.numbers.get_paths()) == full.size  # untouched cells show their 0
        i, j = divmod(step - 1, np.shape(g)[1])
        assert np.array_equal(shown(fig.stamp_grid), np.asarray(g)[i][j] * np.asarray(w))
        assert fig.target.get_xy() == (j * stride - 0.5, i * stride - 0.5)
    assert np.array_equal(
        fig.steps[-1].output, conv_lesson.transposed_feature_map(g, w, stride=stride, padding=padding)
    )


def test_stride_leaves_gaps_that_are_never_coloured():
    fig = TransposedFigure([[1, 2], [3, 1]], DIAG, stride=3)
    fig.set_step(4)
    coloured = ~np.ma.getmaskarray(fig.output_grid.mesh.get_array()).reshape(5, 5)
    assert not coloured[2].any() and not coloured[:, 2].any()
    assert coloured[[0, 1, 3, 4]][:, [0, 1, 3, 4]].all()


def test_the_arithmetic_of_a_stamp_and_the_cropped_border():
    fig = TransposedFigure([[1, 2], [3, -1]], np.ones((3, 3), int), stride=2, padding=1)
    # step 2: input (0, 1) = 2 lands on rows 0-2, columns 2-4; (0, 2) already holds 1 from step 1
    assert "(0,2): 1 + 2×1 = 3 (cropped)" in fig.detail(2)
    assert "(1,3): 0 + 2×1 = 2;" in fig.detail(2)
    assert "input cell (0, 1) = 2" in fig.status(2)
    hatched = [p for p in fig.axes["output"].patches if p.get_hatch()]
    border = np.zeros((5, 5), dtype=bool)
    for p in hatched:
        x, y = p.get_xy()
        border[round(y + 0.5) : round(y + 0.5 + p.get_height()), round(x + 0.5) : round(x + 0.5 + p.get_width())] = True
    expected = np.ones((5, 5), dtype=bool)
    expected[1:4, 1:4] = False
    assert np.array_equal(border, expected)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Im2colFigure(IMAGE4, EDGE, padding=1),
        lambda: TransposedFigure([[1, 2], [3, -1]], np.ones((3, 3), int), stride=2, padding=1),
    ],
)
def test_blitted_frames_equal_a_full_redraw(make):
    fig = make()
    for step in (1, 2, fig.n_steps, 1):
        assert np.array_equal(fig.render(step), fig.render_full(step)), f"step {step}"


def test_im2col_stepper_is_a_flipbook_with_a_stride_control():
    s = im2col_stepper(IMAGE5, DIAG)
    assert isinstance(s, StepperView) and s.mode == "flipbook" and s.n_steps == 17
    assert len(s.view.frames) == len(s.view.alts) == len(set(s.view.alts)) == 17
    s.step.value = 17
    s.controls["stride"].value = 2
    assert s.last_error is None and s.n_steps == 5 and s.step.value == 5 and s.step.max == 5
    rows, shape = windows(IMAGE5, (2, 2), 2, 0)
    assert np.array_equal(s.controller.figure.matrix, rows)
    assert s.detail.startswith("im2col (4×4) @ detector column (4×1) = 4 numbers")


def test_transposed_stepper_controls_and_errors_shown_in_the_widget():
    s = transposed_stepper([[1, 2], [3, 4]], DIAG, stride=2, output_padding=1)
    s.step.value = 3
    s.controls["padding"].value = 1
    assert s.last_error is None and s.controller.figure.padding == (1, 1) and s.step.value == 3
    s.controls["stride"].value = 1  # output_padding 1 needs a stride of 2 or more
    assert isinstance(s.last_error, ValueError) and "output_padding" in s.error.value
    assert s.controls["stride"].value == 2 and s.controller.settings["stride"] == 2
    s.step.value = 4
    assert s.error.value == "" and s.error.layout.display == "none"


def test_an_error_inside_a_step_callback_is_shown_not_raised(monkeypatch):
    s = transposed_stepper([[1, 2]], DIAG)

    def boom(step):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(s.controller, "set_step", boom)
    s.step.value = 2
    assert isinstance(s.last_error, RuntimeError) and s.error.layout.display is None


def test_saved_picture_of_a_stepper_is_its_last_step():
    s = im2col_stepper(IMAGE4, DIAG)
    html = s.saved_picture_html()
    assert "one matrix product" in html and "<img" in html
    assert s.controller.png(s.n_steps) == s.controller.frames[-1]


@pytest.mark.parametrize(
    ("call", "exc", "words"),
    [
        (lambda: im2col_stepper(np.zeros((4, 4, 3)), np.zeros((2, 2, 3))), ValueError, "image"),
        (lambda: im2col_stepper(np.zeros((9, 9)), DIAG), ValueError, "image"),
        (lambda: im2col_stepper(IMAGE4, DIAG, stride=0), ValueError, "stride"),
        (lambda: im2col_stepper(IMAGE4, "edge"), TypeError, "detector"),
        (lambda: im2col_stepper(IMAGE4, DIAG, scale="big"), TypeError, "scale"),
        (lambda: transposed_stepper([1, 2], DIAG), ValueError, "feature_map"),
        (lambda: transposed_stepper([[1, 2]], DIAG, padding="same"), TypeError, "padding"),
        (lambda: transposed_stepper([[1, 2]], DIAG, output_padding=1), ValueError, "output_padding"),
        (lambda: transposed_stepper(np.ones((12, 12)), EDGE, stride=2), ValueError, "feature_map"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


def test_exported():
    for name in ("im2col_stepper", "transposed_stepper"):
        assert name in conv_lesson.__all__
