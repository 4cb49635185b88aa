"""Transposed convolution in scatter form: each input cell stamps the detector, scaled, onto the output."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .. import ops
from ..ops import format_number
from ..ops.checks import check_pair
from . import cells
from .grids import BlitFigure, NumberedGrid, PanelSpec, fit_cell, footer_width, number_cell, outline

__all__ = ["TRANSPOSED_MAX_SIDE", "TransposedFigure"]

#: The largest output side (before cropping) the figure draws: it is for small cases.
TRANSPOSED_MAX_SIDE = 24


def _factor(x):
    text = format_number(x)
    return f"({text})" if text.startswith("-") else text


class TransposedFigure(BlitFigure):
    """A transposed convolution stamp by stamp: the input map, the detector, the stamp, the output filling in.

    Step ``k`` takes input cell ``k`` (scan order): the stamp ``value ×
    detector`` is added onto the output at (i × stride, j × stride);
    overlaps add up, and a stride larger than the detector leaves gaps of
    zeros. The output is drawn before cropping: with ``padding`` the rows
    and columns cropped away are hatched and the part kept is framed by a
    dotted line. Cells no stamp has reached yet show a grey 0.

    Parameters
    ----------
    feature_map : array_like, 2-D
        The small map that is spread out.
    detector : array_like, shape (kh, kw)
    stride, padding, output_padding, dilation
        As for :func:`conv_lesson.transposed_feature_map`.
    scale : float, default 1.0

    Attributes
    ----------
    steps : list of conv_lesson.ops.TransposedStep
    canvases : list of ndarray
        The output before cropping after each step.
    crop : (slice, slice)
        Where the output lies in a canvas.

    Examples
    --------
    >>> fig = TransposedFigure([[1, 2]], [[1, 1], [1, 1]])
    >>> fig.n_steps, fig.canvases[-1].tolist()
    (2, [[1, 3, 2], [1, 3, 2]])
    """

    def __init__(self, feature_map, detector, *, stride=1, padding=0, output_padding=0, dilation=1, scale=1.0):
        super().__init__(scale)
        kw = {"stride": stride, "padding": padding, "output_padding": output_padding, "dilation": dilation}
        self.steps = ops.transposed_steps(feature_map, detector, **kw)
        self.input = np.asarray(feature_map)
        self.detector = np.asarray(detector)
        self.padding = check_pair(padding, "padding", 0)
        self.stride = check_pair(stride, "stride", 1)
        out = self.steps[-1].output.shape
        full = (out[0] + 2 * self.padding[0], out[1] + 2 * self.padding[1])
        if max(full) > TRANSPOSED_MAX_SIDE:
            raise ValueError(
                f"feature_map is too large for the transposed-convolution figure: the output before cropping "
                f"would be {full[0]}×{full[1]} (at most {TRANSPOSED_MAX_SIDE} a side); use a 2x2 or 3x3 map"
            )
        self.crop = (slice(self.padding[0], self.padding[0] + out[0]), slice(self.padding[1], self.padding[1] + out[1]))
        canvas = np.zeros(full, dtype=self.steps[-1].output.dtype)
        self.canvases, self.touched = [], []
        reached = np.zeros(full, dtype=bool)
        for s in self.steps:
            where = np.ix_(s.rows + self.padding[0], s.cols + self.padding[1])
            canvas[where] += s.stamp
            reached[where] = True
            self.canvases.append(canvas.copy())
            self.touched.append(reached.copy())
        self._build()

    @property
    def n_steps(self):
        """One step per cell of the input map."""
        return len(self.steps)

    def _specs(self):
        (n, m), (kh, kw) = self.input.shape, self.detector.shape
        fh, fw = self.canvases[0].shape
        out = self.steps[-1].output.shape
        pads = any(self.padding)
        title = f"output {out[0]}×{out[1]}" + (f"\n(before cropping {fh}×{fw};\nhatched: cropped)" if pads else "")
        return [
            PanelSpec("input", n, m, f"input map {n}×{m}"),
            PanelSpec("detector", kh, kw, "detector"),
            PanelSpec("stamp", kh, kw, "stamp =\nvalue × detector"),
            PanelSpec("output", fh, fw, title, sign="→"),
        ]

    def _build(self):
        specs = self._specs()
        s = self.stride
        lines = [f"Each input cell adds value × detector to the output, moved on by the stride ({s[0]}, {s[1]});",
                 "where stamps overlap they add up; cells no stamp reaches stay 0."]  # fmt: skip
        stamps = np.stack([st.stamp for st in self.steps]).astype(float)
        values = np.concatenate([stamps.ravel(), np.stack(self.canvases).ravel().astype(float)])
        norm = cells.value_norm(values)
        labels = cells.cell_labels(values.reshape(1, -1))[0]
        given = [self.input, self.detector]
        low = number_cell(labels + [s for a in given for s in cells.cell_labels(np.reshape(a, (1, -1)))[0]])
        cell, placement = fit_cell(specs, low=low, high=max(low, 40.0), footer_lines=2, min_width=footer_width(lines))
        self.build(specs, placement)
        self.footer("\n".join(lines))
        NumberedGrid(self.axes["input"], self.input.shape, cell, cells.value_norm(self.input),
                     labels=cells.cell_labels(self.input.reshape(1, -1))[0]).show(self.input)  # fmt: skip
        NumberedGrid(self.axes["detector"], self.detector.shape, cell, cells.value_norm(self.detector),
                     labels=cells.cell_labels(self.detector.reshape(1, -1))[0]).show(self.detector)  # fmt: skip
        self.stamp_grid = NumberedGrid(self.axes["stamp"], self.detector.shape, cell, norm, labels=labels,
                                       animated=True)  # fmt: skip
        self.output_grid = NumberedGrid(self.axes["output"], self.canvases[0].shape, cell, norm, labels=labels,
                                        animated=True)  # fmt: skip
        self.current = outline(self.axes["input"], (-0.5, -0.5), 1, 1)
        self.target = outline(self.axes["output"], (-0.5, -0.5), 1, 1, style="dashed")
        self.moving = self.stamp_grid.artists + self.output_grid.artists + [self.current, self.target]
        self.moving += self._crop_marks()

    def _crop_marks(self):
        """Hatched strips over the cropped border and a dashed outline of the part kept (none without padding)."""
        if not any(self.padding):
            return []
        ax = self.axes["output"]
        (fh, fw), (rows, cols) = self.canvases[0].shape, self.crop
        strips = [(0, 0, fw, rows.start), (0, rows.stop, fw, fh - rows.stop),
                  (0, rows.start, cols.start, rows.stop - rows.start),
                  (cols.stop, rows.start, fw - cols.stop, rows.stop - rows.start)]  # fmt: skip
        marks = []
        for x, y, w, h in strips:
            if w > 0 and h > 0:
                rect = Rectangle((x - 0.5, y - 0.5), w, h, facecolor=(1, 1, 1, 0.35), edgecolor=cells.PADDING_HATCH,
                                 hatch="//", linewidth=0, zorder=2, animated=True)  # fmt: skip
                ax.add_patch(rect)
                marks.append(rect)
        kept = outline(ax, (cols.start - 0.5, rows.start - 0.5), cols.stop - cols.start, rows.stop - rows.start,
                       lw=2.0, color=cells.HALO, style="dotted", zorder=9)  # fmt: skip
        return marks + [kept]

    def _show(self, step):
        s = self.steps[step - 1]
        self.stamp_grid.show(s.stamp)
        self.output_grid.show(self.canvases[step - 1], self.touched[step - 1])
        i, j = s.cell
        self.current.set_xy((j - 0.5, i - 0.5))
        r0, c0 = s.rows[0] + self.padding[0], s.cols[0] + self.padding[1]
        self.target.set_xy((c0 - 0.5, r0 - 0.5))
        self.target.set_width(s.cols[-1] - s.cols[0] + 1)
        self.target.set_height(s.rows[-1] - s.rows[0] + 1)

    def status(self, step):
        """Which input cell stamps at ``step``, and where."""
        s = self.steps[step - 1]
        r, c = s.rows + self.padding[0], s.cols + self.padding[1]
        return (
            f"step {step} of {self.n_steps} · input cell {s.cell} = {format_number(s.value)} stamps "
            f"{format_number(s.value)} × detector onto output rows {r[0]}–{r[-1]}, columns {c[0]}–{c[-1]}"
        )

    def detail(self, step):
        """Every cell the stamp lands on: what was there, plus value × weight, gives what is there now."""
        s = self.steps[step - 1]
        before = self.canvases[step - 2] if step > 1 else np.zeros_like(self.canvases[0])
        after, (rows, cols) = self.canvases[step - 1], self.crop
        terms = []
        for (a, b), w in np.ndenumerate(self.detector):
            r, c = s.rows[a] + self.padding[0], s.cols[b] + self.padding[1]
            cropped = "" if (rows.start <= r < rows.stop and cols.start <= c < cols.stop) else " (cropped)"
            terms.append(f"({r},{c}): {format_number(before[r, c])} + {_factor(s.value)}×{_factor(w)} = "
                         f"{format_number(after[r, c])}{cropped}")  # fmt: skip
        return "; ".join(terms)

    def describe(self, step):
        """A text alternative to the picture of ``step``."""
        s = self.steps[step - 1]
        (n, m), (kh, kw), (fh, fw) = self.input.shape, self.detector.shape, self.canvases[0].shape
        crop = ""
        if any(self.padding):
            crop = (f" Its border ({self.padding[0]} row(s), {self.padding[1]} column(s) each side) is hatched: "
                    "cropped; a dotted line frames the part kept.")  # fmt: skip
        return (
            f"Four panels: the {n}×{m} input map with cell {s.cell} = {format_number(s.value)} outlined (solid line); "
            f"the {kh}×{kw} detector; the stamp, {format_number(s.value)} × detector: "
            f"{', '.join(map(format_number, s.stamp.ravel()))}; and the {fh}×{fw} output after {step} of "
            f"{self.n_steps} stamps, the stamp's place outlined (dashed line) at rows {s.rows[0] + self.padding[0]}–"
            f"{s.rows[-1] + self.padding[0]}, columns {s.cols[0] + self.padding[1]}–{s.cols[-1] + self.padding[1]}."
            f"{crop}"
        )
