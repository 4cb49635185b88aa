"""Every stepper's state and actions, with no widgets: testable without a browser.

A :class:`StepController` holds a stepped figure (made by a function of a few
settings), its frames and the current step, for any kind of stepping: the
scan stepper, lessons 07–08's figures. A :class:`StepperController` is the
one of the scan stepper: it builds one :class:`conv_lesson.ops.Scan` from its
settings (checked once per (re)build) and hands it to a
:class:`conv_lesson.draw.StepperFigure`. A change of stride, detector, padding
or flip makes a new Scan; a change of step asks the existing one.
"""

from __future__ import annotations

import numpy as np

from .. import data
from ..draw import export
from ..draw.stepper import StepperFigure
from ..draw.text import alt_text, step_html, step_tables_html, step_text_html
from ..ops import Scan
from ..ops.checks import check_int, check_scale, describe, short

__all__ = [
    "FLIPBOOK_MAX_STEPS",
    "FLIPBOOK_MAX_BYTES",
    "MODES",
    "StepController",
    "StepperController",
    "check_mode",
    "flipbook_or_live",
    "resolve_presets",
]

#: Steppers with at most this many steps are flipbooks (every frame rendered
#: up front, switched in the browser); larger ones render live per step.
FLIPBOOK_MAX_STEPS = 400
#: ...and only while all their frames together stay under this many bytes.
FLIPBOOK_MAX_BYTES = 16_000_000
MODES = ("auto", "flipbook", "live")


def check_mode(mode):
    """``mode`` if it is one of :data:`MODES`.

    Parameters
    ----------
    mode : str

    Returns
    -------
    str

    Examples
    --------
    >>> check_mode("live")
    'live'
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(map(repr, MODES))}; got {short(mode)}")
    return mode


def flipbook_or_live(figure, mode="auto"):
    """How a figure's steps reach the browser: ``('flipbook', every PNG)`` or ``('live', [])``.

    ``'auto'`` makes a flipbook of up to :data:`FLIPBOOK_MAX_STEPS` steps whose
    frames together stay under :data:`FLIPBOOK_MAX_BYTES` (judged by the first).

    Parameters
    ----------
    figure : object
        With ``n_steps``, ``frame_png(step)`` and ``frames(start=...)``.
    mode : {'auto', 'flipbook', 'live'}, default 'auto'

    Returns
    -------
    (str, list of bytes)

    Examples
    --------
    >>> from conv_lesson import data, ops
    >>> from conv_lesson.draw import StepperFigure
    >>> mode, frames = flipbook_or_live(StepperFigure(ops.Scan(data.face_image(), data.face_detector(), stride=3)))
    >>> mode, len(frames)
    ('flipbook', 4)
    """
    if mode == "live" or (mode == "auto" and figure.n_steps > FLIPBOOK_MAX_STEPS):
        return "live", []
    first = figure.frame_png(1)
    if mode == "auto" and len(first) * figure.n_steps > FLIPBOOK_MAX_BYTES:
        return "live", []
    return "flipbook", [first, *figure.frames(start=2)]


def resolve_presets(presets):
    """The preset names a stepper's detector menu offers.

    Parameters
    ----------
    presets : bool or list of str
        True for every preset, False or None for none, or a list of names.

    Returns
    -------
    list of str

    Examples
    --------
    >>> resolve_presets(["Outline", "identity"])
    ['outline', 'identity']
    """
    if presets is None or presets is False:
        return []
    if presets is True:
        return data.detector_names()
    if isinstance(presets, (str, bytes)) or not hasattr(presets, "__iter__"):
        raise TypeError(f"presets must be True, False or a list of preset names; got {describe(presets)}")
    names = [data.find_preset(name).name for name in presets]
    if not names:
        raise ValueError("presets must name at least one detector; got an empty list")
    return names


class StepController:
    """A stepped figure's state: its settings, the figure, the frames and the current step.

    The figure (``n_steps``, ``set_step``, ``frame_png``, ``frames``,
    ``smallest_text_px``, and the words of a step: ``status``, ``detail``,
    ``describe``, optionally ``html`` and ``row_length``) is made by
    ``make_figure(**settings)``; :meth:`change` makes a new one.

    Parameters
    ----------
    make_figure : callable
        ``make_figure(**settings)`` returns the figure (it checks the settings).
    settings : dict
        The settings a control may change (see :meth:`change`).
    mode : {'auto', 'flipbook', 'live'}, default 'auto'
        'auto' renders every frame up front unless there are more than
        ``FLIPBOOK_MAX_STEPS`` steps (or the frames grow too large).

    Examples
    --------
    >>> from conv_lesson.draw.transposed import TransposedFigure
    >>> c = StepController(lambda stride: TransposedFigure([[1, 2]], [[1, 1]], stride=stride), {"stride": 1})
    >>> c.mode, c.n_steps, c.set_step(2), c.status
    ('flipbook', 2, 2, 'step 2 of 2 · input cell (0, 1) = 2 stamps 2 × detector onto output rows 0–0, columns 1–2')
    >>> c.change(stride=3).figure.canvases[-1].tolist()
    [[1, 1, 0, 2, 2]]
    """

    def __init__(self, make_figure, settings, *, mode="auto"):
        self.make_figure, self.settings, self.mode_wanted = make_figure, dict(settings), check_mode(mode)
        self.figure = None
        self.step = 1
        self._build(make_figure(**self.settings), 1)

    @property
    def n_steps(self):
        """How many steps the current figure has."""
        return self.figure.n_steps

    @property
    def row_length(self):
        """How many steps one row takes (the figure says; else all of them)."""
        return getattr(self.figure, "row_length", self.n_steps)

    def _build(self, figure, step):
        self.mode, self.frames = flipbook_or_live(figure, self.mode_wanted)
        self.figure = figure
        self.set_step(min(step, figure.n_steps))

    def set_step(self, step):
        """Make ``step`` the current one (in live mode, its picture drawn at once); return it."""
        self._shown = self.figure.set_step(step)
        self.step = self.figure.step
        self._png = self.figure.frame_png() if self.mode == "live" else None
        return self.step

    def change(self, **settings):
        """Rebuild with new settings (checked first: on an error nothing changes); returns self."""
        unknown = set(settings) - set(self.settings)
        if unknown:
            raise TypeError(f"change takes {', '.join(self.settings)}; got {', '.join(sorted(unknown))}")
        new = {**self.settings, **settings}
        figure = self.make_figure(**new)
        self.settings = new
        self._build(figure, self.step)
        return self

    def row_end(self, step=None):
        """The step that finishes the row of ``step`` (default: the current one).

        At the end of a row already, the next row's end (the last step at most).

        Parameters
        ----------
        step : int, optional

        Returns
        -------
        int

        Examples
        --------
        >>> from conv_lesson import data
        >>> c = StepperController(data.face_image(), data.face_detector())
        >>> c.row_end(1), c.row_end(5), c.row_end(25)
        (5, 10, 25)
        """
        step = self.step if step is None else check_int(step, "step", 1)
        cols = max(self.row_length, 1)
        end = -(-step // cols) * cols
        if end == step:
            end += cols
        return min(end, self.n_steps)

    def png(self, step=None):
        """PNG bytes of ``step`` (default: the current one); the current step stays as it is."""
        if self.mode == "flipbook":
            return self.frames[(self.step if step is None else step) - 1]
        if step is None or step == self.step:
            return self._png
        png = self.figure.frame_png(step)
        self.figure.set_step(self.step)  # the artists back; the current picture is kept
        return png

    def final_png(self):
        """PNG bytes of the last step's picture (the current step stays as it is)."""
        return self.png(self.n_steps)

    def live_state(self):
        """The live picture of the current step: the FrameView traits a live frame sets, by name."""
        return {"live_frame": export.data_url(self.png()), "live_text": self.text_html(), "live_alt": self.alt_text,
                "live_tables": self.figure.tables_html(self.step), "live_step": self.step}  # fmt: skip

    def frame_urls(self):
        """Every flipbook frame as a data URL (none in live mode)."""
        return [export.data_url(png) for png in self.frames]

    def text_html(self, step=None):
        """The status and detail of ``step`` (default: the current one) as HTML."""
        step = self.step if step is None else step
        if hasattr(self.figure, "html"):
            return self.figure.html(step)
        return step_text_html(self.figure.status(step), self.figure.detail(step))

    def step_words(self):
        """Every step's text (HTML), alt text and numbers as tables (an empty list when the figure has none)."""
        steps = range(1, self.n_steps + 1)
        texts, alts = [self.text_html(k) for k in steps], [self.figure.describe(k) for k in steps]
        tables = [self.figure.tables_html(k) for k in steps]
        return texts, alts, tables if any(tables) else []

    @property
    def status(self):
        """The status line of the current step."""
        return self.figure.status(self.step)

    @property
    def detail(self):
        """The detail line (arithmetic, facts) of the current step."""
        return self.figure.detail(self.step)

    @property
    def alt_text(self):
        """A text alternative of the current picture."""
        return self.figure.describe(self.step)


class StepperController(StepController):
    """The scan stepper's state (settings, scan, figure, frames, step) and what can be done to it.

    Parameters
    ----------
    image, detector, stride, padding, dilation, flip, scale, mode
        As for :func:`conv_lesson.stepper`; ``detector`` may be a preset name.

    Attributes
    ----------
    scan : conv_lesson.ops.Scan
    figure : conv_lesson.draw.StepperFigure
    mode : str
        ``'flipbook'`` or ``'live'`` for the current settings.
    frames : list of bytes
        Every step's PNG in flipbook mode; empty in live mode.
    step : int
    preset_name : str or None
        The preset the detector was given as, if any.

    Examples
    --------
    >>> from conv_lesson import data
    >>> c = StepperController(data.face_image(), data.face_detector())
    >>> c.mode, c.n_steps, c.set_step(14).value
    ('flipbook', 25, 2)
    >>> c.set_stride(2).n_steps, c.step
    (9, 9)
    """

    def __init__(self, image, detector, *, stride=1, padding=0, dilation=1, flip=False, scale=1.0, mode="auto"):
        self.preset_name = None
        if isinstance(detector, str):
            preset = data.find_preset(detector)
            detector, self.preset_name = preset.array(), preset.name
        stride = check_int(stride, "stride", 1)
        self.scale = check_scale(scale)
        self.image = image
        self.figure = None
        settings = {"detector": detector, "padding": padding, "dilation": dilation, "flip": bool(flip)}
        self._scan = Scan(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip)
        super().__init__(self._figure, settings, mode=mode)

    def _figure(self, **settings):
        """The figure of the scan just checked (the matplotlib Figure is kept from one build to the next)."""
        return StepperFigure(self._scan, scale=self.scale, figure=None if self.figure is None else self.figure.figure)

    @property
    def scan(self):
        """The current :class:`conv_lesson.ops.Scan`."""
        return self.figure.scan

    @property
    def stride_max(self):
        """The largest stride at which the window still moves (see :meth:`conv_lesson.ops.Scan.largest_stride`)."""
        return self.scan.largest_stride()

    @property
    def view(self):
        """The :class:`conv_lesson.ops.StepView` of the current step."""
        return self._shown

    def set_step(self, step):
        """Make ``step`` the current one; return its StepView."""
        super().set_step(step)
        return self._shown

    def _rebuild(self, scan, settings):
        self._scan = scan
        self.settings = settings
        self._build(self._figure(**settings), self.step)
        return self

    def set_stride(self, stride):
        """Scan at ``stride`` (same arrays, nothing checked again but the stride); returns self."""
        return self._rebuild(self.scan.with_stride(check_int(stride, "stride", 1)), self.settings)

    def change(self, **settings):
        """Rebuild with a new ``image``, ``detector``, ``padding``, ``dilation`` or ``flip``; returns self.

        The new settings are checked first (a new Scan): on an error nothing
        changes. A stride larger than the new settings allow is lowered; the
        step stays where it was (or the last step, if there are fewer now).
        """
        unknown = set(settings) - set(self.settings) - {"image"}
        if unknown:
            names = ", ".join(["image", *self.settings])
            raise TypeError(f"change takes {names}; got {', '.join(sorted(unknown))}")
        image = settings.pop("image", self.image)
        new = {**self.settings, **settings}
        scan = Scan(image, new["detector"], stride=self.scan.stride[0], padding=new["padding"],
                    dilation=new["dilation"], flip=new["flip"])  # fmt: skip
        if scan.stride[0] > scan.largest_stride():
            scan = scan.with_stride(scan.largest_stride())
        self.image = image
        return self._rebuild(scan, new)

    def step_words(self):
        """Every step's status and arithmetic as HTML, its alt text and its numbers as tables (the scan's steps
        made once for all three)."""
        views = self.scan.steps()
        return ([step_html(v) for v in views], [alt_text(self.scan, v) for v in views],
                [step_tables_html(v) for v in views])  # fmt: skip

    def shown_feature_map(self):
        """The feature map at the current step: float, NaN where not yet filled."""
        return self._shown.feature_map.copy()

    def matching_preset(self, names):
        """The first of ``names`` whose preset equals the current detector, or None."""
        arr = np.asarray(self.settings["detector"], dtype=float)
        for name in names:
            preset = data.detector(name)
            if preset.shape == arr.shape and np.allclose(preset, arr):
                return name
        return None

    def save_animation(self, path, *, fps=2, progress_callback=None):
        """Write the whole stepping (with captions, matches highlighted) as a GIF or MP4."""
        fig = StepperFigure(self.scan, scale=self.scale, caption=True)
        return fig.save_animation(path, fps=fps, progress_callback=progress_callback)
