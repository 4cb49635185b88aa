"""Many detectors, many maps: one feature map per detector beside the input image, as a static figure."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .. import ops
from ..data import describe_detector, detector, detector_names
from ..ops.checks import as_array, check_int, check_padding, check_pair, check_scale, describe
from .cells import DIVERGING_CMAP, INK, PHOTO_CMAP, cell_labels, ink_on, is_signed, value_colours
from .readable import MIN_TEXT_PT, MIN_TEXT_PX, ReadableFigure

__all__ = ["NUMBERS_UP_TO", "GalleryFigure", "feature_map_gallery", "Thumbnail", "map_thumbnails"]

#: A panel whose array has at most this many rows and columns shows every cell's number (if it fits).
NUMBERS_UP_TO = 12
#: One panel's width and height (inches at 100 dpi × scale): three panels a row are about 855 px
#: at scale 1, which a 1280 px wide JupyterLab shows with every text at least the lesson's size.
PANEL_W, PANEL_H = 2.85, 3.7

_KINDS = "a list of preset names (see detector_names()) or a dict {name: array}"
_WHY_SHARED = {
    "average": "every detector is a weighted average (no negative numbers, same sum)",
    "zero-sum": "every detector sums to 0 (it responds to change)",
}


class GalleryFigure(ReadableFigure):
    """A matplotlib Figure that shows itself in Jupyter, with no pyplot (see :class:`.readable.ReadableFigure`).

    Returned by :func:`feature_map_gallery`; use it like any ``Figure``
    (``savefig``, ``axes``...). ``input_axes`` is the image's panel and
    ``map_axes`` the feature maps' panels, in the detectors' order.

    In JupyterLab it shows as HTML (:meth:`_repr_html_`): the PNG sized in
    units of the lesson's text, so it grows with the text in Presentation
    Mode and is never shown so narrow that its text gets smaller than the
    lesson's (it scrolls sideways instead).

    Examples
    --------
    >>> fig = GalleryFigure()
    >>> _ = FigureCanvasAgg(fig)
    >>> fig._repr_png_()[:4]
    b'\\x89PNG'
    """

    input_axes = None
    map_axes = ()
    default_alt = "feature map gallery"
    html_class = "conv-lesson-gallery"
    tight = False  # laid out to its size (constrained)


@dataclass(frozen=True)
class _Entry:
    """One detector of the gallery: its title, its array, its description, where it was given."""

    name: str
    array: np.ndarray
    description: str | None
    where: str


def _given(detectors):
    """``detectors`` as (title, where, value) triples, before any value is checked."""
    if isinstance(detectors, str):
        raise TypeError(
            f"detectors must be {_KINDS}; got the single string {detectors!r}: put it in a list, [{detectors!r}]"
        )
    if isinstance(detectors, dict):
        for key in detectors:
            if not isinstance(key, str):
                raise TypeError(f"detectors: every key of the dict must be a name (a str); got the key {describe(key)}")
        given = [(key, f"detectors[{key!r}]", value) for key, value in detectors.items()]
    elif isinstance(detectors, (list, tuple)):
        given = [
            (item if isinstance(item, str) else f"detector {i + 1}", f"detectors[{i}]", item)
            for i, item in enumerate(detectors)
        ]
    else:
        raise TypeError(f"detectors must be {_KINDS}; got {describe(detectors)}")
    if not given:
        raise ValueError(f"detectors must hold at least one detector; got an empty {type(detectors).__name__}")
    return given


def _entry(name, where, value):
    """One checked :class:`_Entry`: a preset name looked up, or an array checked."""
    if isinstance(value, str):
        try:
            return _Entry(value, detector(value), describe_detector(value), where)
        except ValueError:
            raise ValueError(
                f"{where}: {value!r} is not a detector preset; choose from {', '.join(detector_names())}"
            ) from None
    try:
        arr = as_array(value, "detector", (2, 3), "a 2-D (kh, kw) array")
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from None
    return _Entry(name, arr, None, where)


def _maps(image, entries, stride, padding):
    """The feature map of every entry, as floats; an error names the detector."""
    maps = []
    for entry in entries:
        try:
            scan = ops.Scan(image, entry.array, stride=stride, padding=padding)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"{entry.where} ({entry.name!r}): {exc}") from None
        maps.append(scan.feature_map.astype(float))
    return maps


def _family(arr):
    """('average', sum) with no negatives, ('zero-sum', 0) when it sums to 0, else ('mixed', None)."""
    a = np.asarray(arr, dtype=float)
    if (a >= 0).all():
        return ("average", round(float(a.sum()), 9))
    if abs(a.sum()) <= 1e-9 * max(1.0, float(np.abs(a).sum())):
        return ("zero-sum", 0.0)
    return ("mixed", None)


def _limits(maps, detectors):
    """(vmin, vmax, cmap name) covering ``maps``: the package's colour key, signed as the stepper's is
    when a map or its detector holds a negative value (:func:`.cells.value_colours`)."""
    values = np.concatenate([np.ravel(m) for m in maps])
    cmap, norm = value_colours(values, signed=any(is_signed(d) for d in detectors) or is_signed(values))
    return (norm.vmin, norm.vmax, cmap.name)


def _colour_limits(entries, maps, shared_scale):
    """The (vmin, vmax, cmap) of every map, and a sentence saying why, for the figure's title."""
    families = {_family(entry.array) for entry in entries}
    auto = len(families) == 1 and next(iter(families))[0] != "mixed"
    shared = auto if shared_scale is None else bool(shared_scale)
    if shared:
        kind = next(iter(families))[0] if auto else None
        why = _WHY_SHARED.get(kind, "shared_scale=True")
        limits = _limits(maps, [entry.array for entry in entries])
        return [limits] * len(maps), f"One colour scale for all maps: {why}."
    limits = [_limits([m], [entry.array]) for m, entry in zip(maps, entries)]
    why = "shared_scale=False" if shared_scale is False else "the detectors are of different kinds"
    return limits, f"Each map has its own colour scale ({why})." if len(maps) > 1 else ""


def _figure(n_panels, ncols, scale):
    """A :class:`GalleryFigure` on an Agg canvas and its ``n_panels`` axes, row by row."""
    if ncols is None:
        ncols = n_panels if n_panels <= 3 else (2 if n_panels == 4 else 3)
    ncols = min(ncols, n_panels)
    nrows = -(-n_panels // ncols)
    fig = GalleryFigure(figsize=(PANEL_W * ncols, PANEL_H * nrows + 0.8), dpi=100 * scale, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n_panels:]:
        ax.remove()
    return fig, axes[:n_panels]


def _write_numbers(ax, im, values):
    """Every cell's number (small maps, where it fits at the lesson's text size), so colour is not the only cue."""
    if values.ndim != 2 or max(values.shape) > NUMBERS_UP_TO:
        return
    labels = cell_labels(values)
    longest = max(len(label) for row in labels for label in row)
    cell_px = 0.72 * 100 * PANEL_W / max(values.shape)  # the map takes about 72 % of its panel's width
    if 0.62 * MIN_TEXT_PX * longest > 0.92 * cell_px:
        return
    colours = im.cmap(im.norm(values))
    size = MIN_TEXT_PT
    for r, row in enumerate(labels):
        for c, label in enumerate(row):
            ax.text(c, r, label, ha="center", va="center", fontsize=size, color=ink_on(tuple(colours[r, c])))


def _panel(fig, ax, values, title, description, limits, xlabel=None):
    """One panel: the array in colour, its numbers, a title, a description above, a colour bar."""
    lo, hi, cmap = limits
    im = ax.imshow(values, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
    _write_numbers(ax, im, values)
    ax.set_xticks([])
    ax.set_yticks([])
    lines = textwrap.wrap(description, 30) if description else []
    ax.set_title(title, fontsize=12, fontweight="bold", pad=6 + 1.2 * MIN_TEXT_PT * len(lines))
    if lines:
        ax.annotate(
            "\n".join(lines),
            (0.5, 1.0),
            xycoords="axes fraction",
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=MIN_TEXT_PT,
            color=INK,
        )
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=MIN_TEXT_PT, family="monospace")
    bar = fig.colorbar(im, ax=ax, shrink=0.85, pad=0.02)
    bar.ax.tick_params(labelsize=MIN_TEXT_PT)


def _input_panel(fig, ax, image):
    """The input image: a grey panel with its colour bar, or the colour picture for (H, W, C)."""
    h, w = image.shape[:2]
    if image.ndim == 2:
        lo, hi = float(image.min()), float(image.max())
        _panel(fig, ax, image, "input image", f"{h}x{w} pixels", (lo, hi if hi > lo else lo + 1, PHOTO_CMAP))
        return
    rgb = image.astype(float)
    rgb = (rgb - rgb.min()) / (rgb.max() - rgb.min() or 1.0)
    ax.imshow(rgb[..., :3] if rgb.shape[2] >= 3 else rgb[..., 0], cmap=PHOTO_CMAP)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("input image", fontsize=12, fontweight="bold")


def _detector_label(arr):
    """The x label under a map: the detector's size and, up to 3x5, its numbers."""
    kh, kw = arr.shape[:2]
    cells = cell_labels(arr) if arr.ndim == 2 and kh <= 3 and kw <= 5 else None
    width = max(len(c) for row in cells for c in row) if cells else 0
    if not cells or width > 6:
        return f"{kh}x{kw} detector"
    written = "\n".join("  ".join(c.rjust(width) for c in row) for row in cells)
    return f"detector ({kh}x{kw}):\n{written}"


def feature_map_gallery(image, detectors, *, stride=1, padding="same", ncols=None, scale=1.0, shared_scale=None):
    """One feature map per detector, beside the input image, as a static figure.

    Each panel is titled with the detector's name, with the preset's
    one-line description (:func:`conv_lesson.describe_detector`) under it
    and, for detectors up to 3x5, the detector's own numbers beneath the
    map. Every map has a colour bar; maps up to 12x12 show every cell's
    number, in the one number format of the package.

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
        Panels per row (the image counts as one); default up to 3 (2 for four panels), so that
        the figure fits a notebook with its text as large as the lesson's.
    scale : float, default 1.0
        Enlarges the figure (fonts and pixels) for presenting: 0.25 to 4.
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
    Both are readable with the common colour-vision deficiencies, and the
    numbers are written in black or white, whichever contrasts more with
    their cell (:func:`conv_lesson.draw.cells.ink_on`).

    Examples
    --------
    >>> fig = feature_map_gallery([[0, 1, 0], [1, 1, 1], [0, 1, 0]], ["identity", "outline"])
    >>> [ax.get_title() for ax in fig.map_axes]
    ['identity', 'outline']
    """
    image = as_array(image, "image", (2, 3), "a 2-D (H, W) or 3-D (H, W, C) array")
    check_pair(stride, "stride", 1)
    check_padding(padding)
    entries = [_entry(*given) for given in _given(detectors)]
    if ncols is not None:
        ncols = check_int(ncols, "ncols", 1)
    scale = check_scale(scale)
    if shared_scale is not None and not isinstance(shared_scale, (bool, np.bool_)):
        raise TypeError(f"shared_scale must be True, False or None (automatic); got {describe(shared_scale)}")

    maps = _maps(image, entries, stride, padding)
    limits, rule = _colour_limits(entries, maps, shared_scale)
    fig, axes = _figure(len(maps) + 1, ncols, scale)
    h, w = image.shape[:2]
    if any(cmap == DIVERGING_CMAP for _, _, cmap in limits):
        rule += "\nBlue-white-red maps: white is 0, red positive, blue negative."
    fig.suptitle(
        f"Feature maps, one per detector: a {h}x{w} image, stride {stride}, padding {padding}\n{rule}".rstrip(),
        fontsize=12,
    )
    _input_panel(fig, axes[0], image)
    for ax, entry, fmap, lim in zip(axes[1:], entries, maps, limits):
        kh, kw = entry.array.shape[:2]
        description = entry.description or f"your detector, {kh}x{kw}"
        _panel(fig, ax, fmap, entry.name, description, lim, _detector_label(entry.array))
    fig.input_axes = axes[0]
    fig.map_axes = tuple(axes[1:])
    return fig


@dataclass(frozen=True)
class Thumbnail:
    """One detector's feature map as a small picture: see :func:`map_thumbnails`."""

    name: str
    detector: np.ndarray
    description: str
    feature_map: np.ndarray
    png: bytes


def map_thumbnails(image, detectors, *, stride=1, padding=0):
    """Each detector's feature map as a PNG one pixel per cell, coloured as in :func:`feature_map_gallery`.

    Parameters
    ----------
    image : array_like, shape (H, W)
    detectors : list or dict
        As for :func:`feature_map_gallery`.
    stride : int or (int, int), default 1
    padding : int, (int, int), 'valid' or 'same', default 0

    Returns
    -------
    list of Thumbnail
        ``name``, ``detector`` (the array), ``description``, ``feature_map``
        (floats) and ``png`` (bytes), in the detectors' order.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it (e.g. ``detectors[2]``).

    Examples
    --------
    >>> thumbs = map_thumbnails([[0, 1, 0], [1, 1, 1], [0, 1, 0]], ["identity", "outline"], padding=1)
    >>> [(t.name, t.feature_map.shape, t.png[:4]) for t in thumbs]
    [('identity', (3, 3), b'\\x89PNG'), ('outline', (3, 3), b'\\x89PNG')]
    """
    from matplotlib import colormaps

    from .export import encode_png

    image = as_array(image, "image", (2,), "a 2-D (H, W) array")
    check_pair(stride, "stride", 1)
    check_padding(padding)
    entries = [_entry(*given) for given in _given(detectors)]
    maps = _maps(image, entries, stride, padding)
    limits, _ = _colour_limits(entries, maps, None)
    thumbs = []
    for entry, fmap, (lo, hi, cmap) in zip(entries, maps, limits):
        rgba = colormaps[cmap]((fmap - lo) / (hi - lo), bytes=True)
        kh, kw = entry.array.shape[:2]
        description = entry.description or f"your detector, {kh}x{kw}"
        thumbs.append(Thumbnail(entry.name, entry.array, description, fmap, encode_png(rgba)))
    return thumbs
