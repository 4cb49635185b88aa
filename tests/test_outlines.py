"""Outlines a person can see (WCAG 1.4.11, 1.4.1), read from the rendered pixels of every stepped figure.

An outline marks the window a step reads and the cell it writes. It must keep 3:1 contrast against
every cell colour it crosses, whatever the colormap puts there, and the two kinds of outline must
differ by more than their colour.
"""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from conv_lesson.draw import (
    Im2colFigure,
    ReceptiveFieldFigure,
    StepperFigure,
    TransposedFigure,
    conv_matrix_figure,
)
from conv_lesson.ops import Scan

#: A 12×12 image whose cells run through the colormap from end to end, so the window crosses dark,
#: middle and light cells.
GRADIENT = np.arange(144.0).reshape(12, 12)
EDGE = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]


def luminance(rgb):
    """WCAG 2 relative luminance of 0-255 sRGB pixels (last axis: r, g, b)."""
    c = np.asarray(rgb, dtype=float)[..., :3] / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def outlines(figure):
    """The outline patches drawn in ``figure`` (rectangles with a halo: path effects)."""
    return [p for ax in figure.axes for p in ax.patches if p.get_path_effects() and p.get_visible()]


def edge_profiles(figure, patch, pixels):
    """For each side of ``patch``: the pixels across its line, and the cell colours just outside and inside.

    The inside colour is None when the outline is too small to have an inside (a cell of a photo's map).
    """
    bbox = patch.get_window_extent()
    dpi = figure.dpi
    band = (patch.get_linewidth() / 2 + 2) * dpi / 72  # the line and its two 1 pt rings
    reach = int(np.ceil(band)) + 2
    height = pixels.shape[0]
    profiles = []
    for axis, at, middle, sign in (
        ("x", bbox.x0, (bbox.y0 + bbox.y1) / 2, -1),
        ("x", bbox.x1, (bbox.y0 + bbox.y1) / 2, 1),
        ("y", bbox.y0, (bbox.x0 + bbox.x1) / 2, -1),
        ("y", bbox.y1, (bbox.x0 + bbox.x1) / 2, 1),
    ):
        offsets = np.arange(-reach, reach + 1)
        if axis == "x":
            xs, ys = np.round(at + offsets).astype(int), np.full(offsets.shape, int(round(middle)))
        else:
            xs, ys = np.full(offsets.shape, int(round(middle))), np.round(at + offsets).astype(int)
        rows = height - 1 - ys
        if xs.min() < 0 or rows.min() < 0 or xs.max() >= pixels.shape[1] or rows.max() >= pixels.shape[0]:
            continue
        line = pixels[rows, xs]
        on_line = np.abs(offsets) <= band  # its antialiased rim blends toward the cell: never a false pass
        outside, inside = (line[0], line[-1]) if sign > 0 else (line[-1], line[0])
        small = min(bbox.width, bbox.height) <= 2 * reach  # "inside" would be the far side's line, not a cell
        profiles.append((line[on_line], outside, None if small else inside))
    return profiles


def assert_outlines_stand_out(stepped, steps):
    seen = 0
    for step in steps:
        pixels = stepped.render_full(step)
        for patch in outlines(stepped.figure):
            for line, outside, inside in edge_profiles(stepped.figure, patch, pixels):
                for cell in (c for c in (outside, inside) if c is not None):
                    best = contrast(line, cell).max()
                    assert best >= 3.0, (
                        f"step {step}: an outline's best contrast against the cell colour {tuple(cell[:3])} "
                        f"is {best:.2f}:1 (WCAG 1.4.11 asks 3:1)"
                    )
                seen += 1
    assert seen >= 4 * len(steps)


@pytest.mark.parametrize("kind", ["cells", "cells, dilated", "picture"])
def test_the_stepper_outlines_stand_out_on_every_cell_colour(kind):
    if kind == "picture":
        image = np.add.outer(np.arange(60.0), np.arange(60.0))
        scan = Scan(image, EDGE, stride=7)
    elif kind == "cells, dilated":
        scan = Scan(GRADIENT, [[1, 0], [0, 1]], dilation=3)
    else:
        scan = Scan(GRADIENT, EDGE)
    stepped = StepperFigure(scan)
    n = stepped.n_steps
    assert_outlines_stand_out(stepped, sorted({1, n // 3, n // 2, 2 * n // 3, n}))


def test_the_matrix_figures_outlines_stand_out_on_every_cell_colour():
    image = np.arange(36.0).reshape(6, 6)
    assert_outlines_stand_out(Im2colFigure(image, EDGE, padding=1), [1, 7, 20, 36])
    transposed = TransposedFigure(np.arange(16.0).reshape(4, 4) - 5, [[1, 2], [3, 4]], stride=2, padding=1)
    assert_outlines_stand_out(transposed, [1, 6, 16])
    receptive = ReceptiveFieldFigure([(3, 1, 1), (3, 2, 1), (3, 1, 1)])
    assert_outlines_stand_out(receptive, [1, receptive.n_steps // 2, receptive.n_steps])


def test_the_conv_matrix_row_outline_stands_out():
    fig = conv_matrix_figure((4, 4), EDGE, highlight=2)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    (patch,) = outlines(fig)
    for line, outside, inside in edge_profiles(fig, patch, pixels):
        assert min(contrast(line, outside).max(), contrast(line, inside).max()) >= 3.0


def test_the_window_and_the_cell_it_writes_differ_by_more_than_colour():
    stepped = StepperFigure(Scan(GRADIENT, EDGE))
    styles = {}
    for ax in stepped.figure.axes:
        for patch in outlines(stepped.figure):
            if patch.axes is ax:
                styles[ax.get_title().split(" (")[0]] = (patch.get_linestyle(), patch.get_linewidth())
    assert set(styles) == {"input image", "feature map"}
    assert styles["input image"] != styles["feature map"]
    # and the text alternative says which is which without naming a colour
    alt = stepped.describe(1)
    assert "solid" in alt and "dashed" in alt
