"""What the receptive-field, im2col and transposed-convolution figures share.

Panels of numbered cells placed side by side in pixels (:func:`place_panels`),
a grid whose colours and numbers change from step to step
(:class:`NumberedGrid`), a highlight outline, and :class:`BlitFigure`: a
figure on its own Agg canvas, built once and stepped by blitting, as
:class:`conv_lesson.draw.StepperFigure` is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.patches import Rectangle

from . import cells, readable
from .blit import SteppedFigure
from .layout import CELL_MIN, CELL_PER_CHAR, DPI, text_px

__all__ = [
    "TITLE_PT",
    "TICK_PT",
    "PanelSpec",
    "Placement",
    "place_panels",
    "fit_cell",
    "number_cell",
    "footer_width",
    "NumberedGrid",
    "OUTLINE_STYLES",
    "outline",
    "style_ticks",
    "BlitFigure",
]

TITLE_PT = 11.0
#: Tick labels: as large as the lesson's text (:data:`conv_lesson.draw.readable.MIN_TEXT_PT`).
TICK_PT = readable.MIN_TEXT_PT
TICK_ROOM = 1.3 * readable.MIN_TEXT_PX  # the pixels one tick label needs across its line
TITLE_LINE = 1.35 * TITLE_PT / 0.72  # pixels per title line
MARGIN = 16
SIGN_ROOM = 34  # the operator sign between two panels
BOTTOM = 14


@dataclass
class PanelSpec:
    """One panel of numbered cells: its grid, its title, its tick labels and the sign before it.

    ``row_labels``/``col_labels`` of None number the rows/columns from 0; an
    empty list shows none.
    """

    name: str
    rows: int
    cols: int
    title: str = ""
    row_labels: list | None = None
    col_labels: list | None = None
    sign: str = ""

    def labels(self, axis):
        """The tick labels along ``axis`` ('rows' or 'cols')."""
        given, n = (self.row_labels, self.rows) if axis == "rows" else (self.col_labels, self.cols)
        return [str(i) for i in range(n)] if given is None else list(given)


@dataclass
class Placement:
    """Where the panels go: the figure's size and each panel's (x, y, w, h), in pixels at scale 1, y down."""

    width: float
    height: float
    boxes: dict = field(default_factory=dict)
    signs: list = field(default_factory=list)  # (x, y, text)
    rotated: dict = field(default_factory=dict)  # panel name -> columns labels turned upright
    footer: float = 0.0
    cell: float = 0.0  # the side of one cell


def _px(text, size_pt):
    """Width of ``text`` in pixels, with the few per cent Agg's rendering adds to the font metrics."""
    return 1.1 * text_px(text, size_pt)


def _label_width(labels):
    return max((_px(s, TICK_PT) for s in labels), default=0.0)


def place_panels(specs, cell, *, footer_lines=0, min_width=0.0):
    """Place ``specs`` left to right, top-aligned, with room for titles, tick labels and signs.

    Parameters
    ----------
    specs : list of PanelSpec
    cell : float
        The side of one cell in pixels (at scale 1).
    footer_lines : int, default 0
        Lines of text to leave room for under the panels.
    min_width : float, default 0
        The figure is at least this wide.

    Returns
    -------
    Placement

    Examples
    --------
    >>> p = place_panels([PanelSpec("a", 2, 3, "a"), PanelSpec("b", 4, 1, "b", sign="=")], 30)
    >>> p.boxes["b"][3], p.height > 4 * 30
    (120, True)
    """
    rotated = {s.name: _label_width(s.labels("cols")) > 0.9 * cell for s in specs}
    col_room = max(
        (_label_width(s.labels("cols")) if rotated[s.name] else TICK_PT / 0.72 * 1.2) + 4 if s.labels("cols") else 0
        for s in specs
    )
    title_room = max(len(s.title.splitlines()) for s in specs) * TITLE_LINE + 6
    top = MARGIN + title_room + col_room
    x, boxes, signs = float(MARGIN), {}, []
    for i, s in enumerate(specs):
        w, h = s.cols * cell, s.rows * cell
        row_room = _label_width(s.labels("rows")) + 5 if s.labels("rows") else 0
        title_w = max((_px(line, TITLE_PT) for line in s.title.splitlines()), default=0.0)
        if i:
            x += SIGN_ROOM if s.sign else 14
        if s.sign:
            prev = specs[i - 1]
            signs.append((x - SIGN_ROOM / 2, top + min(s.rows, prev.rows) * cell / 2, s.sign))
        x += row_room
        slot = max(w, title_w)
        boxes[s.name] = (x + (slot - w) / 2, top, w, h)
        x += slot
    body = max(s.rows for s in specs) * cell
    footer = footer_lines * TITLE_LINE + (8 if footer_lines else 0)
    return Placement(max(x + MARGIN, min_width), top + body + BOTTOM + footer, boxes, signs, rotated, footer, cell)


def number_cell(labels):
    """The smallest cell side (pixels at scale 1) whose number can be written at the lesson's text size.

    A :class:`NumberedGrid` with smaller cells leaves its numbers out
    (colours and outlines only).

    Parameters
    ----------
    labels : iterable of str
        Every number the cells may show.

    Returns
    -------
    float

    Examples
    --------
    >>> number_cell(["1", "-2"]), number_cell(["-13.6"])
    (32, 51.0)
    """
    longest = max((len(s) for s in labels), default=1)
    return max(CELL_MIN, CELL_PER_CHAR * longest)


def fit_cell(specs, *, target=760.0, low=10.0, high=40.0, **kwargs):
    """The largest cell side (``low`` to ``high`` pixels) at which ``specs`` fit in about ``target`` pixels.

    Parameters
    ----------
    specs : list of PanelSpec
    target, low, high : float
        Target width, and the smallest and largest cell.
    **kwargs
        Passed on to :func:`place_panels`.

    Returns
    -------
    (float, Placement)
        The cell side and the placement at that side.

    Examples
    --------
    >>> fit_cell([PanelSpec("a", 2, 3)])[0], fit_cell([PanelSpec("a", 2, 300)])[0]
    (40.0, 10.0)
    """
    cell = float(high)
    panels_only = {k: v for k, v in kwargs.items() if k != "min_width"}
    while place_panels(specs, cell, **panels_only).width > target and cell > low:
        cell = max(low, cell - 1.0)
    return cell, place_panels(specs, cell, **kwargs)


def footer_width(lines):
    """The figure width (pixels at scale 1) that fits ``lines`` of footer text.

    Parameters
    ----------
    lines : list of str

    Returns
    -------
    float

    Examples
    --------
    >>> footer_width(["a long line of text"]) > footer_width(["short"])
    True
    """
    return max((_px(line, TITLE_PT - 0.5) for line in lines), default=0.0) + 2 * MARGIN + 4


#: How an outline's line is drawn: solid marks the cells a step reads, dashed the cells it writes.
OUTLINE_STYLES = {"solid": "-", "dashed": (0, (3, 1.5)), "dotted": (0, (1, 1.2))}


def outline(ax, xy, w, h, *, lw=3.0, color=cells.HIGHLIGHT, animated=True, zorder=10, style="solid"):
    """A highlight rectangle in three rings, added to ``ax`` (data units: one cell is 1).

    The colour in the middle is wrapped in a near-black ring and a white halo
    (:data:`conv_lesson.draw.cells.RING`, :data:`~conv_lesson.draw.cells.HALO`),
    each 1 pt wide: on a dark cell the white stands out, on a light one the
    black, so the outline keeps 3:1 against every cell colour. Only the middle
    line takes ``style``, so a dashed outline reads as vermillion and black in turn.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    xy : (float, float)
        Lower-left corner in data units (the top-left of a cell: rows go down).
    w, h : float
    lw : float, default 3
        Width of the middle line in points (the rings add 2 pt on each side).
    color : colour, default HIGHLIGHT
    animated : bool, default True
    zorder : float, default 10
    style : {'solid', 'dashed', 'dotted'}, default 'solid'
        Solid for the cells a step reads (the window), dashed for the cells it
        writes (the feature-map cell): the two differ by more than colour.

    Returns
    -------
    matplotlib.patches.Rectangle

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> outline(ax, (-0.5, -0.5), 2, 3).get_height()
    3
    >>> outline(ax, (-0.5, -0.5), 1, 1, style="dashed").get_linestyle() == OUTLINE_STYLES["dashed"]
    True
    """
    solid = {"dash_offset": 0, "dash_list": None}
    effects = [
        patheffects.Stroke(linewidth=lw + 4, foreground=cells.HALO, dashes=solid),
        patheffects.Stroke(linewidth=lw + 2, foreground=cells.RING, dashes=solid),
        patheffects.Normal(),
    ]
    rect = Rectangle(xy, w, h, fill=False, edgecolor=color, linewidth=lw, zorder=zorder, animated=animated,
                     path_effects=effects, linestyle=OUTLINE_STYLES[style], joinstyle="miter")  # fmt: skip
    ax.add_patch(rect)
    return rect


class NumberedGrid:
    """A grid of cells on ``ax`` whose colours and numbers :meth:`show` sets.

    Cells that are coloured get their number in the ink that reads best on
    their colour; cells with a number but no colour get it in grey on white;
    NaN cells stay empty (the grey grid shows).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    shape : (int, int)
    cell_px : float
        The side of one cell in pixels at scale 1 (for the font size).
    norm : matplotlib.colors.Normalize
    cmap : str, default CELL_CMAP
    labels : iterable of str, optional
        Every number the grid may show: the font is sized once to fit the
        longest, so it does not change from step to step.
    animated : bool, default False
    numbers : bool, default True
        Write the numbers (off for grids too small to read them). They are
        left out too where they would be smaller than the lesson's text
        (cells smaller than :func:`number_cell`).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> g = NumberedGrid(ax, (1, 2), 40, cells.value_norm([0, 1]), labels=["0", "1"])
    >>> g.show(np.array([[0.0, np.nan]]))
    >>> len(g.numbers.get_paths()), g.write, NumberedGrid(ax, (1, 2), 20, cells.value_norm([0, 1])).write
    (1, True, False)
    """

    def __init__(self, ax, shape, cell_px, norm, *, cmap=cells.CELL_CMAP, labels=(), animated=False, numbers=True):
        rows, cols = self.shape = shape
        self.ax, self.norm, self.cmap, self.cell_px = ax, norm, colormaps[cmap], cell_px
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_aspect("auto")
        ax.set_facecolor("white")
        grid = LineCollection(cells.grid_lines(rows, cols), colors=cells.EMPTY_GRID, linewidths=0.8, zorder=0.8)
        ax.add_collection(grid, autolim=False)
        self.mesh = ax.pcolormesh(cells.edges(cols), cells.edges(rows), np.ma.masked_all(shape), cmap=self.cmap,
                                  norm=norm, linewidth=0.8, zorder=1, animated=animated)  # fmt: skip
        self.size_pt = cells.font_px(cell_px, list(labels) or ["-8.8"]) * 0.72
        self.write = numbers and self.size_pt >= readable.MIN_TEXT_PT - 1e-9  # never smaller than the lesson's text
        self.numbers = PathCollection([], edgecolors="none", linewidths=0, transform=ax.transData, zorder=4,
                                      animated=animated)  # fmt: skip
        self.numbers.text_size_pt = self.size_pt  # for conv_lesson.draw.readable: numbers are text too
        ax.add_collection(self.numbers, autolim=False)
        self.artists = [self.mesh, self.numbers]

    def show(self, values, coloured=None):
        """Show ``values`` (NaN: an empty cell); colour the cells where ``coloured`` (default: the finite ones)."""
        values = np.asarray(values, dtype=float)
        finite = np.isfinite(values)
        coloured = finite if coloured is None else (np.asarray(coloured, dtype=bool) & finite)
        self.mesh.set_array(np.ma.masked_array(np.where(finite, values, 0.0), mask=~coloured))
        edge = np.zeros((values.size, 4))
        edge[coloured.ravel()] = 1.0
        self.mesh.set_edgecolor(edge)
        if not self.write:
            return
        labels = cells.cell_labels(values)
        items, colors = [], []
        for (r, c), v in np.ndenumerate(values):
            if finite[r, c]:
                items.append((r, c, labels[r][c]))
                colors.append(cells.ink_on(self.cmap(self.norm(v))) if coloured[r, c] else cells.PADDING_TEXT)
        self.numbers.set_paths(cells.number_paths(items, self.size_pt, self.cell_px * 0.72))
        self.numbers.set_facecolor(to_rgba_array(colors) if colors else np.zeros((0, 4)))


def _every(cell, room):
    """Label every n-th row or column: cells of side ``cell`` and labels needing ``room`` pixels each."""
    return max(1, int(np.ceil(room / cell))) if cell else 1


def style_ticks(ax, spec, rotated, cell=0.0):
    """Tick labels of a panel's rows (left) and columns (top, upright when ``rotated``), in grey.

    They are as large as the lesson's text; where the cells (of side
    ``cell`` pixels) are too small for a label each, only every n-th row or
    column is labelled.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    spec : PanelSpec
    rotated : bool
    cell : float, default 0
        The side of a cell in pixels at scale 1 (0: label every one).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> style_ticks(ax, PanelSpec("a", 2, 2, col_labels=["x", "y"]), False)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['x', 'y']
    >>> style_ticks(ax, PanelSpec("b", 12, 12), False, cell=10)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['0', '2', '4', '6', '8', '10']
    """
    ax.xaxis.tick_top()
    ax.tick_params(labelsize=TICK_PT, colors="#555555", length=0, pad=3)
    for spine in ax.spines.values():
        spine.set_visible(False)  # the grid's own lines frame it; a spine would cover the changing cells' edges
    col_labels = spec.labels("cols")
    col_room = TICK_ROOM if rotated else _label_width(col_labels) + 6
    for labels, set_ticks, set_labels, every in (
        (col_labels, ax.set_xticks, ax.set_xticklabels, _every(cell, col_room)),
        (spec.labels("rows"), ax.set_yticks, ax.set_yticklabels, _every(cell, TICK_ROOM)),
    ):
        set_ticks(range(0, len(labels), every))
        if labels:
            set_labels(labels[::every])
    if rotated:
        for label in ax.get_xticklabels():
            label.set_rotation(90)


class BlitFigure(SteppedFigure):
    """A stepped figure of numbered-cell panels (lessons 07–08's figures).

    A subclass builds its panels in ``__init__`` (through :meth:`build`), adds
    the artists that change to ``moving`` (made with ``animated=True``), and
    implements ``n_steps``, ``_show(step)``, ``status(step)``,
    ``detail(step)`` and ``describe(step)``.
    """

    def __init__(self, scale):
        super().__init__(scale)
        self.moving = []
        self.axes = {}

    def moving_artists(self):
        """The artists a step changes: ``moving``."""
        return self.moving

    def build(self, specs, placement):
        """Size the figure for ``placement`` and make one axes per spec, titled and labelled."""
        self.placement = p = placement
        self.figure.set_dpi(DPI * self.scale)
        self.figure.set_size_inches(p.width / DPI, p.height / DPI)
        self.figure.set_facecolor("white")
        for spec in specs:
            x, y, w, h = p.boxes[spec.name]
            ax = self.figure.add_axes([x / p.width, 1 - (y + h) / p.height, w / p.width, h / p.height])
            style_ticks(ax, spec, p.rotated[spec.name], p.cell)
            ax.set_title(spec.title, fontsize=TITLE_PT, color="black", pad=4 + (0 if spec.labels("cols") else 0))
            self.axes[spec.name] = ax
        for sx, sy, sign in p.signs:
            self.figure.text(sx / p.width, 1 - sy / p.height, sign, ha="center", va="center", fontsize=18,
                             color="#777777")  # fmt: skip

    def footer(self, text):
        """Static text (lines split by newlines) under the panels, in the room ``footer_lines`` left."""
        p = self.placement
        self.figure.text(MARGIN / p.width, (BOTTOM + p.footer / 2) / p.height, text, ha="left", va="center",
                         fontsize=TITLE_PT - 0.5, color=cells.INK, linespacing=1.35)  # fmt: skip
