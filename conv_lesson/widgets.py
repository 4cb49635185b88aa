"""Controls for the lessons, with ipywidgets, wired to :mod:`conv_lesson.draw`.

A callback never fails silently: errors are shown inside the widget.
"""

from __future__ import annotations

# ===== stepper widget (helper: stepper) =====================================

import base64
import functools
import html as _html
import math
import numbers
import traceback
import uuid

import anywidget
import ipywidgets
import numpy as np
import traitlets

from . import data, draw, ops
from .draw import StepperFigure, _check_scale, arithmetic_line, status_line

#: Steppers with at most this many steps are flipbooks (every frame rendered
#: up front, switched in the browser); larger ones render live per step.
FLIPBOOK_MAX_STEPS = 400
#: ...and only while all their frames together stay under this many bytes.
FLIPBOOK_MAX_BYTES = 16_000_000

_MODES = ("auto", "flipbook", "live")

_FRAMEVIEW_ESM = r"""
function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

function render({ model, el }) {
  el.classList.add("conv-lesson-frameview");
  const style = document.createElement("style");
  const figure = document.createElement("div");
  figure.className = "conv-lesson-figure";
  figure.tabIndex = 0;
  figure.setAttribute("data-lm-suppress-shortcuts", "true");
  figure.setAttribute("aria-label", "figure of the current step; the left and right arrow keys step, Home and End jump to the first and last step");
  const img = document.createElement("img");
  img.className = "conv-lesson-frame";
  img.draggable = false;
  figure.appendChild(img);
  const text = document.createElement("div");
  text.className = "conv-lesson-text";
  el.append(style, figure, text);

  let cache = [];
  function preload() {
    // decode every frame once, so that switching never shows a blank picture
    cache = (model.get("frames") || []).map((src) => {
      const im = new Image();
      im.src = src;
      if (im.decode) im.decode().catch(() => {});
      return im;
    });
  }
  function show() {
    let src = "", html = "", alt = "", step = model.get("index");
    if (model.get("mode") === "live") {
      src = model.get("live_frame");
      html = model.get("live_text");
      alt = model.get("live_alt");
      step = model.get("live_step");
    } else {
      const frames = model.get("frames") || [];
      if (frames.length) {
        const i = clamp(step, 1, frames.length) - 1;
        src = frames[i];
        html = (model.get("texts") || [])[i] || "";
        alt = (model.get("alts") || [])[i] || "";
        step = i + 1;
      }
    }
    if (src && img.getAttribute("src") !== src) img.setAttribute("src", src);
    if (img.alt !== alt) img.alt = alt;
    if (text.innerHTML !== html) text.innerHTML = html;
    img.dataset.step = String(step);
    el.dataset.mode = model.get("mode");
    if (style.textContent !== model.get("scoped_css")) style.textContent = model.get("scoped_css");
  }
  figure.addEventListener("keydown", (e) => {
    const n = Math.max(model.get("count"), 1);
    const v = model.get("index");
    const moves = { ArrowRight: v + 1, ArrowLeft: v - 1, Home: 1, End: n };
    if (!(e.key in moves)) return;
    e.preventDefault();
    e.stopPropagation();
    const next = clamp(moves[e.key], 1, n);
    if (next !== v) { model.set("index", next); model.save_changes(); }
  });
  const onFrames = () => { preload(); show(); };
  model.on("change:frames", onFrames);
  const events = ["index", "mode", "texts", "alts", "live_frame", "live_text", "live_alt", "live_step", "scoped_css"];
  for (const name of events) model.on(`change:${name}`, show);
  preload();
  show();
  return () => {
    model.off("change:frames", onFrames);
    for (const name of events) model.off(`change:${name}`, show);
  };
}
export default { render };
"""

_FRAMEVIEW_CSS = """
.conv-lesson-frameview { display: flex; flex-direction: column; align-items: flex-start; max-width: 100%; }
.conv-lesson-figure { max-width: 100%; line-height: 0; border-radius: 3px; }
.conv-lesson-figure:focus-visible { outline: 3px solid #0072b2; outline-offset: 2px; }
.conv-lesson-frame { max-width: 100%; height: auto; display: block; }
.conv-lesson-text { margin: 0.4em 0 0.2em 0.3em; line-height: 1.45; max-width: 100%; }
.conv-lesson-status { font-weight: 600; }
.conv-lesson-arithmetic { font-family: var(--jp-code-font-family, monospace); overflow-wrap: anywhere; }
.conv-lesson-arithmetic b { color: #a04000; }
"""

_BUTTONS_ESM = r"""
function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

function initialize({ model }) {
  // the speed (steps per second) sets the Play widget's interval, in the browser
  const sync = () => {
    const interval = Math.max(1, Math.round(1000 / Math.max(model.get("speed"), 0.01)));
    if (model.get("interval") !== interval) { model.set("interval", interval); model.save_changes(); }
  };
  model.on("change:speed", sync);
  return () => model.off("change:speed", sync);
}

function render({ model, el }) {
  el.classList.add("conv-lesson-stepbuttons");
  const go = (delta) => {
    const v = clamp(model.get("value") + delta, model.get("min"), model.get("max"));
    if (v !== model.get("value")) { model.set("value", v); model.save_changes(); }
  };
  const make = (cls, label, glyph, delta) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `jupyter-button widget-button ${cls}`;
    b.textContent = glyph;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => go(delta));
    return b;
  };
  const prev = make("conv-lesson-prev", "previous step", "\u25C0", -1);
  const next = make("conv-lesson-next", "next step", "\u25B6", 1);
  el.append(prev, next);
  const update = () => {
    const v = model.get("value");
    prev.setAttribute("aria-disabled", String(v <= model.get("min")));
    next.setAttribute("aria-disabled", String(v >= model.get("max")));
  };
  const events = ["value", "min", "max"];
  for (const name of events) model.on(`change:${name}`, update);
  update();
  return () => { for (const name of events) model.off(`change:${name}`, update); };
}
export default { initialize, render };
"""

_BUTTONS_CSS = """
.conv-lesson-stepbuttons { display: flex; gap: var(--jp-widgets-inline-margin, 4px); margin: var(--jp-widgets-margin, 2px); }
.conv-lesson-stepbuttons .jupyter-button { width: auto; min-width: calc(var(--jp-widgets-inline-height, 28px) * 1.4); height: var(--jp-widgets-inline-height, 28px); font-size: var(--jp-widgets-font-size, 13px); padding: 0 0.6em; }
.conv-lesson-stepbuttons .jupyter-button[aria-disabled="true"] { opacity: 0.45; }
"""


class FrameView(anywidget.AnyWidget):
    """The stepper's picture and its text, switched in the browser.

    In ``'flipbook'`` mode it holds every frame (PNG data URLs) with its
    status/arithmetic HTML and alt text, and shows the one at ``index``;
    the stepper links ``index`` to its step slider with ``jslink``, so
    stepping needs no kernel. In ``'live'`` mode the kernel sends one frame
    at a time (``live_frame``). The DOM is the same in both modes: a
    ``div.conv-lesson-figure`` (focusable; arrow keys step) holding
    ``img.conv-lesson-frame`` (with ``alt`` text and ``data-step``), then
    ``div.conv-lesson-text`` holding ``div.conv-lesson-status`` and
    ``div.conv-lesson-arithmetic``.

    Examples
    --------
    >>> view = FrameView(frames=["data:image/png;base64,", "data:image/png;base64,"], index=2)
    >>> view.mode, view.index
    ('flipbook', 2)
    """

    _esm = _FRAMEVIEW_ESM
    _css = _FRAMEVIEW_CSS
    mode = traitlets.Unicode("flipbook").tag(sync=True)
    frames = traitlets.List(traitlets.Unicode()).tag(sync=True)
    texts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    alts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    index = traitlets.Int(1).tag(sync=True)
    count = traitlets.Int(1).tag(sync=True)
    live_frame = traitlets.Unicode("").tag(sync=True)
    live_text = traitlets.Unicode("").tag(sync=True)
    live_alt = traitlets.Unicode("").tag(sync=True)
    live_step = traitlets.Int(1).tag(sync=True)
    scoped_css = traitlets.Unicode("").tag(sync=True)


class StepButtons(anywidget.AnyWidget):
    """Previous/next buttons that work in the browser with no kernel.

    ``value`` is linked to the step slider with ``jslink``; ``speed``
    (steps per second) sets ``interval`` (milliseconds), which is linked to
    the Play widget. The buttons are ``button.conv-lesson-prev`` and
    ``button.conv-lesson-next``.

    Examples
    --------
    >>> b = StepButtons(value=1, min=1, max=3)
    >>> b.next(); b.next(); b.next(); b.value
    3
    >>> b.previous(); b.value
    2
    """

    _esm = _BUTTONS_ESM
    _css = _BUTTONS_CSS
    value = traitlets.Int(1).tag(sync=True)
    min = traitlets.Int(1).tag(sync=True)
    max = traitlets.Int(1).tag(sync=True)
    speed = traitlets.Float(2.0).tag(sync=True)
    interval = traitlets.Int(500).tag(sync=True)

    def next(self):
        """One step forward (stops at ``max``)."""
        self.value = min(self.value + 1, self.max)

    def previous(self):
        """One step back (stops at ``min``)."""
        self.value = max(self.value - 1, self.min)

    @traitlets.observe("speed")
    def _speed_changed(self, change):
        self.interval = _interval(change.new)


def _interval(speed):
    return max(1, round(1000 / max(float(speed), 0.01)))


def _data_url(png):
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _from_frontend(widget, name):
    """True while ``widget.name`` is being set by the browser (not from Python)."""
    return name in getattr(widget, "_property_lock", {})


def _arithmetic_html(text, binary):
    """The arithmetic line as HTML; for 0/1 arrays the matching terms in bold."""
    if not binary:
        return _html.escape(text)
    head, sep, tail = text.partition(" = ")
    terms = [f"<b>{t}</b>" if t == "1×1" else _html.escape(t) for t in head.split(" + ")]
    return " + ".join(terms) + _html.escape(sep + tail)


def _text_html(view):
    status = _html.escape(status_line(view))
    arithmetic = _arithmetic_html(arithmetic_line(view), view.matches is not None)
    return (f'<div class="conv-lesson-status">{status}</div>'
            f'<div class="conv-lesson-arithmetic">{arithmetic}</div>')


def _scoped_css(cls, scale):
    """CSS that enlarges every control inside the stepper by ``scale``."""
    px = lambda v: f"{v * scale:.1f}px"  # noqa: E731
    return (
        f".{cls} {{ --jp-widgets-font-size: {px(13)}; --jp-widgets-inline-height: {px(28)};"
        f" --jp-widgets-inline-label-width: {px(80)}; --jp-widgets-inline-width: {px(300)};"
        f" --jp-widgets-inline-width-short: {px(148)}; --jp-widgets-inline-margin: {px(4)};"
        f" --jp-widgets-slider-handle-size: {px(16)}; --jp-widgets-slider-track-thickness: {px(4)};"
        f" --jp-widgets-input-padding: {px(4)}; font-size: {px(13)}; }}\n"
        f".{cls} .conv-lesson-text {{ font-size: {px(15)}; }}\n"
        f".{cls} .widget-play .jupyter-button {{ font-size: {px(13)}; min-width: {px(34)}; }}\n"
        f".{cls} .conv-lesson-error {{ font-size: {px(13)}; }}\n"
    )


def _stride_max(image, detector, padding, dilation):
    """The largest stride at which the window still moves (at least 1).

    That is the padded size minus the window's extent, on the longer axis:
    at that stride the window visits two positions along it; any larger
    stride leaves a single position, the same as that stride plus one.
    """
    image_arr, det, geo = ops._prepare(image, detector, 1, padding, dilation, False)
    return max(1, max(n - k for n, k in zip(geo.padded_shape, geo.extent)))


def error_html(exc, context=None):
    """A visible error box for a widget: what failed, why, and the traceback folded away.

    Callbacks never let an exception vanish: they show this in the widget.

    Examples
    --------
    >>> "Could not draw" in error_html(ValueError("bad t"), "draw t = 2")
    True
    """
    what = f"<b>Could not {_html.escape(context)}</b>: " if context else "<b>⚠</b> "
    details = _html.escape("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return (
        '<div role="alert" style="color:#9a1c00;border:2px solid #d55e00;border-radius:4px;'
        'padding:0.3em 0.6em;background:#fff4ec;white-space:pre-wrap">'
        f"{what}<b>{_html.escape(type(exc).__name__)}:</b> {_html.escape(str(exc))}"
        f'<details><summary>details</summary><pre style="white-space:pre-wrap">{details}</pre></details>'
        "</div>"
    )


class _StaticPicture:
    """Display with a static picture of the first state beside the live widget.

    The display bundle carries, next to the widget view, a PNG of the frame
    shown when the cell ran and a short plain-text description. JupyterLab
    shows the live widget; a reader without a kernel or widget state (a static
    viewer, an HTML export) sees the picture; nbval compares the text, which
    is deterministic (the default widget repr would print every frame).
    """

    def _static_text(self):  # pragma: no cover - each widget says what it shows
        return type(self).__name__

    def __repr__(self):
        return self._static_text()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/plain"] = self._static_text()
        try:
            bundle["image/png"] = base64.b64encode(self.frame_png()).decode("ascii")
        except Exception:  # noqa: BLE001 - the live view still shows; never break display
            pass
        return bundle


_CUSTOM = "(your detector)"
_PADDING_CHOICES = [("0", 0), ("1", 1), ("2", 2), ("same", "same")]


class Stepper(_StaticPicture, ipywidgets.VBox):
    """Step through a convolution one window at a time (see :func:`stepper`).

    Attributes
    ----------
    step : ipywidgets.IntSlider
        The step shown, from 1 to the number of feature-map cells.
    stride : ipywidgets.IntSlider
        The stride, from 1 to the largest at which the window still moves.
    play : ipywidgets.Play
        Plays the steps (linked to ``step`` in the browser).
    speed : ipywidgets.FloatSlider
        Steps per second while playing.
    buttons : StepButtons
        Previous/next buttons.
    view : FrameView
        The picture and the text under it.
    error : ipywidgets.HTML
        Shows an error raised inside a callback (hidden when there is none).
    figure : matplotlib.figure.Figure
        The figure the frames are drawn from.
    detector_menu, padding_menu, flip_box : ipywidgets widget or None
        The optional controls, when asked for.
    mode : str
        ``'flipbook'`` or ``'live'``, for the current settings.
    last_error : Exception or None
        The last error a callback caught.
    """

    def __init__(self, image, detector, *, stride=1, padding=0, dilation=1, flip=False, scale=1.0,
                 presets=False, padding_control=False, flip_control=False, mode="auto"):
        detector, preset_name = self._resolve_detector(detector)
        stride = ops._check_int(stride, "stride", 1)
        scale = _check_scale(scale)
        for name, value in (("padding_control", padding_control), ("flip_control", flip_control)):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False; got {ops._describe(value)}")
        if not isinstance(mode, str) or mode not in _MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, _MODES))}; got {ops._short(mode)}")
        image_arr, det_arr, geo = ops._prepare(image, detector, stride, padding, dilation, flip)
        preset_names = self._resolve_presets(presets)
        self._image = np.array(image)
        self._params = {
            "detector": np.array(detector),
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "flip": bool(flip),
        }
        self.scale = scale
        self._mode_wanted = mode
        self._fig = None
        self.figure = None
        self._frames = []
        self._png = b""
        self._view = None
        self._quiet = False
        self.last_error = None
        self.mode = None

        s = scale
        px = lambda v: f"{round(v * s)}px"  # noqa: E731
        smax = max(_stride_max(self._image, detector, padding, dilation), stride)
        self.play = ipywidgets.Play(value=1, min=1, max=1, interval=500, show_repeat=True,
                                    tooltip="play / pause the steps", layout=ipywidgets.Layout(width="auto"))
        self.play.add_class("conv-lesson-play")
        self.buttons = StepButtons(value=1, min=1, max=1, speed=2.0)
        self.step = ipywidgets.IntSlider(value=1, min=1, max=1, description="step",
                                         layout=ipywidgets.Layout(width=px(440), flex="1 1 auto"))
        self.step.add_class("conv-lesson-step")
        self.speed = ipywidgets.FloatSlider(value=2.0, min=0.5, max=20.0, step=0.5, description="steps/s",
                                            readout_format=".1f", layout=ipywidgets.Layout(width=px(300)))
        self.speed.add_class("conv-lesson-speed")
        self.stride = ipywidgets.IntSlider(value=stride, min=1, max=smax, description="stride",
                                           continuous_update=False, layout=ipywidgets.Layout(width=px(300)))
        self.stride.add_class("conv-lesson-stride")
        extras = []
        self.detector_menu = None
        self.detector_note = None
        self._preset_arrays = {}
        if preset_names:
            options = list(preset_names)
            current = preset_name or self._matching_preset(self._params["detector"], options)
            if current is None:
                options = [_CUSTOM] + options
                current = _CUSTOM
                self._preset_arrays[_CUSTOM] = self._params["detector"]
            elif current not in options:
                options = [current] + options
            self.detector_menu = ipywidgets.Dropdown(options=options, value=current, description="detector",
                                                     layout=ipywidgets.Layout(width=px(320)))
            self.detector_menu.add_class("conv-lesson-detector")
            self.detector_note = ipywidgets.HTML(layout=ipywidgets.Layout(width="auto"))
            self._update_note()
            extras += [self.detector_menu, self.detector_note]
        self.padding_menu = None
        if padding_control:
            choices = list(_PADDING_CHOICES)
            value = self._padding_value(padding, choices)
            self.padding_menu = ipywidgets.Dropdown(options=choices, value=value, description="padding",
                                                    layout=ipywidgets.Layout(width=px(220)))
            self.padding_menu.add_class("conv-lesson-padding")
            extras.append(self.padding_menu)
        self.flip_box = None
        if flip_control:
            self.flip_box = ipywidgets.Checkbox(value=bool(flip), description="flip the detector (true convolution)",
                                                indent=False, layout=ipywidgets.Layout(width="auto"))
            self.flip_box.add_class("conv-lesson-flip")
            extras.append(self.flip_box)
        self.error = ipywidgets.HTML(value="", layout=ipywidgets.Layout(display="none"))
        self.error.add_class("conv-lesson-error")
        self.view = FrameView()

        # In the browser: Play -> step slider -> picture and buttons, no kernel needed.
        self._links = [
            ipywidgets.jslink((self.play, "value"), (self.step, "value")),
            ipywidgets.jslink((self.step, "value"), (self.view, "index")),
            ipywidgets.jslink((self.step, "value"), (self.buttons, "value")),
            ipywidgets.jslink((self.speed, "value"), (self.buttons, "speed")),
            ipywidgets.jslink((self.buttons, "interval"), (self.play, "interval")),
        ]
        self.step.observe(self._guard(self._on_step), "value")
        self.play.observe(self._guard(self._on_play), "value")
        self.buttons.observe(self._guard(self._on_buttons), "value")
        self.view.observe(self._guard(self._on_view_index), "index")
        self.speed.observe(self._guard(self._on_speed), "value")
        self.stride.observe(self._guard(self._on_stride), "value")
        if self.detector_menu is not None:
            self.detector_menu.observe(self._guard(self._on_detector), "value")
        if self.padding_menu is not None:
            self.padding_menu.observe(self._guard(self._on_padding), "value")
        if self.flip_box is not None:
            self.flip_box.observe(self._guard(self._on_flip), "value")

        row1 = ipywidgets.HBox([self.play, self.buttons, self.step],
                               layout=ipywidgets.Layout(align_items="center", flex_flow="row wrap"))
        row2 = ipywidgets.HBox([self.speed, self.stride] + extras,
                               layout=ipywidgets.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__([row1, row2, self.error, self.view])
        self._rows = [row1, row2]
        self._css_class = "conv-lesson-stepper-" + uuid.uuid4().hex[:10]
        self.add_class("conv-lesson-stepper")
        self.add_class(self._css_class)
        self.view.scoped_css = _scoped_css(self._css_class, scale)
        self._rebuild(step=1)

    # ---------------------------------------------------------------- reading

    def shown_feature_map(self):
        """The feature map as shown at the current step: float, NaN where not yet filled.

        Examples
        --------
        >>> from conv_lesson import data
        >>> s = stepper(data.seed_image(), data.seed_detector())
        >>> s.step.value = 2
        >>> s.shown_feature_map()[0, :3]
        array([ 0.,  1., nan])
        """
        return self._view.feature_map.copy()

    def frame_png(self):
        """PNG bytes of the picture the browser shows at the current step."""
        return self._png

    @property
    def n_steps(self):
        """How many steps (feature-map cells) the current settings give."""
        return self._fig.n_steps

    @property
    def status(self):
        """The status line of the current step (plain text)."""
        return status_line(self._view)

    @property
    def arithmetic(self):
        """The products and their sum at the current step (plain text)."""
        return arithmetic_line(self._view)

    @property
    def alt_text(self):
        """A short text alternative of the current picture."""
        return self._fig.describe()

    def _static_text(self):
        return f"Stepper ({self.mode}). {self.alt_text}\n{self.status}\n{self.arithmetic}"

    def current_view(self):
        """The :class:`conv_lesson.ops.StepView` of the current step."""
        return self._view

    def next_step(self):
        """One step forward (as the next button does)."""
        self.buttons.value = self.step.value
        self.buttons.next()

    def previous_step(self):
        """One step back (as the previous button does)."""
        self.buttons.value = self.step.value
        self.buttons.previous()

    # ------------------------------------------------------------------ export

    def save_animation(self, path, *, fps=2, progress_callback=None):
        """Write the whole stepping as an animation for slides.

        Parameters
        ----------
        path : str or os.PathLike
            Ends in ``.gif`` (Pillow) or ``.mp4`` (needs ffmpeg).
        fps : float, default 2
            Steps per second.
        progress_callback : callable, optional
            ``progress_callback(done, total)`` after each frame.

        Returns
        -------
        pathlib.Path
            Where the file was written.
        """
        fig = StepperFigure(self._image, **self._params, scale=self.scale, caption=True)
        return fig.save_animation(path, fps=fps, progress_callback=progress_callback)

    # ---------------------------------------------------------------- plumbing

    def _guard(self, callback):
        """Wrap a callback so an error is shown in the widget, never raised."""

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                result = callback(*args, **kwargs)
            except Exception as exc:  # shown in the widget, not lost
                self._show_error(exc)
                return None
            return result

        return wrapper

    def _show_error(self, exc):
        self.last_error = exc
        self.error.value = error_html(exc)
        self.error.layout.display = None

    def _clear_error(self):
        if self.error.value:
            self.error.value = ""
            self.error.layout.display = "none"

    @staticmethod
    def _resolve_detector(detector):
        if isinstance(detector, str):
            return data.detector(detector), data._preset(detector).name
        return detector, None

    @staticmethod
    def _resolve_presets(presets):
        if presets is None or presets is False:
            return []
        if presets is True:
            return data.detector_names()
        if isinstance(presets, (str, bytes)) or not hasattr(presets, "__iter__"):
            raise TypeError(f"presets must be True, False or a list of preset names; got {ops._describe(presets)}")
        names = [data._preset(name).name for name in presets]
        if not names:
            raise ValueError("presets must name at least one detector; got an empty list")
        return names

    @staticmethod
    def _matching_preset(detector, names):
        arr = np.asarray(detector, dtype=float)
        for name in names:
            preset = data.detector(name)
            if preset.shape == arr.shape and np.allclose(preset, arr):
                return name
        return None

    @staticmethod
    def _padding_value(padding, choices):
        if isinstance(padding, str):
            word = padding.lower()
            return 0 if word == "valid" else word
        if isinstance(padding, (int, np.integer)) and 0 <= padding <= 2:
            return int(padding)
        choices.append((str(padding), padding))
        return padding

    def _update_note(self):
        name = self.detector_menu.value
        note = "your own detector" if name == _CUSTOM else data.describe_detector(name)
        self.detector_note.value = f'<span class="conv-lesson-detector-note">{_html.escape(note)}</span>'

    def _choose_mode(self, n_steps):
        if self._mode_wanted != "auto":
            return self._mode_wanted
        return "flipbook" if n_steps <= FLIPBOOK_MAX_STEPS else "live"

    def _rebuild(self, step=None):
        """Redraw the static part for the current settings and refresh everything."""
        p = self._params
        self._fig = StepperFigure(self._image, p["detector"], stride=p["stride"], padding=p["padding"],
                                  dilation=p["dilation"], flip=p["flip"], scale=self.scale, figure=self.figure)
        self.figure = self._fig.figure
        n = self._fig.n_steps
        mode = self._choose_mode(n)
        frames = []
        if mode == "flipbook":
            first = self._fig.frame_png(1)
            if self._mode_wanted == "auto" and len(first) * n > FLIPBOOK_MAX_BYTES:
                mode = "live"
            else:
                frames = [first] + self._fig.frames(start=2)
        self.mode = mode
        self._frames = frames
        new_step = min(self.step.value if step is None else step, n)
        self._quiet = True
        try:
            with self.view.hold_sync():
                if mode == "flipbook":
                    texts, alts = [], []
                    for k in range(1, n + 1):
                        view = self._fig.view(k)
                        texts.append(_text_html(view))
                        alts.append(self._fig.describe(k))
                    self.view.frames = [_data_url(png) for png in frames]
                    self.view.texts = texts
                    self.view.alts = alts
                    self.view.live_frame = self.view.live_text = self.view.live_alt = ""
                else:
                    self.view.frames, self.view.texts, self.view.alts = [], [], []
                self.view.count = n
                self.view.mode = mode
            for widget in (self.step, self.play, self.buttons):
                if n >= widget.max:
                    widget.max = n
                    widget.value = new_step
                else:
                    widget.value = new_step
                    widget.max = n
            self.view.index = new_step
        finally:
            self._quiet = False
        self._show(new_step)

    def _show(self, k, push_index=True):
        """Make step ``k`` the current one (Python state, and the live frame)."""
        view = self._fig.set_step(k)
        self._view = view
        if self.mode == "flipbook":
            self._png = self._frames[k - 1]
        else:
            self._png = self._fig.frame_png()
            with self.view.hold_sync():
                self.view.live_frame = _data_url(self._png)
                self.view.live_text = _text_html(view)
                self.view.live_alt = self._fig.describe()
                self.view.live_step = k
        if push_index:
            self._quiet = True
            try:
                self.view.index = k
                self.buttons.value = k
                self.play.value = k
            finally:
                self._quiet = False

    # ------------------------------------------------------------- callbacks

    def _on_step(self, change):
        if self._quiet:
            return
        # a change typed in the browser is already linked there: do not echo it
        self._show(change.new, push_index=not _from_frontend(self.step, "value"))
        self._clear_error()

    def _on_play(self, change):
        if self._quiet or _from_frontend(self.play, "value"):
            return  # from the browser the jslink moves the slider
        self.step.value = change.new

    def _on_buttons(self, change):
        if self._quiet or _from_frontend(self.buttons, "value"):
            return  # from the browser the jslink moves the slider
        self.step.value = change.new

    def _on_view_index(self, change):
        if self._quiet or _from_frontend(self.view, "index"):
            return
        self.step.value = min(max(change.new, 1), self.n_steps)

    def _on_speed(self, change):
        self.buttons.speed = change.new
        self.play.interval = _interval(change.new)

    def _apply(self, control, old, **changes):
        """Validate new settings, rebuild; on failure put the control back and report."""
        params = {**self._params, **changes}
        try:
            ops._prepare(self._image, params["detector"], params["stride"], params["padding"],
                         params["dilation"], params["flip"])
            smax = _stride_max(self._image, params["detector"], params["padding"], params["dilation"])
        except Exception:
            self._quiet = True
            try:
                control.value = old
            finally:
                self._quiet = False
            raise
        if params["stride"] > smax and control is not self.stride:
            params["stride"] = smax
        self._params = params
        self._quiet = True
        try:
            if smax >= self.stride.max:
                self.stride.max = smax
                self.stride.value = params["stride"]
            else:
                self.stride.value = params["stride"]
                self.stride.max = max(smax, params["stride"])
        finally:
            self._quiet = False
        self._rebuild()
        self._clear_error()

    def _on_stride(self, change):
        if self._quiet:
            return
        self._apply(self.stride, change.old, stride=change.new)

    def _on_detector(self, change):
        if self._quiet:
            return
        name = change.new
        arr = self._preset_arrays[name] if name == _CUSTOM else data.detector(name)
        self._apply(self.detector_menu, change.old, detector=arr)
        self._update_note()

    def _on_padding(self, change):
        if self._quiet:
            return
        self._apply(self.padding_menu, change.old, padding=change.new)

    def _on_flip(self, change):
        if self._quiet:
            return
        self._apply(self.flip_box, change.old, flip=bool(change.new))

    def close(self):
        """Close this widget and every widget it made."""
        for link in getattr(self, "_links", []):
            link.close()
        names = ("play", "buttons", "step", "speed", "stride", "detector_menu", "detector_note",
                 "padding_menu", "flip_box", "error", "view")
        for widget in [getattr(self, name, None) for name in names] + list(getattr(self, "_rows", [])):
            if widget is not None:
                widget.close()
        super().close()


def stepper(image, detector, *, stride=1, padding=0, dilation=1, flip=False, scale=1.0,
            presets=False, padding_control=False, flip_control=False, mode="auto"):
    """Step through a convolution: the window, the detector and the feature map, one cell at a time.

    One figure with three panels (the input with the current window, the
    detector, the feature map filled so far with the current cell
    outlined), the arithmetic of the step and a status line under it, and
    controls: Play, previous/next, a step slider, a speed slider and a
    stride slider. Small arrays show every cell's number.

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
    >>> s = stepper(data.seed_image(), data.seed_detector())
    >>> s.step.max, s.mode
    (25, 'flipbook')
    >>> s.step.value = 14
    >>> s.status
    'step 14 of 25 · window at row 2, column 3 · feature map cell (2, 3) = 2'
    >>> s.stride.value = 2  # 9 steps now: the step is clamped
    >>> s.step.max, s.step.value
    (9, 9)
    """
    return Stepper(image, detector, stride=stride, padding=padding, dilation=dilation, flip=flip,
                   scale=scale, presets=presets, padding_control=padding_control,
                   flip_control=flip_control, mode=mode)


# ===== slide_1d widget (helper: slide) ======================================
# Imports for this section live here so they do not clash with the stepper's.

#: ipywidgets' own sizes (JupyterLab 4 defaults), scaled for presenting.
_SLIDE_CSS_SIZES = {
    "--jp-widgets-font-size": 13,
    "--jp-widgets-inline-height": 28,
    "--jp-widgets-inline-width": 300,
    "--jp-widgets-inline-width-short": 148,
    "--jp-widgets-inline-width-tiny": 72,
    "--jp-widgets-inline-label-width": 80,
    "--jp-widgets-slider-handle-size": 16,
    "--jp-widgets-slider-track-thickness": 4,
}


def _slide_scale_css(scale):
    """A CSS class name and a <style> block: readable prose, controls enlarged by ``scale``.

    ipywidgets sizes its controls with CSS variables (``--jp-widgets-font-size``...);
    setting them on the widget's own class scales everything inside it, and nothing
    outside it.
    """
    cls = f"conv-lesson-scale-{round(scale * 100)}"
    rules = "; ".join(f"{k}: {v * scale:.1f}px" for k, v in _SLIDE_CSS_SIZES.items())
    return cls, (
        f"<style>.{cls} {{ {rules}; font-size: {13 * scale:.1f}px; }} "
        f".conv-lesson-slide-1d .widget-html-content {{ line-height: 1.45; }}</style>"
    )


class Slide1D(_StaticPicture, ipywidgets.VBox):
    """The flip-and-slide widget: see :func:`slide_1d` (which builds it)."""

    def __init__(self, f=None, g=None, *, preset=None, t_range=None, tau=None, step=None, t=None,
                 scale=1.0):
        scale = _check_scale(scale)
        custom = None
        if f is not None or g is not None:
            if preset is not None:
                raise TypeError(f"give either f and g, or preset, not both; got preset={preset!r} "
                                f"as well as f and g")
            custom = draw.custom_slide_preset(f, g, t_range=t_range, tau=tau, step=step)
            spec = custom
        else:
            for name, value in (("t_range", t_range), ("tau", tau), ("step", step)):
                if value is not None:
                    raise ValueError(f"{name} is only for your own f and g; a preset sets its own "
                                     f"(got {name}={ops._short(value)})")
            spec = draw.slide_preset("box*box" if preset is None else preset)
        if t is not None:
            if isinstance(t, (bool,)) or not isinstance(t, numbers.Real):
                raise TypeError(f"t must be a number (where the slider starts); "
                                f"got {ops._describe(t)}")
            lo, hi = float(spec.t_grid[0]), float(spec.t_grid[-1])
            if not (math.isfinite(t) and lo <= t <= hi):
                raise ValueError(f"t must be between {lo:g} and {hi:g} for {spec.name!r}; got {t}")
        self._custom = custom
        self._scale = scale
        self._quiet = False
        self.last_error = None
        self._fig = draw.SlideFigure(spec, scale=scale)
        if t is not None:
            self._fig.update(float(t))

        names = (["custom"] if custom is not None else []) + draw.slide_preset_names()
        self.preset = ipywidgets.Dropdown(options=names, value=spec.name, description="example",
                                        layout=ipywidgets.Layout(width="auto"))
        self.t = ipywidgets.FloatSlider(description="t", continuous_update=True,
                                      layout=ipywidgets.Layout(width="auto", flex=f"1 1 {round(360 * scale)}px"))
        self.play = ipywidgets.Play(interval=120, description="play", tooltip="play: slide t")
        self.about = ipywidgets.HTML()
        self.image = ipywidgets.Image(format="png")
        self.status = ipywidgets.HTML()
        self.picture_text = ipywidgets.HTML()
        self.error = ipywidgets.HTML(layout=ipywidgets.Layout(display="none"))
        self._configure_controls(self._fig.preset, self._fig.t)
        self._show_frame()

        self.t.observe(self._on_t, names="value")
        self.play.observe(self._on_play, names="value")
        self.preset.observe(self._on_preset, names="value")
        controls = ipywidgets.HBox([self.preset, self.play, self.t],
                                 layout=ipywidgets.Layout(align_items="center", width="100%",
                                                        flex_flow="row wrap"))
        for widget, role in ((self.about, "about"), (self.t, "t"), (self.image, "image"),
                             (self.status, "status"), (self.picture_text, "picture-text"), (self.error, "error")):
            widget.add_class(f"conv-lesson-slide-{role}")  # stable hooks for browser tests and styling
        children = [self.about, controls, self.image, self.status, self.picture_text, self.error]
        cls, css = _slide_scale_css(scale)
        children.insert(0, ipywidgets.HTML(css, layout=ipywidgets.Layout(margin="0")))
        super().__init__(children)
        self.add_class("conv-lesson-slide-1d")
        self.add_class(cls)

    # ---- public ---------------------------------------------------------------------

    @property
    def figure(self):
        """The matplotlib Figure being shown (rebuilt when the example changes)."""
        return self._fig.figure

    @property
    def slide_figure(self):
        """The :class:`conv_lesson.draw.SlideFigure` behind the picture."""
        return self._fig

    def _static_text(self):
        return f"slide_1d. {self._fig.alt_text()}\n{_html.unescape(self.status.value)}"

    def value(self):
        """(f*g) at the current t (n for sequences)."""
        return self._fig.value

    def frame_png(self):
        """The PNG bytes the widget is showing now."""
        return bytes(self.image.value)

    # ---- internals --------------------------------------------------------------------

    def _configure_controls(self, spec, t0):
        grid = spec.t_grid
        self._quiet = True
        try:
            with self.t.hold_trait_notifications():
                # widen first so no intermediate state has min > max
                self.t.min = min(self.t.min, float(grid[0]))
                self.t.max = max(self.t.max, float(grid[-1]))
                self.t.step = spec.step
                self.t.min, self.t.max = float(grid[0]), float(grid[-1])
                self.t.value = float(t0)
            self.t.description = "n" if spec.discrete else "t"
            self.t.readout_format = f".{self._fig._decimals}f"
            self.play.max = len(grid) - 1
            self.play.value = self._index(t0)
            self.about.value = f"<b>{_html.escape(spec.title)}.</b> {_html.escape(spec.about)}"
            self.picture_text.value = (f'<span style="color:#555">{_html.escape(self._fig.alt_text())}'
                                       "</span>")
        finally:
            self._quiet = False

    def _index(self, t):
        grid = self._fig.t_grid
        return int(min(range(len(grid)), key=lambda i: abs(grid[i] - t)))

    def _show_frame(self):
        self.image.value = self._fig.png()
        self.status.value = _html.escape(self._fig.status(), quote=False)
        self.error.value = ""
        self.error.layout.display = "none"

    def _fail(self, context, exc):
        self.last_error = exc
        self.error.value = error_html(exc, context)
        self.error.layout.display = ""

    def _on_t(self, change):
        if self._quiet:
            return
        try:
            self._fig.update(float(change["new"]))
            self._show_frame()
            self._quiet = True
            try:
                self.play.value = self._index(self._fig.t)
            finally:
                self._quiet = False
        except Exception as exc:  # shown in the widget, never lost
            self._fail(f"draw t = {change['new']}", exc)

    def _on_play(self, change):
        if self._quiet:
            return
        try:
            self.t.value = float(self._fig.t_grid[int(change["new"])])
        except Exception as exc:
            self._fail(f"step to frame {change['new']}", exc)

    def _on_preset(self, change):
        try:
            name = change["new"]
            spec = self._custom if name == "custom" else draw.slide_preset(name)
            fig = draw.SlideFigure(spec, scale=self._scale)  # the old one stays if this fails
            self._fig = fig
            self._configure_controls(spec, fig.t)
            self._show_frame()
        except Exception as exc:
            self._fail(f"switch to the example {change['new']!r}", exc)


def slide_1d(f=None, g=None, *, preset=None, t_range=None, tau=None, step=None, t=None, scale=1.0):
    """Flip and slide: watch ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` being built, t by t.

    A slider moves t. The picture shows f(τ) and g(t − τ) (g flipped, then
    slid to t) with their product shaded, and below, (f*g)(t) traced up to
    t; the value is written on the picture and a sentence under it says
    what is shown. The arrow keys step the focused slider; the play button
    slides t by itself. For sequences (such as two dice) the sum
    ``Σ_k f[k] g[n − k]`` is shown instead, with bars.

    Parameters
    ----------
    f, g : callable or array_like, optional
        Your own example: two vectorised functions of a numpy array, or two
        1-D sequences indexed from 0. Leave both out to use a preset.
    preset : str, optional
        One of ``'box*box'`` (the default), ``'noisy signal * box'``,
        ``'two dice'``, ``'exponential decay response'``; the widget's
        "example" menu switches between them.
    t_range : (float, float), optional
        Your own f and g only: the slider's range (see
        :func:`conv_lesson.draw.custom_slide_preset` for the defaults).
    tau : array_like, optional
        Your own functions only: the integration grid over τ.
    step : float, optional
        Your own functions only: the slider's step.
    t : float, optional
        Where the slider starts (default: the example's own start).
    scale : float, default 1.0
        Enlarges the picture, its fonts and the controls, for presenting
        (1.6 reads well from the back of a room).

    Returns
    -------
    Slide1D
        An ``ipywidgets.VBox``. ``.t`` is the slider (a ``FloatSlider``;
        setting ``.t.value`` redraws at once), ``.preset`` the example menu,
        ``.play`` the play button, ``.figure`` the matplotlib Figure,
        ``.frame_png()`` the PNG on show, ``.value()`` the current (f*g)(t),
        ``.status`` the sentence under the picture, ``.error`` where a
        failed redraw is reported (``.last_error`` keeps the exception).

    Raises
    ------
    TypeError, ValueError
        A bad argument, named in the message. Errors while the widget is
        in use are shown inside it instead of being raised.

    Examples
    --------
    >>> w = slide_1d()
    >>> w.t.value = 1.0
    >>> round(w.value(), 2)
    1.0
    >>> w.preset.value = "two dice"
    >>> w.t.value = 7
    >>> w.status.value
    'n = 7: the flipped g overlaps f at k = 1 to 6; the 6 products add up to (f*g)[7] = 6/36 ≈ 0.167, the chance that two dice sum to n.'
    """
    return Slide1D(f, g, preset=preset, t_range=t_range, tau=tau, step=step, t=t, scale=scale)


# ===== a student's own picture (lead) ========================================


class ImageUpload:
    """An upload button for a student's own picture, with the bundled photo as fallback.

    Display it, pick a PNG or JPEG, then use ``.image`` in the cells below.
    Until something is uploaded (and when a file cannot be read, which the
    widget says in words) ``.image`` is :func:`conv_lesson.photo` at the same
    size, so a notebook runs top to bottom without anyone clicking.

    Parameters
    ----------
    size : int or (int, int), default 64
        The picture is cropped to this aspect (centred) and resized.
    grayscale : bool, default True

    Examples
    --------
    >>> up = ImageUpload(size=16)
    >>> up.image.shape, up.source
    ((16, 16), 'the bundled photo')
    """

    def __init__(self, size=64, *, grayscale=True):
        import ipywidgets as W

        from .data import _check_size, photo

        self._size = _check_size(size)
        self._grayscale = grayscale
        self._image = photo(self._size, grayscale=grayscale)
        self.source = "the bundled photo"
        self.button = W.FileUpload(accept="image/png,image/jpeg,image/*", multiple=False,
                                   description="Your picture")
        self.status = W.HTML(self._status_text())
        self.widget = W.VBox([self.button, self.status])
        self.button.observe(self._on_upload, names="value")

    def _status_text(self, error=None):
        h, w = self._image.shape[:2]
        if error:
            return (f"<span style='color:#b00020'>Could not use that file: {error}</span><br>"
                    f"Still using {self.source} ({h}x{w}).")
        return f"Using {self.source} ({h}x{w}). Steppers created below this cell use it."

    def _on_upload(self, change):
        from .data import load_image

        files = change["new"]
        if not files:
            return
        item = files[0]
        try:
            self._image = load_image(bytes(item["content"]), size=self._size, grayscale=self._grayscale)
            self.source = f"your picture {item.get('name', '')!r}"
            self.status.value = self._status_text()
        except Exception as exc:  # noqa: BLE001 - shown to the student, never lost
            self.status.value = self._status_text(error=str(exc))

    @property
    def image(self):
        """The uploaded picture (or the bundled photo) as a float array in [0, 1]."""
        return self._image.copy()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle["text/plain"] = f"ImageUpload: {self.source}"
        return bundle
