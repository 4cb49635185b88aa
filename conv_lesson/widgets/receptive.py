"""The receptive-field view (lesson 07): pick an output cell, see what it depends on in every layer below."""

from __future__ import annotations

from .. import ops
from ..draw.receptive import ReceptiveFieldFigure
from ..ops.checks import check_scale
from .controller import StepController
from .stepper_view import StepperView

__all__ = ["SETTING_MAX", "ReceptiveFieldView", "receptive_field_view"]

#: The stride and dilation sliders go from 1 to this (or to the value given, if larger).
SETTING_MAX = 3


class ReceptiveFieldView(StepperView):
    """A stepper of a :class:`conv_lesson.draw.ReceptiveFieldFigure` (see :func:`receptive_field_view`)."""

    @property
    def layers(self):
        """The current layers, as (kernel, stride, dilation) tuples."""
        return list(self.controller.figure.layers)

    @property
    def cell(self):
        """The output cell of the current step."""
        return self.controller.figure.cell_of(self.controller.step)

    def levels(self):
        """The :class:`conv_lesson.ops.ReceptiveCells` of every level for the current output cell."""
        return self.controller.figure.levels(self.controller.step)


def receptive_field_view(layers, *, input_shape=None, scale=1.0, mode="auto"):
    """Step through every output cell of stacked layers and see the cells it depends on, down to the input.

    One grid per level side by side, the input on the left, the last layer
    on the right; each step outlines the next output cell of the last layer
    and, in every level below, colours the cells it depends on (numbered
    with how many paths lead from them to it) and outlines the square they
    span: at the input, the receptive field, whose side is written under
    the grids. A stride and a dilation slider per layer rebuild the view.

    Parameters
    ----------
    layers : sequence of (int, int, int)
        (kernel, stride, dilation) of each layer, first layer first, as
        for :func:`conv_lesson.receptive_field`.
    input_shape : (int, int), optional
        (H, W) of the input; by default the smallest that gives the last
        layer a 3x3 output (2x2 or 1x1 to keep the input within 16 cells),
        worked out again when a slider changes.
    scale : float, default 1.0
        Enlarges the whole widget (1.6 for presenting).
    mode : {'auto', 'flipbook', 'live'}, default 'auto'

    Returns
    -------
    ReceptiveFieldView
        Display it; drive it through ``.step.value`` and
        ``.controls['stride_1'].value``...; read ``.cell``, ``.levels()``,
        ``.status`` and ``.detail``.

    Raises
    ------
    TypeError, ValueError
        Bad ``layers`` (as for :func:`conv_lesson.receptive_field`), an
        ``input_shape`` the layers do not fit, a bad ``scale`` or ``mode``.

    Examples
    --------
    >>> v = receptive_field_view([(3, 1, 1), (3, 1, 1)])
    >>> v.n_steps, v.mode, sorted(v.controls)
    (9, 'flipbook', ['dilation_1', 'dilation_2', 'stride_1', 'stride_2'])
    >>> v.step.value = 5
    >>> v.detail
    'it depends on input rows 1–5, columns 1–5: a 5×5 square'
    """
    ops.receptive_field(layers)
    scale = check_scale(scale)
    kernels = [int(k) for k, _, _ in layers]
    settings = {}
    for n, (_, stride, dilation) in enumerate(layers, start=1):
        settings[f"stride_{n}"], settings[f"dilation_{n}"] = int(stride), int(dilation)

    def make_figure(**s):
        stack = [(k, s[f"stride_{n}"], s[f"dilation_{n}"]) for n, k in enumerate(kernels, start=1)]
        return ReceptiveFieldFigure(stack, input_shape=input_shape, scale=scale)

    controller = StepController(make_figure, settings, mode=mode)
    controls = {}
    for n in range(1, len(layers) + 1):
        controls[f"stride_{n}"] = (f"layer {n} stride", 1, SETTING_MAX)
        controls[f"dilation_{n}"] = (f"layer {n} dilation", 1, SETTING_MAX)
    return ReceptiveFieldView(controller, controls=controls, name="ReceptiveFieldView", scale=scale)
