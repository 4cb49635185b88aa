"""Every kind of stepper is one view of one controller, and behaves the same: one test, run over each kind.

The kinds: the scan stepper (lessons 02-05), the receptive-field view (07), the im2col and the
transposed-convolution steppers (08), the depthwise stepper (09), the flip-and-slide (01). Each is
built in flipbook and in live mode, and must show the same behaviour: Play driven by the step
buttons' clock at the speed set, the buttons and
their keys' targets, the guard against a backlog of live frames, and the rollback of a setting
that does not fit (shown in the widget, the control put back, nothing else changed).
"""

from __future__ import annotations

import numpy as np
import pytest

from conv_lesson import data
from conv_lesson.draw.depthwise import DepthwiseFigure
from conv_lesson.draw.im2col import Im2colFigure
from conv_lesson.draw.receptive import ReceptiveFieldFigure
from conv_lesson.draw.transposed import TransposedFigure
from conv_lesson.widgets import Slide1D, Stepper, StepperView, slide_1d
from conv_lesson.widgets.controller import StepController

IMAGE = data.face_image()
SMALL = np.arange(16.0).reshape(4, 4)
RGB = np.arange(48).reshape(4, 4, 3) % 5


def _scan(mode):
    return Stepper(IMAGE, data.face_detector(), mode=mode)


def _generic(make_figure, settings, key):
    def build(mode):
        return StepperView(StepController(make_figure, settings, mode=mode), controls={key: (key, 1, 3)})

    return build


KINDS = {
    "scan": _scan,
    "receptive": _generic(lambda stride: ReceptiveFieldFigure([(3, stride, 1), (3, 1, 1)]), {"stride": 1}, "stride"),
    "im2col": _generic(lambda stride: Im2colFigure(SMALL, np.ones((2, 2)), stride=stride), {"stride": 1}, "stride"),
    "transposed": _generic(
        lambda stride: TransposedFigure([[1, 2], [3, 4]], np.ones((2, 2)), stride=stride), {"stride": 1}, "stride"
    ),  # fmt: skip
    "depthwise": _generic(
        lambda stride: DepthwiseFigure(RGB, np.ones((3, 2, 2)), stride=stride), {"stride": 1}, "stride"
    ),  # fmt: skip
    "slide": lambda mode: slide_1d(preset="two dice", t=0, mode=mode),
}


def _setting(widget):
    """The first setting control: the scan stepper's stride, the slide's example, else the first declared slider."""
    if isinstance(widget, Slide1D):
        return widget.preset
    return widget.stride if isinstance(widget, Stepper) else next(iter(widget.controls.values()))


def _other(control):
    """Another value for ``control`` (a slider or a menu)."""
    if hasattr(control, "options"):
        return next(value for value in control.options if value != control.value)
    return control.value + 1 if control.value < control.max else control.value - 1


def _links(widget):
    from ipywidgets.widgets.widget import _instances
    from ipywidgets.widgets.widget_link import Link

    return [(w.source, w.target) for w in _instances.values() if isinstance(w, Link)]


@pytest.mark.parametrize("mode", ["flipbook", "live"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_stepper_kind_behaves_the_same(kind, mode):
    w = KINDS[kind](mode)
    assert isinstance(w, StepperView) and w.mode == mode and w.n_steps > 2

    # the buttons' clock plays the steps, in the browser: linked to the step slider and the speed
    links = _links(w)
    assert ((w.step, "value"), (w.buttons, "value")) in links and ((w.speed, "value"), (w.buttons, "speed")) in links
    assert ((w.step, "value"), (w.view, "index")) in links
    w.speed.value = 8.0
    assert w.buttons.speed == 8.0

    # the buttons (and what the arrow keys, Home and End do in the page: the same values)
    texts = set()
    for act, want in ((w.next_step, 2), (w.next_step, 3), (w.previous_step, 2), (w.finish_map, w.n_steps)):
        act()
        assert w.step.value == w.controller.step == w.view.index == w.buttons.value == want
        texts.add(w.status)
        if mode == "live":
            assert w.view.live_step == want and w.view.live_frame.startswith("data:image/png;base64,")
    assert len(texts) == 3  # each step says where it is
    w.step.value = 2

    # the live guard: a step set in the browser draws nothing until the picture asks for it
    w.step.set_state({"value": 3})  # as a message from the page
    if mode == "live":
        assert w.controller.step == 2 and w.view.live_step == 2
        w.view._handle_custom_msg({"request": 3}, [])
        assert w.controller.step == 3 and w.view.live_step == 3
    else:
        assert w.controller.step == 3  # the flipbook shows it already; the kernel follows
    assert w.last_error is None

    # rollback: a setting that does not fit is shown, the control goes back, nothing else changes
    control = _setting(w)
    before = (control.value, w.controller.n_steps, w.controller.step, w.frame_png())
    target = _other(control)

    def refuse(*args, **kwargs):
        raise ValueError("this setting does not fit")

    w.controller.change = w.controller.set_stride = refuse
    control.value = target
    assert isinstance(w.last_error, ValueError) and "does not fit" in w.error.value
    assert (control.value, w.controller.n_steps, w.controller.step, w.frame_png()) == before
    w.close()
