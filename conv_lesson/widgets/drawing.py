"""Draw your own image, type your own detector, and step through the convolution of the two."""

from __future__ import annotations

import ipywidgets
import numpy as np

from .. import data
from ..ops.checks import check_scale
from .common import ErrorBox
from .controller import MODES
from .grid import EditableGrid, check_grid_values
from .stepper import Stepper, StepperPicture

__all__ = ["DrawYourOwn", "draw_your_own"]


class DrawYourOwn(StepperPicture, ipywidgets.VBox):
    """An image grid to draw on, a detector to type, and a stepper that follows both (see :func:`draw_your_own`).

    Attributes
    ----------
    image_grid : EditableGrid
        The input image (``kind='toggle'``).
    detector_grid : EditableGrid
        The detector's numbers (``kind='number'``).
    stepper : Stepper
        Rebuilt (through :meth:`Stepper.change`) whenever a grid changes; the step stays.
    error : ipywidgets.HTML
        Shows what went wrong in a callback (hidden when all is well).
    """

    def __init__(self, image, detector, *, scale=1.0, mode="auto"):
        """Build the two grids and the stepper (arguments checked by :func:`draw_your_own`)."""
        self.image_grid = EditableGrid(image, kind="toggle", label="input image (click or drag to draw)", scale=scale)
        self.detector_grid = EditableGrid(detector, kind="number", label="feature detector (type numbers)", scale=scale)
        self.stepper = Stepper(image, detector, scale=scale, mode=mode)
        self._errors = ErrorBox()
        self.error = self._errors.widget
        self.image_grid.observe(self._errors.guard(self._on_image, "use the drawing"), "value")
        self.detector_grid.observe(self._errors.guard(self._on_detector, "use the detector"), "value")
        grids = ipywidgets.HBox([self.image_grid, self.detector_grid], layout=ipywidgets.Layout(flex_flow="row wrap"))
        super().__init__([grids, self.error, self.stepper])
        self.add_class("conv-lesson-draw-your-own")

    @property
    def last_error(self):
        """The last error a callback caught (here or in the stepper), or None."""
        return self._errors.last_error or self.stepper.last_error

    def image(self):
        """The drawn image, as a new float array."""
        return self.image_grid.array()

    def detector(self):
        """The typed detector, as a new float array."""
        return self.detector_grid.array()

    def _on_image(self, change):
        self.stepper.change(image=self.image_grid.array())
        self._errors.clear()

    def _on_detector(self, change):
        self.stepper.change(detector=self.detector_grid.array())
        self._errors.clear()

    def _static_text(self):
        return "Draw your own: " + self.stepper._static_text()

    def close(self):
        """Close this widget and the widgets it made."""
        for widget in (self.image_grid, self.detector_grid, self.stepper, self.error):
            widget.close()
        super().close()


def draw_your_own(image=None, detector=None, *, scale=1.0, mode="auto"):
    """Draw an input image, type a detector, and watch the feature map follow.

    Two grids above a :func:`conv_lesson.stepper`: the image's cells switch
    between 0 and 1 by a click, a drag or the keyboard (arrow keys, then
    Space or Enter), and the detector's numbers are typed. Each change
    rebuilds the stepper at once, at the step it was on, so the filled part
    of the feature map shows the new numbers; step on to see the rest.

    Parameters
    ----------
    image : array_like of 0 and 1, 2-D, optional
        The starting drawing (default: the lessons' 7x7 face); at most 24x24.
    detector : array_like, 2-D, optional
        The starting detector (default: the lessons' 3x3 detector); not
        larger than the image.
    scale : float, default 1.0
        Enlarges everything for presenting.
    mode : {'auto', 'flipbook', 'live'}, default 'auto'
        As for :func:`conv_lesson.stepper`.

    Returns
    -------
    DrawYourOwn
        An ``ipywidgets.VBox``. From Python: assign new lists of rows to
        ``.image_grid.value`` or ``.detector_grid.value`` (a list changed in
        place is not seen) and read ``.stepper.shown_feature_map()``.

    Raises
    ------
    TypeError, ValueError
        An image that is not 2-D, holds other values than 0 and 1 or is
        larger than 24x24; a detector larger than the image; a bad ``scale``
        or ``mode``. The message names the parameter.

    Examples
    --------
    >>> w = draw_your_own()
    >>> w.stepper.step.value = 3
    >>> w.stepper.shown_feature_map()[0, :3]
    array([0., 1., 0.])
    >>> drawing = w.image()
    >>> drawing[0, 4] = 1  # ink under the detector's top-right 1 in the third window
    >>> w.image_grid.value = drawing.tolist()
    >>> w.stepper.shown_feature_map()[0, :3]
    array([0., 1., 1.])
    """
    image = check_grid_values(data.face_image() if image is None else image, "toggle", "image")
    detector = check_grid_values(data.face_detector() if detector is None else detector, "number", "detector")
    if detector.shape[0] > image.shape[0] or detector.shape[1] > image.shape[1]:
        raise ValueError(f"detector must not be larger than the image {image.shape}; got {detector.shape}")
    check_scale(scale)
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, MODES))}; got {mode!r}")
    return DrawYourOwn(np.asarray(image), np.asarray(detector), scale=scale, mode=mode)
