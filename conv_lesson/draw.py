"""Pictures of convolution, with matplotlib only.

Figures are built once on their own Agg canvas (``matplotlib.figure.Figure``,
never pyplot) and then updated: a step changes only the artists that move.
Nothing here imports ipywidgets; :mod:`conv_lesson.widgets` wires controls to
these figures.
"""

from __future__ import annotations

# ===== stepper figure (helper: stepper) =====================================

import functools
import io
import math
import os
import numbers
import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator, MultipleLocator
from matplotlib.transforms import offset_copy

from . import ops

#: A panel whose array has at most this many rows and columns shows the
#: number of every cell; larger ones (a photo) are pictures with a colour bar.
NUMBERS_UP_TO = 16
#: Colour-blind-safe colormap for cells with numbers and for feature maps.
STEPPER_CMAP = "cividis"
#: Colormap of a large (photo) input image.
PHOTO_CMAP = "gray"
#: Outline of the window and of the current feature-map cell (Okabe-Ito vermillion).
HIGHLIGHT = "#d55e00"
_PADDING_FACE = "#e6e6e6"
_PADDING_HATCH = "#c2c2c2"
_PADDING_TEXT = "#5c5c5c"
_EMPTY_GRID = "#c8c8c8"
_INK = "#333333"

# Layout in pixels at scale 1 (the figure's dpi is 100 * scale, so every size,
# font and line width grows with ``scale``).
_DPI = 100
_TARGET_WIDTH = 720
_MARGIN_LEFT = 40
_MARGIN_RIGHT = 14
_GAP = 58  # between panels: the next panel's row numbers and an operator sign
_TITLE = 30
_TICKS = 20
_BOTTOM = 12
_PICTURE = 230  # longest side of a picture panel
_COLORBAR = 56  # gap + bar + its tick labels
_CELL_MIN, _CELL_MAX = 28, 44
_CELL_PER_CHAR = 7.2  # a cell at least this many pixels per character of its longest number
_CAPTION_PT = 10.5
_TOUCHED_INSET = 0.1  # with dilation, each touched cell is outlined this far inside its edges
_TITLE_PT = 11.5


def _text_px(text, size_pt):
    """Width in pixels (at scale 1) of ``text`` set in the default font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(text, FontProperties(size=size_pt), ismath=False)
    return width / 0.72


def _check_scale(scale):
    """A real number between 0.25 and 4 (how much to enlarge a figure)."""
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, numbers.Real):
        raise TypeError(f"scale must be a number such as 1.0 or 1.6; got {ops._describe(scale)}")
    scale = float(scale)
    if not (math.isfinite(scale) and 0.25 <= scale <= 4.0):
        raise ValueError(f"scale must be between 0.25 and 4; got {scale}")
    return scale


def status_line(view):
    """The one-line status of a step, as the stepper shows it under the figure.

    Parameters
    ----------
    view : ops.StepView
        One step, from :func:`conv_lesson.ops.step_view`.

    Returns
    -------
    str
        ``"step k of N · window at row r, column c · feature map cell (i, j) = v"``;
        the window's row and column count the padded image (row 0 is the
        first row of padding, if any), like the numbers along the input panel.

    Examples
    --------
    >>> from conv_lesson import ops
    >>> status_line(ops.step_view([[1, 2, 0], [0, 1, 3]], [[1, 1]], 2))
    'step 2 of 4 · window at row 0, column 1 · feature map cell (0, 1) = 2'
    """
    (r, c), (i, j) = view.position, view.cell
    return (
        f"step {view.step} of {view.n_steps} · window at row {r}, column {c} · "
        f"feature map cell ({i}, {j}) = {ops._fmt(view.value)}"
    )


def matches_text(matches):
    """``'2 cells match'`` (``'1 cell matches'``) for 0/1 arrays; ``''`` for None.

    Examples
    --------
    >>> matches_text(2), matches_text(1), matches_text(None)
    ('2 cells match', '1 cell matches', '')
    """
    if matches is None:
        return ""
    return "1 cell matches" if matches == 1 else f"{matches} cells match"


def arithmetic_line(view):
    """The products of a step and their sum, plus the matches for 0/1 arrays.

    Parameters
    ----------
    view : ops.StepView

    Returns
    -------
    str

    Examples
    --------
    >>> from conv_lesson import ops
    >>> arithmetic_line(ops.step_view([[1, 1, 0]], [[1, 1]], 1))
    '1×1 + 1×1 = 2 · 2 cells match'
    >>> arithmetic_line(ops.step_view([[2, 1, 0]], [[1, -1]], 1))
    '2×1 + 1×(-1) = 1'
    """
    text = view.arithmetic
    if view.matches is not None:
        text += " · " + matches_text(view.matches)
    return text


def encode_png(rgba, *, compress_level=1):
    """PNG bytes of an RGB(A) image array, encoded fast with Pillow.

    The alpha channel is dropped (the stepper's figures are opaque).

    Parameters
    ----------
    rgba : ndarray of uint8, shape (H, W, 3) or (H, W, 4)
    compress_level : int, default 1
        zlib level; 1 is fast and, for flat-coloured figures, nearly as small
        as 9.

    Returns
    -------
    bytes

    Examples
    --------
    >>> png = encode_png(np.zeros((2, 3, 4), dtype=np.uint8))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    from PIL import Image

    arr = np.asarray(rgba)
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise ValueError(f"rgba must be a uint8 array of shape (H, W, 3 or 4); got {arr.dtype} {arr.shape}")
    if arr.shape[2] == 4 and arr.flags["C_CONTIGUOUS"]:
        # straight from the buffer; Pillow drops alpha in C, faster than a numpy copy
        img = Image.frombuffer("RGBA", (arr.shape[1], arr.shape[0]), arr, "raw", "RGBA", 0, 1).convert("RGB")
    else:
        img = Image.fromarray(np.ascontiguousarray(arr[:, :, :3]))
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def _norm(values):
    """A Normalize over the finite ``values``, widened when they are all equal."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - 1.0, hi + 1.0
    return Normalize(vmin=lo, vmax=hi)


def _ink_on(rgba):
    """Black or white, whichever reads better on the colour ``rgba``."""
    r, g, b = (c ** 2.2 for c in rgba[:3])
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.2 else "white"


def cell_labels(values):
    """The numbers written in the cells of one panel, as text.

    Whole numbers are written plainly; otherwise every cell gets at most two
    decimals (trailing zeros dropped) so the numbers stay legible, and a
    value that is not zero but rounds to it is written ``≈0``. NaN gives ``''``.

    Examples
    --------
    >>> cell_labels(np.array([[1.0, -2.0]]))
    [['1', '-2']]
    >>> cell_labels(np.array([[0.125, 0.5, 0.0, 0.001, np.nan]]))
    [['0.12', '0.5', '0', '≈0', '']]
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    integral = bool(np.all(finite == np.round(finite)))

    def one(v):
        if not np.isfinite(v):
            return ""
        if integral:
            return str(int(v))
        text = f"{v:.2f}".rstrip("0").rstrip(".")
        if text in ("0", "-0"):
            return "0" if v == 0 else "≈0"
        return text

    return [[one(v) for v in row] for row in values]


def _font_px(cell_px, labels):
    """Font size (pixels) so that the longest label fits in a cell."""
    longest = max((len(s) for s in labels), default=1)
    return max(6.0, min(0.46 * cell_px, 0.86 * cell_px / (0.6 * max(longest, 1))))


def _edges(n):
    return np.arange(n + 1) - 0.5


@functools.lru_cache(maxsize=4096)
def _glyph(label, size_pt):
    """Outline of ``label`` at ``size_pt`` points: (vertices, codes, x centre, y centre of '0')."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(family="DejaVu Sans")
    path = TextPath((0, 0), label, size=size_pt, prop=prop)
    ext = path.get_extents()
    zero = TextPath((0, 0), "0", size=size_pt, prop=prop).get_extents()
    return path.vertices.copy(), path.codes.copy(), (ext.x0 + ext.x1) / 2, (zero.y0 + zero.y1) / 2


def _number_paths(cells, size_pt, unit_pt):
    """One glyph path per (row, col, label), centred in its cell, in data units.

    Numbers are drawn as filled outlines in one collection: far cheaper than
    one Text artist per cell, so frames render fast.
    """
    paths = []
    for r, c, label in cells:
        verts, codes, cx, cy = _glyph(label, round(size_pt, 2))
        xy = (verts - (cx, cy)) / unit_pt
        xy[:, 1] *= -1  # rows go down
        xy += (c, r)
        paths.append(Path(xy, codes))
    return paths


def _grid_lines(rows, cols):
    """Segments between all cells of a rows x cols grid."""
    segs = [[(x, -0.5), (x, rows - 0.5)] for x in _edges(cols)]
    segs += [[(-0.5, y), (cols - 0.5, y)] for y in _edges(rows)]
    return segs


class _Panel:
    """Where one panel goes (pixels at scale 1) and how it is drawn."""

    def __init__(self, kind, rows, cols, cell=None, colorbar=False):
        self.kind = kind  # "cells" or "picture"
        self.rows, self.cols = rows, cols
        self.colorbar = colorbar
        if kind == "cells":
            self.w, self.h = cols * cell, rows * cell
            self.cell = cell
        else:
            unit = _PICTURE / max(rows, cols)
            self.w, self.h = cols * unit, rows * unit
            self.cell = unit
        self.extra = _COLORBAR if colorbar else 0
        self.x = self.y = 0.0


class StepperFigure:
    """The stepper's picture: input with the window, detector, partial feature map.

    One :class:`matplotlib.figure.Figure` on its own Agg canvas, built once.
    :meth:`set_step` moves only the artists that change (the window, the
    feature-map cells, the current-cell outline), and :meth:`render` blits
    them over a saved background, which gives the same pixels as a full
    redraw (:meth:`render_full`) at a fraction of the cost.

    Panels whose array has at most :data:`NUMBERS_UP_TO` rows and columns show
    every cell's number (on the colour-blind-safe ``cividis`` colormap, in
    black or white, whichever reads better); larger ones are pictures with a
    colour bar. Padding cells are hatched grey with their 0 in grey.

    Parameters
    ----------
    image, detector, stride, padding, dilation, flip
        As for :func:`conv_lesson.ops.feature_map`.
    scale : float, default 1.0
        Enlarges everything (the figure's dpi is ``100 * scale``): 1.6 is
        for presenting to a room.
    caption : bool, default False
        Also write the status line and the arithmetic under the panels
        (for exported animations, which have no text around them).
    figure : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first) instead of a new one, so a
        widget keeps one figure while its static part changes.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    n_steps : int
        Number of steps (feature-map cells).
    out_shape : (int, int)
    step : int
        The step the artists currently show.

    Examples
    --------
    >>> from conv_lesson import data
    >>> fig = StepperFigure(data.seed_image(), data.seed_detector())
    >>> fig.n_steps, fig.out_shape
    (25, (5, 5))
    >>> fig.set_step(14).value
    2
    >>> bool((fig.render() == fig.render_full()).all())
    True
    """

    def __init__(self, image, detector, *, stride=1, padding=0, dilation=1, flip=False,
                 scale=1.0, caption=False, figure=None):
        image_arr, det, geo = ops._prepare(image, detector, stride, padding, dilation, flip)
        self.scale = _check_scale(scale)
        if not isinstance(caption, (bool, np.bool_)):
            raise TypeError(f"caption must be True or False; got {ops._describe(caption)}")
        if figure is not None and not isinstance(figure, Figure):
            raise TypeError(f"figure must be a matplotlib Figure or None; got {ops._describe(figure)}")
        self._det, self._geo = det, geo
        self._padded = ops._pad(image_arr, geo)
        self._full = ops._compute(self._padded, det, geo)
        self._flat = self._full.ravel().astype(float)
        self.flip = bool(flip)
        self.caption = bool(caption)
        self.out_shape = tuple(int(n) for n in geo.out_shape)
        self.n_steps = int(self._full.size)
        self.pads = geo.pads
        if figure is None:
            figure = Figure()
        else:
            figure.clear()
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self._background = None
        self._animated = []
        self.step = None
        self._build()
        self.set_step(1)

    # ------------------------------------------------------------------ state

    @property
    def stride(self):
        """(rows, cols) the window moves per step."""
        return self._geo.stride

    def view(self, step):
        """The :class:`conv_lesson.ops.StepView` of ``step`` (1 to ``n_steps``)."""
        step = ops._check_int(step, "step", 1)
        if step > self.n_steps:
            raise ValueError(f"step must be between 1 and {self.n_steps} (the number of positions); got {step}")
        return ops._step_from(self._padded, self._det, self._geo, self._full, step)

    def partial_map(self, step):
        """The feature map after ``step`` steps: float, NaN where not yet filled."""
        out = np.full(self.out_shape, np.nan)
        out.ravel()[:step] = self._flat[:step]
        return out

    def set_step(self, step):
        """Move the changing artists to ``step``; return its StepView (nothing is drawn)."""
        view = self.view(step)
        step = view.step
        top, left = view.position
        self._window.set_xy((left - 0.5, top - 0.5))
        dr, dc = self._geo.dilation
        for (a, b), rect in self._touched:
            rect.set_xy((left + b * dc - 0.5 + _TOUCHED_INSET, top + a * dr - 0.5 + _TOUCHED_INSET))
        partial = view.feature_map
        if self._map_numbers is not None:
            self._map_mesh.set_array(np.ma.masked_invalid(partial))
            self._map_edges[:] = 0.0
            self._map_edges[:step] = 1.0
            self._map_mesh.set_edgecolor(self._map_edges)
            paths, colors = self._map_number_paths
            self._map_numbers.set_paths(paths[:step])
            self._map_numbers.set_facecolor(colors[:step])
        else:
            self._map_image.set_data(partial)
        i, j = view.cell
        self._current.set_xy((j - 0.5, i - 0.5))
        if self.caption:
            status, sums = self._caption_texts(view)
            self._caption_status.set_text(status)
            self._caption_sums.set_text(sums)
        self.step = step
        self._view = view
        return view

    # -------------------------------------------------------------- rendering

    def redraw_static(self):
        """Draw everything that does not move and save it as the background."""
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def render(self, step=None):
        """Blit ``step`` (default: the current one); return the RGBA pixels.

        Returns
        -------
        ndarray of uint8, shape (height, width, 4)
            A copy, safe to keep.
        """
        if step is not None:
            self.set_step(step)
        if self._background is None:
            self.redraw_static()
        self.canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        return np.array(self.canvas.buffer_rgba())

    def render_full(self, step=None):
        """A full redraw of ``step`` with nothing blitted, for comparison."""
        if step is not None:
            self.set_step(step)
        for artist in self._animated:
            artist.set_animated(False)
        try:
            self.canvas.draw()
            return np.array(self.canvas.buffer_rgba())
        finally:
            for artist in self._animated:
                artist.set_animated(True)

    def frame_png(self, step=None):
        """PNG bytes of ``step`` (blitted), as the stepper shows it."""
        return encode_png(self.render(step))

    def frames(self, progress=None, *, start=1):
        """PNG bytes of every step, ``start`` to ``n_steps``, in order.

        Rendering is sequential (one figure), but each frame's PNG encoding
        runs on a worker thread while the next frame renders: Pillow's
        encoder releases the GIL, so the two overlap on a multi-core machine.

        Parameters
        ----------
        progress : callable, optional
            Called as ``progress(done, total)`` after each frame is encoded.
        start : int, default 1
            The first step to include.
        """
        from concurrent.futures import ThreadPoolExecutor

        steps = range(start, self.n_steps + 1)
        workers = max(1, min(4, (os.cpu_count() or 1)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = [pool.submit(encode_png, self.render(k)) for k in steps]
            out = []
            for done, future in enumerate(pending, start=1):
                out.append(future.result())
                if progress is not None:
                    progress(done, len(pending))
        return out

    def save_animation(self, path, *, fps=2, progress_callback=None):
        """Write every step, 1 to ``n_steps``, as an animation (GIF, or MP4 with ffmpeg).

        Uses :class:`matplotlib.animation.FuncAnimation` on this figure with
        :class:`~matplotlib.animation.PillowWriter` for ``.gif`` and
        :class:`~matplotlib.animation.FFMpegWriter` for ``.mp4``. Build the
        figure with ``caption=True`` to have the status and the arithmetic
        in each frame.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write; its suffix (``.gif`` or ``.mp4``) picks the format.
        fps : float, default 2
            Steps per second.
        progress_callback : callable, optional
            Called as ``progress_callback(done, total)`` after each frame
            (``done`` from 1 to ``total``).

        Returns
        -------
        pathlib.Path

        Raises
        ------
        ValueError
            An unknown suffix, or ``fps`` not a positive number.
        RuntimeError
            ``.mp4`` asked for but ffmpeg is not installed.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from PIL import Image
        >>> fig = StepperFigure([[1, 0, 1], [0, 1, 0]], [[1, 1]], caption=True)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     out = fig.save_animation(pathlib.Path(tmp) / "steps.gif")
        ...     Image.open(out).n_frames
        4
        """
        import os
        import pathlib

        from matplotlib import animation

        if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file path (str or os.PathLike); got {ops._describe(path)}")
        path = pathlib.Path(path)
        if isinstance(fps, (bool, np.bool_)) or not isinstance(fps, (int, float, np.integer, np.floating)):
            raise TypeError(f"fps must be a number of frames per second; got {ops._describe(fps)}")
        if not (0 < float(fps) <= 60):
            raise ValueError(f"fps must be more than 0 and at most 60; got {fps}")
        if progress_callback is not None and not callable(progress_callback):
            raise TypeError(f"progress_callback must be callable or None; got {ops._describe(progress_callback)}")
        suffix = path.suffix.lower()
        if suffix == ".gif":
            writer = animation.PillowWriter(fps=float(fps))
        elif suffix == ".mp4":
            if not animation.writers.is_available("ffmpeg"):
                raise RuntimeError(
                    f"cannot write {str(path)!r}: MP4 needs ffmpeg, which is not installed "
                    f"(install it, e.g. `apt-get install ffmpeg` or `conda install ffmpeg`), or write a .gif"
                )
            writer = animation.FFMpegWriter(fps=float(fps))
        else:
            raise ValueError(f"path must end in .gif or .mp4; got {str(path)!r}")
        if not path.parent.is_dir():
            raise FileNotFoundError(f"the folder {str(path.parent)!r} for {str(path)!r} does not exist")

        def update(step):
            self.set_step(step)
            return []

        def progress(done, total):
            if progress_callback is not None:
                progress_callback(done + 1, total)

        anim = animation.FuncAnimation(self.figure, update, frames=range(1, self.n_steps + 1),
                                       init_func=lambda: [], blit=False, repeat=False,
                                       cache_frame_data=False)
        anim.save(str(path), writer=writer, dpi=self.figure.dpi, progress_callback=progress)
        return path

    def describe(self, step=None):
        """A text alternative to the picture of ``step`` (for screen readers)."""
        view = self._view if step is None else self.view(step)
        (H, W), (kh, kw) = self._geo.image_shape, self._geo.detector_shape
        (t, b), (l, r) = self.pads
        pad = f" padded with zeros ({t} row(s) on top, {l} column(s) on the left)" if t or b or l or r else ""
        oh, ow = self.out_shape
        i, j = view.cell
        return (
            f"Three panels. Left: the {H}×{W} input image{pad}, with the {kh}×{kw} window "
            f"outlined at row {view.position[0]}, column {view.position[1]}. Middle: the "
            f"{kh}×{kw} detector{' (flipped)' if self.flip else ''}. Right: the {oh}×{ow} feature map, "
            f"{view.step} of {view.n_steps} cells filled, the current cell ({i}, {j}) = "
            f"{ops._fmt(view.value)} outlined."
        )

    # ----------------------------------------------------------------- layout

    def _build(self):
        geo, det = self._geo, self._det
        H, W = geo.padded_shape
        channels = det.shape[2]
        if channels == 1:
            det_shown = det[:, :, 0].astype(float)
        else:  # channels side by side, one empty column between them
            gap = np.full((det.shape[0], 1), np.nan)
            blocks = []
            for ch in range(channels):
                blocks += [det[:, :, ch].astype(float)] + ([gap] if ch < channels - 1 else [])
            det_shown = np.hstack(blocks)
        self._det_shown = det_shown
        oh, ow = self.out_shape
        kinds = {
            "input": "cells" if max(H, W) <= NUMBERS_UP_TO and channels == 1 else "picture",
            "detector": "cells" if max(det_shown.shape) <= NUMBERS_UP_TO else "picture",
            "map": "cells" if max(oh, ow) <= NUMBERS_UP_TO else "picture",
        }
        shapes = {"input": (H, W), "detector": det_shown.shape, "map": (oh, ow)}
        colorbars = {"input": channels == 1, "detector": True, "map": True}
        values = {"input": self._padded[:, :, 0].astype(float) if channels == 1 else None,
                  "detector": det_shown, "map": self._full.astype(float)}
        self._labels = {name: cell_labels(values[name]) for name, kind in kinds.items() if kind == "cells"}
        longest = max((len(t) for rows in self._labels.values() for row in rows for t in row), default=1)
        fixed = _MARGIN_LEFT + _MARGIN_RIGHT + 2 * _GAP
        n_cells = 0
        for name, kind in kinds.items():
            if kind == "cells":
                n_cells += shapes[name][1]
            else:
                probe = _Panel("picture", *shapes[name], colorbar=colorbars[name])
                fixed += probe.w + probe.extra
        cell = float(np.clip((_TARGET_WIDTH - fixed) / max(n_cells, 1), _CELL_MIN, _CELL_MAX))
        cell = max(cell, min(_CELL_PER_CHAR * longest, 56.0))
        panels = {
            name: _Panel(kind, *shapes[name], cell=cell,
                         colorbar=kind == "picture" and colorbars[name])
            for name, kind in kinds.items()
        }
        self._titles = self._title_texts(panels)
        x = _MARGIN_LEFT
        top = _TITLE + _TICKS
        for n, name in enumerate(("input", "detector", "map")):
            p = panels[name]
            slot = max(p.w + p.extra, _text_px(self._titles[name], _TITLE_PT) + 6 + p.extra)
            p.x, p.y = x + (slot - p.w - p.extra) / 2, top
            x += slot + (_GAP if n < 2 else 0)
        width = x + _MARGIN_RIGHT
        body = max(p.h for p in panels.values())
        caption_h = 0
        if self.caption:
            self._wrap_chars = max(20, int((width - 2 * _MARGIN_LEFT) / (0.6 * _CAPTION_PT / 0.72)))
            sample = np.unique(np.linspace(1, self.n_steps, min(self.n_steps, 40)).round().astype(int))
            lines = max(len(self._caption_texts(self.view(int(k)))[1].split("\n")) for k in sample)
            caption_h = 16 + (1 + lines) * 1.45 * _CAPTION_PT / 0.72
        height = top + body + _BOTTOM + caption_h
        self._panels = panels

        fig = self.figure
        dpi = _DPI * self.scale
        fig.set_dpi(dpi)
        fig.set_size_inches(width / _DPI, height / _DPI)
        fig.set_facecolor("white")

        def axes_at(x, y, w, h):
            return fig.add_axes([x / width, 1 - (y + h) / height, w / width, h / height])

        self._axes = {name: axes_at(p.x, p.y, p.w, p.h) for name, p in panels.items()}

        self._animated = []
        self._draw_input(panels["input"], axes_at)
        self._draw_detector(panels["detector"], axes_at)
        self._draw_map(panels["map"], axes_at)
        # operator signs between the panels
        mid_y = top + min(panels["detector"].h, body) / 2
        for left_name, right_name, sign in (("input", "detector", "∗"), ("detector", "map", "→")):
            a, b = panels[left_name], panels[right_name]
            gx = (a.x + a.w + a.extra + b.x) / 2 - 6
            fig.text(gx / width, 1 - mid_y / height, sign, ha="center", va="center",
                     fontsize=20, color="#777777")
        if self.caption:
            cap = fig.add_axes([0, 0, 1, caption_h / height])
            cap.set_axis_off()
            line = 1.45 * _CAPTION_PT / 0.72 / caption_h  # one line, in caption-axes units
            self._caption_status = cap.text(
                _MARGIN_LEFT / width, 1 - 4 / caption_h, "", fontsize=_CAPTION_PT + 0.5, color="black",
                ha="left", va="top", animated=True, zorder=4)
            self._caption_sums = cap.text(
                _MARGIN_LEFT / width, 1 - 4 / caption_h - line, "", fontsize=_CAPTION_PT, color=_INK,
                ha="left", va="top", animated=True, zorder=4, linespacing=1.3)
            self._animated += [self._caption_status, self._caption_sums]

    def _caption_texts(self, view):
        """(status line, arithmetic wrapped to the caption's width) for a step."""
        import textwrap

        wrapped = textwrap.fill(arithmetic_line(view), width=self._wrap_chars, break_on_hyphens=False)
        return status_line(view), wrapped

    def _style_axes(self, ax, panel, show_ticks=True):
        ax.set_xlim(-0.5, panel.cols - 0.5)
        ax.set_ylim(panel.rows - 0.5, -0.5)
        ax.set_aspect("auto")
        ax.xaxis.tick_top()
        ax.tick_params(labelsize=8, colors="#555555", length=2, pad=2)
        for spine in ax.spines.values():
            spine.set_color("#999999")
            spine.set_linewidth(0.6)
        if panel.kind == "cells" and show_ticks:
            ax.set_xticks(range(panel.cols))
            ax.set_yticks(range(panel.rows))
        elif not show_ticks:
            ax.set_xticks([])
            ax.set_yticks([])

    def _title_texts(self, panels):
        geo = self._geo
        (t, b), (l, r) = geo.pads
        h0, w0 = geo.image_shape
        if t == b == l == r:
            pad_words = f", padding {t}" if t else ""
        else:
            pad_words = f", padding {t}/{b} rows, {l}/{r} cols"
        channels = self._det.shape[2]
        ch = f"×{channels}" if channels > 1 else ""
        kh, kw = geo.detector_shape
        oh, ow = self.out_shape
        sr, sc = geo.stride
        stride = f"stride {sr}" if sr == sc else f"stride {sr}, {sc}"
        dr, dc = geo.dilation
        dil = "" if (dr, dc) == (1, 1) else (f", dilation {dr}" if dr == dc else f", dilation {dr}, {dc}")
        return {
            "input": f"input image ({h0}×{w0}{ch}{pad_words})",
            "detector": f"detector ({kh}×{kw}{ch}{', flipped' if self.flip else ''})",
            "map": f"feature map ({oh}×{ow}, {stride}{dil})",
        }

    def _title(self, ax, name):
        ax.set_title(self._titles[name], fontsize=_TITLE_PT, color="black", pad=5)

    def _numbers(self, ax, name, values, panel, norm, cmap, mask=None, zorder=3, animated=False):
        """One number per cell, in black or white against its colour (grey on padding).

        Returns the collection and the (paths, colours) it was made from, in
        row-major order, so that a feature map can show only the first k.
        """
        labels = self._labels[name]
        cells, colors = [], []
        for r, row in enumerate(values):
            for c, v in enumerate(row):
                if not np.isfinite(v):
                    continue
                cells.append((r, c, labels[r][c]))
                padding_cell = mask is not None and mask[r, c]
                colors.append(_PADDING_TEXT if padding_cell else _ink_on(cmap(norm(v))))
        size_pt = _font_px(panel.cell, [label for _, _, label in cells]) * 0.72
        paths = _number_paths(cells, size_pt, panel.cell * 0.72)
        from matplotlib.colors import to_rgba_array

        colors = to_rgba_array(colors) if colors else np.zeros((0, 4))
        glyphs = PathCollection(paths, facecolors=colors, edgecolors="none", linewidths=0,
                                transform=ax.transData, zorder=zorder, animated=animated)
        ax.add_collection(glyphs, autolim=False)
        return glyphs, (paths, colors)

    def _colorbar(self, panel, axes_at, mappable):
        cax = axes_at(panel.x + panel.w + 8, panel.y, 11, panel.h)
        cb = self.figure.colorbar(mappable, cax=cax)
        cb.ax.tick_params(labelsize=8, colors="#555555", length=2, pad=2)
        cb.outline.set_linewidth(0.6)
        return cb

    def _draw_input(self, panel, axes_at):
        ax = self._axes["input"]
        geo = self._geo
        (t, b), (l, r) = geo.pads
        H, W = geo.padded_shape
        image_shown = self._padded[:, :, 0].astype(float) if self._padded.shape[2] == 1 else None
        is_pad = np.ones((H, W), dtype=bool)
        is_pad[t : H - b, l : W - r] = False
        if panel.kind == "cells":
            self._style_axes(ax, panel)
            cmap = colormaps[STEPPER_CMAP]
            norm = _norm(image_shown)
            if is_pad.any():
                ax.add_patch(Rectangle((-0.5, -0.5), W, H, facecolor=_PADDING_FACE, edgecolor=_PADDING_HATCH,
                                       hatch="//", linewidth=0, zorder=0.5))
            shown = np.ma.masked_array(image_shown, mask=is_pad)
            ax.pcolormesh(_edges(W), _edges(H), shown, cmap=cmap, norm=norm, zorder=1)
            ax.add_collection(LineCollection(_grid_lines(H, W), colors="white", linewidths=0.8, zorder=1.5),
                              autolim=False)
            ax.set_ylim(H - 0.5, -0.5)
            self._numbers(ax, "input", image_shown, panel, norm, cmap, mask=is_pad)
            window_lw = 3.0
        else:
            self._style_axes(ax, panel)
            if self._padded.shape[2] == 3:
                pic = self._padded.astype(float)
                hi = pic.max()
                pic = np.clip(pic / (hi if hi > 1 else 1.0), 0, 1)
                ax.imshow(pic, interpolation="nearest", zorder=1)
            else:
                gray = self._padded.astype(float).mean(axis=2)
                im = ax.imshow(gray, cmap=PHOTO_CMAP, norm=_norm(gray), interpolation="nearest", zorder=1)
                self._colorbar(panel, axes_at, im)
            ax.set_aspect("auto")
            ax.set_xlim(-0.5, W - 0.5)
            ax.set_ylim(H - 0.5, -0.5)
            window_lw = 2.0
        self._title(ax, "input")
        kh, kw = geo.extent
        effects = [patheffects.Stroke(linewidth=window_lw + 2.5, foreground="white"), patheffects.Normal()]
        self._window = Rectangle((-0.5, -0.5), kw, kh, fill=False, edgecolor=HIGHLIGHT, linewidth=window_lw,
                                 zorder=10, animated=True, path_effects=effects)
        ax.add_patch(self._window)
        self._touched = []
        if geo.dilation != (1, 1) and panel.kind == "cells":
            for a in range(self._det.shape[0]):
                for c in range(self._det.shape[1]):
                    rect = Rectangle((-0.5, -0.5), 1 - 2 * _TOUCHED_INSET, 1 - 2 * _TOUCHED_INSET, fill=False, edgecolor=HIGHLIGHT, linewidth=2.2,
                                     zorder=9, animated=True)
                    ax.add_patch(rect)
                    self._touched.append(((a, c), rect))
        self._animated += [rect for _, rect in self._touched] + [self._window]

    def _draw_detector(self, panel, axes_at):
        ax = self._axes["detector"]
        values = self._det_shown
        cmap = colormaps[STEPPER_CMAP]
        norm = _norm(values)
        channels = self._det.shape[2]
        kh, kw = self._geo.detector_shape
        if panel.kind == "cells":
            self._style_axes(ax, panel, show_ticks=False)
            ax.pcolormesh(_edges(panel.cols), _edges(panel.rows), np.ma.masked_invalid(values), cmap=cmap,
                          norm=norm, edgecolors="white", linewidth=0.8, zorder=1)
            ax.set_ylim(panel.rows - 0.5, -0.5)
            self._numbers(ax, "detector", values, panel, norm, cmap)
            if channels > 1:
                ax.set_xticks([c * (kw + 1) + (kw - 1) / 2 for c in range(channels)])
                ax.set_xticklabels([f"channel {c}" for c in range(channels)])
                ax.xaxis.tick_bottom()
                for spine in ax.spines.values():
                    spine.set_visible(False)
        else:
            self._style_axes(ax, panel)
            im = ax.imshow(values, cmap=cmap, norm=norm, interpolation="nearest", zorder=1)
            ax.set_aspect("auto")
            self._colorbar(panel, axes_at, im)
        self._title(ax, "detector")

    def _draw_map(self, panel, axes_at):
        ax = self._axes["map"]
        oh, ow = self.out_shape
        cmap = colormaps[STEPPER_CMAP]
        norm = _norm(self._full)
        self._style_axes(ax, panel)
        ax.set_facecolor("white")
        self._title(ax, "map")
        if panel.kind == "cells":
            ax.add_collection(LineCollection(_grid_lines(oh, ow), colors=_EMPTY_GRID, linewidths=0.8, zorder=1),
                              autolim=False)
            # filled cells get white edges; empty ones none, so the grey grid shows
            self._map_edges = np.zeros((oh * ow, 4))
            self._map_mesh = ax.pcolormesh(_edges(ow), _edges(oh), np.ma.masked_all((oh, ow)), cmap=cmap,
                                           norm=norm, edgecolors=self._map_edges, linewidth=0.8, zorder=3,
                                           animated=True)
            ax.set_ylim(oh - 0.5, -0.5)
            self._map_numbers, self._map_number_paths = self._numbers(
                ax, "map", self._full.astype(float), panel, norm, cmap, zorder=4, animated=True)
            self._map_image = None
            self._animated += [self._map_mesh, self._map_numbers]
            lw = 3.0
        else:
            self._map_numbers = None
            self._map_image = ax.imshow(np.full((oh, ow), np.nan), cmap=cmap, norm=norm,
                                        interpolation="nearest", zorder=3, animated=True)
            ax.set_aspect("auto")
            ax.set_xlim(-0.5, ow - 0.5)
            ax.set_ylim(oh - 0.5, -0.5)
            self._colorbar(panel, axes_at, ScalarMappable(norm=norm, cmap=cmap))
            self._animated.append(self._map_image)
            lw = 2.0
        effects = [patheffects.Stroke(linewidth=lw + 2.5, foreground="white"), patheffects.Normal()]
        self._current = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=HIGHLIGHT, linewidth=lw,
                                  zorder=10, animated=True, path_effects=effects)
        ax.add_patch(self._current)
        self._animated.append(self._current)


# ===== 1-D flip-and-slide figure and feature-map gallery (helper: slide) ====
# Imports for this section live here so they do not clash with the stepper's.

# Okabe-Ito colours: told apart with any of the common colour-vision deficiencies.
_SLIDE_F = "#0072B2"  # blue: f
_SLIDE_G = "#E69F00"  # orange: g, flipped and slid
_SLIDE_POS = "#009E73"  # bluish green: product, adds to the area
_SLIDE_NEG = "#CC79A7"  # reddish purple (hatched): product, takes away
_SLIDE_OUT = "#000000"  # black: f*g
_SLIDE_REF = "#9A9A9A"  # grey: the input, for comparison
_SLIDE_ANIMATED_Z = 10  # above every static artist, so blitting = full redraw


def _slide_decimals(step):
    """How many decimals show a multiple of ``step`` exactly (0.02 -> 2, 1 -> 0)."""
    for d in range(7):
        if abs(round(step, d) - step) <= 1e-9 * max(1.0, abs(step)):
            return d
    return 6


def _slide_num(x, decimals=2):
    """A number with at most ``decimals`` decimals, trailing zeros dropped."""
    text = f"{float(x):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _slide_value_text(v, denominator=None):
    """A convolution value as a lesson shows it: ``0.50``, ``6/36 ≈ 0.167``."""
    v = float(v)
    if denominator:
        count = round(v * denominator)
        if abs(count - v * denominator) < 1e-6:
            return f"{count}/{denominator}" + ("" if count == 0 else f" ≈ {v:.3f}")
    if abs(v) < 0.005:
        return "0.00" if abs(v) < 5e-9 else f"{v:.2g}"
    if abs(v) >= 1000:
        return f"{v:.4g}"
    return f"{v:.2f}"


def _slide_nice_step(span, target=200):
    """A round slider step (1, 2, 2.5 or 5 times a power of ten) near ``span / target``."""
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)


@dataclass(frozen=True)
class SlidePreset:
    """Everything :class:`SlideFigure` needs to draw one flip-and-slide example.

    Build one with :func:`slide_preset` (a named example) or
    :func:`custom_slide_preset` (your own ``f`` and ``g``).

    Attributes
    ----------
    name : str
    f, g : callable or ndarray
        Vectorised functions (continuous) or 1-D arrays indexed from 0
        (discrete: ``(f*g)[n] = Σ_k f[k] g[n − k]``).
    t_grid : ndarray
        The slider's positions: every t (or n) the figure can show.
    tau : ndarray or None
        The integration grid over τ (continuous only).
    xlim : (float, float)
        The horizontal range drawn (shared by τ, or k, and t, or n).
    t0 : float
        Where the slider starts.
    title : str
        The figure's heading.
    about : str
        A sentence or two on what f and g are.
    meaning : str
        How to read the value, appended to the status line ('' for none).
    f_label, g_label, out_label : str
        Legend entries.
    reference : str
        When not empty, f is drawn faintly under the result with this label.
    denominator : int or None
        Discrete values are written as fractions over it (36 for two dice).
    """

    name: str
    f: object
    g: object
    t_grid: np.ndarray
    tau: object
    xlim: tuple
    t0: float
    title: str
    about: str
    meaning: str = ""
    f_label: str = "f(τ)"
    g_label: str = "g(t − τ): g flipped, then slid to t"
    out_label: str = "(f*g)(t)"
    reference: str = ""
    denominator: object = None

    @property
    def discrete(self):
        """True for sequences (sums over k), False for functions (integrals over τ)."""
        return self.tau is None

    @property
    def step(self):
        """The distance between two slider positions."""
        return round(float(self.t_grid[1] - self.t_grid[0]), 10) if len(self.t_grid) > 1 else 1.0


def _slide_box(lo, hi):
    def box(x):
        x = np.asarray(x, dtype=float)
        return ((x >= lo) & (x < hi)).astype(float)

    return box


def _slide_decay(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, np.exp(-np.clip(x, 0.0, None)), 0.0)


#: The random seed of the 'noisy signal * box' example: the same noise every run.
NOISY_SIGNAL_SEED = 2024


def noisy_signal():
    """The 'noisy signal * box' example's signal: samples of a wave plus fixed noise.

    Returns
    -------
    (xs, ys) : two ndarrays
        Sample positions 0, 0.05, ..., 10 and values
        ``1 + 0.5 sin(2πx/4) + noise``, the noise uniform in [-0.4, 0.4]
        from ``numpy.random.default_rng(NOISY_SIGNAL_SEED)``; all values are
        positive.

    Examples
    --------
    >>> xs, ys = noisy_signal()
    >>> xs.shape, bool((ys > 0).all()), bool((noisy_signal()[1] == ys).all())
    ((201,), True, True)
    """
    rng = np.random.default_rng(NOISY_SIGNAL_SEED)
    xs = np.linspace(0.0, 10.0, 201)
    ys = 1.0 + 0.5 * np.sin(2 * np.pi * xs / 4.0) + rng.uniform(-0.4, 0.4, xs.size)
    return xs, ys


def _slide_noisy_function():
    xs, ys = noisy_signal()

    def noisy(x):
        x = np.asarray(x, dtype=float)
        return np.where((x >= 0) & (x <= 10), np.interp(x, xs, ys), 0.0)

    return noisy


def _slide_t_grid(lo, hi, step):
    n = int(round((hi - lo) / step)) + 1
    return lo + step * np.arange(n)


def _slide_preset_box_box():
    box = _slide_box(0.0, 1.0)
    return SlidePreset(
        name="box*box", f=box, g=box, t_grid=_slide_t_grid(-1.0, 3.0, 0.02),
        tau=np.linspace(-1.5, 3.5, 4001), xlim=(-1.5, 3.5), t0=0.5,
        title="box * box = triangle",
        about="f and g are the same box: 1 on [0, 1), 0 elsewhere. As the flipped "
        "box slides across the other, their overlap grows, then shrinks: "
        "(f*g)(t) is the length of the overlap, and box * box is a triangle.",
        meaning="the length of the overlap",
        f_label="f(τ): a box on [0, 1)",
    )


def _slide_preset_noisy():
    return SlidePreset(
        name="noisy signal * box", f=_slide_noisy_function(), g=_slide_box(-0.5, 0.5),
        t_grid=_slide_t_grid(-1.0, 11.0, 0.05), tau=np.linspace(-1.5, 11.5, 2601),
        xlim=(-1.5, 11.5), t0=3.0,
        title="noisy signal * box = moving average",
        about="f is a noisy signal (the noise has a fixed random seed, so it is the "
        "same every time); g is a box of height 1 and width 1, centred on 0. "
        "(f*g)(t) is the average of f over [t − 0.5, t + 0.5]: a moving average "
        "that smooths the noise away.",
        meaning="the average of f over [t − 0.5, t + 0.5]",
        f_label="f(τ): the noisy signal", g_label="g(t − τ): the box, slid to t",
        out_label="(f*g)(t): the smoothed signal", reference="f, for comparison",
    )


def _slide_preset_dice():
    die = np.array([0.0] + [1.0 / 6.0] * 6)
    return SlidePreset(
        name="two dice", f=die, g=die.copy(), t_grid=_slide_t_grid(0.0, 13.0, 1.0),
        tau=None, xlim=(-6.6, 13.6), t0=7.0,
        title="two dice: the chance of each sum is die * die",
        about="f and g are the same fair die: faces 1 to 6, each with probability "
        "1/6. For the two dice to sum to n, die 1 shows k and die 2 shows n − k; "
        "(f*g)[n] = Σ f[k] g[n − k] adds the chances of all those ways. "
        "Sums run from 2 to 12, 7 being the most likely (6/36).",
        meaning="the chance that two dice sum to n",
        f_label="die 1: f[k] = P(shows k)", g_label="die 2, flipped: g[n − k] = P(shows n − k)",
        out_label="(f*g)[n] = P(sum = n)", denominator=36,
    )


def _slide_preset_decay():
    return SlidePreset(
        name="exponential decay response", f=_slide_box(0.0, 2.0), g=_slide_decay,
        t_grid=_slide_t_grid(-1.0, 7.0, 0.05), tau=np.linspace(-1.5, 7.5, 3601),
        xlim=(-1.5, 7.5), t0=1.0,
        title="an RC circuit's response = input * e^(−t)",
        about="An RC circuit (the differential equation y′ = −y + f) is driven by "
        "the input f: a pulse of height 1 from t = 0 to t = 2. Its response to a "
        "single kick at time 0 is g(t) = e^(−t) for t ≥ 0. The output is f*g: every "
        "past input f(τ) still counts, faded by e^(−(t − τ)). It charges as 1 − e^(−t), "
        "then decays.",
        meaning="the circuit's output at t",
        f_label="input f(τ): a pulse", g_label="g(t − τ) = $e^{-(t - τ)}$: the response, flipped",
        out_label="output (f*g)(t)", reference="input f, for comparison",
    )


_SLIDE_PRESET_BUILDERS = {
    "box*box": _slide_preset_box_box,
    "noisy signal * box": _slide_preset_noisy,
    "two dice": _slide_preset_dice,
    "exponential decay response": _slide_preset_decay,
}


def _slide_key(name):
    return " ".join(name.lower().replace("*", " * ").replace("_", " ").split())


def slide_preset_names():
    """Names of the flip-and-slide examples, in the order the lesson uses them.

    Examples
    --------
    >>> slide_preset_names()
    ['box*box', 'noisy signal * box', 'two dice', 'exponential decay response']
    """
    return list(_SLIDE_PRESET_BUILDERS)


def slide_preset(name):
    """A fresh :class:`SlidePreset` for a named flip-and-slide example.

    Parameters
    ----------
    name : str
        One of :func:`slide_preset_names`; case, spaces around ``*`` and
        underscores for spaces do not matter.

    Returns
    -------
    SlidePreset

    Examples
    --------
    >>> p = slide_preset("Two dice")
    >>> p.name, p.discrete, p.t0
    ('two dice', True, 7.0)
    """
    if not isinstance(name, str):
        raise TypeError(
            f"preset must be one of {', '.join(map(repr, _SLIDE_PRESET_BUILDERS))}; "
            f"got {ops._describe(name)}"
        )
    for known, build in _SLIDE_PRESET_BUILDERS.items():
        if _slide_key(known) == _slide_key(name):
            return build()
    raise ValueError(
        f"preset must be one of {', '.join(map(repr, _SLIDE_PRESET_BUILDERS))}; got {name!r}"
    )


def _slide_check_range(t_range, name, integer=False):
    if isinstance(t_range, (str, bytes)) or not hasattr(t_range, "__len__"):
        raise TypeError(f"{name} must be a (start, stop) pair of numbers; got {ops._describe(t_range)}")
    if len(t_range) != 2:
        raise ValueError(f"{name} must be a (start, stop) pair of numbers; got {len(t_range)} values")
    out = []
    for i, v in enumerate(t_range):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise TypeError(f"{name}[{i}] must be a number; got {ops._describe(v)}")
        if not math.isfinite(v):
            raise ValueError(f"{name}[{i}] must be finite; got {v}")
        if integer and float(v) != int(v):
            raise ValueError(f"{name}[{i}] must be a whole number for sequences (n counts steps); got {v}")
        out.append(float(v))
    if out[1] <= out[0]:
        raise ValueError(f"{name} must go up: start < stop; got {tuple(t_range)}")
    return tuple(out)


def custom_slide_preset(f, g, *, t_range=None, tau=None, step=None):
    """A :class:`SlidePreset` for your own ``f`` and ``g``.

    Parameters
    ----------
    f, g : callable or array_like
        Two vectorised functions of a numpy array (the integral
        ``∫ f(τ) g(t − τ) dτ``), or two 1-D sequences indexed from 0 (the sum
        ``Σ_k f[k] g[n − k]``). Both must be of the same kind.
    t_range : (float, float), optional
        The slider's range. Functions: default (-4, 4). Sequences: default
        (0, len(f) + len(g) - 2), every n where the two overlap.
    tau : array_like, optional
        Functions only: the integration grid, increasing; it must cover
        where f is not zero. Default: 4001 points over t_range widened by
        half its length on each side.
    step : float, optional
        Functions only: the slider's step; default a round number giving
        about 200 steps. Sequences always step by 1.

    Returns
    -------
    SlidePreset

    Examples
    --------
    >>> p = custom_slide_preset([1, 1], [1, 2, 3])
    >>> p.discrete, p.t_grid
    (True, array([0., 1., 2., 3.]))
    """
    f_call, g_call = callable(f), callable(g)
    if f is None or g is None:
        raise TypeError("f and g must both be given (two functions or two sequences), or neither "
                        "(then a preset is used)")
    if f_call != g_call:
        which, other = ("f", "g") if f_call else ("g", "f")
        raise TypeError(
            f"f and g must be of the same kind: {which} is a function but {other} is "
            f"{ops._describe(g if f_call else f)}; give two functions or two sequences"
        )
    if f_call:
        t_range = (-4.0, 4.0) if t_range is None else _slide_check_range(t_range, "t_range")
        span = t_range[1] - t_range[0]
        if step is None:
            step = _slide_nice_step(span)
        else:
            if isinstance(step, (bool, np.bool_)) or not isinstance(step, numbers.Real):
                raise TypeError(f"step must be a positive number; got {ops._describe(step)}")
            if not (math.isfinite(step) and 0 < step <= span):
                raise ValueError(f"step must be > 0 and at most the length of t_range ({span:g}); got {step}")
            step = float(step)
        if tau is None:
            tau = np.linspace(t_range[0] - span / 2, t_range[1] + span / 2, 4001)
        else:
            tau = ops._grid(tau)
        grid = _slide_t_grid(t_range[0], t_range[1], step)
        grid = grid[grid <= t_range[1] + 1e-9 * step]
        # evaluate once here so a broken function fails now, naming itself
        ops.flip_and_slide(f, g, float(grid[0]), tau)
        return SlidePreset(
            name="custom", f=f, g=g, t_grid=grid, tau=tau,
            xlim=(float(tau[0]), float(tau[-1])), t0=float(grid[len(grid) // 2]),
            title="(f*g)(t) = ∫ f(τ) g(t − τ) dτ",
            about="Your own f and g: g is flipped (τ becomes −τ) and slid to t; "
            "the area under their product is (f*g)(t).",
        )
    if tau is not None:
        raise ValueError("tau is only for functions; sequences are summed over k, so leave tau out")
    if step not in (None, 1):
        raise ValueError(f"step must be 1 (or left out) for sequences: n counts whole steps; got {step!r}")
    f = ops._as_array(f, "f", (1,), "a 1-D sequence of numbers").astype(float)
    g = ops._as_array(g, "g", (1,), "a 1-D sequence of numbers").astype(float)
    n_max = len(f) + len(g) - 2
    t_range = (0.0, float(max(n_max, 1))) if t_range is None else _slide_check_range(t_range, "t_range", integer=True)
    grid = _slide_t_grid(t_range[0], t_range[1], 1.0)
    lo = min(0.0, t_range[0] - (len(g) - 1))
    hi = max(len(f) - 1.0, t_range[1])
    return SlidePreset(
        name="custom", f=f, g=g, t_grid=grid, tau=None, xlim=(lo - 0.6, hi + 0.6),
        t0=float(grid[len(grid) // 2]), title="(f*g)[n] = Σ f[k] g[n − k]",
        about="Your own sequences f and g: g is flipped (k becomes −k) and slid to n; "
        "the sum of the products is (f*g)[n].",
        f_label="f[k]", g_label="g[n − k]: g flipped, then slid to n", out_label="(f*g)[n]",
    )


def _slide_discrete_at(f, g, n, ks):
    """f[k], g[n − k] and their products at every integer k in ``ks`` (0 outside)."""
    ks = ks.astype(int)
    f_k = np.where((ks >= 0) & (ks < len(f)), f[np.clip(ks, 0, len(f) - 1)], 0.0)
    j = n - ks
    g_k = np.where((j >= 0) & (j < len(g)), g[np.clip(j, 0, len(g) - 1)], 0.0)
    return f_k, g_k, f_k * g_k


def _slide_bars(x, heights, width):
    """Rectangles (as vertex lists) from the baseline to each height."""
    h = np.asarray(heights, dtype=float)
    x = np.asarray(x, dtype=float)
    left, right = x - width / 2, x + width / 2
    return [
        [(a, 0.0), (a, y), (b, y), (b, 0.0)] for a, b, y in zip(left, right, h)
    ]


def _slide_area(x, y):
    """One closed polygon between the baseline and the curve y(x)."""
    xs = np.concatenate([[x[0]], x, [x[-1]]])
    ys = np.concatenate([[0.0], y, [0.0]])
    return [np.column_stack([xs, ys])]


class SlideFigure:
    """The flip-and-slide picture of ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ``, built once.

    Top: f(τ) and g(t − τ), g flipped and slid to t, with their product
    shaded (functions), or as bars and stems with the products drawn below
    (sequences). Bottom: (f*g) traced up to the current t. Each
    :meth:`update` changes only the moving artists and blits them over a
    saved background; :meth:`png` encodes the frame.

    Parameters
    ----------
    preset : SlidePreset or str
        What to draw: a :class:`SlidePreset` or the name of one
        (see :func:`slide_preset_names`).
    scale : float, default 1.0
        Enlarges the whole picture (fonts, lines and pixels) for presenting.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        On its own Agg canvas; never shown by pyplot.
    preset : SlidePreset
    t_grid : ndarray
        The slider's positions.
    values : ndarray
        (f*g) at every position of ``t_grid``, computed once.
    t, value : float
        The current t (n for sequences) and (f*g) there.

    Examples
    --------
    >>> fig = SlideFigure("box*box")
    >>> fig.update(1.0)
    >>> round(fig.value, 2), fig.png()[:4] == b"\\x89PNG"
    (1.0, True)
    """

    def __init__(self, preset="box*box", *, scale=1.0):
        if not isinstance(preset, SlidePreset):
            preset = slide_preset(preset)
        self.preset = preset
        self.scale = _check_scale(scale)
        self.t_grid = np.asarray(preset.t_grid, dtype=float)
        if preset.discrete:
            full = ops.convolve_1d(preset.f, preset.g).astype(float)
            n = np.rint(self.t_grid).astype(int)
            inside = (n >= 0) & (n < len(full))
            self.values = np.where(inside, full[np.clip(n, 0, len(full) - 1)], 0.0)
        else:
            self.values = ops.continuous_convolution(preset.f, preset.g, self.t_grid, preset.tau)
        self._decimals = 0 if preset.discrete else _slide_decimals(preset.step)
        self.t = float("nan")
        self.value = float("nan")
        self._overlap = None
        self._n_products = 0
        self._build()
        self.update(preset.t0)

    # ---- building (once) ---------------------------------------------------

    def _build(self):
        p = self.preset
        fig = Figure(figsize=(8.6, 6.4), dpi=100 * self.scale, layout="constrained")
        self.canvas = FigureCanvasAgg(fig)
        self.figure = fig
        fig.suptitle(p.title, fontsize=14, fontweight="bold")
        z = _SLIDE_ANIMATED_Z
        if p.discrete:
            ax_in, ax_prod, ax_out = fig.subplots(3, 1, sharex=True, height_ratios=[1.15, 0.9, 1.0])
            axes = (ax_in, ax_prod, ax_out)
        else:
            ax_in, ax_out = fig.subplots(2, 1, sharex=True)
            ax_prod = None
            axes = (ax_in, ax_out)
        self.axes = axes
        for ax in axes:
            ax.tick_params(labelsize=10)
            ax.grid(True, color="#e4e4e4", linewidth=0.8)
            ax.axhline(0, color="#555555", linewidth=0.8)
            ax.set_xlim(*p.xlim)
            ax.tick_params(labelbottom=True)
        anim = {ax: [] for ax in axes}

        def animated(ax, artist, dz=0):
            if artist.axes is None:  # a collection made here, not by an Axes method
                ax.add_collection(artist, autolim=False)
            artist.set_animated(True)
            artist.set_in_layout(False)
            artist.set_zorder(z + dz)
            anim[ax].append(artist)
            return artist

        if p.discrete:
            self._build_discrete_inputs(ax_in, ax_prod, animated)
        else:
            self._build_continuous_inputs(ax_in, animated)
        ax_in.set_xlabel("k" if p.discrete else "τ", fontsize=11, labelpad=1)

        # the result, traced up to t: room above it for the value and the legend
        lo, hi = float(self.values.min()), float(self.values.max())
        span = max(hi - lo, 1e-9)
        ylo, yhi = min(0.0, lo) - (0.12 if lo < 0 else 0.04) * span, hi + 0.3 * span
        if p.reference and not p.discrete:
            xs = p.tau
            ref = np.asarray(p.f(xs), dtype=float)
            ax_out.plot(xs, ref, color=_SLIDE_REF, linewidth=1.0, label=p.reference, zorder=2)
            ylo, yhi = min(ylo, float(ref.min())), max(yhi, float(ref.max()) * 1.2)
        ax_out.set_ylim(ylo, yhi)
        ax_out.set_xlabel("n" if p.discrete else "t", fontsize=11, labelpad=1)
        if p.discrete:
            ax_out.set_title(f"{p.out_label}: the sum of the products, for each n up to the current one",
                             fontsize=11, loc="left")
            self._out_bars = animated(ax_out, PolyCollection([], facecolors=_SLIDE_OUT, alpha=0.55,
                                                              edgecolors=_SLIDE_OUT, linewidths=0.8))
            self._out_now = animated(ax_out, PolyCollection([], facecolors=_SLIDE_POS, edgecolors=_SLIDE_OUT,
                                                             linewidths=1.5), 1)
            ax_out.plot([], [], color=_SLIDE_OUT, alpha=0.55, linewidth=6, label=p.out_label)
            ax_out.plot([], [], color=_SLIDE_POS, linewidth=6, label="this n")
        else:
            ax_out.set_title(f"{p.out_label} = ∫ f(τ) g(t − τ) dτ, traced up to the current t",
                             fontsize=11, loc="left")
            (self._trace,) = ax_out.plot([], [], color=_SLIDE_OUT, linewidth=2.2, label=p.out_label)
            animated(ax_out, self._trace)
            (self._dot,) = ax_out.plot([], [], "o", color=_SLIDE_OUT, markersize=7)
            animated(ax_out, self._dot, 1)
        self._cursor_out = animated(ax_out, ax_out.axvline(0, color="#555555", linestyle="--", linewidth=1.2), -1)
        self._out_text = animated(ax_out, ax_out.text(0.01, 0.96, "", transform=ax_out.transAxes,
                                                      va="top", ha="left", fontsize=12), 2)
        ax_out.legend(loc="upper right", fontsize=9.5, framealpha=0.9)

        self._animated = anim
        self.canvas.draw()
        # freeze the layout: later text changes must not move the axes
        fig.set_layout_engine("none")
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(fig.bbox)

    def _build_continuous_inputs(self, ax, animated):
        p = self.preset
        tau = p.tau
        f_tau = np.asarray(p.f(tau), dtype=float)
        ax.plot(tau, f_tau, color=_SLIDE_F, linewidth=2.4, label=p.f_label, zorder=3)
        # y range: f, g and the product at any t on the grid
        g_lo, g_hi = np.inf, -np.inf
        for t in self.t_grid[:: max(1, len(self.t_grid) // 60)]:
            gv = np.asarray(p.g(float(t) - tau), dtype=float)
            g_lo, g_hi = min(g_lo, float(gv.min())), max(g_hi, float(gv.max()))
        f_lo, f_hi = float(f_tau.min()), float(f_tau.max())
        products = [a * b for a in (f_lo, f_hi) for b in (g_lo, g_hi)]
        lo = min(0.0, f_lo, g_lo, *products)
        hi = max(f_hi, g_hi, *products)
        span = hi - lo or 1.0
        ax.set_ylim(lo - (0.08 * span if lo < 0 else 0.04 * span), hi + 0.42 * span)
        self._can_go_negative = min(products) < 0
        self._pos = animated(ax, PolyCollection([], facecolors=_SLIDE_POS, alpha=0.45, edgecolors="none"), -2)
        self._neg = animated(ax, PolyCollection([], facecolors=_SLIDE_NEG, alpha=0.45, hatch="//",
                                                 edgecolors=_SLIDE_NEG, linewidths=0), -2)
        (self._g_line,) = ax.plot([], [], color=_SLIDE_G, linewidth=2.4)
        animated(ax, self._g_line)
        self._cursor_in = animated(ax, ax.axvline(0, color="#555555", linestyle="--", linewidth=1.2), -1)
        self._cursor_label = animated(
            ax, ax.text(0, 0.8, "τ = t", ha="left", va="bottom", fontsize=9.5, color="#333333",
                        # a few points right of the dashed line, so the line does not cross it
                        transform=offset_copy(ax.get_xaxis_transform(), fig=ax.figure, x=4, units="points")), 1)
        self._in_text = animated(ax, ax.text(0.01, 0.96, "", transform=ax.transAxes, va="top", ha="left",
                                             fontsize=12), 2)
        # legend entries for the moving artists (proxies: the real ones are animated)
        ax.plot([], [], color=_SLIDE_G, linewidth=2.4, label=p.g_label)
        ax.fill_between([], [], color=_SLIDE_POS, alpha=0.45, label="f(τ)·g(t − τ): its area is (f*g)(t)")
        if self._can_go_negative:
            ax.fill_between([], [], facecolor=_SLIDE_NEG, alpha=0.45, hatch="//",
                            label="negative product: takes away area")
        ax.set_title("f(τ) and the flipped, slid g(t − τ); shaded: their product", fontsize=11, loc="left")
        ax.legend(loc="upper right", fontsize=9.5, framealpha=0.9)

    def _build_discrete_inputs(self, ax_in, ax_prod, animated):
        p = self.preset
        f, g = p.f, p.g
        self._ks = np.arange(math.ceil(p.xlim[0]), math.floor(p.xlim[1]) + 1)
        ks = np.arange(len(f))
        ax_in.add_collection(PolyCollection(_slide_bars(ks[f != 0], f[f != 0], 0.7), facecolors=_SLIDE_F, alpha=0.35,
                                             edgecolors=_SLIDE_F, linewidths=1.2, zorder=3))
        hi = max(float(f.max()), float(g.max()), 0.0)
        lo = min(float(f.min()), float(g.min()), 0.0)
        span = hi - lo or 1.0
        ax_in.set_ylim(lo - 0.05 * span, hi + 1.0 * span)
        for ax in (ax_in, ax_prod, self.axes[-1]):
            if p.xlim[1] - p.xlim[0] <= 30:
                ax.xaxis.set_major_locator(MultipleLocator(1))
            else:
                ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
        self._g_stems = animated(ax_in, LineCollection([], colors=_SLIDE_G, linewidths=2.4))
        (self._g_marks,) = ax_in.plot([], [], "s", color=_SLIDE_G, markersize=7)
        animated(ax_in, self._g_marks, 1)
        self._cursor_in = animated(ax_in, ax_in.axvline(0, color="#555555", linestyle="--", linewidth=1.2), -1)
        self._cursor_label = animated(
            ax_in, ax_in.text(0, 0.52, "k = n", transform=ax_in.get_xaxis_transform(), ha="left",
                              va="bottom", fontsize=9.5, color="#333333"), 1)
        self._in_text = animated(ax_in, ax_in.text(0.01, 0.96, "", transform=ax_in.transAxes, va="top",
                                                   ha="left", fontsize=12), 2)
        ax_in.fill_between([], [], color=_SLIDE_F, alpha=0.35, label=p.f_label)
        ax_in.plot([], [], "s-", color=_SLIDE_G, linewidth=2.4, label=p.g_label)
        ax_in.set_title("f[k] and the flipped, slid g[n − k]", fontsize=11, loc="left")
        ax_in.legend(loc="upper right", fontsize=9.5, framealpha=0.9)
        # products: y range over every n on the grid
        prods = [_slide_discrete_at(f, g, int(round(n)), self._ks)[2] for n in self.t_grid]
        p_hi = max(max(float(q.max()) for q in prods), 0.0)
        p_lo = min(min(float(q.min()) for q in prods), 0.0)
        pspan = p_hi - p_lo or 1.0
        ax_prod.set_ylim(p_lo - 0.05 * pspan, p_hi + 0.6 * pspan)
        ax_prod.set_title("the products f[k]·g[n − k]: they add up to (f*g)[n]", fontsize=11, loc="left")
        ax_prod.set_xlabel("k", fontsize=11, labelpad=1)
        self._prod_bars = animated(ax_prod, PolyCollection([], facecolors=_SLIDE_POS, alpha=0.75,
                                                            edgecolors=_SLIDE_POS, linewidths=1.0))
        # a value over each product bar, while there are few enough to read
        self._prod_labels = [
            animated(ax_prod, ax_prod.text(k, 0, "", ha="center", va="bottom", fontsize=8.5), 1)
            for k in (self._ks if len(self._ks) <= 60 else [])
        ]
        self._prod_text = animated(ax_prod, ax_prod.text(0.01, 0.94, "", transform=ax_prod.transAxes,
                                                         va="top", ha="left", fontsize=12), 2)
        self._p_pad = 0.03 * pspan

    # ---- per step ------------------------------------------------------------

    def _fmt_t(self, t):
        return f"{t:.{self._decimals}f}"

    def update(self, t):
        """Move to ``t`` (n for sequences, rounded to a whole number) and blit the frame.

        Parameters
        ----------
        t : float
            Any real number; the trace shows the precomputed values up to it.
        """
        if isinstance(t, (bool, np.bool_)) or not isinstance(t, numbers.Real):
            raise TypeError(f"t must be a real number; got {ops._describe(t)}")
        t = float(t)
        if not math.isfinite(t):
            raise ValueError(f"t must be finite; got {t}")
        if self.preset.discrete:
            self._update_discrete(int(round(t)))
        else:
            self._update_continuous(t)
        self._blit()

    def _update_continuous(self, t):
        p = self.preset
        view = ops.flip_and_slide(p.f, p.g, t, p.tau)
        tau = view.tau
        self._g_line.set_data(tau, view.g_shifted)
        self._pos.set_verts(_slide_area(tau, np.maximum(view.product, 0.0)))
        self._neg.set_verts(_slide_area(tau, np.minimum(view.product, 0.0)))
        for line in (self._cursor_in, self._cursor_out):
            line.set_xdata([t, t])
        self._cursor_label.set_x(t)
        k = int(np.searchsorted(self.t_grid, t + 1e-9 * p.step, side="right"))
        self._trace.set_data(np.append(self.t_grid[:k], t), np.append(self.values[:k], view.value))
        self._dot.set_data([t], [view.value])
        ts, vs = self._fmt_t(t), _slide_value_text(view.value)
        self._in_text.set_text(f"shaded area = (f*g)({ts}) = {vs}")
        self._out_text.set_text(f"(f*g)({ts}) = {vs}")
        scale = max(float(np.abs(view.f_tau).max()), 1.0) * max(float(np.abs(view.g_shifted).max()), 1.0)
        hit = np.flatnonzero((np.abs(view.f_tau) > 1e-12) & (np.abs(view.g_shifted) > 1e-12 * scale))
        self._overlap = None if hit.size == 0 else (float(tau[hit[0]]), float(tau[hit[-1]]))
        self.t, self.value = t, float(view.value)

    def _update_discrete(self, n):
        p = self.preset
        ks = self._ks
        f_k, g_k, prod = _slide_discrete_at(p.f, p.g, n, ks)
        on = g_k != 0
        self._g_stems.set_segments([[(k, 0.0), (k, v)] for k, v in zip(ks[on], g_k[on])])
        self._g_marks.set_data(ks[on], g_k[on])
        for line in (self._cursor_in, self._cursor_out):
            line.set_xdata([n, n])
        self._cursor_label.set_x(n + 0.1)
        nz = prod != 0
        self._prod_bars.set_verts(_slide_bars(ks[nz], prod[nz], 0.7))
        label = len(ks[nz]) <= 14
        for k, text, v in zip(ks, self._prod_labels, prod):
            if label and v != 0:
                text.set_text(_slide_value_text(v, p.denominator).split(" ≈")[0])
                text.set_position((k, v + self._p_pad if v > 0 else v - self._p_pad))
                text.set_va("bottom" if v > 0 else "top")
                text.set_visible(True)
            else:
                text.set_visible(False)
        upto = self.t_grid <= n + 0.5
        self._out_bars.set_verts(_slide_bars(self.t_grid[upto][:-1], self.values[upto][:-1], 0.7)
                                 if upto.sum() > 1 else [])
        self._out_now.set_verts(_slide_bars([n], [self.value_at(n)], 0.7))
        value = self.value_at(n)
        vs = _slide_value_text(value, p.denominator)
        self._in_text.set_text(f"n = {n}")
        self._prod_text.set_text(f"sum of the products = (f*g)[{n}] = {vs}")
        self._out_text.set_text(f"(f*g)[{n}] = {vs}")
        hit = ks[nz]
        self._overlap = None if hit.size == 0 else (int(hit[0]), int(hit[-1]))
        self._n_products = int(hit.size)
        self.t, self.value = float(n), value

    def value_at(self, t):
        """(f*g) at a slider position, from the values computed once."""
        i = int(np.argmin(np.abs(self.t_grid - t)))
        if abs(self.t_grid[i] - t) <= 1e-6 * self.preset.step:
            return float(self.values[i])
        if self.preset.discrete:
            return 0.0
        return ops.flip_and_slide(self.preset.f, self.preset.g, float(t), self.preset.tau).value

    def _blit(self):
        self.canvas.restore_region(self._background)
        for ax, artists in self._animated.items():
            for artist in sorted(artists, key=lambda a: a.get_zorder()):
                ax.draw_artist(artist)

    # ---- output ----------------------------------------------------------------

    def rgba(self):
        """The current frame as an (H, W, 4) uint8 array (a copy)."""
        return np.array(self.canvas.buffer_rgba(), copy=True)

    def full_redraw_rgba(self):
        """The current state drawn from scratch, every artist, as (H, W, 4) uint8.

        For checking that blitting gives exactly the picture a full redraw does.
        The blitted frame on the canvas is restored afterwards.
        """
        buf = io.BytesIO()
        self.figure.savefig(buf, format="rgba", dpi=self.figure.dpi)
        w, h = self.canvas.get_width_height()
        frame = np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(h, w, 4).copy()
        self._blit()
        return frame

    def png(self):
        """The current frame as PNG bytes (Pillow, fast compression)."""
        return encode_png(np.asarray(self.canvas.buffer_rgba()))

    # ---- words ------------------------------------------------------------------

    def status(self):
        """One sentence saying what the frame shows, for screen readers and for reading.

        Examples
        --------
        >>> fig = SlideFigure("box*box")
        >>> fig.update(0.5)
        >>> fig.status()
        't = 0.50: the flipped g overlaps f on [0, 0.5]; the shaded area is (f*g)(0.50) = 0.50, the length of the overlap.'
        """
        p = self.preset
        meaning = f", {p.meaning}" if p.meaning else ""
        if p.discrete:
            n = int(self.t)
            vs = _slide_value_text(self.value, p.denominator)
            if self._overlap is None:
                return (f"n = {n}: the flipped g does not overlap f, so every product is 0 and "
                        f"(f*g)[{n}] = 0{meaning}.")
            a, b = self._overlap
            where = f"k = {a}" if a == b else f"k = {a} to {b}"
            count = "1 product" if self._n_products == 1 else f"{self._n_products} products"
            return (f"n = {n}: the flipped g overlaps f at {where}; the {count} add up to "
                    f"(f*g)[{n}] = {vs}{meaning}.").replace("the 1 product add", "the 1 product adds")
        ts, vs = self._fmt_t(self.t), _slide_value_text(self.value)
        if self._overlap is None:
            return (f"t = {ts}: the flipped g does not overlap f, so the product is 0 everywhere and "
                    f"(f*g)({ts}) = 0{meaning}.")
        a, b = (_slide_num(x) for x in self._overlap)
        return f"t = {ts}: the flipped g overlaps f on [{a}, {b}]; the shaded area is (f*g)({ts}) = {vs}{meaning}."

    def alt_text(self):
        """What the figure shows, in words (it does not change with t)."""
        p = self.preset
        if p.discrete:
            return ("Figure, three rows. Top: f[k] as blue bars and the flipped, slid g[n − k] as orange "
                    "stems, with a dashed line at k = n. Middle: their products f[k]·g[n − k] as green bars "
                    "with their values. Bottom: (f*g)[n], the sum of the products, as black bars for every "
                    "n up to the current one, the current one green.")
        extra = " A grey line repeats f for comparison." if p.reference else ""
        return ("Figure, two rows sharing the horizontal axis. Top: f(τ) as a blue line and g(t − τ), g "
                "flipped and slid to t, as an orange line, with a dashed line at τ = t; the area under "
                "their product is shaded green (purple and hatched where negative). Bottom: (f*g)(t) "
                f"as a black line traced up to the current t, with a dot at the current value.{extra}")


# ---- feature-map gallery -------------------------------------------------------


class GalleryFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG in Jupyter, with no pyplot.

    Returned by :func:`feature_map_gallery`; use it like any ``Figure``
    (``savefig``, ``axes``...). ``input_axes`` is the image's panel and
    ``map_axes`` the feature maps' panels, in the detectors' order.
    """

    input_axes = None
    map_axes = ()

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png")
        return buf.getvalue()


def _gallery_entries(detectors):
    """Validate ``detectors``; return a list of (name, array, description or None)."""
    from .data import describe_detector, detector, detector_names

    kinds = "a list of preset names (see detector_names()) or a dict {name: array}"
    if isinstance(detectors, str):
        raise TypeError(f"detectors must be {kinds}; got the single string {detectors!r}: "
                        f"put it in a list, [{detectors!r}]")
    if isinstance(detectors, dict):
        items = list(detectors.items())
        for key, _ in items:
            if not isinstance(key, str):
                raise TypeError(f"detectors: every key of the dict must be a name (a str); "
                                f"got the key {ops._describe(key)}")
        entries = [(key, f"detectors[{key!r}]", value) for key, value in items]
    elif isinstance(detectors, (list, tuple)):
        entries = []
        for i, item in enumerate(detectors):
            if isinstance(item, str):
                entries.append((item, f"detectors[{i}]", item))
            else:
                entries.append((f"detector {i + 1}", f"detectors[{i}]", item))
    else:
        raise TypeError(f"detectors must be {kinds}; got {ops._describe(detectors)}")
    if not entries:
        raise ValueError(f"detectors must hold at least one detector; got an empty "
                         f"{type(detectors).__name__}")
    out = []
    for name, where, value in entries:
        if isinstance(value, str):
            try:
                arr, desc = detector(value), describe_detector(value)
            except ValueError:
                raise ValueError(f"{where}: {value!r} is not a detector preset; choose from "
                                 f"{', '.join(detector_names())}") from None
            name = value
        else:
            try:
                arr = ops._as_array(value, "detector", (2, 3), "a 2-D (kh, kw) array")
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"{where}: {exc}") from None
            desc = None
        out.append((name, arr, desc, where))
    return out


def _gallery_family(arr):
    """'average' (no negatives), 'zero-sum' (responds to change), or 'mixed'."""
    a = np.asarray(arr, dtype=float)
    if (a >= 0).all():
        return ("average", round(float(a.sum()), 9))
    if abs(a.sum()) <= 1e-9 * max(1.0, float(np.abs(a).sum())):
        return ("zero-sum", 0.0)
    return ("mixed", None)


def _gallery_numbers(arr):
    """The detector's numbers as a few lines of text, or None when too big to read."""
    a = np.asarray(arr)
    if a.ndim != 2 or a.shape[0] > 3 or a.shape[1] > 5:
        return None
    cells = [[ops._fmt(v) for v in row] for row in a]
    width = max(len(c) for row in cells for c in row)
    if width > 6:
        return None
    return "\n".join("  ".join(c.rjust(width) for c in row) for row in cells)


def feature_map_gallery(image, detectors, *, stride=1, padding="same", ncols=None, scale=1.0,
                        shared_scale=None):
    """One feature map per detector, beside the input image, as a static figure.

    Each panel is titled with the detector's name, with the preset's
    one-line description (:func:`conv_lesson.describe_detector`) under it
    and, for detectors up to 3x5, the detector's own numbers beneath the
    map. Every map has a colour bar.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The input image (a (H, W, C) image needs (kh, kw, C) detectors).
    detectors : list or dict
        A list of preset names (see :func:`conv_lesson.detector_names`), or
        of arrays (titled "detector 1", ...), or a dict ``{name: array}``.
    stride : int or (int, int), default 1
    padding : int, (int, int), 'valid' or 'same', default 'same'
        As for :func:`conv_lesson.feature_map`; 'same' keeps the maps the
        image's size at stride 1.
    ncols : int, optional
        Panels per row (the image counts as one); default up to 4.
    scale : float, default 1.0
        Enlarges the figure (fonts and pixels) for presenting.
    shared_scale : bool, optional
        One colour scale for every map (True) or one per map (False). The
        default shares it only where a comparison is meaningful: when every
        detector has no negative numbers and the same sum (blurs and the
        identity: weighted averages, all on the image's own scale), or when
        every detector sums to 0 (edge detectors: signed maps centred on 0,
        compared on one symmetric scale). Otherwise each map gets its own.

    Returns
    -------
    GalleryFigure
        A ``matplotlib.figure.Figure`` (never shown by pyplot; Jupyter
        displays it as a PNG). ``fig.map_axes[i]`` holds detector i's map,
        ``fig.input_axes`` the image.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it (e.g. ``detectors[2]``).

    Notes
    -----
    Maps with negative values use the diverging colormap ``RdBu_r`` (blue
    negative, white 0, red positive), centred on 0; the others ``cividis``.
    Both are readable with the common colour-vision deficiencies.

    Examples
    --------
    >>> fig = feature_map_gallery([[0, 1, 0], [1, 1, 1], [0, 1, 0]], ["identity", "outline"])
    >>> [ax.get_title() for ax in fig.map_axes]
    ['identity', 'outline']
    """
    image = ops._as_array(image, "image", (2, 3), "a 2-D (H, W) or 3-D (H, W, C) array")
    ops._pair(stride, "stride", 1)
    ops._check_padding(padding)
    entries = _gallery_entries(detectors)
    if ncols is not None:
        ncols = ops._check_int(ncols, "ncols", 1)
    scale = _check_scale(scale)
    if shared_scale is not None and not isinstance(shared_scale, (bool, np.bool_)):
        raise TypeError(f"shared_scale must be True, False or None (automatic); "
                        f"got {ops._describe(shared_scale)}")

    maps = []
    for name, arr, desc, where in entries:
        try:
            fmap = ops.feature_map(image, arr, stride=stride, padding=padding)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{where} ({name!r}): {exc}") from None
        maps.append(fmap.astype(float))

    families = {_gallery_family(arr) for _, arr, _, _ in entries}
    auto = len(families) == 1 and next(iter(families))[0] != "mixed"
    shared = auto if shared_scale is None else bool(shared_scale)
    any_negative = any(float(m.min()) < 0 for m in maps)
    if shared:
        if any_negative:
            top = max(float(np.abs(m).max()) for m in maps) or 1.0
            limits = [(-top, top, "RdBu_r")] * len(maps)
        else:
            lo, hi = min(float(m.min()) for m in maps), max(float(m.max()) for m in maps)
            limits = [(lo, hi if hi > lo else lo + 1, "cividis")] * len(maps)
        kind = next(iter(families))[0] if auto else None
        why = {"average": "every detector is a weighted average (no negative numbers, same sum)",
               "zero-sum": "every detector sums to 0 (it responds to change)"}.get(
            kind, "shared_scale=True")
        rule = f"One colour scale for all maps: {why}."
    else:
        limits = []
        for m in maps:
            if float(m.min()) < 0:
                top = float(np.abs(m).max()) or 1.0
                limits.append((-top, top, "RdBu_r"))
            else:
                lo, hi = float(m.min()), float(m.max())
                limits.append((lo, hi if hi > lo else lo + 1, "cividis"))
        why = "shared_scale=False" if shared_scale is False else "the detectors are of different kinds"
        rule = f"Each map has its own colour scale ({why})." if len(maps) > 1 else ""

    n_panels = len(maps) + 1
    if ncols is None:
        ncols = n_panels if n_panels <= 4 else (3 if n_panels in (5, 6, 9) else 4)
    ncols = min(ncols, n_panels)
    nrows = -(-n_panels // ncols)
    fig = GalleryFigure(figsize=(3.3 * ncols, 3.9 * nrows + 0.7), dpi=100 * scale, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n_panels:]:
        ax.remove()
    h, w = image.shape[:2]
    pad_text = padding if isinstance(padding, str) else f"{padding}"
    fig.suptitle(f"Feature maps, one per detector: a {h}x{w} image, stride {stride}, padding "
                 f"{pad_text!s}\n{rule}".rstrip(), fontsize=12)

    def panel(ax, data, title, desc, lo, hi, cmap, xlabel):
        im = ax.imshow(data, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        if data.ndim == 2 and data.shape[0] <= 12 and data.shape[1] <= 12:
            # small maps: the number in every cell, so colour is never the only cue
            rgba = im.cmap(im.norm(data))
            light = (0.299 * rgba[..., 0] + 0.587 * rgba[..., 1] + 0.114 * rgba[..., 2]) > 0.5
            size = 10 if max(data.shape) <= 8 else 7.5
            for (r, c), v in np.ndenumerate(data):
                ax.text(c, r, ops._fmt(v), ha="center", va="center", fontsize=size,
                        color="black" if light[r, c] else "white")
        ax.set_xticks([])
        ax.set_yticks([])
        lines = textwrap.wrap(desc, 36) if desc else []
        ax.set_title(title, fontsize=12, fontweight="bold", pad=6 + 11.5 * len(lines))
        if lines:
            ax.annotate("\n".join(lines), (0.5, 1.0), xycoords="axes fraction", xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=9,
                        color="#333333")
        if xlabel:
            ax.set_xlabel(xlabel, fontsize=9, family="monospace")
        bar = fig.colorbar(im, ax=ax, shrink=0.85, pad=0.02)
        bar.ax.tick_params(labelsize=8)
        return im

    if image.ndim == 2:
        panel(axes[0], image, "input image", f"{h}x{w} pixels", float(image.min()),
              float(image.max()) if image.max() > image.min() else float(image.min()) + 1, "gray", None)
    else:
        rgb = image.astype(float)
        rgb = (rgb - rgb.min()) / (rgb.max() - rgb.min() or 1.0)
        axes[0].imshow(rgb[..., :3] if rgb.shape[2] >= 3 else rgb[..., 0], cmap="gray")
        axes[0].set_xticks([])
        axes[0].set_yticks([])
        axes[0].set_title("input image", fontsize=12, fontweight="bold")
    map_axes = []
    for ax, (name, arr, desc, _), fmap, (lo, hi, cmap) in zip(axes[1:], entries, maps, limits):
        kh, kw = arr.shape[:2]
        written = _gallery_numbers(arr)
        xlabel = f"detector ({kh}x{kw}):\n{written}" if written else f"{kh}x{kw} detector"
        panel(ax, fmap, name, desc if desc else f"your detector, {kh}x{kw}", lo, hi, cmap, xlabel)
        map_axes.append(ax)
    fig.input_axes = axes[0]
    fig.map_axes = tuple(map_axes)
    return fig


# ===== small static figures for the lessons (lead) ===========================


def show_arrays(arrays, *, cmap="cividis", scale=1.0, decimals=2):
    """Small arrays side by side, every cell with its number written in it.

    Parameters
    ----------
    arrays : dict of str -> array_like (2-D)
        Titles and the arrays to show, in order.
    cmap : str, default 'cividis'
        A colour-blind-safe colormap; the number in each cell carries the
        value too.
    scale : float, default 1.0
        Enlarges the figure and its text (1.6 for presenting).
    decimals : int, default 2
        Numbers are rounded to this many decimals for display.

    Returns
    -------
    matplotlib.figure.Figure
        Not shown by itself: it displays as the value of a notebook cell.

    Examples
    --------
    >>> fig = show_arrays({"detector": [[0, 1], [1, 0]]})
    >>> [ax.get_title() for ax in fig.axes]
    ['detector']
    """
    from matplotlib.figure import Figure

    import numpy as np

    from .ops import _as_array

    if not isinstance(arrays, dict) or not arrays:
        raise TypeError(f"arrays must be a non-empty dict of title -> 2-D array; got {type(arrays).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number; got {scale!r}")
    checked = {str(t): _as_array(a, f"arrays[{t!r}]", (2,), "a 2-D array") for t, a in arrays.items()}
    widths = [max(a.shape[1], 2) for a in checked.values()]
    fig = Figure(figsize=(scale * (sum(widths) * 0.55 + 0.6 * len(widths)), scale * (max(a.shape[0] for a in checked.values()) * 0.55 + 0.8)), dpi=100)
    axes = fig.subplots(1, len(checked), gridspec_kw={"width_ratios": widths}, squeeze=False)[0]
    for ax, (title, arr) in zip(axes, checked.items()):
        ax.imshow(arr, cmap=cmap)
        lo, hi = float(arr.min()), float(arr.max())
        mid = (lo + hi) / 2
        for (r, c), v in np.ndenumerate(arr):
            text = f"{v:.{decimals}f}".rstrip("0").rstrip(".") if arr.dtype.kind == "f" else str(v)
            ax.text(c, r, "0" if text == "-0" else text, ha="center", va="center",
                    fontsize=10 * scale, color="black" if v > mid or hi == lo else "white")
        ax.set_title(title, fontsize=11 * scale)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def loss_curve(losses, *, scale=1.0, log=True):
    """The loss after each step of gradient descent.

    Parameters
    ----------
    losses : sequence of float
    scale : float, default 1.0
    log : bool, default True
        A logarithmic loss axis, so the late, small improvements show.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = loss_curve([1.0, 0.5, 0.25])
    >>> fig.axes[0].get_xlabel()
    'step'
    """
    from matplotlib.figure import Figure

    from .ops import _as_array

    values = _as_array(losses, "losses", (1,), "a 1-D sequence of numbers")
    if log and (values <= 0).any():
        raise ValueError("losses must all be positive for a logarithmic axis; pass log=False")
    fig = Figure(figsize=(6 * scale, 3 * scale), dpi=100)
    ax = fig.subplots()
    ax.plot(range(len(values)), values, color="#0072B2", linewidth=2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step", fontsize=11 * scale)
    ax.set_ylabel("loss (mean squared error)", fontsize=11 * scale)
    ax.set_title(f"loss: {values[0]:.3g} at the start, {values[-1]:.3g} at the end", fontsize=11 * scale)
    ax.tick_params(labelsize=9 * scale)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig
