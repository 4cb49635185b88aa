"""The lessons' widgets as a page shows them with no kernel: one offline form per widget kind, chosen here.

A page of the site or a slide deck has no Python behind it. While a lesson is
executed for one (:func:`conv_lesson.publish.execute_lesson`), its kernel loads
this module as an IPython extension (:func:`load_ipython_extension`): each
widget the lesson displays is then displayed as its offline form instead
(:func:`offline_form`), a widget that works from states computed now. A
stepper becomes one flipbook per stride it offers (1 to 3) and per flip, chosen
by toggle buttons linked to a ``Stack`` in the browser; the flip-and-slide a
flipbook of :data:`SLIDE_POSITIONS` positions; the learning-rate slider the
pictures of :data:`STORED_RATES`. A control whose states cannot all be stored
(the detector and padding menus, drawing on a grid, uploading, a stepper with
too many steps) is replaced by a visible note saying it needs a running
notebook: nothing in the page is silently dead. What the page stores of each
is made small here too (:func:`stored_small`): a flipbook as key frames and
patches, every other picture with a small palette (:mod:`.frames`).

The widgets know nothing of this: they import nothing from ``publish``.
"""

from __future__ import annotations

import base64
import html
import re

import ipywidgets
import numpy as np

from ..draw.flip_slide import slide_figure
from ..widgets.controller import StepController
from ..widgets.drawing import DrawYourOwn
from ..widgets.flip_slide import Slide1D
from ..widgets.frameview import FrameView
from ..widgets.gallery import GalleryExplorer, ThumbnailPicker, detector_table_html
from ..widgets.learning import LearningRateExplorer, titles_text
from ..widgets.slider import Slider
from ..widgets.stepper import Stepper
from ..widgets.stepper_view import StepperView
from ..widgets.upload import ImageUpload
from .frames import compact_frame, delta_frames

__all__ = [
    "STORED_STRIDES",
    "SLIDE_POSITIONS",
    "STORED_RATES",
    "STORED_COLOURS",
    "LIVE_NOTE",
    "MENU_NOTE",
    "GRID_NOTE",
    "UPLOAD_NOTE",
    "stored_strides",
    "needs_kernel_note",
    "offline_stepper",
    "offline_form",
    "stored_small",
    "load_ipython_extension",
]

#: Strides stored in an offline stepper (up to the largest at which the window moves).
STORED_STRIDES = 3
#: Positions of t stored in an offline flip-and-slide: its frames.
SLIDE_POSITIONS = 13
#: The learning rates stored in an offline learning-rate slider, with its starting rate: 0.1, 0.316
#: and the three the lesson's text names (0.708 converges, 0.794 is just past the limit, 0.891 blows up).
STORED_RATES = tuple(10**e for e in (-1.0, -0.5, -0.15, -0.1, -0.05))
#: The colours of a stored picture's palette (:mod:`.frames`).
STORED_COLOURS = 16
_PNG_URL = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
#: Under a stepper too large to store as frames.
LIVE_NOTE = (
    "Stepping through this picture needs a running notebook (open the lesson in JupyterLab): "
    "it has too many steps to store in this page."
)
#: Above an offline stepper that had a detector or padding menu.
MENU_NOTE = (
    "The detector and padding menus need a running notebook (open the lesson in JupyterLab); "
    "here, the stored choices below work."
)
#: Above the stepper of "draw your own", instead of the grids.
GRID_NOTE = (
    "Drawing on the grid and typing the detector's numbers need a running notebook "
    "(open the lesson in JupyterLab); here you can step through the drawing it starts with."
)
#: Instead of the upload button.
UPLOAD_NOTE = (
    "Uploading your own picture needs a running notebook (open the lesson in JupyterLab); "
    "this page uses the bundled photo."
)


def stored_strides(stride, stride_max):
    """The strides an offline stepper stores: 1 to 3 (as far as the window moves), and its own.

    Parameters
    ----------
    stride : int
        The stepper's stride.
    stride_max : int
        The largest stride at which the window still moves.

    Returns
    -------
    list of int

    Examples
    --------
    >>> stored_strides(1, 4), stored_strides(2, 2), stored_strides(5, 6)
    ([1, 2, 3], [1, 2], [1, 2, 3, 5])
    """
    for name, value in (("stride", stride), ("stride_max", stride_max)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1; got {value!r}")
    return sorted(set(range(1, min(STORED_STRIDES, stride_max) + 1)) | {stride})


def needs_kernel_note(text):
    """A visible note (an HTML widget) that a control needs a running notebook.

    Parameters
    ----------
    text : str

    Returns
    -------
    ipywidgets.HTML

    Examples
    --------
    >>> "needs-kernel" in needs_kernel_note("Uploading needs a running notebook.").value
    True
    """
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty str; got {text!r}")
    return ipywidgets.HTML(
        f'<div class="conv-lesson-needs-kernel" role="note" style="border-left:4px solid #e69f00;'
        f'padding:0.2em 0.6em;background:#fff8e6">⚠ {html.escape(text)}</div>'
    )


def _choice(description, options, children, start, css):
    """Toggle buttons that show one of ``children`` (a Stack), linked in the browser."""
    # auto width: the flip choices' labels ("yes: true convolution") are cut off at the default width
    toggle = ipywidgets.ToggleButtons(
        options=options, index=start, description=description, style={"button_width": "auto"}
    )
    toggle.add_class(f"conv-lesson-{css}-choice")
    stack = ipywidgets.Stack(children, selected_index=start)
    stack.add_class(f"conv-lesson-{css}-stack")
    ipywidgets.jslink((toggle, "index"), (stack, "selected_index"))
    return ipywidgets.VBox([toggle, stack])


def offline_stepper(stepper):
    """The form of ``stepper`` that works in a page with no kernel.

    Parameters
    ----------
    stepper : conv_lesson.widgets.Stepper

    Returns
    -------
    ipywidgets.Widget
        A VBox choosing between flipbooks (one per stored stride, and per
        flip when the stepper has the flip control; its own stride only when
        it has no stride control); for a stepper in live mode, its finished
        picture with a note that stepping needs a kernel.

    Examples
    --------
    >>> from conv_lesson import data, stepper
    >>> box = offline_stepper(stepper(data.face_image(), data.face_detector()))
    >>> [b.description for b in box.children[0].children[:1]]
    ['stride']
    """
    if not isinstance(stepper, Stepper):
        raise TypeError(f"stepper must be a Stepper; got {type(stepper).__name__}")
    c = stepper.controller
    if c.mode == "live":
        return ipywidgets.HTML(stepper.saved_picture_html(LIVE_NOTE))
    # a stepper whose stride the lesson fixes (no stride slider) stores that stride only
    strides = stored_strides(c.scan.stride[0], c.stride_max) if stepper.stride_control else [c.scan.stride[0]]
    flips = [False, True] if stepper.flip_box is not None else [c.settings["flip"]]

    def by_stride(flip):
        children = []
        for s in strides:
            child = Stepper(
                c.image, c.settings["detector"], stride=s, padding=c.settings["padding"],
                dilation=c.settings["dilation"], flip=flip, scale=c.scale, mode="flipbook",
                stride_control=False,  # the toggle buttons above choose the stride
            )  # fmt: skip
            children.append(child)
        if len(children) == 1:
            return children[0]
        return _choice("stride", [(str(s), s) for s in strides], children, strides.index(c.scan.stride[0]), "stride")

    body = by_stride(flips[0]) if len(flips) == 1 else None
    if body is None:
        options = [("no: cross-correlation", 0), ("yes: true convolution", 1)]
        body = _choice("flip", options, [by_stride(f) for f in flips], int(c.settings["flip"]), "flip")
    notes = [needs_kernel_note(MENU_NOTE)] if (stepper.detector_menu or stepper.padding_menu) else []
    box = ipywidgets.VBox(notes + [body])
    box.add_class("conv-lesson-published")
    return box


def _offline_flipbook(widget):
    """The same flipbook without its setting sliders, and a note saying they need a kernel."""
    c = widget.controller
    if c.mode == "live":
        return ipywidgets.HTML(widget.saved_picture_html(LIVE_NOTE))
    if not widget.controls:
        return None
    plain = StepperView(StepController(c.make_figure, c.settings, mode="flipbook"), name=widget.name,
                            scale=widget.scale)  # fmt: skip
    labels = ", ".join(slider.description for slider in widget.controls.values())
    note = needs_kernel_note(f"Changing the settings ({labels}) needs a running notebook (open the lesson "
                             "in JupyterLab); stepping works here.")  # fmt: skip
    return ipywidgets.VBox([note, plain])


class _StoredSteps:
    """Some steps of a stepped figure, as a stepped figure of their own (step k is the figure's ``steps[k - 1]``)."""

    def __init__(self, figure, steps):
        self._figure, self._steps = figure, [int(k) for k in steps]
        self.n_steps, self.step, self.step_name = len(self._steps), None, figure.step_name
        self.set_step(1)

    def set_step(self, step):
        self._figure.set_step(self._steps[step - 1])
        self.step = step
        return step

    def _at(self, step):
        return self._steps[(self.step if step is None else step) - 1]

    def frame_png(self, step=None):
        return self._figure.frame_png(self._at(step))

    def frames(self, progress=None, *, start=1):
        return [self.frame_png(k) for k in range(start, self.n_steps + 1)]

    def step_labels(self):
        labels = self._figure.step_labels()
        return [labels[k - 1] for k in self._steps] if labels else []

    def smallest_text_px(self):
        return self._figure.smallest_text_px()

    def status(self, step=None):
        return self._figure.status(self._at(step))

    def detail(self, step=None):
        return self._figure.detail(self._at(step))

    def describe(self, step=None):
        return self._figure.describe(self._at(step))

    def tables_html(self, step=None):
        return self._figure.tables_html(self._at(step))


def _offline_slide(widget):
    """A flipbook of :data:`SLIDE_POSITIONS` positions of t, stepping with no kernel."""
    fig = slide_figure(widget.slide_figure.preset, scale=widget.scale)
    steps = np.unique(np.linspace(1, fig.n_steps, min(fig.n_steps, SLIDE_POSITIONS)).round().astype(int))
    stored = _StoredSteps(fig, steps)
    controller = StepController(lambda: stored, {}, mode="flipbook")
    controller.set_step(int(np.argmin(np.abs(steps - widget.controller.step))) + 1)
    view = StepperView(controller, name=widget.name, speed=2.5, scale=widget.scale)
    box = ipywidgets.VBox([ipywidgets.HTML(widget.about.value), view])
    for css in (Slide1D.CSS_CLASS, "conv-lesson-published"):
        box.add_class(css)
    return box


def _offline_learning_rates(widget):
    """A slider over the stored rates (:data:`STORED_RATES`), each with its picture."""
    now = float(widget.rate.value)
    rates = sorted(set(STORED_RATES) | {now})
    pages = []
    for rate in rates:
        png, least, titles = widget.curves(rate)
        caption = titles_text(titles)
        text = ipywidgets.HTML(f'<div class="conv-lesson-status">{html.escape(caption)}</div>')
        pages.append(ipywidgets.VBox([ipywidgets.HTML(widget.picture_html(png, least, titles)), text]))
    slider = Slider(value=rates.index(now), min=0, max=len(rates) - 1, labels=[f"{r:.3g}" for r in rates],
                    description="learning rate", layout=ipywidgets.Layout(width=widget.rate.layout.width))  # fmt: skip
    slider.add_class("conv-lesson-learning-rate")
    stack = ipywidgets.Stack(pages, selected_index=slider.value)
    ipywidgets.jslink((slider, "value"), (stack, "selected_index"))
    note = needs_kernel_note(
        "Here the slider moves between the rates stored in this page; "
        "any other rate needs a running notebook (open the lesson in JupyterLab)."
    )
    box = ipywidgets.VBox([slider, note, stack])
    box.add_class("conv-lesson-published")
    return box


def _offline_gallery(widget):
    """The same thumbnails, each click showing a stored card and stepper (a ``jslink``)."""
    c = widget.stepper.controller
    pages = []
    for thumb in widget.thumbnails:
        card = ipywidgets.HTML(detector_table_html(thumb.name, thumb.description, thumb.detector))
        one = Stepper(c.image, thumb.detector, scale=c.scale, mode=c.mode_wanted)
        pages.append(ipywidgets.VBox([card, offline_stepper(one)]))
    p = widget.picker
    picker = ThumbnailPicker(images=p.images, names=p.names, selected=p.selected, thumb_px=p.thumb_px)
    stack = ipywidgets.Stack(pages, selected_index=p.selected)
    stack.add_class("conv-lesson-gallery-stack")
    ipywidgets.jslink((picker, "selected"), (stack, "selected_index"))
    box = ipywidgets.VBox([picker, stack])
    box.add_class("conv-lesson-gallery-explorer")
    return box


def _offline_drawing(widget):
    return ipywidgets.VBox([needs_kernel_note(GRID_NOTE), offline_stepper(widget.stepper)])


class _Note:
    """What the upload button becomes: the note as HTML, no widget."""

    def __init__(self, plain, text):
        self.plain, self.text = plain, text

    def _repr_mimebundle_(self, **kwargs):
        return {"text/plain": self.plain, "text/html": needs_kernel_note(self.text).value}


def _offline_upload(widget):
    return _Note(f"ImageUpload: {widget.source}", UPLOAD_NOTE)


#: Each widget kind with an offline form, and the function that makes it (the first match along the MRO).
FORMS = {
    Stepper: offline_stepper,
    StepperView: _offline_flipbook,
    Slide1D: _offline_slide,
    LearningRateExplorer: _offline_learning_rates,
    GalleryExplorer: _offline_gallery,
    DrawYourOwn: _offline_drawing,
    ImageUpload: _offline_upload,
}


def offline_form(widget):
    """What ``widget`` becomes in a page with no kernel, or None when it works there as it is.

    Parameters
    ----------
    widget : object
        Anything a lesson displays.

    Returns
    -------
    ipywidgets.Widget or None
        None when it works there as it is; the upload button becomes a note that is no widget.

    Examples
    --------
    >>> from conv_lesson import data, stepper
    >>> type(offline_form(stepper(data.face_image(), data.face_detector()))).__name__
    'VBox'
    >>> offline_form("a string") is None
    True
    """
    for kind in type(widget).__mro__:
        if kind in FORMS:
            return FORMS[kind](widget)
    return None


def _compact_urls(value):
    """``value`` with every PNG data URL in it (a str, or a list of str) compacted; other values as they are."""
    compact = lambda match: compact_frame(base64.b64decode(match.group(1)), STORED_COLOURS)  # noqa: E731
    if isinstance(value, str):
        return _PNG_URL.sub(compact, value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return type(value)(_PNG_URL.sub(compact, v) for v in value)
    return value


def _widget_tree(widget):
    """``widget`` and every widget it holds in a synced trait (children, pages, pictures), each once."""
    seen, todo = set(), [widget]
    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        for name in w.keys:
            value = getattr(w, name)
            todo.extend(v for v in (value if isinstance(value, (list, tuple)) else [value])
                        if isinstance(v, ipywidgets.Widget))  # fmt: skip


def stored_small(widget):
    """Make what a page stores of ``widget`` small: each flipbook as key frames and patches, other pictures compacted.

    A flipbook's frames share one palette (:func:`.frames.delta_frames`;
    compacting one alone would change its colours); every other PNG data URL
    (a saved picture, a thumbnail) gets a palette of its own
    (:func:`.frames.compact_frame`). A flipbook already stored as patches is
    left as it is.

    Parameters
    ----------
    widget : ipywidgets.Widget
        Changed in place, with every widget it holds.

    Returns
    -------
    ipywidgets.Widget
        ``widget``.

    Examples
    --------
    >>> from conv_lesson import data, stepper
    >>> view = offline_stepper(stepper(data.face_image(), data.face_detector(), stride=3)).children[0].children[1]
    >>> flipbook = view.children[0].view
    >>> before = sum(map(len, flipbook.frames))
    >>> _ = stored_small(view)
    >>> len(flipbook.patches) == len(flipbook.frames), sum(map(len, flipbook.frames)) < before / 3
    (True, True)
    """
    if not isinstance(widget, ipywidgets.Widget):
        raise TypeError(f"widget must be an ipywidgets Widget; got {type(widget).__name__}")
    for w in _widget_tree(widget):
        if isinstance(w, FrameView):
            if w.frames and len(w.patches) != len(w.frames):
                w.frames, w.patches = delta_frames(w.frames, STORED_COLOURS)
            continue
        for name in w.keys:
            value = getattr(w, name)
            small = _compact_urls(value)
            if small != value:
                setattr(w, name, small)
    return widget


def _display_offline(widget):
    """IPython's mime-bundle printer for a widget with an offline form: that form, stored small."""
    form = offline_form(widget)
    shown = widget if form is None else form
    if isinstance(shown, ipywidgets.Widget):
        stored_small(shown)
    return shown._repr_mimebundle_()


def load_ipython_extension(ipython):
    """Display every widget with an offline form as that form, in this IPython (``%load_ext``).

    The site and slides builds start the lessons' kernels with this
    extension loaded (``--IPKernelApp.extensions``).

    Parameters
    ----------
    ipython : IPython.core.interactiveshell.InteractiveShell

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from IPython.core.formatters import DisplayFormatter
    >>> from conv_lesson import data, stepper
    >>> shell = SimpleNamespace(display_formatter=DisplayFormatter())
    >>> load_ipython_extension(shell)
    >>> bundle, _ = shell.display_formatter.format(stepper(data.face_image(), data.face_detector()))
    >>> bundle["text/plain"][:41]
    'VBox(children=(VBox(children=(ToggleButto'
    """
    printers = ipython.display_formatter.mimebundle_formatter
    for kind in FORMS:
        printers.for_type(kind, _display_offline)
