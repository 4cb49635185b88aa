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
    conv_layer,
    conv_matrix,
    convolve_1d,
    detector_gradient,
    feature_map,
    feature_map_loop,
    flip_and_slide,
    framework_call,
    im2col,
    learn_detector,
    max_pool,
    output_size,
    pad_image,
    parameter_count,
    receptive_cells,
    receptive_field,
    resolve_padding,
    scan_positions,
    step_view,
    step_views,
    transposed_feature_map,
    transposed_output_size,
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
    "conv_layer",
    "parameter_count",
    "receptive_field",
    "receptive_cells",
    "im2col",
    "conv_matrix",
    "transposed_feature_map",
    "transposed_output_size",
    "StepperFigure",
    "Stepper",
    "stepper",
    "slide_1d",
    "feature_map_gallery",
]

__version__ = "0.1.0"
