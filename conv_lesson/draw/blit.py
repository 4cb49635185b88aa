"""Blitting, once for every figure: the static part drawn and saved once, the moving artists over it.

:class:`SteppedFigure` is the one base of every stepped figure (the scan
stepper's, lessons 07–08's): steps, ``set_step``, frames, and the words of a
step. The flip-and-slide figures blit through :class:`Blitter` too. Moving
artists are made with ``animated=True`` and drawn above every static one, so a
blitted frame is exactly a full redraw (the figures' tests check it pixel for
pixel).
"""

from __future__ import annotations

import contextlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..ops.checks import check_int, check_scale
from . import export, readable

__all__ = ["Blitter", "SteppedFigure", "drawn_in_place"]


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


class SteppedFigure:
    """A figure on its own Agg canvas whose steps are drawn by blitting: the base of every stepped figure.

    A subclass builds its picture in ``__init__``, says how many steps there
    are (``n_steps``), which artists move (marked with :meth:`_mark_moving`,
    or made with ``animated=True`` and named by :meth:`moving_artists`), how
    to show a step (``_show(step)``) and the words of a step (``status``,
    ``detail``, ``describe``). The rest is here: checking the step, blitting,
    PNG frames, the size of the smallest text.

    Parameters
    ----------
    scale : float, default 1.0
    figure : matplotlib.figure.Figure, optional
        Draw into this figure (cleared first) instead of a new one.

    Examples
    --------
    >>> class Dot(SteppedFigure):
    ...     n_steps = 3
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.dot = self.figure.subplots().plot([0], [0], "o", animated=True)[0]
    ...     def moving_artists(self):
    ...         return [self.dot]
    ...     def _show(self, step):
    ...         self.dot.set_xdata([step])
    >>> fig = Dot()
    >>> fig.set_step(2), fig.step, fig.frame_png()[:4]
    (2, 2, b'\\x89PNG')
    >>> bool((fig.render() == fig.render_full()).all())
    True
    """

    #: How many steps there are (a subclass sets or computes it).
    n_steps = 0
    #: What the stepper's slider is called (a subclass whose steps are positions of something names it).
    step_name = "step"
    #: The z-order of the artists marked moving: above every static one, so blitting = a full redraw.
    MOVING_Z = 10

    def __init__(self, scale=1.0, figure=None):
        self.scale = check_scale(scale)
        if figure is not None and not isinstance(figure, Figure):
            raise TypeError(f"figure must be a matplotlib Figure or None; got {type(figure).__name__}")
        self.figure = Figure() if figure is None else figure
        self.figure.clear()
        self._blitter = Blitter(self.figure)
        self.canvas = self._blitter.canvas
        self.step = None
        self._marked = []

    def moving_artists(self):
        """The artists a step changes: those marked with :meth:`_mark_moving` (or as a subclass says)."""
        return list(self._marked)

    def _mark_moving(self, ax, artist, dz=0):
        """Mark ``artist`` of ``ax`` as moving: drawn by blitting, above every static artist, outside the layout."""
        if artist.axes is None:  # a collection made by the subclass, not by an Axes method
            ax.add_collection(artist, autolim=False)
        artist.set_animated(True)
        artist.set_in_layout(False)
        artist.set_zorder(self.MOVING_Z + dz)
        self._marked.append(artist)
        return artist

    def _freeze_layout(self):
        """Lay the figure out for good (its layout engine, then none) and save the background."""
        self.figure.draw_without_rendering()  # the layout, without drawing pixels twice
        self.figure.set_layout_engine("none")  # later text changes must not move the axes
        self.save_background()

    def _show(self, step):
        raise NotImplementedError

    def save_background(self):
        """Draw everything that does not move and keep it (again after the static part changed)."""
        self._blitter.save_background()

    def set_step(self, step):
        """Move the changing artists to ``step`` (1 to ``n_steps``); nothing is drawn. Returns the step."""
        step = check_int(step, "step", 1)
        if step > self.n_steps:
            raise ValueError(f"step must be between 1 and {self.n_steps}; got {step}")
        self._show(step)
        self.step = step
        return step

    def render(self, step=None):
        """Blit ``step`` (default: the current one); return the RGBA pixels (a copy, safe to keep)."""
        if step is not None:
            self.set_step(step)
        return self._blitter.blit(self.moving_artists())

    def render_full(self, step=None):
        """A full redraw of ``step`` with nothing blitted, for comparison."""
        if step is not None:
            self.set_step(step)
        return self._blitter.full(self.moving_artists())

    def frame_png(self, step=None):
        """PNG bytes of ``step`` (default: the current one), blitted."""
        return export.encode_png(self.render(step))

    def frames(self, progress=None, *, start=1):
        """PNG bytes of every step from ``start`` to ``n_steps`` (see :func:`conv_lesson.draw.export.encode_frames`)."""
        return export.encode_frames(self.render, range(start, self.n_steps + 1), progress)

    def smallest_text_px(self):
        """The smallest text of the picture, in its pixels (see :func:`conv_lesson.draw.smallest_text_px`).

        The widget never shows the picture so narrow that this text gets
        smaller than the lesson's.
        """
        return readable.smallest_text_px(self.figure)

    def tables_html(self, step=None):
        """The numbers of ``step`` as HTML tables for a screen reader (a subclass says); none here."""
        return ""

    def step_labels(self):
        """The slider's readout of each step, when not its number (a subclass says); none here."""
        return []

    def status(self, step=None):
        """One line: where the step is (a subclass says)."""
        raise NotImplementedError

    def detail(self, step=None):
        """One line: the arithmetic or the facts of the step (a subclass says)."""
        raise NotImplementedError

    def describe(self, step=None):
        """A text alternative to the picture of the step (a subclass says)."""
        raise NotImplementedError
