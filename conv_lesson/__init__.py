"""conv_lesson: interactive lessons on what a convolution is in deep learning.

The computation lives in :mod:`conv_lesson.ops` (numpy only), the lessons'
arrays and pictures in :mod:`conv_lesson.data`, the pictures in
:mod:`conv_lesson.draw` (matplotlib only), the controls in
:mod:`conv_lesson.widgets` (ipywidgets only) and the answer checks in
:mod:`conv_lesson.exercises`. Imports run one way: ops ← draw ← widgets.
"""

from .data import (
    PRESETS,
    ImageLoadError,
    ImageNotFoundError,
    describe_detector,
    detector,
    detector_names,
    face_detector,
    face_image,
    load_image,
    photo,
    seed_detector,
    seed_image,
)
from .draw import StepperFigure, feature_map_gallery
from .ops import (
    Scan,
    SlideView,
    StepView,
    arithmetic_text,
    continuous_convolution,
    convolve_1d,
    detector_gradient,
    feature_map,
    feature_map_loop,
    flip_and_slide,
    framework_call,
    learn_detector,
    max_pool,
    output_size,
    pad_image,
    resolve_padding,
    scan_positions,
    step_view,
    step_views,
)
from .widgets import Stepper, slide_1d, stepper

__all__ = [
    "PRESETS",
    "ImageLoadError",
    "ImageNotFoundError",
    "describe_detector",
    "detector",
    "detector_names",
    "face_detector",
    "face_image",
    "load_image",
    "photo",
    "seed_detector",
    "seed_image",
    "Scan",
    "SlideView",
    "StepView",
    "arithmetic_text",
    "continuous_convolution",
    "convolve_1d",
    "detector_gradient",
    "feature_map",
    "feature_map_loop",
    "flip_and_slide",
    "framework_call",
    "learn_detector",
    "max_pool",
    "output_size",
    "pad_image",
    "resolve_padding",
    "scan_positions",
    "step_view",
    "step_views",
    "StepperFigure",
    "Stepper",
    "stepper",
    "slide_1d",
    "feature_map_gallery",
]

__version__ = "0.1.0"
