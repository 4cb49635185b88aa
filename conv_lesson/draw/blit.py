"""Blitting, once for every figure: the static part drawn and saved once, the moving artists over it.

The stepper, the 1-D slide figures and the lesson 07–08 figures all step this
way. Moving artists are made with ``animated=True`` and drawn above every
static one, so a blitted frame is exactly a full redraw (the figures' tests
check it pixel for pixel).
"""

from __future__ import annotations

import contextlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = ["Blitter", "drawn_in_place"]


@contextlib.contextmanager
def drawn_in_place(artists):
    """Within the block, ``artists`` are drawn by a full redraw (not animated); afterwards, animated again.

    Parameters
    ----------
    artists : list of matplotlib.artist.Artist

    Examples
    --------
    >>> from matplotlib.patches import Rectangle
    >>> rect = Rectangle((0, 0), 1, 1, animated=True)
    >>> with drawn_in_place([rect]):
    ...     rect.get_animated()
    False
    >>> rect.get_animated()
    True
    """
    for artist in artists:
        artist.set_animated(False)
    try:
        yield artists
    finally:
        for artist in artists:
            artist.set_animated(True)


class Blitter:
    """One figure on its own Agg canvas, drawn by blitting.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    canvas : matplotlib.backends.backend_agg.FigureCanvasAgg

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(1, 1))
    >>> dot = fig.subplots().plot([0.5], [0.5], "o", animated=True)[0]
    >>> b = Blitter(fig)
    >>> bool((b.blit([dot]) == b.full([dot])).all())
    True
    """

    def __init__(self, figure):
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self._background = None

    def save_background(self):
        """Draw everything that does not move and keep it (again after the static part changed)."""
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def blit(self, artists):
        """The saved background with the visible ``artists`` drawn over it in z-order; the RGBA pixels (a copy)."""
        if self._background is None:
            self.save_background()
        self.canvas.restore_region(self._background)
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                self.figure.draw_artist(artist)
        return np.array(self.canvas.buffer_rgba())

    def full(self, artists):
        """A full redraw with ``artists`` drawn in place, nothing blitted, for comparison; the RGBA pixels."""
        with drawn_in_place(artists):
            self.canvas.draw()
        return np.array(self.canvas.buffer_rgba())
