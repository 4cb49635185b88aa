"""One toolkit for a grid of numbered cells: number format, text colour, grid lines, glyphs.

Every figure that writes numbers in coloured cells (the stepper, the gallery,
``show_arrays``) uses these, so a value reads the same everywhere
(:func:`conv_lesson.ops.format_number`) and its ink is always the more
readable of black and white on its cell's colour (:func:`ink_on`).
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_rgba, to_rgba_array
from matplotlib.path import Path

from ..ops import format_number

__all__ = [
    "CELL_CMAP",
    "PHOTO_CMAP",
    "DIVERGING_CMAP",
    "HIGHLIGHT",
    "HALO",
    "RING",
    "HIGHLIGHT_TEXT",
    "FADE",
    "FADE_HATCH",
    "faded",
    "PADDING_FACE",
    "PADDING_HATCH",
    "PADDING_TEXT",
    "EMPTY_GRID",
    "INK",
    "cell_labels",
    "ink_on",
    "value_norm",
    "is_signed",
    "map_is_signed",
    "value_colours",
    "edges",
    "grid_lines",
    "font_px",
    "number_paths",
    "add_numbers",
]

#: Colour-blind-safe colormap for cells with numbers and for feature maps.
CELL_CMAP = "cividis"
#: Colormap of a large (photo) input image.
PHOTO_CMAP = "gray"
#: Colormap of maps with negative values: blue negative, white 0, red positive.
DIVERGING_CMAP = "RdBu_r"
#: Outline of the window and of the current feature-map cell (Okabe-Ito vermillion).
HIGHLIGHT = "#d55e00"
#: The two rings around an outline's colour: white stands out on dark cells, near-black on light
#: ones, so every outline keeps 3:1 against any cell colour (WCAG 1.4.11).
HALO = "#ffffff"
RING = "#1a1a1a"
#: Vermillion dark enough for text on white (5.5:1; :data:`HIGHLIGHT` is 3.9:1, too light for text).
HIGHLIGHT_TEXT = "#b34700"
#: Cells no window reads are washed this far toward white (and hatched): greyed out, numbers kept.
FADE = 0.6
FADE_HATCH = "#8a8a8a"
PADDING_FACE = "#e6e6e6"
PADDING_HATCH = "#c2c2c2"
PADDING_TEXT = "#5c5c5c"
EMPTY_GRID = "#c8c8c8"
INK = "#333333"


def cell_labels(values):
    """The numbers written in the cells of a grid, as text (NaN gives ``''``).

    Parameters
    ----------
    values : array_like, 2-D

    Returns
    -------
    list of list of str
        :func:`conv_lesson.ops.format_number` of every cell.

    Examples
    --------
    >>> cell_labels(np.array([[1.0, -2.0, 0.125, np.nan]]))
    [['1', '-2', '0.125', '']]
    """
    values = np.asarray(values, dtype=float)
    return [[format_number(v) if np.isfinite(v) else "" for v in row] for row in values]


def _luminance(rgba):
    """Relative luminance (WCAG 2) of an sRGB colour."""
    channels = np.asarray(to_rgba(rgba)[:3], dtype=float)
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ (0.2126, 0.7152, 0.0722))


def faded(rgba):
    """``rgba`` washed :data:`FADE` of the way toward white: the colour of a cell no window reads.

    Examples
    --------
    >>> faded((0.0, 0.0, 0.0, 1.0))
    (0.6, 0.6, 0.6, 1.0)
    """
    r, g, b, a = to_rgba(rgba)
    return tuple(round(v + (1 - v) * FADE, 6) for v in (r, g, b)) + (a,)


def ink_on(rgba):
    """Black or white: whichever has the higher contrast (WCAG 2) on the colour ``rgba``.

    The one text-colour rule of the package: right on any colormap, light
    or dark in the middle (``cividis``, ``gray``, the diverging ``RdBu_r``).

    Parameters
    ----------
    rgba : colour
        Anything matplotlib takes as a colour.

    Returns
    -------
    str
        ``'black'`` or ``'white'``.

    Examples
    --------
    >>> ink_on("white"), ink_on("navy"), ink_on((0.5, 0.5, 0.5))
    ('black', 'white', 'black')
    """
    lum = _luminance(rgba)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return "black" if on_black >= on_white else "white"


def value_norm(values):
    """A Normalize over the finite ``values``, widened by 1 each way when they are all equal.

    Parameters
    ----------
    values : array_like

    Returns
    -------
    matplotlib.colors.Normalize

    Examples
    --------
    >>> n = value_norm([[0, 4], [np.nan, 2]])
    >>> n.vmin, n.vmax
    (0.0, 4.0)
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if lo == hi:
        lo, hi = lo - 1.0, hi + 1.0
    return Normalize(vmin=lo, vmax=hi)


def is_signed(values):
    """Whether any finite value is below 0 (it is then drawn with the signed colour key).

    Examples
    --------
    >>> is_signed([[0, 4], [np.nan, 2]]), is_signed([1, -0.5])
    (False, True)
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return bool(finite.size) and float(finite.min()) < 0


def map_is_signed(scan, reference):
    """Whether the stepper draws the map in the signed key: the map or its detector holds a negative value.

    Examples
    --------
    >>> from conv_lesson import ops
    >>> edges = ops.Scan(np.zeros((4, 4)), [[-1, 1]])
    >>> map_is_signed(edges, edges), map_is_signed(ops.Scan(np.zeros((4, 4)), [[1, 1]]), edges)
    (True, False)
    """
    return is_signed(scan.detector) or is_signed(reference.feature_map) or is_signed(scan.feature_map)


def value_colours(values, *, signed=None):
    """The colour key of numbers drawn as colours: (colormap, norm), the same for every picture.

    With a negative value among them, the signed key: blue through white to red
    (:data:`DIVERGING_CMAP`), even about 0, so white is 0, red positive, blue negative,
    and the deeper the colour the larger the size of the value. Otherwise
    :data:`CELL_CMAP` from the smallest value (dark blue) to the largest (yellow).

    Parameters
    ----------
    values : array_like
        NaN is ignored.
    signed : bool, optional
        The signed key even without a negative value among ``values`` (a map made by a
        detector with negative weights, which could hold one); by default, whether one is there.

    Returns
    -------
    (matplotlib.colors.Colormap, matplotlib.colors.Normalize)

    Examples
    --------
    >>> cmap, norm = value_colours([[-1, 0], [3, np.nan]])
    >>> cmap.name, (norm.vmin, norm.vmax), float(norm(0.0))
    ('RdBu_r', (-3.0, 3.0), 0.5)
    >>> value_colours([0, 2])[0].name, value_colours([0, 2], signed=True)[0].name
    ('cividis', 'RdBu_r')
    """
    if is_signed(values) if signed is None else signed:
        values = np.asarray(values, dtype=float)
        finite = np.abs(values[np.isfinite(values)])
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        return colormaps[DIVERGING_CMAP], Normalize(vmin=-top, vmax=top)
    return colormaps[CELL_CMAP], value_norm(values)


def edges(n):
    """Cell edges of ``n`` cells centred on 0, 1, ..., n − 1.

    Parameters
    ----------
    n : int

    Returns
    -------
    ndarray

    Examples
    --------
    >>> edges(2)
    array([-0.5,  0.5,  1.5])
    """
    return np.arange(n + 1) - 0.5


def grid_lines(rows, cols):
    """Segments between all cells of a rows x cols grid, in data units.

    Parameters
    ----------
    rows, cols : int

    Returns
    -------
    list of [(x0, y0), (x1, y1)]

    Examples
    --------
    >>> len(grid_lines(2, 3))
    7
    """
    segs = [[(x, -0.5), (x, rows - 0.5)] for x in edges(cols)]
    segs += [[(-0.5, y), (cols - 0.5, y)] for y in edges(rows)]
    return segs


def font_px(cell_px, labels):
    """Font size (pixels) at which the longest of ``labels`` fits in a cell.

    Parameters
    ----------
    cell_px : float
        The cell's side in pixels.
    labels : iterable of str

    Returns
    -------
    float

    Examples
    --------
    >>> font_px(40, ["1"]) > font_px(40, ["0.125"])
    True
    """
    longest = max((len(s) for s in labels), default=1)
    return max(6.0, min(0.46 * cell_px, 0.86 * cell_px / (0.6 * max(longest, 1))))


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


def number_paths(cells, size_pt, unit_pt):
    """One glyph path per (row, col, label), centred in its cell, in data units (rows go down).

    Numbers drawn as filled outlines in one collection are far cheaper than
    one Text artist per cell, so frames render fast.

    Parameters
    ----------
    cells : iterable of (int, int, str)
    size_pt : float
        Font size in points.
    unit_pt : float
        Points per data unit (one cell).

    Returns
    -------
    list of matplotlib.path.Path

    Examples
    --------
    >>> [len(p.vertices) > 0 for p in number_paths([(0, 0, "1"), (0, 1, "-2")], 10, 30)]
    [True, True]
    """
    paths = []
    for r, c, label in cells:
        verts, codes, cx, cy = _glyph(label, round(size_pt, 2))
        xy = (verts - (cx, cy)) / unit_pt
        xy[:, 1] *= -1  # rows go down
        xy += (c, r)
        paths.append(Path(xy, codes))
    return paths


def add_numbers(ax, values, cell_px, norm, cmap, *, mask=None, fade=None, zorder=3, animated=False):
    """Write every finite cell's number on ``ax``, in the ink that reads best on its colour.

    Cells where ``mask`` is True (padding) get grey numbers; where ``fade`` is True (cells no window
    reads, washed toward white: :func:`faded`), the ink that reads best on the washed colour.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Data coordinates: cell (r, c) centred on x = c, y = r.
    values : array_like, 2-D
    cell_px : float
        The side of one cell in pixels at 72 points per 100 pixels (scale 1).
    norm, cmap
        How the cells are coloured.
    mask : ndarray of bool, optional
    fade : ndarray of bool, optional
    zorder : float, default 3
    animated : bool, default False

    Returns
    -------
    (PathCollection, (list of Path, ndarray))
        The collection, and the paths and colours it was made from in
        row-major order, so a figure can show only the first k. The
        collection's ``text_size_pt`` is the numbers' font size in points.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from matplotlib import colormaps
    >>> ax = Figure().subplots()
    >>> glyphs, (paths, colours) = add_numbers(ax, [[0, 1]], 40, value_norm([0, 1]), colormaps["gray"])
    >>> len(paths), colours.tolist()
    (2, [[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 1.0]])
    """
    values = np.asarray(values, dtype=float)
    labels = cell_labels(values)
    cells, colors = [], []
    for (r, c), v in np.ndenumerate(values):
        if not np.isfinite(v):
            continue
        cells.append((r, c, labels[r][c]))
        if mask is not None and mask[r, c]:
            colors.append(PADDING_TEXT)
        else:
            colour = cmap(norm(v))
            colors.append(ink_on(faded(colour) if fade is not None and fade[r, c] else colour))
    size_pt = font_px(cell_px, [label for _, _, label in cells]) * 0.72
    paths = number_paths(cells, size_pt, cell_px * 0.72)
    colors = to_rgba_array(colors) if colors else np.zeros((0, 4))
    glyphs = PathCollection(
        paths,
        facecolors=colors,
        edgecolors="none",
        linewidths=0,
        transform=ax.transData,
        zorder=zorder,
        animated=animated,
    )
    glyphs.text_size_pt = size_pt  # for conv_lesson.draw.readable: numbers are text too
    ax.add_collection(glyphs, autolim=False)
    return glyphs, (paths, colors)
