"""Lesson 09's depthwise stepper: each channel read by its own detector, window by window, into its own map."""

from __future__ import annotations

from ..draw.depthwise import DepthwiseFigure
from ..ops.checks import check_int, check_scale
from .controller import StepController
from .matrix_steppers import STRIDE_MAX
from .stepper_view import StepperView

__all__ = ["depthwise_stepper"]


def depthwise_stepper(image, detectors, *, stride=1, padding=0, scale=1.0):
    """Step through a depthwise convolution: channel ``c`` read by detector ``c`` only, into map ``c``.

    The steps go channel by channel: every window of channel 0 (scan
    order), then channel 1, ... The channel read is framed, its window and
    its detector outlined, the map cell written outlined (dashed); the other
    channels are greyed out. The last step shows every map finished: no
    step ever mixed two channels (a 1×1 pointwise layer does that next).
    Every frame is rendered up front (a flipbook: it steps with no kernel);
    a stride slider rebuilds it.

    Parameters
    ----------
    image : array_like, shape (H, W, C)
        A small image with 2 to 4 channels, channels last (5x5x3 or 6x6x3).
    detectors : array_like, shape (C, kh, kw)
        One detector per channel.
    stride : int, default 1
    padding : int, (int, int), 'valid' or 'same', default 0
        As for :func:`conv_lesson.feature_map`.
    scale : float, default 1.0

    Returns
    -------
    StepperView
        Drive it through ``.step.value`` and ``.controls['stride'].value``;
        the figure is ``.controller.figure`` (its ``scans`` and ``maps``).

    Raises
    ------
    TypeError, ValueError
        An image that is not (H, W, C) with 2 to 4 channels and sides up to
        8; detectors that are not one (kh, kw) array per channel; more than
        100 steps; whatever :func:`conv_lesson.feature_map` refuses; a bad
        ``stride`` or ``scale``.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.stack([np.eye(3, dtype=int), np.ones((3, 3), dtype=int)], axis=-1)
    >>> s = depthwise_stepper(image, [[[1, 0], [0, 1]], [[1, 1], [1, 1]]])
    >>> s.n_steps, s.controller.figure.maps[..., 1].tolist()
    (9, [[4, 4], [4, 4]])
    >>> s.step.value = 5
    >>> s.status
    'step 5 of 9 · channel 1 · window at row 0, column 0 · map 1 cell (0, 0) = 4'
    """
    scale = check_scale(scale)
    stride = check_int(stride, "stride", 1)

    def make_figure(stride):
        return DepthwiseFigure(image, detectors, stride=stride, padding=padding, scale=scale)

    controller = StepController(make_figure, {"stride": stride}, mode="flipbook")
    return StepperView(controller, controls={"stride": ("stride", 1, STRIDE_MAX)}, name="depthwise stepper",
                       scale=scale)  # fmt: skip
