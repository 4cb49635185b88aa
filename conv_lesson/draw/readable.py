"""How big a figure's text comes out, in the picture's own pixels: is it as large as the lesson's text?

On screen a text is ``points × dpi / 72 × displayed width / natural width``
pixels tall. The figures of the package are drawn at ``dpi = 100 × scale``
with every text at least :data:`MIN_TEXT_PT` points, so at their natural
size every text is at least :data:`MIN_TEXT_PX` × scale pixels: the size of
JupyterLab's lesson text (``--jp-content-font-size1``, 14 px). The widgets
show a picture at its natural width times the lesson's font size over 14 px
(so it grows with the text in Presentation Mode), narrower only where the
notebook has no room; the figures are narrow enough at scale 1 that the text
stays readable there too.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text

from ..ops.checks import describe

__all__ = ["LESSON_TEXT_PX", "MIN_TEXT_PX", "MIN_TEXT_PT", "text_sizes_px", "smallest_text_px"]

#: JupyterLab's lesson (rendered markdown) text at scale 1, in CSS pixels: the widgets' em unit.
LESSON_TEXT_PX = 14.0
#: The smallest text of a figure at scale 1, in pixels of the picture (a little above the lesson's text).
MIN_TEXT_PX = 14.5
#: The same in points at the figures' 100 dpi (scale 1).
MIN_TEXT_PT = MIN_TEXT_PX * 72 / 100


def text_sizes_px(figure):
    """Every visible text of ``figure`` and its font size in the picture's pixels.

    Text artists (titles, tick labels, colour-bar ticks, annotations) count,
    and so do the numbers that :func:`conv_lesson.draw.cells.add_numbers`
    draws as glyph outlines (a collection with a ``text_size_pt`` attribute).
    The figure is laid out first (no pixels are drawn), so tick labels exist.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    list of (str, float)
        The text (``'cell numbers'`` for glyph outlines) and its size in
        pixels: points × ``figure.dpi`` / 72.

    Raises
    ------
    TypeError
        ``figure`` is not a matplotlib Figure.

    Examples
    --------
    >>> fig = Figure(dpi=100)
    >>> _ = fig.text(0.5, 0.5, "hello", fontsize=18)
    >>> text_sizes_px(fig)
    [('hello', 25.0)]
    """
    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure; got {describe(figure)}")
    figure.draw_without_rendering()
    px_per_pt = figure.dpi / 72
    sizes = []
    for artist in figure.findobj(lambda a: a.get_visible()):
        if isinstance(artist, Text) and artist.get_text().strip():
            sizes.append((artist.get_text(), artist.get_fontsize() * px_per_pt))
        elif getattr(artist, "text_size_pt", None) and len(artist.get_paths()):
            sizes.append(("cell numbers", artist.text_size_pt * px_per_pt))
    return sizes


def smallest_text_px(figure):
    """The font size, in the picture's pixels, of the smallest visible text of ``figure``.

    Multiply by (displayed width / natural width) of the picture to get the
    size on screen.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    float
        0.0 for a figure without text.

    Raises
    ------
    TypeError
        ``figure`` is not a matplotlib Figure.

    Examples
    --------
    >>> fig = Figure(dpi=200)
    >>> _ = fig.text(0.1, 0.1, "small", fontsize=9)
    >>> _ = fig.text(0.5, 0.5, "big", fontsize=18)
    >>> smallest_text_px(fig)
    25.0
    """
    sizes = [px for _, px in text_sizes_px(figure)]
    return round(min(sizes), 3) if sizes else 0.0
