"""Depthwise convolution step by step: each channel of the image read by its own detector, into its own map."""

from __future__ import annotations

import dataclasses

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.patches import Rectangle

from .. import ops
from ..ops import format_number
from ..ops.checks import as_array
from . import cells
from .grids import (
    BOTTOM,
    MARGIN,
    TICK_PT,
    TITLE_LINE,
    TITLE_PT,
    BlitFigure,
    NumberedGrid,
    PanelSpec,
    Placement,
    footer_width,
    number_cell,
    outline,
)
from .layout import text_px
from .text import channel_label, step_tables_html

__all__ = ["DEPTHWISE_MAX_STEPS", "DEPTHWISE_MAX_SIDE", "DEPTHWISE_MAX_WIDTH", "DEPTHWISE_CHANNELS", "DepthwiseFigure"]

#: The most steps (windows over all channels) the figure draws: it is a flipbook for small cases.
DEPTHWISE_MAX_STEPS = 100
#: The longest image side (before padding) the figure draws.
DEPTHWISE_MAX_SIDE = 8
#: The widest the figure may be, in pixels at scale 1 (the channels side by side, their longest numbers).
DEPTHWISE_MAX_WIDTH = 1000
#: How many channels the figure draws: at least, at most.
DEPTHWISE_CHANNELS = (2, 4)
COLUMN_GAP = 34  # between two channels' columns: room for the dotted frame around the channel read
ROW_GAP = 16  # between the rows of panels (inputs, detectors, maps)
FRAME_OUT = 9  # the frame around the channel read lies this far outside its column
TICK_PAD = 7  # points between a panel and its row and column numbers: clear of an outline on its edge
FOOTER = ("Each channel has its own detector and its own map: a step reads one channel only.",
          "No step ever mixes two channels; a 1×1 pointwise layer mixes them afterwards.")  # fmt: skip


def _channel(c, channels):
    """'channel 1 (green)' for a colour image, else 'channel 1'."""
    name = channel_label(c, channels)
    return f"channel {c} ({name})" if channels == 3 else name


def _channels(indices, channels):
    """'the red and blue channels', or 'channels 1, 2 and 3'."""
    if channels == 3:
        return f"the {_words([channel_label(c, 3) for c in indices])} channels"
    return ("channel " if len(indices) == 1 else "channels ") + _words([str(c) for c in indices])


def _words(items):
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _text_w(text, size_pt):
    return 1.1 * text_px(text, size_pt)  # the few per cent Agg's rendering adds to the font metrics


def _place(rows, cell_sizes, *, footer_lines, min_width):
    """Panels in a grid: one row per list of specs (each with its own cell side), one column per channel.

    Returns the Placement and, per column, the box (x, y, w, h) of the frame around it.
    """
    n_cols = len(rows[0])
    col_room = (TICK_PT * 1.2 + TICK_PAD) / 0.72
    left, inner = [0.0] * n_cols, [0.0] * n_cols
    for specs, cell in zip(rows, cell_sizes):
        for c, s in enumerate(specs):
            labels = s.labels("rows")
            left[c] = max(left[c], max(_text_w(t, TICK_PT) for t in labels) + TICK_PAD / 0.72 if labels else 0.0)
            title = max(_text_w(line, TITLE_PT) for line in s.title.splitlines())
            inner[c] = max(inner[c], s.cols * cell, title)
    xs = [float(MARGIN + FRAME_OUT)]
    for c in range(1, n_cols):
        xs.append(xs[-1] + left[c - 1] + inner[c - 1] + COLUMN_GAP)
    y, boxes = float(MARGIN + FRAME_OUT), {}
    for specs, cell in zip(rows, cell_sizes):
        titles = max(len(s.title.splitlines()) for s in specs) * TITLE_LINE + 6
        top = y + titles + (col_room if any(s.labels("cols") for s in specs) else 0.0)
        for c, s in enumerate(specs):
            w = s.cols * cell
            boxes[s.name] = (xs[c] + left[c] + (inner[c] - w) / 2, top, w, s.rows * cell)
        y = top + max(s.rows for s in specs) * cell + ROW_GAP
    bottom = y - ROW_GAP + FRAME_OUT + 4
    frames = [(xs[c] - FRAME_OUT, MARGIN, left[c] + inner[c] + 2 * FRAME_OUT, bottom - MARGIN) for c in range(n_cols)]
    footer = footer_lines * TITLE_LINE + 8
    width = max(xs[-1] + left[-1] + inner[-1] + FRAME_OUT + MARGIN, min_width)
    rotated = {s.name: False for specs in rows for s in specs}
    return Placement(width, bottom + 8 + BOTTOM + footer, boxes, [], rotated, footer, min(cell_sizes)), frames


class _FadingGrid:
    """A grid of fixed numbered cells that can be greyed out (not read): washed toward white as
    :func:`conv_lesson.draw.cells.faded` says, its numbers then inked for the washed colour."""

    def __init__(self, ax, values, cell, colours, labels, pad=None):
        cmap, norm = colours
        self.grid = NumberedGrid(ax, values.shape, cell, norm, cmap=cmap.name, labels=labels, animated=True)
        pad = np.zeros(values.shape, dtype=bool) if pad is None else pad
        self.grid.show(values, ~pad)
        rows, cols = values.shape
        self.wash = Rectangle((-0.5, -0.5), cols, rows, facecolor=(1, 1, 1, cells.FADE), linewidth=0, zorder=1.2,
                              animated=True)  # fmt: skip
        ax.add_patch(self.wash)
        text = cells.cell_labels(values)
        items = [(r, c, text[r][c]) for r, c in np.ndindex(values.shape)]
        inks = [cells.PADDING_TEXT if pad[r, c] else cells.ink_on(cells.faded(cmap(norm(values[r, c]))))
                for r, c, _ in items]  # fmt: skip
        paths = cells.number_paths(items, self.grid.size_pt, cell * 0.72) if self.grid.write else []
        self.faded = PathCollection(paths, facecolors=to_rgba_array(inks), edgecolors="none", linewidths=0,
                                    transform=ax.transData, zorder=4, animated=True)  # fmt: skip
        self.faded.text_size_pt = self.grid.size_pt  # for conv_lesson.draw.readable: numbers are text too
        ax.add_collection(self.faded, autolim=False)
        self.artists = [*self.grid.artists, self.wash, self.faded]

    def set_read(self, read):
        """Bright (read at this step) or greyed out."""
        self.wash.set_visible(not read)
        self.faded.set_visible(not read)
        self.grid.numbers.set_visible(read)


class DepthwiseFigure(BlitFigure):
    """A depthwise convolution window by window: each channel read by its own detector, into its own map.

    Columns are channels. Top row: the C channels of the image (padding in
    grey); middle: the C detectors, one per channel; bottom: the C feature
    maps filling in. Steps go channel by channel, every window of channel 0
    in scan order, then channel 1, ...: the channel read is framed (dotted
    line) with its window and its detector outlined (solid line) and the map
    cell written outlined (dashed line); the other channels and detectors are
    greyed out. A last step shows every map finished: no step ever mixed two
    channels.

    Parameters
    ----------
    image : array_like, shape (H, W, C)
        A small image (sides up to :data:`DEPTHWISE_MAX_SIDE`) with 2 to 4 channels, channels last.
    detectors : array_like, shape (C, kh, kw)
        One detector per channel.
    stride : int or (int, int), default 1
    padding : int, (int, int), 'valid' or 'same', default 0
        As for :func:`conv_lesson.feature_map`.
    scale : float, default 1.0

    Attributes
    ----------
    scans : list of conv_lesson.ops.Scan
        Channel ``c`` under detector ``c``.
    maps : ndarray, shape (H', W', C)
        The depthwise output: map ``c`` is ``feature_map(image[..., c], detectors[c])``.
    n_windows : int
        Windows per channel.
    n_steps : int
        ``C × n_windows + 1``.

    Examples
    --------
    >>> image = np.stack([np.eye(3, dtype=int), np.ones((3, 3), dtype=int)], axis=-1)
    >>> fig = DepthwiseFigure(image, [[[1, 0], [0, 1]], [[1, 1], [1, 1]]])
    >>> fig.n_steps, fig.maps[..., 0].tolist(), fig.maps[..., 1].tolist()
    (9, [[2, 0], [0, 2]], [[4, 4], [4, 4]])
    >>> fig.status(6)
    'step 6 of 9 · channel 1 · window at row 0, column 1 · map 1 cell (0, 1) = 4'
    """

    def __init__(self, image, detectors, *, stride=1, padding=0, scale=1.0):
        super().__init__(scale)
        low, high = DEPTHWISE_CHANNELS
        image = as_array(image, "image", (3,), f"an image (H, W, C) with {low} to {high} channels, channels last")
        channels = image.shape[2]
        if not low <= channels <= high or max(image.shape[:2]) > DEPTHWISE_MAX_SIDE:
            raise ValueError(
                f"image is not small enough for the depthwise figure: expected (H, W, C) with sides up to "
                f"{DEPTHWISE_MAX_SIDE} and {low} to {high} channels (e.g. 5x5x3); got shape {image.shape}"
            )
        what = "one 2-D detector per channel, an array (C, kh, kw)"
        detectors = as_array(detectors, "detectors", (3,), what)
        if detectors.shape[0] != channels:
            raise ValueError(
                f"detectors must hold one detector per channel: the image has {channels} channels but "
                f"detectors has shape {detectors.shape} ({detectors.shape[0]} detector(s)); expected {what}"
            )
        self.scans = [ops.Scan(image[..., c], detectors[c], stride=stride, padding=padding) for c in range(channels)]
        self.n_windows = self.scans[0].n_steps
        if channels * self.n_windows > DEPTHWISE_MAX_STEPS:
            raise ValueError(
                f"image is too large for the depthwise figure: {channels} channels × {self.n_windows} windows = "
                f"{channels * self.n_windows} steps (at most {DEPTHWISE_MAX_STEPS}); use a smaller image or a "
                "larger stride"
            )
        self.channels = channels
        self.maps = np.stack([s.feature_map for s in self.scans], axis=-1)
        self._build()

    @property
    def n_steps(self):
        """One step per window of each channel, then one for the finished maps."""
        return self.channels * self.n_windows + 1

    def _where(self, step):
        """(channel, its scan's step) of ``step``; None for the last step."""
        if step == self.n_steps:
            return None
        c, k = divmod(step - 1, self.n_windows)
        return c, k + 1

    def _specs(self):
        s0, n = self.scans[0], self.channels
        (h, w), (kh, kw), (oh, ow) = s0.geometry.padded_shape, s0.detector.shape[:2], s0.out_shape
        padded = "\n(padding in grey)" if any(sum(p) for p in s0.pads) else ""
        return [
            [PanelSpec(f"input {c}", h, w, _channel(c, n) + padded) for c in range(n)],
            [PanelSpec(f"detector {c}", kh, kw, f"detector {c}", [], []) for c in range(n)],
            [PanelSpec(f"map {c}", oh, ow, f"map {c} ({oh}×{ow})") for c in range(n)],
        ]

    def _build(self):  # long: three rows of panels, their grids and every outline, built once
        rows, s0 = self._specs(), self.scans[0]
        padded = np.stack([s.padded[:, :, 0] for s in self.scans]).astype(float)
        dets = np.stack([s.detector[:, :, 0] for s in self.scans]).astype(float)
        maps = np.moveaxis(self.maps, -1, 0).astype(float)
        labels = [cells.cell_labels(a.reshape(1, -1))[0] for a in (padded, dets, maps)]
        sizes = [number_cell(row) for row in labels]
        placement, lanes = _place(rows, sizes, footer_lines=len(FOOTER), min_width=footer_width(FOOTER))
        if placement.width > DEPTHWISE_MAX_WIDTH:
            raise ValueError(
                f"image is too large for the depthwise figure: its {self.channels} channels side by side, with "
                f"numbers up to {max(len(t) for row in labels for t in row)} characters long, would be "
                f"{placement.width:.0f} pixels wide (at most {DEPTHWISE_MAX_WIDTH}); use a smaller image, less "
                "padding, a larger stride or numbers with fewer digits"
            )
        self.build([s for specs in rows for s in specs], placement)
        self.footer("\n".join(FOOTER))
        for panel in self.axes.values():
            panel.tick_params(pad=TICK_PAD)
        (t, b), (l, r) = s0.pads
        is_pad = np.ones(padded.shape[1:], dtype=bool)
        is_pad[t : is_pad.shape[0] - b, l : is_pad.shape[1] - r] = False
        image_key = cells.value_colours(padded[:, ~is_pad])
        det_key, map_key = cells.value_colours(dets), cells.value_colours(maps)
        ax, n = self.axes, self.channels
        self.inputs = [_FadingGrid(ax[f"input {c}"], padded[c], sizes[0], image_key, labels[0], is_pad)
                       for c in range(n)]  # fmt: skip
        self.detectors = [_FadingGrid(ax[f"detector {c}"], dets[c], sizes[1], det_key, labels[1]) for c in range(n)]
        self.map_grids = [NumberedGrid(ax[f"map {c}"], s0.out_shape, sizes[2], map_key[1], cmap=map_key[0].name,
                                       labels=labels[2], animated=True) for c in range(n)]  # fmt: skip
        (kh, kw), (oh, ow) = dets.shape[1:], s0.out_shape
        self.windows = [outline(ax[f"input {c}"], (-0.5, -0.5), kw, kh) for c in range(n)]
        self.used = [outline(ax[f"detector {c}"], (-0.5, -0.5), kw, kh) for c in range(n)]
        self.written = [outline(ax[f"map {c}"], (-0.5, -0.5), 1, 1, style="dashed") for c in range(n)]
        self.done = [outline(ax[f"map {c}"], (-0.5, -0.5), ow, oh, style="dashed") for c in range(n)]
        over = self.figure.add_axes([0, 0, 1, 1])  # the frames around a channel's column, in pixels (y down)
        over.set_xlim(0, placement.width)
        over.set_ylim(placement.height, 0)
        over.set_axis_off()
        over.patch.set_visible(False)
        self.lanes = [outline(over, (x, y), w, h, lw=2.0, style="dotted", zorder=11) for x, y, w, h in lanes]
        for patch in self.lanes:
            patch.set_clip_on(False)
        grids = [a for g in self.inputs + self.detectors for a in g.artists]
        grids += [a for g in self.map_grids for a in g.artists]
        self.moving = grids + self.windows + self.used + self.written + self.done + self.lanes

    def _show(self, step):
        where = self._where(step)
        read = None if where is None else where[0]
        for c in range(self.channels):
            now = c == read
            self.inputs[c].set_read(read is None or now)
            self.detectors[c].set_read(read is None or now)
            for patch in (self.windows[c], self.used[c], self.written[c], self.lanes[c]):
                patch.set_visible(now)
            self.done[c].set_visible(read is None)
            if read is None or c < read:
                self.map_grids[c].show(self.maps[..., c])
            elif now:
                view = self.scans[c].step(where[1])
                self.map_grids[c].show(view.feature_map)
                self.windows[c].set_xy((view.position[1] - 0.5, view.position[0] - 0.5))
                self.written[c].set_xy((view.cell[1] - 0.5, view.cell[0] - 0.5))
            else:
                self.map_grids[c].show(np.full(self.scans[c].out_shape, np.nan))

    def _view(self, step):
        c, k = self._where(step)
        return c, self.scans[c].step(k)

    def status(self, step):
        """Which channel ``step`` reads, where its window is and the map cell it writes."""
        head = f"step {step} of {self.n_steps} · "
        if self._where(step) is None:
            return head + f"{self.channels} maps, each made from one channel only: no step mixed two channels"
        c, v = self._view(step)
        (top, left), (i, j) = v.position, v.cell
        return head + (
            f"{_channel(c, self.channels)} · window at row {top}, column {left} · "
            f"map {c} cell ({i}, {j}) = {format_number(v.value)}"
        )

    def detail(self, step):
        """The products of the window and detector ``c`` and their sum; at the last step, what mixes channels."""
        if self._where(step) is None:
            return (
                "A 1×1 pointwise layer mixes the channels next: each of its detectors weighs the "
                f"{self.channels} maps at one place and adds them up."
            )
        c, v = self._view(step)
        return (
            f"{_channel(c, self.channels)} · window ({v.position[0]}, {v.position[1]}) · detector {c}: {v.arithmetic}"
        )

    def describe(self, step):
        """A text alternative to the picture of ``step``: which channel is read, by which detector."""
        s0, n = self.scans[0], self.channels
        (h, w), (kh, kw), (oh, ow) = s0.geometry.image_shape, s0.detector.shape[:2], s0.out_shape
        pad = ", padded with zeros (grey)" if any(sum(p) for p in s0.pads) else ""
        head = (
            f"Three rows of panels, one column per channel. Top: {_channels(range(n), n)} of the "
            f"{h}×{w}×{n} image{pad}; middle: {n} {kh}×{kw} detectors, one per channel; bottom: {n} "
            f"{oh}×{ow} feature maps, one per channel. "
        )
        if self._where(step) is None:
            maps = "; ".join(f"map {c}: {', '.join(map(format_number, self.maps[..., c].ravel()))}" for c in range(n))
            return head + f"Every map is finished, outlined (dashed line). {maps}. No step read two channels."
        c, v = self._view(step)
        others = _channels([o for o in range(n) if o != c], n)
        state = [f"map {o} is finished" if o < c else f"map {o} is still empty" for o in range(n) if o != c]
        return head + (
            f"{_channel(c, n).capitalize()} is read, framed (dotted line): its {kh}×{kw} window is outlined "
            f"(solid line) at row {v.position[0]}, column {v.position[1]}, and detector {c}, its own, is outlined "
            f"(solid line). {others[0].upper() + others[1:]} and their detectors are greyed out: not read. Map {c} has "
            f"{v.step} of {v.n_steps} cells filled, the current cell ({v.cell[0]}, {v.cell[1]}) = "
            f"{format_number(v.value)} outlined (dashed line); {_words(state)}."
        )

    def tables_html(self, step=None):
        """The numbers of ``step`` as HTML tables: the window, its detector and its map so far (none at the end)."""
        step = self.step if step is None else step
        if self._where(step) is None:
            return ""
        c, view = self._view(step)
        view = dataclasses.replace(view, step=step, n_steps=self.n_steps)
        return f"<p>{_channel(c, self.channels)}, read by detector {c}; map {c}:</p>{step_tables_html(view)}"
