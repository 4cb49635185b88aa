"""Controls for the lessons, with ipywidgets and anywidget only, wired to :mod:`conv_lesson.draw`.

A callback never fails silently: errors are shown inside the widget.
What is exported here is what a lesson or an author builds with; the plumbing
(the controllers, the flipbook picture and its buttons) is imported from its
module (:mod:`.controller`, :mod:`.frameview`).

- :mod:`.common`: the error box, the static picture, presenter scale;
- :mod:`.frameview`: the flipbook picture and the step buttons (JavaScript in ``static/``);
- :mod:`.controller`, :mod:`.stepper_view`: every stepper's state (no widgets) and its one view;
- :mod:`.stepper`: the scan stepper (stride, detector, padding, flip);
- :mod:`.flip_slide`: the flip-and-slide widget;
- :mod:`.upload`: a student's own picture;
- :mod:`.grid`, :mod:`.drawing`: a grid to draw on, and "draw your own" with a stepper;
- :mod:`.gallery`: a gallery of feature maps to click; :mod:`.learning`: a learning-rate slider;
- :mod:`.training`: training curves that redraw while a training loop runs;
- :mod:`.receptive`, :mod:`.matrix_steppers`: the receptive-field view, the im2col and transposed steppers;
- :mod:`.depthwise`: the depthwise stepper (lesson 09).
"""

from .depthwise import depthwise_stepper
from .drawing import DrawYourOwn, draw_your_own
from .flip_slide import Slide1D, slide_1d
from .gallery import GalleryExplorer, ThumbnailPicker, gallery_explorer
from .grid import EditableGrid
from .learning import LearningRateExplorer, learning_rate_explorer
from .matrix_steppers import im2col_stepper, transposed_stepper
from .receptive import ReceptiveFieldView, receptive_field_view
from .stepper import Stepper, stepper
from .stepper_view import StepperView
from .training import LiveCurves, live_training_curves
from .upload import ImageUpload

__all__ = [
    "LiveCurves",
    "live_training_curves",
    "Slide1D",
    "slide_1d",
    "Stepper",
    "stepper",
    "ImageUpload",
    "StepperView",
    "ReceptiveFieldView",
    "receptive_field_view",
    "im2col_stepper",
    "transposed_stepper",
    "depthwise_stepper",
    "EditableGrid",
    "DrawYourOwn",
    "draw_your_own",
    "ThumbnailPicker",
    "GalleryExplorer",
    "gallery_explorer",
    "LearningRateExplorer",
    "learning_rate_explorer",
]
