"""Where the stepper's panels go, in pixels at scale 1, worked out once per figure.

The layout is sized for the *reference* scan (the same image and detector
at stride 1), so that the figure keeps its size, and its cells their size,
at every stride: changing the stride never makes the page jump.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cells import cell_labels, map_is_signed
from .readable import MIN_TEXT_PT
from .text import panel_titles

__all__ = ["NUMBERS_UP_TO", "DPI", "Panel", "StepperLayout", "stepper_layout", "text_px", "detector_grid"]

#: A panel whose array has at most this many rows and columns shows the
#: number of every cell; larger ones (a photo) are pictures with a colour bar.
NUMBERS_UP_TO = 16
#: Pixels per inch at scale 1 (the figure's dpi is ``DPI * scale``).
DPI = 100
TARGET_WIDTH = 720
MARGIN_LEFT = 40
MARGIN_RIGHT = 14
GAP = 58  # between panels: the next panel's row numbers and an operator sign
TITLE = 30
TICKS = 24  # the column numbers above a panel, at TICK_PT
BOTTOM = 12
PICTURE = 230  # longest side of a picture panel
COLORBAR = 56  # gap + bar + its tick labels
CELL_MIN, CELL_MAX = 32, 44  # 32: a one-digit number in it is at least MIN_TEXT_PX (cells.font_px)
CELL_PER_CHAR = 10.2  # a cell at least this many pixels per character of its longest number (same reason)
CELL_LONGEST = 64  # ...up to this side (six characters)
TITLE_PT = 11.5
#: Tick labels (row and column numbers, colour bars): as large as the lesson's text at scale 1.
TICK_PT = MIN_TEXT_PT
CAPTION_PT = 10.5
LINE_PX = 1.45 * CAPTION_PT / 0.72  # one caption line


def text_px(text, size_pt):
    """Width in pixels (at scale 1) of ``text`` set in the default font.

    Parameters
    ----------
    text : str
    size_pt : float

    Returns
    -------
    float

    Examples
    --------
    >>> text_px("feature map", 11.5) > text_px("map", 11.5)
    True
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(text, FontProperties(size=size_pt), ismath=False)
    return width / 0.72


def detector_grid(scan):
    """The detector as drawn: one grid, channels side by side with an empty column between.

    Parameters
    ----------
    scan : conv_lesson.ops.Scan

    Returns
    -------
    ndarray of float, NaN in the gaps

    Examples
    --------
    >>> from conv_lesson import ops
    >>> detector_grid(ops.Scan(np.ones((4, 4, 2)), np.ones((2, 2, 2)))).shape
    (2, 5)
    """
    det = scan.detector.astype(float)
    if scan.channels == 1:
        return det[:, :, 0]
    gap = np.full((det.shape[0], 1), np.nan)
    blocks = []
    for ch in range(scan.channels):
        blocks += [det[:, :, ch]] + ([gap] if ch < scan.channels - 1 else [])
    return np.hstack(blocks)


@dataclass
class Panel:
    """One panel: what it shows (``'cells'`` or ``'picture'``), its size and its place."""

    kind: str
    rows: int
    cols: int
    cell: float  # pixels per cell
    colorbar: bool
    x: float = 0.0
    y: float = 0.0

    @property
    def w(self):
        """Width in pixels."""
        return self.cols * self.cell

    @property
    def h(self):
        """Height in pixels."""
        return self.rows * self.cell

    @property
    def extra(self):
        """Room for the colour bar, if any."""
        return COLORBAR if self.colorbar else 0


@dataclass
class StepperLayout:
    """The figure's size and its panels ('input', 'detector', 'map'), in pixels at scale 1."""

    width: float
    height: float
    top: float
    body: float
    caption_h: float
    panels: dict
    titles: dict

    def with_caption(self, lines):
        """The same layout with room for ``lines`` lines of caption under the panels."""
        caption_h = 16 + (1 + lines) * LINE_PX
        return StepperLayout(
            self.width,
            self.height - self.caption_h + caption_h,
            self.top,
            self.body,
            caption_h,
            self.panels,
            self.titles,
        )


def _kinds(scan, reference, det_shape):
    (h, w), (rh, rw) = scan.geometry.padded_shape, reference.out_shape
    return {
        "input": "cells" if max(h, w) <= NUMBERS_UP_TO and scan.channels == 1 else "picture",
        "detector": "cells" if max(det_shape) <= NUMBERS_UP_TO else "picture",
        "map": "cells" if max(rh, rw) <= NUMBERS_UP_TO else "picture",
    }


def _cell_size(scan, reference, kinds, shapes, colorbars, det_values):
    """The side of a numbered cell: the cells fill the target width, and the longest number fits."""
    values = {"input": scan.padded[:, :, 0], "detector": det_values, "map": reference.feature_map}
    labels = [cell_labels(v) for name, v in values.items() if kinds[name] == "cells"]
    if kinds["map"] == "cells":
        labels.append(cell_labels(scan.feature_map))
    longest = max((len(t) for rows in labels for row in rows for t in row), default=1)
    fixed = MARGIN_LEFT + MARGIN_RIGHT + 2 * GAP
    n_cells = 0
    for name, kind in kinds.items():
        if kind == "cells":
            n_cells += shapes[name][1]
        else:
            probe = Panel("picture", *shapes[name], PICTURE / max(shapes[name]), colorbars[name])
            fixed += probe.w + probe.extra
    cell = float(np.clip((TARGET_WIDTH - fixed) / max(n_cells, 1), CELL_MIN, CELL_MAX))
    return max(cell, min(CELL_PER_CHAR * longest, CELL_LONGEST))


def _widest_map_title(scan, reference):
    """The map's title at the reference size with a two-digit stride: the widest it gets."""
    wide = panel_titles(reference)["map"].replace("stride 1", "stride 88")
    return max(wide, panel_titles(scan)["map"], key=lambda t: text_px(t, TITLE_PT))


def stepper_layout(scan, reference):
    """Size the stepper's figure for ``scan``, reserving the room ``reference`` needs.

    Parameters
    ----------
    scan : conv_lesson.ops.Scan
        What is shown.
    reference : conv_lesson.ops.Scan
        The same image and detector at stride 1: the map panel's slot, the
        cell size and the figure's size come from it, so they do not change
        with the stride.

    Returns
    -------
    StepperLayout

    Examples
    --------
    >>> from conv_lesson import ops
    >>> a = ops.Scan(np.zeros((7, 7)), np.ones((3, 3)))
    >>> b = a.with_stride(2)
    >>> stepper_layout(a, a).width == stepper_layout(b, a).width
    True
    """
    det_values = detector_grid(scan)
    shapes = {"input": scan.geometry.padded_shape, "detector": det_values.shape, "map": scan.out_shape}
    ref_shapes = dict(shapes, map=reference.out_shape)
    kinds = _kinds(scan, reference, det_values.shape)
    colorbars = {"input": scan.channels == 1, "detector": True, "map": True}
    cell = _cell_size(scan, reference, kinds, ref_shapes, colorbars, det_values)

    # a signed map has the key of its colours beside it even as numbered cells (white is 0)
    keyed = {name: kinds[name] == "picture" for name in shapes}
    keyed["map"] = keyed["map"] or map_is_signed(scan, reference)

    def panel(name, shape):
        unit = cell if kinds[name] == "cells" else PICTURE / max(ref_shapes[name])
        return Panel(kinds[name], *shape, unit, keyed[name] and colorbars[name])

    panels = {name: panel(name, shapes[name]) for name in shapes}
    slots = {name: panel(name, ref_shapes[name]) for name in shapes}
    titles = panel_titles(scan)
    title_w = {name: text_px(titles[name], TITLE_PT) for name in titles}
    title_w["map"] = text_px(_widest_map_title(scan, reference), TITLE_PT)
    x, top = MARGIN_LEFT, TITLE + TICKS
    for n, name in enumerate(("input", "detector", "map")):
        p, slot = panels[name], slots[name]
        width = max(slot.w + slot.extra, title_w[name] + 6 + slot.extra)
        p.x, p.y = x + (width - p.w - p.extra) / 2, top
        x += width + (GAP if n < 2 else 0)
    width = x + MARGIN_RIGHT
    body = max(slot.h for slot in slots.values())
    return StepperLayout(width, top + body + BOTTOM, top, body, 0, panels, titles)
