"""Controls for the lessons, with ipywidgets and anywidget only, wired to :mod:`conv_lesson.draw`.

A callback never fails silently: errors are shown inside the widget.

- :mod:`.common`: the error box, the static picture, presenter scale;
- :mod:`.frameview`: the flipbook picture and the step buttons (JavaScript in ``static/``);
- :mod:`.stepper`: the stepper, a controller and its view;
- :mod:`.slide`: the flip-and-slide widget;
- :mod:`.upload`: a student's own picture.
"""

from .common import error_html
from .controller import FLIPBOOK_MAX_STEPS, StepperController
from .frameview import FrameView, StepButtons
from .slide import Slide1D, slide_1d
from .stepper import Stepper, stepper
from .upload import ImageUpload

__all__ = [
    "error_html",
    "FLIPBOOK_MAX_STEPS",
    "StepperController",
    "FrameView",
    "StepButtons",
    "Slide1D",
    "slide_1d",
    "Stepper",
    "stepper",
    "ImageUpload",
]
