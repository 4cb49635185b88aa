"""A learning-rate slider: loss curves side by side, too small (crawls), yours, too large (blows up)."""

from __future__ import annotations

import html
import io

import ipywidgets

from ..draw.figures import learning_rate_curves
from ..ops.checks import as_array, check_real, check_scale
from .common import ErrorBox, StaticPicture, size_picture
from .published import needs_kernel_note

__all__ = ["LearningRateExplorer", "learning_rate_explorer", "PUBLISHED_RATES"]

#: The slider positions stored in a published page, with its starting rate: 0.1, 0.316 and the three
#: the lesson's text names (0.708 converges, 0.794 is just past the limit, 0.891 blows up).
PUBLISHED_RATES = tuple(10**e for e in (-1.0, -0.5, -0.15, -0.1, -0.05))


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class LearningRateExplorer(StaticPicture, ipywidgets.VBox):
    """A learning-rate slider over three loss curves (see :func:`learning_rate_explorer`).

    Attributes
    ----------
    rate : ipywidgets.FloatLogSlider
        The middle panel's learning rate.
    picture : ipywidgets.Image
        The three loss curves.
    rates : list of float
        The three rates drawn now: the small one, the slider's, the large one.
    """

    def __init__(self, image, target, *, small, large, rate, steps, seed, scale):
        """Build the slider and draw the curves (arguments checked by :func:`learning_rate_explorer`)."""
        self._args = {"image": image, "target": target, "steps": steps, "seed": seed, "scale": scale}
        self._small, self._large = small, large
        self.rate = ipywidgets.FloatLogSlider(
            value=rate, base=10, min=-2, max=0.5, step=0.05, description="learning rate",
            continuous_update=False, readout_format=".3g",
            style={"description_width": "initial"}, layout=ipywidgets.Layout(width=f"{round(420 * scale)}px"),
        )  # fmt: skip
        self.rate.add_class("conv-lesson-learning-rate")
        self.picture = ipywidgets.Image(format="png")
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self._draw()
        self.rate.observe(self._errors.guard(lambda change: self._draw(), "draw the loss curves"), "value")
        super().__init__([self.rate, self.error, self.picture])

    @property
    def rates(self):
        """The three learning rates drawn: small, the slider's, large."""
        return [self._small, float(self.rate.value), self._large]

    def _curves(self, rate, picture):
        """The picture (PNG bytes) and the panels' titles with ``rate`` in the middle; sizes ``picture`` for it."""
        fig = learning_rate_curves(learning_rates=[self._small, rate, self._large], **self._args)
        self._min_text_px = size_picture(picture, fig)
        return _png(fig), list(fig.panel_titles)

    def _draw(self):
        self.picture.value, self._titles = self._curves(float(self.rate.value), self.picture)
        self._errors.clear()

    def titles(self):
        """The panels' titles now (the rate and what happened), left to right."""
        return list(self._titles)

    def _static_text(self):
        return "Learning rates compared: " + " | ".join(t.replace("\n", ": ") for t in self._titles)

    def _static_png(self):
        return bytes(self.picture.value)

    def _static_min_text_px(self):
        return self._min_text_px

    def _static_note(self):
        return "▶ Run this cell to move the learning-rate slider."

    def _published(self):
        """With no kernel: a slider over the stored rates (:data:`PUBLISHED_RATES`), each with its picture."""
        now = float(self.rate.value)
        rates = sorted(set(PUBLISHED_RATES) | {now})
        pages = []
        for rate in rates:
            picture = ipywidgets.Image(format="png")
            png, titles = self._curves(rate, picture)
            picture.value = png
            caption = " | ".join(t.replace("\n", ": ") for t in titles)
            text = ipywidgets.HTML(f'<div class="conv-lesson-status">{html.escape(caption)}</div>')
            pages.append(ipywidgets.VBox([picture, text]))
        # ipywidgets' own readout of a SelectionSlider takes typing but ignores it: a linked label instead
        slider = ipywidgets.SelectionSlider(
            options=[(f"{r:.3g}", k) for k, r in enumerate(rates)], index=rates.index(now), readout=False,
            description="learning rate", style={"description_width": "initial"},
            layout=ipywidgets.Layout(width=self.rate.layout.width),
        )  # fmt: skip
        slider.add_class("conv-lesson-learning-rate")
        readout = ipywidgets.Stack([ipywidgets.HTML(f"{r:.3g}") for r in rates], selected_index=slider.index)
        readout.add_class("conv-lesson-rate-readout")
        stack = ipywidgets.Stack(pages, selected_index=slider.index)
        for shown in (readout, stack):
            ipywidgets.jslink((slider, "index"), (shown, "selected_index"))
        note = needs_kernel_note(
            "Here the slider moves between the rates stored in this page; "
            "any other rate needs a running notebook (open the lesson in JupyterLab)."
        )
        box = ipywidgets.VBox([ipywidgets.HBox([slider, readout]), note, stack])
        box.add_class("conv-lesson-published")
        return box

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
