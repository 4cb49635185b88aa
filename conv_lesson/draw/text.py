"""The words of the stepper: status and arithmetic lines, panel titles, alt text.

Plain strings (and a little HTML) built from a :class:`conv_lesson.ops.Scan`
and its :class:`conv_lesson.ops.StepView`; the figure, the widget and the
exported animation all say the same thing because they all ask here.
"""

from __future__ import annotations

import html

import numpy as np

from ..ops import arithmetic_text, format_number
from .cells import map_is_signed

__all__ = [
    "step_text_html",
    "MATCH_TERM",
    "status_line",
    "matches_text",
    "arithmetic_line",
    "arithmetic_terms",
    "step_html",
    "step_tables_html",
    "TABLE_MAX_CELLS",
    "panel_titles",
    "alt_text",
    "RGB_NAMES",
    "channel_label",
]

#: The product of a 1 in the image and a 1 in the detector: a match.
MATCH_TERM = "1×1"


def status_line(view):
    """The one-line status of a step, as the stepper shows it under the figure.

    Parameters
    ----------
    view : conv_lesson.ops.StepView

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
        f"feature map cell ({i}, {j}) = {format_number(view.value)}"
    )


def matches_text(matches):
    """``'2 cells match'`` (``'1 cell matches'``) for 0/1 arrays; ``''`` for None.

    Parameters
    ----------
    matches : int or None

    Returns
    -------
    str

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
    view : conv_lesson.ops.StepView

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

    With channels, each channel's products are summed first, then the
    channels' sums:

    >>> arithmetic_line(ops.step_view([[[1, 2], [3, 4]]], [[[1, 1], [1, -1]]], 1))
    'channel 0: (1×1 + 3×1 = 4) + channel 1: (2×1 + 4×(-1) = -2) = 4 + (-2) = 2'
    """
    if np.ndim(view.patch) == 3:
        *channels, (total, _) = _channel_terms(view)
        text = " + ".join(t for t, _ in channels) + total
    else:
        text = view.arithmetic
    if view.matches is not None:
        text += " · " + matches_text(view.matches)
    return text


def arithmetic_terms(view):
    """The arithmetic line in pieces: ``(text, is_match)``, a match being a 1×1 of 0/1 arrays.

    The HTML under the stepper and the caption of an exported animation
    both highlight the matches from these pieces.

    Parameters
    ----------
    view : conv_lesson.ops.StepView

    Returns
    -------
    list of (str, bool)
        Each product, then ``' = sum'`` (and the count of matches), in order;
        joined with ``' + '`` between products they give :func:`arithmetic_line`.

    Examples
    --------
    >>> from conv_lesson import ops
    >>> arithmetic_terms(ops.step_view([[1, 0]], [[1, 1]], 1))
    [('1×1', True), ('0×1', False), (' = 1 · 1 cell matches', False)]
    """
    if np.ndim(view.patch) == 3:
        *channels, (total, _) = _channel_terms(view)
        extra = " · " + matches_text(view.matches) if view.matches is not None else ""
        return channels + [(total + extra, False)]
    head, sep, tail = arithmetic_line(view).partition(" = ")
    binary = view.matches is not None
    terms = [(t, binary and t == MATCH_TERM) for t in head.split(" + ")]
    return terms + [(sep + tail, False)]


def step_text_html(status, detail):
    """The text under a frame: a status line and a detail line, as HTML (the text escaped).

    Parameters
    ----------
    status : str
        Where the step is (plain text).
    detail : str
        Its arithmetic or facts (plain text).

    Returns
    -------
    str
        Two ``div`` elements, as :func:`step_html` gives for a scan.

    Examples
    --------
    >>> step_text_html("step 1 of 2", "a < b")
    '<div class="conv-lesson-status">step 1 of 2</div><div class="conv-lesson-arithmetic">a &lt; b</div>'
    """
    return (
        f'<div class="conv-lesson-status">{html.escape(status)}</div>'
        f'<div class="conv-lesson-arithmetic">{html.escape(detail)}</div>'
    )


def step_html(view):
    """The status and the arithmetic of a step as HTML, the matching products in bold.

    Parameters
    ----------
    view : conv_lesson.ops.StepView

    Returns
    -------
    str
        ``<div class="conv-lesson-status">…</div><div class="conv-lesson-arithmetic">…</div>``

    Examples
    --------
    >>> from conv_lesson import ops
    >>> step_html(ops.step_view([[1, 0]], [[1, 1]], 1)).count("<b>")
    1
    """
    *products, (total, _) = arithmetic_terms(view)
    parts = [f"<b>{html.escape(t)}</b>" if match else html.escape(t) for t, match in products]
    plus = " +<br>" if np.ndim(view.patch) == 3 else " + "  # one channel a line
    return (
        f'<div class="conv-lesson-status">{html.escape(status_line(view))}</div>'
        f'<div class="conv-lesson-arithmetic">{plus.join(parts)}{html.escape(total)}</div>'
    )


#: What the three channels of a colour image are called, in the order a photo stores them.
RGB_NAMES = ("red", "green", "blue")


def channel_label(c, channels):
    """What channel ``c`` of a ``channels``-channel image is called: its colour when there are three (a
    colour photo), else its number.

    Examples
    --------
    >>> channel_label(1, 3), channel_label(1, 4)
    ('green', 'channel 1')
    """
    return RGB_NAMES[c] if channels == 3 else f"channel {c}"


def _channels_words(channels):
    """'red, green and blue channels', or '4 channels'."""
    return "red, green and blue channels" if channels == 3 else f"{channels} channels"


def _channel_terms(view):
    """A multi-channel step as terms: each channel's products and their sum, then the sum over channels."""
    patch, det = np.asarray(view.patch), np.asarray(view.detector)
    terms, sums = [], []
    for c in range(patch.shape[2]):
        part = float((patch[..., c] * det[..., c]).sum())
        sums.append(f"({format_number(part)})" if part < 0 else format_number(part))
        label = channel_label(c, patch.shape[2])
        terms.append((f"{label}: ({arithmetic_text(patch[..., c], det[..., c], part)})", False))
    return terms + [(f" = {' + '.join(sums)} = {format_number(view.value)}", False)]


def _padding_words(pads):
    (t, b), (l, r) = pads
    if t == b == l == r:
        return f", padding {t}" if t else ""
    return f", padding {t} top, {b} bottom, {l} left, {r} right"


def _lines_words(word, indices):
    """'row 6', 'rows 6–7', 'rows 2, 5': image rows or columns, for a title or a sentence."""
    if not indices:
        return ""
    run = list(indices) == list(range(indices[0], indices[-1] + 1))
    if len(indices) == 1:
        return f"{word} {indices[0]}"
    return f"{word}s {indices[0]}–{indices[-1]}" if run else f"{word}s " + ", ".join(map(str, indices))


def _never_read(geo):
    """The image rows and columns (padded coordinates, as the picture counts) no window reads, in words."""
    (t, b), (l, r) = geo.pads
    (h, w), (rows, cols) = geo.padded_shape, geo.never_read
    rows = [i for i in rows if t <= i < h - b]  # a padding row nobody reads is only zeros: not worth a word
    cols = [j for j in cols if l <= j < w - r]
    return " and ".join(x for x in (_lines_words("row", rows), _lines_words("column", cols)) if x)


def _pair_words(word, pair):
    a, b = pair
    return f"{word} {a}" if a == b else f"{word} {a}, {b}"


def panel_titles(scan):
    """The titles of the stepper's three panels.

    Parameters
    ----------
    scan : conv_lesson.ops.Scan

    Returns
    -------
    dict
        ``{'input': ..., 'detector': ..., 'map': ...}``

    Examples
    --------
    >>> import numpy as np
    >>> from conv_lesson import ops
    >>> panel_titles(ops.Scan(np.zeros((7, 7)), np.ones((3, 3)), stride=2, padding=1))["map"]
    'feature map (4×4, stride 2)'
    """
    geo = scan.geometry
    h0, w0 = geo.image_shape
    ch = f"×{scan.channels}" if scan.channels > 1 else ""
    kh, kw = geo.detector_shape
    oh, ow = geo.out_shape
    dil = "" if geo.dilation == (1, 1) else ", " + _pair_words("dilation", geo.dilation)
    return {
        "input": f"input image ({h0}×{w0}{ch}{_padding_words(geo.pads)})",
        "detector": f"detector ({kh}×{kw}{ch}{', flipped' if scan.flip else ''})",
        "map": f"feature map ({oh}×{ow}, {_pair_words('stride', geo.stride)}{dil})",
    }


def _padding_sentence(pads):
    (t, b), (l, r) = pads
    if not (t or b or l or r):
        return ""
    if t == b == l == r:
        return f" padded with {t} row(s) and column(s) of zeros on every side"
    extra = [side for side, more in (("at the bottom", b > t), ("on the right", r > l), ("on top", t > b),
                                     ("on the left", l > r)) if more]  # fmt: skip
    marked = f"; the extra zeros, cross-hatched, are {' and '.join(extra)}" if extra else ""
    return (f" padded with zeros ({t} row(s) on top, {b} at the bottom, {l} column(s) on the left, {r} on the "
            f"right{marked})")  # fmt: skip


def alt_text(scan, view):
    """A text alternative to the stepper's picture of one step (for screen readers).

    Parameters
    ----------
    scan : conv_lesson.ops.Scan
    view : conv_lesson.ops.StepView
        A step of ``scan``.

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np
    >>> from conv_lesson import ops
    >>> scan = ops.Scan(np.zeros((5, 5)), np.ones((3, 3)), dilation=2)
    >>> "5×5 window" in alt_text(scan, scan.step(1))
    True
    """
    geo = scan.geometry
    (h, w), (kh, kw), (eh, ew) = geo.image_shape, geo.detector_shape, geo.extent
    oh, ow = geo.out_shape
    i, j = view.cell
    window = f"{kh}×{kw} window" if (eh, ew) == (kh, kw) else f"{eh}×{ew} window (the {kh}×{kw} detector, dilated)"
    key = " in white at 0, red where positive and blue where negative," if map_is_signed(scan, scan) else ""
    never = _never_read(geo)
    unread = f" No window reads {never} of the input (greyed out and hatched)." if never else ""
    c = scan.channels
    image = f"{h}×{w} input image" if c == 1 else f"{h}×{w}×{c} input image ({_channels_words(c)})"
    detector = f"{kh}×{kw} detector" if c == 1 else f"{kh}×{kw}×{c} detector (one {kh}×{kw} slice per channel)"
    return (
        f"Three panels. Left: the {image}{_padding_sentence(geo.pads)}, with the {window} "
        f"outlined (solid line) at row {view.position[0]}, column {view.position[1]}. Middle: the "
        f"{detector}{' (flipped)' if scan.flip else ''}. Right: the {oh}×{ow} feature map,{key} "
        f"{view.step} of {view.n_steps} cells filled, the current cell ({i}, {j}) = "
        f"{format_number(view.value)} outlined (dashed line).{unread}"
    )


#: A feature map with more cells than this is not written out as a table (a screen reader would walk
#: thousands of cells); its window and detector still are.
TABLE_MAX_CELLS = 400


def _table(caption, values, rows, cols, marks=None):
    """One HTML table of ``values`` (2-D) with a caption, column and row headers, and words in marked cells."""
    head = "".join(f'<th scope="col">column {c}</th>' for c in cols)
    body = []
    for i, r in enumerate(rows):
        cells = []
        for j in range(len(cols)):
            v = values[i][j]
            text = "not yet" if v is None or (isinstance(v, float) and np.isnan(v)) else format_number(v)
            mark = (marks or {}).get((i, j))
            cells.append(f"<td><b>{text}</b> ({mark})" if mark else f"<td>{text}")
        body.append(f'<tr><th scope="row">row {r}{"".join(cells)}')
    # the end tags HTML lets out (</td>, </th>, </tr>): a flipbook stores a table for every step
    return f"<table><caption>{html.escape(caption)}</caption><tr><td>{head}{''.join(body)}</table>"


def step_tables_html(view):
    """The numbers of a step as HTML tables a screen reader can walk: the window, the detector, the map so far.

    Row and column headers count as the picture does (the window's in the
    padded image); the feature map's cell of this step is marked in words
    ("this step"), cells not filled yet read "not yet". A map of more than
    :data:`TABLE_MAX_CELLS` cells is left out (a sentence says so); an image
    with channels gives one window and one detector table per channel.

    Parameters
    ----------
    view : conv_lesson.ops.StepView

    Returns
    -------
    str

    Examples
    --------
    >>> from conv_lesson import ops
    >>> page = step_tables_html(ops.step_view([[1, 2, 0], [0, 1, 3]], [[1, 1]], 2))
    >>> page.count("<table>"), "<td><b>2</b> (this step)" in page, "<td>not yet" in page
    (3, True, True)
    """
    patch, det = np.asarray(view.patch, dtype=float), np.asarray(view.detector, dtype=float)
    i0, j0 = view.cell
    kh, kw = det.shape[:2]
    tables = []
    channels = [None] if patch.ndim == 2 else range(patch.shape[2])
    for c in channels:
        part = "" if c is None else f", {channel_label(c, patch.shape[2])}"
        window = patch if c is None else patch[..., c]
        tables.append(_table(f"image window{part} at step {view.step} (under the detector)", window.tolist(),
                             [int(r) for r in view.rows], [int(x) for x in view.cols]))  # fmt: skip
        tables.append(_table(f"detector{part}", (det if c is None else det[..., c]).tolist(), range(kh), range(kw)))
    fm = np.asarray(view.feature_map, dtype=float)
    if fm.size <= TABLE_MAX_CELLS:
        caption = f"feature map so far (cell ({i0}, {j0}) is this step's)"
        tables.append(_table(caption, fm.tolist(), range(fm.shape[0]), range(fm.shape[1]), {(i0, j0): "this step"}))
    else:
        tables.append(f"<p>The feature map has {fm.size} cells: too many to read as a table here.</p>")
    return f'<div class="conv-lesson-tables">{"".join(tables)}</div>'
