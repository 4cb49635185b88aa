"""The convolution matrix of a small case, drawn: which input cells each output cell reads."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops.checks import check_int, check_pair, check_scale, describe
from . import cells
from .grids import (
    TITLE_PT,
    NumberedGrid,
    PanelSpec,
    fit_cell,
    footer_width,
    number_cell,
    outline,
    place_panels,
    style_ticks,
)
from .layout import DPI
from .readable import ReadableFigure

__all__ = ["CONV_MATRIX_MAX_COLS", "conv_matrix_figure"]

#: The most input cells (columns of M) the figure draws: it is for small cases.
CONV_MATRIX_MAX_COLS = 49


def _pairs(shape):
    return [f"({a},{b})" for a, b in np.ndindex(shape)]


def _highlight_row(highlight, out_shape):
    """``highlight`` as a row of M: None, a row index, or an output cell (i, j)."""
    oh, ow = out_shape
    if highlight is None:
        return None
    if isinstance(highlight, (tuple, list)):
        i, j = check_pair(tuple(highlight), "highlight", 0)
        if i >= oh or j >= ow:
            raise ValueError(f"highlight must be an output cell of the {oh}×{ow} feature map; got {(i, j)}")
        return i * ow + j
    if isinstance(highlight, (int, np.integer)) and not isinstance(highlight, bool):
        row = check_int(highlight, "highlight", 0)
        if row >= oh * ow:
            raise ValueError(f"highlight must be a row of M, 0 to {oh * ow - 1}; got {row}")
        return row
    raise TypeError(f"highlight must be None, a row index or an output cell (i, j); got {describe(highlight)}")


def _panel(fig, placement, spec, cell, values, norm, shown):
    """One panel of ``fig``: ``values`` where ``shown``, blank elsewhere; returns its axes."""
    p = placement
    x, y, w, h = p.boxes[spec.name]
    ax = fig.add_axes([x / p.width, 1 - (y + h) / p.height, w / p.width, h / p.height])
    style_ticks(ax, spec, p.rotated[spec.name], p.cell)
    ax.set_title(spec.title, fontsize=TITLE_PT, color="black", pad=4)
    labels = cells.cell_labels(values[shown].reshape(1, -1))[0] if shown.any() else []
    NumberedGrid(ax, values.shape, cell, norm, labels=labels).show(np.where(shown, values, np.nan))
    return ax


def conv_matrix_figure(image_shape, detector, *, stride=1, padding=0, dilation=1, highlight=None, scale=1.0):
    """Draw the convolution matrix M of a small case, its non-zero entries numbered.

    Row r of M belongs to output cell r (scan order) and column c to input
    cell c (the image ravelled, row by row); the rows are labelled (i, j)
    and the columns (row, col). Each row holds the detector's numbers at
    the input cells its window reads, and nothing elsewhere (the zeros are
    left blank; a 0 of the detector is written): ``M @ image.ravel()`` is the feature map, ravelled. With
    ``highlight``, that row is outlined and, on the right, laid back onto
    the image grid: the input cells that output reads, with their weights.

    Parameters
    ----------
    image_shape : (int, int)
        (H, W) of the image; at most 49 cells in all.
    detector : array_like, shape (kh, kw)
    stride, padding, dilation
        As for :func:`conv_lesson.conv_matrix`.
    highlight : int or (int, int), optional
        A row of M, or the output cell (i, j) whose row to highlight.
    scale : float, default 1.0
        Enlarges the figure and its text (0.25 to 4).

    Returns
    -------
    conv_lesson.draw.readable.ReadableFigure
        A matplotlib Figure; a notebook cell that ends with it shows it,
        sized so that its text is the lesson's size.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.conv_matrix`; an image of more than 49
        cells; a ``highlight`` that is no row or output cell.

    Examples
    --------
    >>> fig = conv_matrix_figure((4, 4), [[1, 0, -1], [1, 0, -1], [1, 0, -1]], highlight=(1, 0))
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes]
    ['M: 4 rows (output cells) × 16 columns (input cells)', 'row 2 on the 4×4 image:']
    """
    scale = check_scale(scale)
    m = ops.conv_matrix(image_shape, detector, stride=stride, padding=padding, dilation=dilation)
    (h, w), det = tuple(image_shape), np.asarray(detector)
    if h * w > CONV_MATRIX_MAX_COLS:
        raise ValueError(
            f"image_shape is too large to draw M: {h}×{w} = {h * w} input cells (at most "
            f"{CONV_MATRIX_MAX_COLS}); use a small image such as 4x4 or 5x5"
        )
    out_shape = ops.Scan(np.zeros((h, w)), det, stride=stride, padding=padding, dilation=dilation).out_shape
    row = _highlight_row(highlight, out_shape)
    specs = [PanelSpec("M", m.shape[0], m.shape[1], f"M: {m.shape[0]} rows (output cells) × {m.shape[1]} columns "
                       "(input cells)", _pairs(out_shape), _pairs((h, w)))]  # fmt: skip
    if row is not None:
        cell_ij = divmod(row, out_shape[1])
        specs.append(PanelSpec("row", h, w, f"row {row} on the {h}×{w} image:\nwhat output {cell_ij} reads",
                               sign="→"))  # fmt: skip
    lines = ["Row r: the detector's numbers at the input cells output cell r reads; blank cells hold 0.",
             "M @ image.ravel() = feature map.ravel()."]  # fmt: skip
    low = number_cell(cells.cell_labels(np.reshape(det, (1, -1)))[0])  # M holds the detector's numbers
    cell, _ = fit_cell(specs, target=900.0, low=low, high=max(low, 34.0))
    placement = place_panels(specs, cell, footer_lines=2, min_width=footer_width(lines))
    fig = ReadableFigure(figsize=(placement.width / DPI, placement.height / DPI), dpi=DPI * scale, facecolor="white")
    norm = cells.value_norm(det)
    reads = ops.conv_matrix(image_shape, np.ones(det.shape), stride=stride, padding=padding, dilation=dilation) != 0
    ax = _panel(fig, placement, specs[0], cell, m.astype(float), norm, reads)
    if row is not None:
        outline(ax, (-0.5, row - 0.5), m.shape[1], 1, animated=False)
        grid = m[row].reshape(h, w).astype(float)
        _panel(fig, placement, specs[1], cell, grid, norm, reads[row].reshape(h, w))
    for sx, sy, sign in placement.signs:
        fig.text(sx / placement.width, 1 - sy / placement.height, sign, ha="center", va="center", fontsize=18,
                 color="#777777")  # fmt: skip
    fig.text(16 / placement.width, (14 + placement.footer / 2) / placement.height, "\n".join(lines), ha="left",
             va="center", fontsize=TITLE_PT - 0.5, color=cells.INK, linespacing=1.35)  # fmt: skip
    return fig
