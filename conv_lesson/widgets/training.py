"""Training curves that redraw while the student's own training loop runs (lesson 09)."""

from __future__ import annotations

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..draw.export import encode_png
from ..draw.network import training_curves
from ..ops.checks import check_real, check_scale
from .common import StaticPicture

__all__ = ["LiveCurves", "live_training_curves"]

#: What a saved notebook shows in place of the live curves (they exist only while the loop runs).
SAVED_NOTE = "The live curves draw here while this cell runs; the finished curves are the picture after it."


class LiveCurves(StaticPicture, ipywidgets.VBox):
    """The loss and accuracies so far, redrawn after each epoch (see :func:`live_training_curves`).

    Attributes
    ----------
    picture : ipywidgets.HTML
        The curves, as a picture with its alt text (their first and last values).
    losses, train_accuracy, test_accuracy : list of float
        What :meth:`record` was given, epoch by epoch.
    """

    def __init__(self, scale):
        self._scale = scale
        self._figure = self._canvas = None
        self._least = 0.0
        self.losses, self.train_accuracy, self.test_accuracy = [], [], []
        self.picture = ipywidgets.HTML("<p>No epoch yet: the curves start after the first one.</p>")
        self.picture.add_class("conv-lesson-live-curves")
        super().__init__([self.picture])

    def record(self, loss, train_accuracy, test_accuracy):
        """Add one epoch's loss and accuracies (0 to 1) and redraw.

        Examples
        --------
        >>> curves = live_training_curves()
        >>> curves.record(2.3, 0.5, 0.45)
        >>> curves.record(0.4, 0.9, 0.88)
        >>> curves.losses, 'alt="Training curves over 2 epochs' in curves.picture.value
        ([2.3, 0.4], True)
        """
        values = [check_real(loss, "loss", low=0)]
        values += [check_real(v, name, low=0, high=1) for v, name in
                   ((train_accuracy, "train_accuracy"), (test_accuracy, "test_accuracy"))]  # fmt: skip
        for seq, value in zip((self.losses, self.train_accuracy, self.test_accuracy), values):
            seq.append(value)
        if self._figure is None:  # drawn once; each epoch after that only moves its lines (a third of the time)
            self._figure = training_curves(self.losses, self.train_accuracy, self.test_accuracy, scale=self._scale)
            self._canvas = FigureCanvasAgg(self._figure)
            self._canvas.draw()
            self._least = self._figure.smallest_text_px()
        else:
            self._figure.show(self.losses, self.train_accuracy, self.test_accuracy)
            self._canvas.draw()
        png = encode_png(np.asarray(self._canvas.buffer_rgba()))
        self.picture.value = self._figure.picture_html(png, self._least)

    def _static_text(self):
        return "Live training curves (run the cell to see them)"

    def saved_picture_html(self, note=SAVED_NOTE):
        """What a saved notebook shows: a note, since the curves exist only while the loop runs.

        Examples
        --------
        >>> "finished curves" in live_training_curves().saved_picture_html()
        True
        """
        return f'<div class="conv-lesson-run-note"><i>{note}</i></div>'

    def _static_note(self):
        return SAVED_NOTE


def live_training_curves(*, scale=1.0):
    """Curves of the loss and the training and test accuracy that redraw after every epoch.

    Display it before a training loop and call ``.record(loss, train_accuracy,
    test_accuracy)`` at the end of each epoch.

    Parameters
    ----------
    scale : float, default 1.0

    Returns
    -------
    LiveCurves

    Examples
    --------
    >>> live_training_curves().losses
    []
    """
    return LiveCurves(check_scale(scale))
