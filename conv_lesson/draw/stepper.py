"""The stepper's figure: input with the window, detector, feature map filling in.

Built once from a :class:`conv_lesson.ops.Scan` on its own Agg canvas; a step
moves only the artists that change and blits them over a saved background.
"""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.offsetbox import AnchoredOffsetbox, HPacker, TextArea, VPacker
from matplotlib.patches import Rectangle

from ..ops import Scan
from ..ops.checks import check_bool, describe
from . import cells, export, layout
from .blit import SteppedFigure
from .grids import outline
from .text import (
    alt_text,
    arithmetic_line,
    arithmetic_terms,
    channel_label,
    status_line,
    step_html,
    step_tables_html,
)

__all__ = ["StepperFigure", "wrap_terms"]

TOUCHED_INSET = 0.1  # with dilation, each touched cell is outlined this far inside its edges
OPERATOR = "⋆"  # cross-correlation: the detector slides unflipped (lesson 01's ∗ flips)


def wrap_terms(terms, width):
    """Break ``(text, is_match)`` terms into lines of at most ``width`` characters.

    Terms are joined with ``' + '``; the last term (``' = sum'``) follows
    without one. A line always takes at least one term.

    Parameters
    ----------
    terms : list of (str, bool)
        As :func:`conv_lesson.draw.text.arithmetic_terms` gives them.
    width : int

    Returns
    -------
    list of list of (str, bool)
        Each line's pieces, separators included.

    Examples
    --------
    >>> wrap_terms([("1×1", True), ("0×1", False), (" = 1", False)], 9)
    [[('1×1', True), (' + ', False)], [('0×1', False), (' = 1', False)]]
    """
    *products, total = terms
    lines, line, used = [], [], 0
    for n, term in enumerate(products):
        piece = [term] + ([(" + ", False)] if n < len(products) - 1 else [total])
        size = sum(len(t) for t, _ in piece)
        if line and used + size > width:
            lines.append(line)
            line, used = [], 0
        line += piece
        used += size
    lines.append(line)
    return lines


def _style_axes(ax, panel, show_ticks=True):
    ax.set_xlim(-0.5, panel.cols - 0.5)
    ax.set_ylim(panel.rows - 0.5, -0.5)
    ax.set_aspect("auto")
    ax.xaxis.tick_top()
    ax.tick_params(labelsize=layout.TICK_PT, colors="#555555", length=2, pad=2)
    for spine in ax.spines.values():
        spine.set_color("#999999")
        spine.set_linewidth(0.6)
    if panel.kind == "cells" and show_ticks:
        ax.set_xticks(range(panel.cols))
        ax.set_yticks(range(panel.rows))
    elif not show_ticks:
        ax.set_xticks([])
        ax.set_yticks([])


class StepperFigure(SteppedFigure):
    """The stepper's picture of a :class:`conv_lesson.ops.Scan`, built once, stepped by blitting.

    :meth:`set_step` moves only the artists that change (the window, the
    feature-map cells, the current-cell outline) and :meth:`render` blits
    them over a saved background, which gives the same pixels as a full
    redraw (:meth:`render_full`) at a fraction of the cost.

    Panels whose array has at most :data:`conv_lesson.draw.layout.NUMBERS_UP_TO`
    rows and columns show every cell's number; larger ones are pictures with
    a colour bar. Padding cells are hatched grey with their 0 in grey. The
    figure's size, its cell size and the map's colours come from the same
    scan at stride 1, so they stay the same at every stride.

    Parameters
    ----------
    scan : conv_lesson.ops.Scan
        What to show.
    scale : float, default 1.0
        Enlarges everything (the figure's dpi is ``100 * scale``): 1.6 is
        for presenting to a room.
    caption : bool, default False
        Also write the status line and the arithmetic (matches highlighted)
        under the panels, for exported animations.
    figure : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first) instead of a new one.

    Attributes
    ----------
    scan : conv_lesson.ops.Scan
    figure : matplotlib.figure.Figure
    axes : dict
        The panels' Axes: ``'input'``, ``'detector'``, ``'map'``.
    n_steps : int
    out_shape : (int, int)
    step : int
        The step the artists currently show.

    Examples
    --------
    >>> from conv_lesson import data, ops
    >>> fig = StepperFigure(ops.Scan(data.face_image(), data.face_detector()))
    >>> fig.n_steps, fig.out_shape
    (25, (5, 5))
    >>> fig.set_step(14).value
    2
    >>> bool((fig.render() == fig.render_full()).all())
    True
    """

    def __init__(self, scan, *, scale=1.0, caption=False, figure=None):
        if not isinstance(scan, Scan):
            raise TypeError(f"scan must be a conv_lesson.ops.Scan; got {describe(scan)}")
        self.caption = check_bool(caption, "caption")
        super().__init__(scale, figure)
        self.scan = scan
        self.reference = scan if scan.stride == (1, 1) else scan.with_stride(1)
        self.out_shape = tuple(int(n) for n in scan.out_shape)
        self.n_steps = scan.n_steps
        self._build()
        self.set_step(1)

    @property
    def map_colours(self):
        """The map's colour key, (colormap, norm), over the stride-1 map too, so colours match at every stride.

        Signed when the map or the detector has a negative value: a drawing that happens to give an
        edge detector no negative response keeps the key its other drawings are seen in.
        """
        values = np.concatenate([self.reference.feature_map.ravel(), self.scan.feature_map.ravel()])
        return cells.value_colours(values, signed=cells.map_is_signed(self.scan, self.reference))

    def view(self, step):
        """The :class:`conv_lesson.ops.StepView` of ``step`` (1 to ``n_steps``)."""
        return self.scan.step(step)

    def _at(self, step):
        """The StepView of ``step``: the one shown when it is the current step (or None), else a new one."""
        return self._view if step is None or step == self.step else self.view(step)

    def _show(self, step):
        view = self.view(step)
        for part in self._parts:
            part.show(view)
        self._view = view

    def set_step(self, step):
        """Move the changing artists to ``step``; return its StepView (nothing is drawn)."""
        super().set_step(step)
        return self._view

    def moving_artists(self):
        """The artists a step changes: the window, the map's cells, the outlines, the caption."""
        return [artist for part in self._parts for artist in part.artists]

    def save_animation(self, path, *, fps=2, progress_callback=None):
        """Write every step as a GIF (or MP4 with ffmpeg); see :func:`conv_lesson.draw.export.save_animation`.

        Build the figure with ``caption=True`` to have the status and the
        arithmetic, matches highlighted, in each frame.
        """
        return export.save_animation(
            self.figure,
            self.set_step,
            range(1, self.n_steps + 1),
            path,
            fps=fps,
            progress_callback=progress_callback,
            render=self.render,
        )

    def describe(self, step=None):
        """A text alternative to the picture of ``step`` (default: the current one)."""
        return alt_text(self.scan, self._at(step))

    def status(self, step=None):
        """Where ``step`` (default: the current one) is: one line (see :func:`conv_lesson.draw.text.status_line`)."""
        return status_line(self._at(step))

    def detail(self, step=None):
        """The products and their sum at ``step`` (default: the current one): one line."""
        return arithmetic_line(self._at(step))

    def html(self, step=None):
        """The status and the arithmetic of ``step`` as HTML, the matching products in bold."""
        return step_html(self._at(step))

    def tables_html(self, step=None):
        """The window, the detector and the map so far at ``step`` as HTML tables (:func:`.text.step_tables_html`)."""
        return step_tables_html(self._at(step))

    @property
    def row_length(self):
        """How many steps one row of the feature map takes."""
        return self.out_shape[1]

    def _build(self):
        lay = layout.stepper_layout(self.scan, self.reference)
        if self.caption:
            wrap = max(20, int((lay.width - 2 * layout.MARGIN_LEFT) / (0.6 * layout.CAPTION_PT / 0.72)))
            lay = lay.with_caption(_Caption.lines_needed(self.scan, wrap))
        self._layout = lay
        fig = self.figure
        fig.set_dpi(layout.DPI * self.scale)
        fig.set_size_inches(lay.width / layout.DPI, lay.height / layout.DPI)
        fig.set_facecolor("white")
        self.axes = axes = {name: self._axes_at(p.x, p.y, p.w, p.h) for name, p in lay.panels.items()}
        _detector_panel(self, axes["detector"], lay.panels["detector"])
        self._parts = [_InputPanel(self, axes["input"], lay.panels["input"]),
                       _MapPanel(self, axes["map"], lay.panels["map"])]  # fmt: skip
        for name, ax in axes.items():
            ax.set_title(lay.titles[name], fontsize=layout.TITLE_PT, color="black", pad=5)
        self._operators(lay)
        if self.caption:
            cap = self.figure.add_axes([0, 0, 1, lay.caption_h / lay.height])
            self._parts.append(_Caption(cap, lay, wrap))

    def _axes_at(self, x, y, w, h):
        lay = self._layout
        return self.figure.add_axes([x / lay.width, 1 - (y + h) / lay.height, w / lay.width, h / lay.height])

    def colorbar(self, panel, mappable):
        """A colour bar beside ``panel`` for ``mappable``."""
        cax = self._axes_at(panel.x + panel.w + 8, panel.y, 11, panel.h)
        bar = self.figure.colorbar(mappable, cax=cax)
        bar.ax.tick_params(labelsize=layout.TICK_PT, colors="#555555", length=2, pad=2)
        bar.outline.set_linewidth(0.6)
        return bar

    def _operators(self, lay):
        """The signs between the panels: cross-correlation, then 'gives'."""
        p = lay.panels
        mid_y = lay.top + min(p["detector"].h, lay.body) / 2
        for left, right, sign in (("input", "detector", OPERATOR), ("detector", "map", "→")):
            a, b = p[left], p[right]
            gx = (a.x + a.w + a.extra + b.x) / 2 - 6
            self.figure.text(
                gx / lay.width,
                1 - mid_y / lay.height,
                sign,
                ha="center",
                va="center",
                fontsize=20,
                color="#777777",
            )


class _InputPanel:
    """The input image (numbered cells, or a picture) with the window outlined; it moves the window."""

    def __init__(self, fig, ax, panel):
        scan = self.scan = fig.scan
        (t, b), (l, r) = scan.pads
        h, w = scan.geometry.padded_shape
        _style_axes(ax, panel)
        if panel.kind == "cells":
            is_pad = np.ones((h, w), dtype=bool)
            is_pad[t : h - b, l : w - r] = False
            _draw_input_cells(ax, panel, scan.padded[:, :, 0].astype(float), is_pad, scan.geometry.never_read)
            _mark_extra_padding(ax, scan.pads, (h, w))
        else:
            _draw_input_picture(fig, ax, panel)
        kh, kw = scan.geometry.extent
        self.window = outline(ax, (-0.5, -0.5), kw, kh, lw=3.0 if panel.kind == "cells" else 2.0)
        self.touched = []
        if scan.dilation != (1, 1) and panel.kind == "cells":
            side = 1 - 2 * TOUCHED_INSET
            for a in range(scan.detector.shape[0]):
                for c in range(scan.detector.shape[1]):
                    rect = outline(ax, (-0.5, -0.5), side, side, lw=1.2, zorder=9)
                    self.touched.append(((a, c), rect))
        self.artists = [rect for _, rect in self.touched] + [self.window]

    def show(self, view):
        """Outline the window of ``view`` (and, with dilation, each cell it touches)."""
        top, left = view.position
        self.window.set_xy((left - 0.5, top - 0.5))
        dr, dc = self.scan.dilation
        for (a, b), rect in self.touched:
            rect.set_xy((left + b * dc - 0.5 + TOUCHED_INSET, top + a * dr - 0.5 + TOUCHED_INSET))


def _draw_input_picture(fig, ax, panel):
    """A large input as a picture: grey with a colour bar, or in colour."""
    padded = fig.scan.padded.astype(float)
    h, w = padded.shape[:2]
    if padded.shape[2] == 3:
        hi = padded.max()
        ax.imshow(np.clip(padded / (hi if hi > 1 else 1.0), 0, 1), interpolation="nearest", zorder=1)
    else:
        gray = padded.mean(axis=2)
        norm = cells.value_norm(gray)
        fig.colorbar(panel, ax.imshow(gray, cmap=cells.PHOTO_CMAP, norm=norm, interpolation="nearest", zorder=1))
    ax.set_aspect("auto")
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)


class _Caption:
    """Under the panels, for exported animations: the status, and the arithmetic with matches highlighted."""

    def __init__(self, ax, lay, wrap):
        ax.set_axis_off()
        self.ax, self.lay, self.wrap = ax, lay, wrap
        self.status = ax.text(layout.MARGIN_LEFT / lay.width, 1 - 4 / lay.caption_h, "",
                              fontsize=layout.CAPTION_PT + 0.5, color="black", ha="left", va="top", animated=True,
                              zorder=4)  # fmt: skip
        self.box = None
        self.artists = [self.status]

    @staticmethod
    def lines_needed(scan, wrap):
        """The most lines the arithmetic takes over (a sample of up to 40) steps."""
        sample = np.unique(np.linspace(1, scan.n_steps, min(scan.n_steps, 40)).round().astype(int))
        return max(len(wrap_terms(arithmetic_terms(scan.step(int(k))), wrap)) for k in sample)

    def show(self, view):
        """The status line, and the arithmetic with the matching products in bold vermillion."""
        self.status.set_text(status_line(view))
        if self.box is not None:
            self.box.remove()
        rows = []
        for line in wrap_terms(arithmetic_terms(view), self.wrap):
            props = [{"fontsize": layout.CAPTION_PT, "color": cells.HIGHLIGHT_TEXT if match else cells.INK,
                      "fontweight": "bold" if match else "normal"} for _, match in line]  # fmt: skip
            pieces = [TextArea(text, textprops=p) for (text, _), p in zip(line, props)]
            rows.append(HPacker(children=pieces, pad=0, sep=0))
        anchor = (layout.MARGIN_LEFT / self.lay.width, 1 - (4 + layout.LINE_PX) / self.lay.caption_h)
        self.box = AnchoredOffsetbox(loc="upper left", child=VPacker(children=rows, pad=0, sep=3), frameon=False,
                                     pad=0, borderpad=0, bbox_to_anchor=anchor,
                                     bbox_transform=self.ax.transAxes)  # fmt: skip
        self.box.set_animated(True)
        self.box.set_zorder(4)
        self.ax.add_artist(self.box)
        self.artists = [self.status, self.box]


def _draw_input_cells(ax, panel, values, is_pad, never_read=((), ())):
    """The input image as numbered cells, padding hatched grey, the rows and columns no window reads
    (``never_read``, padded coordinates) washed pale and hatched the other way."""
    h, w = values.shape
    fade = np.zeros((h, w), dtype=bool)
    fade[list(never_read[0]), :] = True
    fade[:, list(never_read[1])] = True
    cmap, norm = cells.value_colours(np.where(is_pad, np.nan, values))
    if is_pad.any():
        ax.add_patch(
            Rectangle(
                (-0.5, -0.5),
                w,
                h,
                facecolor=cells.PADDING_FACE,
                edgecolor=cells.PADDING_HATCH,
                hatch="//",
                linewidth=0,
                zorder=0.5,
            )
        )
    ax.pcolormesh(
        cells.edges(w),
        cells.edges(h),
        np.ma.masked_array(values, mask=is_pad),
        cmap=cmap,
        norm=norm,
        zorder=1,
    )
    for r, c in zip(*np.nonzero(fade & ~is_pad)):  # washed toward white as cells.faded says, then hatched
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=(1, 1, 1, cells.FADE), edgecolor=cells.FADE_HATCH,
                               hatch="\\\\", linewidth=0, zorder=1.2))  # fmt: skip
    ax.add_collection(LineCollection(cells.grid_lines(h, w), colors="white", linewidths=0.8, zorder=1.5), autolim=False)
    ax.set_ylim(h - 0.5, -0.5)
    cells.add_numbers(ax, values, panel.cell, norm, cmap, mask=is_pad, fade=fade)


def _mark_extra_padding(ax, pads, shape):
    """Cross-hatch the rows and columns of zeros that make the padding uneven (the one side with more)."""
    (t, b), (l, r) = pads
    h, w = shape
    bands = [(0, h - (b - t), w, b - t), (w - (r - l), 0, r - l, h), (0, 0, w, t - b), (0, 0, l - r, h)]
    for x, y, bw, bh in bands:
        if bw > 0 and bh > 0:
            ax.add_patch(Rectangle((x - 0.5, y - 0.5), bw, bh, fill=False, edgecolor=cells.FADE_HATCH, hatch="xx",
                                   linewidth=0, zorder=0.6))  # fmt: skip


def _detector_panel(fig, ax, panel):
    """The detector: numbered cells (channels side by side), or a picture for a large one."""
    values = layout.detector_grid(fig.scan)
    cmap, norm = cells.value_colours(values)
    if panel.kind == "cells":
        _style_axes(ax, panel, show_ticks=False)
        ax.pcolormesh(
            cells.edges(panel.cols),
            cells.edges(panel.rows),
            np.ma.masked_invalid(values),
            cmap=cmap,
            norm=norm,
            edgecolors="white",
            linewidth=0.8,
            zorder=1,
        )
        ax.set_ylim(panel.rows - 0.5, -0.5)
        cells.add_numbers(ax, values, panel.cell, norm, cmap)
        if fig.scan.channels > 1:
            _channel_ticks(ax, fig.scan)
    else:
        _style_axes(ax, panel)
        im = ax.imshow(values, cmap=cmap, norm=norm, interpolation="nearest", zorder=1)
        ax.set_aspect("auto")
        fig.colorbar(panel, im)


def _channel_ticks(ax, scan):
    kw = scan.geometry.detector_shape[1]
    ax.set_xticks([c * (kw + 1) + (kw - 1) / 2 for c in range(scan.channels)])
    ax.set_xticklabels([channel_label(c, scan.channels) for c in range(scan.channels)])
    ax.xaxis.tick_bottom()
    for spine in ax.spines.values():
        spine.set_visible(False)


class _MapPanel:
    """The feature map filling in: numbered cells, or a picture with a colour bar."""

    def __init__(self, fig, ax, panel):
        oh, ow = fig.out_shape
        cmap, norm = fig.map_colours
        _style_axes(ax, panel)
        ax.set_facecolor("white")
        self.cells = panel.kind == "cells"
        if self.cells:
            ax.add_collection(
                LineCollection(cells.grid_lines(oh, ow), colors=cells.EMPTY_GRID, linewidths=0.8, zorder=1),
                autolim=False,
            )
            # filled cells get white edges; empty ones none, so the grey grid shows
            self.edges = np.zeros((oh * ow, 4))
            self.mesh = ax.pcolormesh(
                cells.edges(ow),
                cells.edges(oh),
                np.ma.masked_all((oh, ow)),
                cmap=cmap,
                norm=norm,
                edgecolors=self.edges,
                linewidth=0.8,
                zorder=3,
                animated=True,
            )
            ax.set_ylim(oh - 0.5, -0.5)
            self.numbers, (self.paths, self.colors) = cells.add_numbers(
                ax, fig.scan.feature_map, panel.cell, norm, cmap, zorder=4, animated=True
            )
            if panel.colorbar:  # a signed map: the key of its colours (white is 0)
                fig.colorbar(panel, ScalarMappable(norm=norm, cmap=cmap))
            self.artists = [self.mesh, self.numbers]
            lw = 3.0
        else:
            self.image = ax.imshow(
                np.full((oh, ow), np.nan),
                cmap=cmap,
                norm=norm,
                interpolation="nearest",
                zorder=3,
                animated=True,
            )
            ax.set_aspect("auto")
            ax.set_xlim(-0.5, ow - 0.5)
            ax.set_ylim(oh - 0.5, -0.5)
            fig.colorbar(panel, ScalarMappable(norm=norm, cmap=cmap))
            self.artists = [self.image]
            lw = 2.0
        self.current = outline(ax, (-0.5, -0.5), 1, 1, lw=lw, style="dashed")
        self.artists.append(self.current)

    def show(self, view):
        """Fill the cells of steps 1 to ``view.step`` and outline the current one."""
        step, partial = view.step, view.feature_map
        if self.cells:
            self.mesh.set_array(np.ma.masked_invalid(partial))
            self.edges[:] = 0.0
            self.edges[:step] = 1.0
            self.mesh.set_edgecolor(self.edges)
            self.numbers.set_paths(self.paths[:step])
            self.numbers.set_facecolor(self.colors[:step])
        else:
            self.image.set_data(partial)
        i, j = view.cell
        self.current.set_xy((j - 0.5, i - 0.5))
