"""The scan stepper: a :class:`StepperView` of a :class:`StepperController`, with stride, detector, padding and flip.

Stepping itself (Play, the buttons, keys, live frames, rollback) is the one
view's (:mod:`.stepper_view`); this module adds the controls of a scan.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np

from .. import data
from ..ops.checks import check_bool
from .common import RUN_NOTE, StaticPicture
from .controller import FLIPBOOK_MAX_STEPS, StepperController, resolve_presets
from .frameview import set_range
from .slider import Slider
from .stepper_view import StepperView

__all__ = ["Stepper", "StepperPicture", "stepper", "FLIPBOOK_MAX_STEPS"]

CUSTOM = "(your detector)"
PADDING_CHOICES = [("0", 0), ("1", 1), ("2", 2), ("same", "same")]


def _padding_choice(padding, choices):
    """The padding menu's value for ``padding`` (adding a choice for an unusual one)."""
    if isinstance(padding, str):
        word = padding.lower()
        return 0 if word == "valid" else word
    if isinstance(padding, (int, np.integer)) and 0 <= padding <= 2:
        return int(padding)
    choices.append((str(padding), padding))
    return padding


def _stride_slider(controller, scale):
    stride = controller.scan.stride[0]
    slider = Slider(value=stride, min=1, max=max(controller.stride_max, stride), description="stride",
                    continuous_update=False, layout=ipywidgets.Layout(width=f"{round(300 * scale)}px"))  # fmt: skip
    slider.add_class("conv-lesson-stride")
    return slider


def _detector_menu(controller, names, scale):
    """The detector presets menu (with '(your detector)' first for one that is no preset)."""
    options = list(names)
    current = controller.preset_name or controller.matching_preset(options)
    if current is None:
        options, current = [CUSTOM] + options, CUSTOM
    elif current not in options:
        options = [current] + options
    menu = ipywidgets.Dropdown(
        options=options,
        value=current,
        description="detector",
        layout=ipywidgets.Layout(width=f"{round(320 * scale)}px"),
    )
    menu.add_class("conv-lesson-detector")
    return menu


def _note_html(name):
    note = "your own detector" if name == CUSTOM else data.describe_detector(name)
    return f'<span class="conv-lesson-detector-note">{html.escape(note)}</span>'


def _padding_menu(padding, scale):
    choices = list(PADDING_CHOICES)
    value = _padding_choice(padding, choices)
    menu = ipywidgets.Dropdown(
        options=choices,
        value=value,
        description="padding",
        layout=ipywidgets.Layout(width=f"{round(220 * scale)}px"),
    )
    menu.add_class("conv-lesson-padding")
    return menu


def _flip_box(flip):
    box = ipywidgets.Checkbox(
        value=bool(flip),
        description="flip the detector (true convolution)",
        indent=False,
        layout=ipywidgets.Layout(width="auto"),
    )
    box.add_class("conv-lesson-flip")
    return box


class StepperPicture(StaticPicture):
    """Mixin: a widget built around a :class:`Stepper` (``self.stepper``) saves the stepper's picture.

    Its finished map, smallest text, alt text and the lines under it; the widget
    adds what it shows besides (its own ``_static_text``, more lines).
    """

    def _static_png(self):
        return self.stepper._static_png()

    def _static_min_text_px(self):
        return self.stepper._static_min_text_px()

    def _static_alt(self):
        return self.stepper._static_alt()

    def _static_lines(self):
        return self.stepper._static_lines()


class Stepper(StepperView):
    """Step through a convolution one window at a time (see :func:`stepper`, which builds it).

    Attributes
    ----------
    controller : StepperController
        The state and the actions; the widgets only show it and call it.
    step : conv_lesson.widgets.slider.Slider
        The step shown, from 1 to the number of feature-map cells.
    stride : conv_lesson.widgets.slider.Slider
        The stride, from 1 to the largest at which the window still moves
        (not shown when ``stride_control`` is False).
    stride_control : bool
        Whether the stride slider is shown.
    speed : conv_lesson.widgets.slider.Slider
        Steps per second while playing.
    buttons : StepButtons
        Play/pause, loop, back, next (``buttons.playing`` is True while it plays).
    view : FrameView
        The picture and the text under it.
    error : ipywidgets.HTML
        Shows an error raised inside a callback (hidden when there is none).
    detector_menu, detector_note, padding_menu, flip_box : ipywidgets widget or None
        The optional controls, when asked for.
    """

    def __init__(self, image, detector, *, presets=False, padding_control=False, flip_control=False,
                 stride_control=True, **settings):  # fmt: skip
        """Build the controls around a :class:`StepperController` of ``image``, ``detector`` and ``settings``."""
        for name, value in (("padding_control", padding_control), ("flip_control", flip_control),
                            ("stride_control", stride_control)):  # fmt: skip
            check_bool(value, name)
        self.stride_control = stride_control
        names = resolve_presets(presets)
        c = StepperController(image, detector, **settings)
        self.stride = _stride_slider(c, c.scale)
        self.detector_menu = _detector_menu(c, names, c.scale) if names else None
        self.detector_note = None
        if self.detector_menu is not None:
            self.detector_note = ipywidgets.HTML(_note_html(self.detector_menu.value),
                                                 layout=ipywidgets.Layout(width="auto"))  # fmt: skip
        self._custom_detector = c.settings["detector"]
        self.padding_menu = _padding_menu(c.settings["padding"], c.scale) if padding_control else None
        self.flip_box = _flip_box(c.settings["flip"]) if flip_control else None
        extras = [self.stride if stride_control else None, self.detector_menu, self.detector_note,
                  self.padding_menu, self.flip_box]  # fmt: skip
        super().__init__(c, extras=extras, finish_buttons=True, name="Stepper", scale=c.scale)
        guard = self._errors.guard
        self.stride.observe(guard(self._on_stride), "value")
        for menu, action in ((self.detector_menu, self._on_detector), (self.padding_menu, self._on_padding),
                             (self.flip_box, self._on_flip)):  # fmt: skip
            if menu is not None:
                menu.observe(guard(action), "value")

    @property
    def figure(self):
        """The matplotlib Figure the frames are drawn from."""
        return self.controller.figure.figure

    @property
    def arithmetic(self):
        """The products and their sum at the current step (plain text)."""
        return self.controller.detail

    def shown_feature_map(self):
        """The feature map as shown at the current step: float, NaN where not yet filled.

        Examples
        --------
        >>> from conv_lesson import data
        >>> s = stepper(data.face_image(), data.face_detector())
        >>> s.step.value = 2
        >>> s.shown_feature_map()[0, :3]
        array([ 0.,  1., nan])
        """
        return self.controller.shown_feature_map()

    def current_view(self):
        """The :class:`conv_lesson.ops.StepView` of the current step."""
        return self.controller.view

    def change(self, **settings):
        """Show a new ``image``, ``detector``, ``padding``, ``dilation`` or ``flip``; returns self.

        See :meth:`StepperController.change`. The step stays where it was. On
        an error (raised here, for the caller to show) nothing changes.
        """
        before = self.controller.step
        self.controller.change(**settings)
        self._show_build(moved=self.controller.step != before)
        return self

    def close(self):
        """Close this widget and every widget it made, the stride slider also when it is not shown."""
        stride = getattr(self, "stride", None)
        if stride is not None:
            stride.close()
        super().close()

    def save_animation(self, path, *, fps=2, progress_callback=None):
        """Write the whole stepping as an animation for slides (see :meth:`StepperController.save_animation`)."""
        return self.controller.save_animation(path, fps=fps, progress_callback=progress_callback)

    def _static_text(self):
        return "\n".join([super()._static_text(), *self._static_lines(), RUN_NOTE])

    def _show_settings(self):
        c = self.controller
        set_range(self.stride, c.scan.stride[0], max(c.stride_max, c.scan.stride[0]))

    def _on_stride(self, change):
        if not self._quiet:
            self.rebuild(self.stride, change.old, lambda: self.controller.set_stride(change.new))

    def _on_detector(self, change):
        if self._quiet:
            return
        arr = self._custom_detector if change.new == CUSTOM else data.detector(change.new)
        self.rebuild(self.detector_menu, change.old, lambda: self.controller.change(detector=arr))
        self.detector_note.value = _note_html(self.detector_menu.value)

    def _on_padding(self, change):
        if not self._quiet:
            self.rebuild(self.padding_menu, change.old, lambda: self.controller.change(padding=change.new))

    def _on_flip(self, change):
        if not self._quiet:
            self.rebuild(self.flip_box, change.old, lambda: self.controller.change(flip=bool(change.new)))


def stepper(
    image,
    detector,
    *,
    stride=1,
    padding=0,
    dilation=1,
    flip=False,
    scale=1.0,
    presets=False,
    padding_control=False,
    flip_control=False,
    stride_control=True,
    mode="auto",
):
    """Step through a convolution: the window, the detector and the feature map, one cell at a time.

    One figure with three panels (the input with the current window, the
    detector, the feature map filled so far with the current cell
    outlined), the arithmetic of the step and a status line under it, and
    controls: play/pause, loop, back/next, a step slider, a speed slider
    and a stride slider. Small arrays show every cell's number.

    Up to :data:`FLIPBOOK_MAX_STEPS` steps, every frame is rendered up front
    and the browser switches between them (a *flipbook*: no kernel round
    trip, and it still works with no kernel at all); beyond that (a photo at
    stride 1) each step is rendered live by the kernel. The widget and its
    attributes are the same in both modes.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    detector : array_like or str
        The detector, or the name of a preset (see
        :func:`conv_lesson.data.detector_names`).
    stride : int, default 1
        The starting stride (the stride slider changes it).
    padding : int, (int, int), 'valid' or 'same', default 0
    dilation : int or (int, int), default 1
    flip : bool, default False
        As for :func:`conv_lesson.ops.feature_map`.
    scale : float, default 1.0
        Enlarges the whole widget (figure, fonts, controls) for presenting;
        1.6 reads from the back of a room on a 1280x720 projector.
    presets : bool or list of str, default False
        Add a dropdown of detector presets (all of them, or the listed ones).
    padding_control : bool, default False
        Add a padding dropdown (0, 1, 2, 'same').
    flip_control : bool, default False
        Add a checkbox that flips the detector (true convolution).
    stride_control : bool, default True
        Show the stride slider. False keeps the stride where it is given
        (for a scan whose stride the lesson fixes, such as the stride-1
        scan of a zero-inserted map); ``.stride.value`` still sets it from
        Python.
    mode : {'auto', 'flipbook', 'live'}, default 'auto'
        Force one way of showing frames; 'auto' chooses by the number of
        steps (and the frames' total size).

    Returns
    -------
    Stepper
        An ``ipywidgets.VBox``: display it, or make it the last expression
        of a cell. Drive it from Python through ``.step.value`` and
        ``.stride.value``; read ``.shown_feature_map()``, ``.frame_png()``,
        ``.status`` and ``.arithmetic``.

    Raises
    ------
    TypeError, ValueError
        As for :func:`conv_lesson.ops.feature_map`, and for a stride that is
        not an int, a scale outside 0.25..4, unknown preset names or mode.

    Examples
    --------
    >>> from conv_lesson import data
    >>> s = stepper(data.face_image(), data.face_detector())
    >>> s.step.max, s.mode
    (25, 'flipbook')
    >>> s.step.value = 14
    >>> s.status
    'step 14 of 25 · window at row 2, column 3 · feature map cell (2, 3) = 2'
    >>> s.stride.value = 2  # 9 steps now: the step is clamped
    >>> s.step.max, s.step.value
    (9, 9)
    """
    return Stepper(
        image,
        detector,
        stride=stride,
        padding=padding,
        dilation=dilation,
        flip=flip,
        scale=scale,
        presets=presets,
        padding_control=padding_control,
        flip_control=flip_control,
        stride_control=stride_control,
        mode=mode,
    )
