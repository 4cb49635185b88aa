"""The steppers of lesson 08: im2col, window by window, and transposed convolution, stamp by stamp."""

from __future__ import annotations

from ..draw.im2col import Im2colFigure
from ..draw.transposed import TransposedFigure
from ..ops.checks import check_int, check_scale
from .controller import StepController
from .stepper_view import StepperView

__all__ = ["STRIDE_MAX", "im2col_stepper", "transposed_stepper"]

#: The stride slider goes from 1 to this (or to the stride given, if larger).
STRIDE_MAX = 3


def im2col_stepper(image, detector, *, stride=1, padding=0, scale=1.0):
    """Step through im2col: each window of the image becomes a row; one matrix product gives the whole map.

    Steps 1 to n copy window n (scan order) into row n - 1 of the im2col
    matrix, the window and the row outlined; the detector is drawn as a
    column beside it; the last step multiplies the two and shows the
    product reshaped: the feature map. Every frame is rendered up front
    (a flipbook: it steps with no kernel); a stride slider rebuilds it.

    Parameters
    ----------
    image : array_like, shape (H, W)
        A small image (4x4 or 5x5: at most 36 windows).
    detector : array_like, shape (kh, kw)
    stride : int, default 1
    padding : int, (int, int), 'valid' or 'same', default 0
        As for :func:`conv_lesson.feature_map`.
    scale : float, default 1.0

    Returns
    -------
    StepperView
        Drive it through ``.step.value`` and ``.controls['stride'].value``;
        the figure is ``.controller.figure`` (its ``matrix`` and ``product``).

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.feature_map`; an image with more than 36
        windows; a bad ``scale``.

    Examples
    --------
    >>> s = im2col_stepper([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, 1]])
    >>> s.n_steps, s.controller.figure.matrix.tolist()[1]
    (5, [2, 0, 1, 3])
    >>> s.step.value = 5
    >>> s.status
    'step 5 of 5 · one matrix product gives the whole feature map'
    """
    scale = check_scale(scale)
    stride = check_int(stride, "stride", 1)

    def make_figure(stride):
        return Im2colFigure(image, detector, stride=stride, padding=padding, scale=scale)

    controller = StepController(make_figure, {"stride": stride}, mode="flipbook")
    return StepperView(controller, controls={"stride": ("stride", 1, STRIDE_MAX)}, name="im2col stepper",
                           scale=scale)  # fmt: skip


def transposed_stepper(feature_map, detector, *, stride=1, padding=0, output_padding=0, scale=1.0):
    """Step through a transposed convolution in scatter form: each input cell stamps the scaled detector.

    Step k takes input cell k (scan order) and adds ``value × detector`` onto
    the output at (i × stride, j × stride): the stamp, where it lands, the
    output filling in and, under the picture, the arithmetic of every cell
    it lands on. Overlaps add up; a stride larger than the detector leaves
    gaps of zeros; ``padding`` crops the border (hatched in the picture).
    Sliders for the stride and the padding rebuild it.

    Parameters
    ----------
    feature_map : array_like, 2-D
        A small map (2x2 or 3x3).
    detector : array_like, shape (kh, kw)
    stride : int, default 1
    padding : int, default 0
    output_padding : int, default 0
        As for :func:`conv_lesson.transposed_feature_map`.
    scale : float, default 1.0

    Returns
    -------
    StepperView
        With ``.controls['stride']`` and ``.controls['padding']``; its
        figure, ``.controller.figure``, holds the ``steps`` and ``canvases``.

    Raises
    ------
    TypeError, ValueError
        Whatever :func:`conv_lesson.transposed_feature_map` refuses, an
        output over 24 cells a side, or a bad ``scale``.

    Examples
    --------
    >>> s = transposed_stepper([[1, 2], [3, 4]], [[1, 1], [1, 1]])
    >>> s.n_steps, s.controller.figure.canvases[-1].tolist()
    (4, [[1, 3, 2], [4, 10, 6], [3, 7, 4]])
    """
    scale = check_scale(scale)
    stride = check_int(stride, "stride", 1)
    padding = check_int(padding, "padding", 0)

    def make_figure(stride, padding):
        return TransposedFigure(feature_map, detector, stride=stride, padding=padding,
                                output_padding=output_padding, scale=scale)  # fmt: skip

    controller = StepController(make_figure, {"stride": stride, "padding": padding}, mode="flipbook")
    controls = {"stride": ("stride", 1, STRIDE_MAX), "padding": ("padding", 0, 2)}
    return StepperView(controller, controls=controls, name="transposed-convolution stepper", scale=scale)
