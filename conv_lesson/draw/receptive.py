"""The receptive field through stacked layers: one output cell, and the cells it depends on below it."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Normalize

from .. import ops
from ..ops.checks import check_shape2, describe, short
from .grids import BlitFigure, NumberedGrid, PanelSpec, fit_cell, footer_width, number_cell, outline

__all__ = ["RECEPTIVE_CMAP", "default_input_shape", "path_counts", "ReceptiveFieldFigure"]

#: Colormap of the cells an output cell depends on: light for one path, dark for many.
RECEPTIVE_CMAP = "Oranges"
#: The input a figure gets when none is given: the last layer's output is at most this many cells a side...
DEFAULT_OUTPUT_SIDE = 3
#: ...while the input stays at most this many cells a side.
DEFAULT_INPUT_MAX = 16


def _check_layers(layers):
    """``layers`` as a list of (kernel, stride, dilation) int triples, checked by :mod:`conv_lesson.ops`."""
    ops.receptive_field(layers)
    return [tuple(int(v) for v in layer) for layer in layers]


def default_input_shape(layers):
    """The input side that gives the last layer an output of 3 (or 2, or 1) cells a side, kept small.

    Parameters
    ----------
    layers : sequence of (int, int, int)
        (kernel, stride, dilation) of each layer, first layer first.

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> default_input_shape([(3, 1, 1), (3, 1, 1)])
    (7, 7)
    >>> default_input_shape([(3, 2, 1), (3, 2, 1), (3, 2, 1)])
    (15, 15)
    """
    layers = _check_layers(layers)
    side, jump = ops.receptive_field(layers), int(np.prod([s for _, s, _ in layers]))
    for out in range(DEFAULT_OUTPUT_SIDE, 0, -1):
        n = side + (out - 1) * jump
        if n <= DEFAULT_INPUT_MAX or out == 1:
            return (n, n)
    raise AssertionError("unreachable")


def path_counts(layers, cell, input_shape):
    """For every level, how many paths lead from each of its cells up to ``cell`` of the last layer.

    Level ``l`` (0: the input) gets an array of its map's shape: 0 where the
    cell does not feed ``cell`` at all, otherwise the number of ways it
    reaches it through the layers above (the middle of the receptive field
    is reached most often).

    Parameters
    ----------
    layers : sequence of (int, int, int)
    cell : (int, int)
        (row, col) in the last layer's output.
    input_shape : (int, int)

    Returns
    -------
    list of ndarray of int
        The input first, the last layer (1 at ``cell``) last.

    Examples
    --------
    >>> path_counts([(3, 1, 1), (3, 1, 1)], (0, 0), (5, 5))[0][0]
    array([1, 2, 3, 2, 1])
    """
    layers = _check_layers(layers)
    levels = ops.receptive_cells(layers, cell, input_shape=input_shape)
    top = np.zeros(levels[-1].shape, dtype=np.int64)
    top[levels[-1].rows[0], levels[-1].cols[0]] = 1
    counts = [top]
    for (kernel, stride, dilation), level in zip(reversed(layers), reversed(levels[:-1])):
        ones = np.ones((kernel, kernel), dtype=np.int64)
        spread = ops.transposed_feature_map(counts[-1], ones, stride=stride, dilation=dilation)
        below = np.zeros(level.shape, dtype=np.int64)
        below[: spread.shape[0], : spread.shape[1]] = spread
        counts.append(below)
    return counts[::-1]


def _level_title(level, shape, layer):
    if layer is None:
        return f"input: {shape[0]}×{shape[1]}"
    k, s, d = layer
    return f"layer {level}: {shape[0]}×{shape[1]}\nkernel {k}×{k}, stride {s}\ndilation {d}"


def _span(values):
    return f"{values[0]}–{values[-1]}" if len(values) > 1 else f"{values[0]}"


class ReceptiveFieldFigure(BlitFigure):
    """Stacked layers side by side, the input on the left; each step picks the next output cell.

    The output cell of the last layer (right) is outlined; in every level
    below, the cells it depends on are coloured and carry the number of
    paths that lead from them to it, and the square they span is outlined.
    The input's square is the receptive field. Under the panels: its side.

    Parameters
    ----------
    layers : sequence of (int, int, int)
        (kernel, stride, dilation) of each layer, first layer first (no padding).
    input_shape : (int, int), optional
        (H, W) of the input; by default the smallest that gives the last
        layer a 3x3 output (2x2 or 1x1 if that keeps the input within 16).
    scale : float, default 1.0

    Attributes
    ----------
    n_steps : int
        One step per output cell of the last layer, in scan order.
    shapes : list of (int, int)
        Each level's map size, the input first.

    Examples
    --------
    >>> fig = ReceptiveFieldFigure([(3, 1, 1), (3, 1, 1)])
    >>> fig.shapes, fig.n_steps, fig.receptive_field
    ([(7, 7), (5, 5), (3, 3)], 9, 5)
    >>> fig.set_step(9); fig.cell
    9
    (2, 2)
    """

    def __init__(self, layers, *, input_shape=None, scale=1.0):
        super().__init__(scale)
        self.layers = _check_layers(layers)
        if input_shape is None:
            input_shape = default_input_shape(self.layers)
        elif isinstance(input_shape, (str, bytes)) or not hasattr(input_shape, "__len__") or len(input_shape) != 2:
            raise TypeError(f"input_shape must be an (H, W) pair of ints, or None; got {describe(input_shape)}")
        self.input_shape = check_shape2(input_shape, "input_shape")
        levels = ops.receptive_cells(self.layers, (0, 0), input_shape=self.input_shape)
        self.shapes = [level.shape for level in levels]
        self.receptive_field = ops.receptive_field(self.layers)
        self._build()

    @property
    def n_steps(self):
        """One step per output cell of the last layer."""
        return self.shapes[-1][0] * self.shapes[-1][1]

    @property
    def cell(self):
        """The output cell of the current step."""
        return self.cell_of(self.step or 1)

    def cell_of(self, step):
        """The output cell (row, col) of ``step``: scan order, left to right, then down."""
        return divmod(step - 1, self.shapes[-1][1])

    def levels(self, step):
        """The :class:`conv_lesson.ops.ReceptiveCells` of every level for ``step``'s output cell."""
        return ops.receptive_cells(self.layers, self.cell_of(step), input_shape=self.input_shape)

    def _build(self):
        layers = [None] + self.layers
        specs = [PanelSpec(f"level {n}", h, w, _level_title(n, (h, w), layer), sign="→" if n else "")
                 for n, ((h, w), layer) in enumerate(zip(self.shapes, layers))]  # fmt: skip
        rf = self.receptive_field
        lines = [f"Receptive field: one output cell of layer {len(self.layers)} sees {rf}×{rf} input cells.",
                 "The numbers: how many paths lead from a cell up to the chosen output cell."]  # fmt: skip
        cell, placement = fit_cell(specs, low=8.0, footer_lines=2, min_width=footer_width(lines))
        self.build(specs, placement)
        most = max(int(c.max()) for c in path_counts(self.layers, self.cell_of(1), self.input_shape))
        numbers = cell >= number_cell([str(most)])  # smaller cells show colours and outlines only
        if not numbers:
            lines[1] = "The darker a cell, the more paths lead from it up to the chosen output cell."
        norm = Normalize(vmin=-0.15 * most, vmax=max(most, 4))
        self.grids, self.spans = [], []
        for n, shape in enumerate(self.shapes):
            ax = self.axes[f"level {n}"]
            grid = NumberedGrid(ax, shape, cell, norm, cmap=RECEPTIVE_CMAP, labels=[str(most)], animated=True,
                                numbers=numbers)  # fmt: skip
            self.grids.append(grid)
            self.spans.append(outline(ax, (-0.5, -0.5), 1, 1, lw=2.5 if cell >= 15 else 1.8))
            self.moving += grid.artists + [self.spans[-1]]
        self.footer("\n".join(lines))

    def _show(self, step):
        counts = path_counts(self.layers, self.cell_of(step), self.input_shape)
        for grid, span, count, level in zip(self.grids, self.spans, counts, self.levels(step)):
            grid.show(np.where(count > 0, count, np.nan))
            span.set_xy((level.cols[0] - 0.5, level.rows[0] - 0.5))
            span.set_width(level.cols[-1] - level.cols[0] + 1)
            span.set_height(level.rows[-1] - level.rows[0] + 1)

    def status(self, step):
        """Which output cell ``step`` picks."""
        i, j = self.cell_of(step)
        return f"step {step} of {self.n_steps} · output cell ({i}, {j}) of layer {len(self.layers)}"

    def detail(self, step):
        """The input rows and columns the cell depends on, and the receptive field's side."""
        base = self.levels(step)[0]
        rf = self.receptive_field
        gaps = len(base.rows) < len(base.row_range)
        where = f"input rows {_span(base.rows)}, columns {_span(base.cols)}"
        skip = f" (only {len(base.rows)}×{len(base.cols)} of them: dilation skips the rest)" if gaps else ""
        return f"it depends on {where}: a {rf}×{rf} square{skip}"

    def describe(self, step):
        """A text alternative to the picture of ``step``."""
        i, j = self.cell_of(step)
        levels = self.levels(step)
        parts = [f"{'the input' if lv.level == 0 else f'layer {lv.level}'} ({lv.shape[0]}×{lv.shape[1]}): "
                 f"rows {_span(lv.rows)}, columns {_span(lv.cols)}" for lv in levels[:-1]]  # fmt: skip
        layers = "; ".join(f"layer {n}: kernel {k}, stride {s}, dilation {d}" for n, (k, s, d) in
                           enumerate(self.layers, start=1))  # fmt: skip
        return (
            f"{len(levels)} grids side by side ({layers}). Output cell ({i}, {j}) of layer {len(self.layers)} "
            f"is outlined; the cells it depends on are coloured, numbered with how many paths lead from them "
            f"to it, and outlined: {'; '.join(parts)}. Receptive field: {self.receptive_field}×"
            f"{self.receptive_field} input cells."
        )

    def __repr__(self):
        return f"ReceptiveFieldFigure({short(self.layers)}, input_shape={self.input_shape})"
