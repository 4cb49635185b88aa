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

import base64
import html
import io

from matplotlib.figure import Figure
from matplotlib.text import Text

from ..ops.checks import describe

__all__ = [
    "LESSON_TEXT_PX",
    "MIN_TEXT_PX",
    "MIN_TEXT_PT",
    "text_sizes_px",
    "smallest_text_px",
    "lesson_size_css",
    "ReadableFigure",
]

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
    The figure is laid out first (no pixels are drawn), so tick labels exist,
    unless it was drawn and has not changed since (matplotlib's ``stale``);
    the pixels already on its Agg canvas stay as they were.

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
    canvas = figure.canvas
    drawn = getattr(canvas, "renderer", None) is not None
    if figure.stale or not drawn:  # drawn and unchanged since (not stale): its tick labels are there already
        # laying out clears an Agg canvas's pixels: keep them, for figures that show their canvas as it is (blitted)
        kept = canvas.copy_from_bbox(figure.bbox) if drawn else None
        figure.draw_without_rendering()
        if kept is not None:
            canvas.restore_region(kept)
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


def lesson_size_css(width_px, min_text_px=0.0):
    """CSS sizes that show a picture ``width_px`` pixels wide as the widgets do, in units of the lesson's text.

    The width is the picture's own times the lesson's text size over
    :data:`LESSON_TEXT_PX` (so it grows with the text in JupyterLab's
    Presentation Mode); the minimum width keeps its smallest text
    (``min_text_px``, in its pixels; 0: no minimum) as large as the lesson's.

    Parameters
    ----------
    width_px : float
    min_text_px : float, default 0

    Returns
    -------
    (str, str)
        The ``width`` and the ``min-width`` ('' for none), as CSS lengths.

    Examples
    --------
    >>> lesson_size_css(700, 17.5)
    ('calc(var(--jp-content-font-size1, 14px) * 50.0000)', 'calc(var(--jp-content-font-size1, 14px) * 40.0000)')
    >>> lesson_size_css(700)[1]
    ''
    """
    font = f"var(--jp-content-font-size1, {LESSON_TEXT_PX:g}px)"
    least = f"calc({font} * {width_px / min_text_px:.4f})" if min_text_px > 0 else ""
    return f"calc({font} * {width_px / LESSON_TEXT_PX:.4f})", least


class ReadableFigure(Figure):
    """A matplotlib Figure that shows itself in Jupyter as HTML sized in units of the lesson's text.

    The PNG is as wide as its pixels times the lesson's text size over 14 px
    (it grows with the text in Presentation Mode), narrower where the
    notebook has no room, but never so narrow that its smallest text gets
    smaller than the lesson's: then it scrolls sideways (as the widgets'
    pictures do). No pyplot is needed; use it like any ``Figure``.

    Examples
    --------
    >>> fig = ReadableFigure(figsize=(2, 1), dpi=100)
    >>> _ = fig.text(0.5, 0.5, "hi", fontsize=MIN_TEXT_PT)
    >>> page = fig._repr_html_()
    >>> 'alt="a figure"' in page, 'data-min-text-px="14.5"' in page, ";min-width:" in page
    (True, True, True)
    """

    #: The alt text when the figure has no suptitle, and the HTML's class.
    default_alt = "a figure"
    #: The picture in words, if set: the alt text, before the suptitle.
    alt_text = ""
    html_class = "conv-lesson-picture"
    #: Crop the picture to what is drawn (as matplotlib's inline backend does), or keep the figure's size.
    tight = True

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png", bbox_inches="tight" if self.tight else None)
        return buf.getvalue()

    def smallest_text_px(self):
        """The smallest text of the picture, in its pixels (see :func:`smallest_text_px`)."""
        return smallest_text_px(self)

    def _ipython_display_(self):
        """Show as HTML only: IPython would add the PNG again (matplotlib's inline backend), doubling the notebook."""
        from IPython.display import display

        display({"text/html": self._repr_html_(), "text/plain": repr(self)}, raw=True)

    def _repr_html_(self):
        return self.picture_html()

    def picture_html(self, png=None, least=None):
        """The HTML a notebook shows: ``png`` (default: the figure as it is now) sized in lesson-text units.

        Parameters
        ----------
        png : bytes, optional
            A picture of this figure already made (a redraw that changed only data), or None to make one.
        least : float, optional
            Its smallest text in pixels, if known (it does not change when only data does); None: measured.

        Returns
        -------
        str
        """
        png = self._repr_png_() if png is None else png
        width = int.from_bytes(png[16:20], "big")  # the PNG's width, from its header
        least = self.smallest_text_px() if least is None else least
        style = (  # 1em: the lesson's text size
            f"font-size:var(--jp-content-font-size1,{LESSON_TEXT_PX:g}px);width:{width / LESSON_TEXT_PX:.3f}em;"
            f"max-width:100%;height:auto;display:block" + (f";min-width:{width / least:.3f}em" if least else "")
        )
        alt = html.escape(self.alt_text or self.get_suptitle() or self.default_alt)
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        return (
            # it may scroll sideways (never shrinking its text): focusable, so the keyboard can scroll it too
            f'<div class="{self.html_class}" style="max-width:100%;overflow-x:auto" tabindex="0" role="group" '
            f'aria-label="{alt}">'
            f'<img src="{src}" alt="{alt}" data-min-text-px="{least:g}" style="{style}"></div>'
        )
