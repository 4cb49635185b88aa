"""im2col step by step: each window of the image becomes a row; one matrix product gives the whole map."""

from __future__ import annotations

import numpy as np

from .. import ops
from ..ops import format_number
from . import cells
from .grids import BlitFigure, NumberedGrid, PanelSpec, fit_cell, footer_width, number_cell, outline

__all__ = ["IM2COL_MAX_ROWS", "Im2colFigure"]

#: The largest im2col matrix the figure draws (rows = windows); it is for small cases.
IM2COL_MAX_ROWS = 36


def _pairs(shape):
    return [f"({a},{b})" for a, b in np.ndindex(shape)]


class Im2colFigure(BlitFigure):
    """The im2col matrix filling in, one window (one row) per step, then the one matrix product.

    Panels, left to right: the image (padding in grey) with the current
    window outlined; the im2col matrix, one row per window, rows labelled
    by the feature-map cell they give and columns by the detector cell they
    meet; ``×`` the detector as a column; ``=`` the product column; ``→`` the
    product reshaped, which is the feature map. Steps 1 to ``n_windows``
    copy one window each into its row; the last step does the product.

    Parameters
    ----------
    image : array_like, shape (H, W)
    detector : array_like, shape (kh, kw)
    stride : int or (int, int), default 1
    padding : int, (int, int), 'valid' or 'same', default 0
        As for :func:`conv_lesson.feature_map`.
    scale : float, default 1.0

    Attributes
    ----------
    matrix : ndarray, shape (n_windows, kh * kw)
        :func:`conv_lesson.im2col` of the image.
    product : ndarray, shape (n_windows,)
        ``matrix @ detector.ravel()``.
    n_windows : int
    n_steps : int
        ``n_windows + 1``.

    Examples
    --------
    >>> fig = Im2colFigure([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]])
    >>> fig.n_steps, fig.matrix[1].tolist(), fig.product.tolist()
    (5, [2, 0, 1, 3], [2, 5, 0, 2])
    """

    def __init__(self, image, detector, *, stride=1, padding=0, scale=1.0):
        super().__init__(scale)
        self.scan = ops.Scan(image, detector, stride=stride, padding=padding)
        if self.scan.channels != 1:
            raise ValueError(f"image must be 2-D (H, W) for the im2col figure; got shape {self.scan.image.shape}")
        self.image = self.scan.image[:, :, 0]
        self.detector = self.scan.detector[:, :, 0]
        kw = {"stride": stride, "padding": padding}
        self.matrix = ops.im2col(self.image, self.detector.shape, **kw)
        if self.matrix.shape[0] > IM2COL_MAX_ROWS:
            raise ValueError(
                f"image is too large for the im2col figure: {self.matrix.shape[0]} windows "
                f"(at most {IM2COL_MAX_ROWS}); use a small image such as 4x4 or 5x5, or a larger stride"
            )
        self.from_padding = ops.im2col(np.ones(self.image.shape, dtype=np.int64), self.detector.shape, **kw) == 0
        self.product = self.matrix @ self.detector.ravel()
        self.n_windows = self.matrix.shape[0]
        self._build()

    @property
    def n_steps(self):
        """One step per window, then one for the product."""
        return self.n_windows + 1

    def _specs(self):
        (h, w), (kh, kw), (oh, ow) = self.scan.geometry.padded_shape, self.detector.shape, self.scan.out_shape
        n, k = self.n_windows, kh * kw
        outs = _pairs((oh, ow))
        pads = self.scan.pads
        padded = "" if not any(sum(p) for p in pads) else "\n(padding in grey)"
        return [
            PanelSpec("image", h, w, f"image {self.image.shape[0]}×{self.image.shape[1]}{padded}"),
            PanelSpec("matrix", n, k, f"im2col matrix {n}×{k}\none row per window", outs, _pairs((kh, kw))),
            PanelSpec("detector", k, 1, "detector\nas a column", _pairs((kh, kw)), [], sign="×"),
            PanelSpec("product", n, 1, "product", outs, [], sign="="),
            PanelSpec("map", oh, ow, f"reshaped {oh}×{ow}:\nthe feature map", sign="→"),
        ]

    def _build(self):
        specs = self._specs()
        n, k = self.matrix.shape
        lines = ["Row r of the im2col matrix is window r, read left to right, then down.",
                 f"({n}×{k}) @ ({k}×1) = {n} numbers: the feature map, reshaped."]  # fmt: skip
        width = footer_width(lines)
        padded = self.scan.padded[:, :, 0].astype(float)
        values = np.concatenate([padded.ravel(), self.product.ravel().astype(float)])
        low = number_cell(cells.cell_labels(np.concatenate([values, self.detector.ravel()])[None])[0])
        cell, placement = fit_cell(specs, target=900.0, low=low, high=max(low, 34.0), footer_lines=2, min_width=width)
        self.build(specs, placement)
        self.footer("\n".join(lines))
        image_norm, det_norm = cells.value_norm(padded), cells.value_norm(self.detector)
        out_norm = cells.value_norm(values)

        def grid(name, shape, norm, sample, animated):
            labels = cells.cell_labels(np.atleast_2d(sample))[0] if np.size(sample) else []
            return NumberedGrid(self.axes[name], shape, cell, norm, labels=labels, animated=animated)

        (t, b), (l, r) = self.scan.pads
        is_pad = np.ones(padded.shape, dtype=bool)
        is_pad[t : padded.shape[0] - b, l : padded.shape[1] - r] = False
        grid("image", padded.shape, image_norm, padded.ravel(), False).show(padded, ~is_pad)
        grid("detector", (k, 1), det_norm, self.detector.ravel(), False).show(self.detector.reshape(k, 1))
        self.matrix_grid = grid("matrix", (n, k), image_norm, padded.ravel(), True)
        self.product_grid = grid("product", (n, 1), out_norm, self.product, True)
        self.map_grid = grid("map", self.scan.out_shape, out_norm, self.product, True)
        kh, kw = self.detector.shape
        self.window = outline(self.axes["image"], (-0.5, -0.5), kw, kh)
        self.row = outline(self.axes["matrix"], (-0.5, -0.5), k, 1, style="dashed")
        self.done = [outline(self.axes[name], (-0.5, -0.5), w, h, style="dashed") for name, (h, w) in
                     (("product", (n, 1)), ("map", self.scan.out_shape))]  # fmt: skip
        grids = (self.matrix_grid, self.product_grid, self.map_grid)
        self.moving = [a for g in grids for a in g.artists] + [self.window, self.row] + self.done

    def _show(self, step):
        n, k = self.matrix.shape
        rows = min(step, n)
        shown = np.full((n, k), np.nan)
        shown[:rows] = self.matrix[:rows]
        self.matrix_grid.show(shown, ~self.from_padding)
        final = step > n
        product = self.product.astype(float) if final else np.full(n, np.nan)
        self.product_grid.show(product.reshape(n, 1))
        self.map_grid.show(product.reshape(self.scan.out_shape))
        self.window.set_visible(not final)
        self.row.set_visible(not final)
        for rect in self.done:
            rect.set_visible(final)
        if not final:
            top, left = self.scan.geometry.position(step)
            self.window.set_xy((left - 0.5, top - 0.5))
            self.row.set_xy((-0.5, step - 1.5))

    def _window(self, step):
        return self.scan.geometry.position(step), divmod(step - 1, self.scan.out_shape[1])

    def status(self, step):
        """Which window ``step`` copies, or the product at the last step."""
        if step > self.n_windows:
            return f"step {step} of {self.n_steps} · one matrix product gives the whole feature map"
        (top, left), cell = self._window(step)
        return (
            f"step {step} of {self.n_steps} · the window at row {top}, column {left} becomes row {step - 1} "
            f"of the im2col matrix (it will give feature-map cell {cell})"
        )

    def detail(self, step):
        """The row's numbers, or the product's shapes and its result."""
        n, k = self.matrix.shape
        if step > n:
            (oh, ow) = self.scan.out_shape
            return (
                f"im2col ({n}×{k}) @ detector column ({k}×1) = {n} numbers "
                f"[{', '.join(map(format_number, self.product))}], reshaped to {oh}×{ow}"
            )
        row = ", ".join(map(format_number, self.matrix[step - 1]))
        return f"row {step - 1} = [{row}]: the window read left to right, then down"

    def describe(self, step):
        """A text alternative to the picture of ``step``."""
        n, k = self.matrix.shape
        (h, w), (oh, ow) = self.image.shape, self.scan.out_shape
        head = (
            f"Five panels: the {h}×{w} image, the {n}×{k} im2col matrix, the detector as a {k}×1 column, "
            f"the {n}×1 product and the {oh}×{ow} feature map. "
        )
        if step > n:
            return head + (
                f"Every row is filled; the product column holds {', '.join(map(format_number, self.product))} "
                f"and, reshaped, the feature map; both are outlined (dashed line)."
            )
        (top, left), _ = self._window(step)
        row = ", ".join(map(format_number, self.matrix[step - 1]))
        return head + (
            f"The window at row {top}, column {left} is outlined (solid line); rows 0 to {step - 1} of the "
            f"matrix are filled, row {step - 1} outlined (dashed line): {row}. "
            "The product and the feature map are still empty."
        )
