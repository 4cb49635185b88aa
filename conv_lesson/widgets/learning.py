"""A learning-rate slider: loss curves side by side, too small (crawls), yours, too large (blows up)."""

from __future__ import annotations

import io

import ipywidgets

from ..draw.figures import learning_rate_curves
from ..draw.readable import smallest_text_px
from ..ops.checks import as_array, check_real, check_scale
from .common import ErrorBox, StaticPicture, static_html
from .slider import Slider

__all__ = ["LearningRateExplorer", "learning_rate_explorer", "titles_text"]


def titles_text(titles):
    """The three panels' titles (the rate and what happened) on one line, as the captions write them.

    Examples
    --------
    >>> titles_text(["learning rate 0.05\\ncrawls", "learning rate 1\\nblows up at step 12"])
    'learning rate 0.05: crawls | learning rate 1: blows up at step 12'
    """
    return " | ".join(t.replace("\n", ": ") for t in titles)


def _alt(titles):
    """The three panels in words: their titles."""
    return "Learning rates compared: " + titles_text(titles)


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class LearningRateExplorer(StaticPicture, ipywidgets.VBox):
    """A learning-rate slider over three loss curves (see :func:`learning_rate_explorer`).

    Attributes
    ----------
    rate : conv_lesson.widgets.slider.Slider
        The middle panel's learning rate (a log slider: ``rate.value`` is the rate).
    picture : ipywidgets.HTML
        The three loss curves, with their titles as alt text.
    rates : list of float
        The three rates drawn now: the small one, the slider's, the large one.
    """

    def __init__(self, image, target, *, small, large, rate, steps, seed, scale):
        """Build the slider and draw the curves (arguments checked by :func:`learning_rate_explorer`)."""
        self._args = {"image": image, "target": target, "steps": steps, "seed": seed, "scale": scale}
        self._small, self._large = small, large
        width = ipywidgets.Layout(width=f"{round(420 * scale)}px")
        self.rate = Slider(value=rate, log_base=10, min=-2, max=0.5, step=0.05, description="learning rate",
                           continuous_update=False, layout=width)  # fmt: skip
        self.rate.add_class("conv-lesson-learning-rate")
        self.picture = ipywidgets.HTML()
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self._draw()
        self.rate.observe(self._errors.guard(lambda change: self._draw(), "draw the loss curves"), "value")
        super().__init__([self.rate, self.error, self.picture])

    @property
    def rates(self):
        """The three learning rates drawn: small, the slider's, large."""
        return [self._small, float(self.rate.value), self._large]

    def curves(self, rate):
        """The picture (PNG bytes), its smallest text (its pixels) and the panels' titles, ``rate`` in the middle."""
        fig = learning_rate_curves(learning_rates=[self._small, rate, self._large], **self._args)
        return _png(fig), smallest_text_px(fig), list(fig.panel_titles)

    def picture_html(self, png, min_text_px, titles):
        """The picture as the widget shows it: sized in lesson text, with the titles as its alt text."""
        return static_html(png, _alt(titles), note="", min_text_px=min_text_px)

    def _draw(self):
        self._png, self._min_text_px, self._titles = self.curves(float(self.rate.value))
        self.picture.value = self.picture_html(self._png, self._min_text_px, self._titles)
        self._errors.clear()

    def frame_png(self):
        """The PNG bytes of the curves shown now."""
        return self._png

    def titles(self):
        """The panels' titles now (the rate and what happened), left to right."""
        return list(self._titles)

    def _static_text(self):
        return _alt(self._titles)

    def _static_png(self):
        return self._png

    def _static_min_text_px(self):
        return self._min_text_px

    def _static_note(self):
        return "▶ Run this cell to move the learning-rate slider."

    def close(self):
        """Close this widget and the widgets it made."""
        for widget in (self.rate, self.picture, self.error):
            widget.close()
        super().close()


def learning_rate_explorer(image, target, *, small=0.05, large=1.0, rate=0.5, steps=200, seed=0, scale=1.0):
    """Loss curves at three learning rates side by side; a slider sets the middle one.

    The left panel keeps a rate that is too small (the loss crawls down),
    the right one a rate that is too large (the loss blows up); move the
    slider to find where the middle one converges and where it turns.
    Every run starts from the same seeded random detector, as
    :func:`conv_lesson.learn_detector` does.

    Parameters
    ----------
    image, target : array_like, 2-D
        As for :func:`conv_lesson.learn_detector`.
    small, large : float, default 0.05 and 1.0
        The fixed rates of the left and right panels.
    rate : float, default 0.5
        The slider's starting rate (0.01 to about 3.16).
    steps : int, default 200
    seed : int, default 0
    scale : float, default 1.0

    Returns
    -------
    LearningRateExplorer
        An ``ipywidgets.VBox``; set ``.rate.value`` from Python, read ``.titles()``.

    Raises
    ------
    TypeError, ValueError
        A bad argument; the message names it.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.random.default_rng(1).normal(size=(12, 12))
    >>> w = learning_rate_explorer(img, img[1:-1, 1:-1], small=0.01, large=5.0, rate=0.1, steps=20)
    >>> [t.splitlines()[-1].split(":")[0] for t in w.titles()]
    ['crawls', 'converges', 'blows up at step 2']
    """
    as_array(image, "image", (2,), "a 2-D array")
    as_array(target, "target", (2,), "a 2-D array")
    small, large, rate = (
        check_real(value, name, low=0, low_open=True)
        for value, name in ((small, "small"), (large, "large"), (rate, "rate"))
    )
    scale = check_scale(scale)
    return LearningRateExplorer(image, target, small=small, large=large, rate=rate, steps=steps, seed=seed, scale=scale)
