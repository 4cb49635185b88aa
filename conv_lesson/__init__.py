"""conv_lesson: interactive lessons on what a convolution is in deep learning.

The names here are the ones the lessons import, and :class:`Scan`, which
everything asks. The rest lives in the layers, imported one way (ops ← data ←
draw ← widgets ← publish): the computation in :mod:`conv_lesson.ops` (numpy
only), the lessons' arrays and pictures in :mod:`conv_lesson.data`, the
pictures in :mod:`conv_lesson.draw` (matplotlib only), the controls in
:mod:`conv_lesson.widgets` (ipywidgets only), the site and slides in
:mod:`conv_lesson.publish`, and the answer checks in
:mod:`conv_lesson.exercises`.
"""

from .data import describe_detector, detector, detector_names, face_detector, face_image, handwritten_digits, photo
from .draw import conv_matrix_figure, digit_pictures, feature_map_gallery, loss_curve, show_arrays, training_curves
from .exercises.skipped_cells import install_skipped_cell_hint
from .ops import (
    Conv,
    Dense,
    Flatten,
    GlobalAveragePool,
    MaxPool,
    ReLU,
    Scan,
    average_pool,
    continuous_convolution,
    conv_backward,
    conv_forward,
    conv_layer,
    conv_matrix,
    convolve_1d,
    cost_table,
    cross_entropy,
    depthwise_conv,
    detector_gradient,
    feature_map,
    flip_and_slide,
    framework_call,
    global_average_pool,
    grouped_conv,
    im2col,
    learn_detector,
    max_pool,
    max_pool_backward,
    output_size,
    pad_image,
    parameter_count,
    pattern_similarity,
    receptive_field,
    resolve_padding,
    scan_positions,
    separable_conv,
    softmax,
    step_view,
    transposed_by_zero_insertion,
    transposed_feature_map,
    transposed_output_size,
    zero_insert,
)
from .widgets import (
    ImageUpload,
    depthwise_stepper,
    draw_your_own,
    gallery_explorer,
    im2col_stepper,
    learning_rate_explorer,
    live_training_curves,
    receptive_field_view,
    slide_1d,
    stepper,
    transposed_stepper,
)

__all__ = [
    # the lessons' arrays and pictures
    "face_image",
    "face_detector",
    "detector",
    "detector_names",
    "describe_detector",
    "photo",
    "handwritten_digits",
    # the arithmetic
    "Scan",
    "feature_map",
    "step_view",
    "output_size",
    "scan_positions",
    "pad_image",
    "resolve_padding",
    "convolve_1d",
    "continuous_convolution",
    "flip_and_slide",
    "framework_call",
    "max_pool",
    "conv_layer",
    "parameter_count",
    "receptive_field",
    "detector_gradient",
    "learn_detector",
    "pattern_similarity",
    "im2col",
    "conv_matrix",
    "transposed_feature_map",
    "transposed_output_size",
    "zero_insert",
    "transposed_by_zero_insertion",
    "conv_forward",
    "conv_backward",
    "max_pool_backward",
    "softmax",
    "cross_entropy",
    "average_pool",
    "global_average_pool",
    "grouped_conv",
    "depthwise_conv",
    "separable_conv",
    "cost_table",
    "Conv",
    "MaxPool",
    "GlobalAveragePool",
    "ReLU",
    "Flatten",
    "Dense",
    # pictures
    "show_arrays",
    "feature_map_gallery",
    "loss_curve",
    "conv_matrix_figure",
    "digit_pictures",
    "training_curves",
    # controls
    "stepper",
    "slide_1d",
    "draw_your_own",
    "gallery_explorer",
    "learning_rate_explorer",
    "receptive_field_view",
    "im2col_stepper",
    "transposed_stepper",
    "depthwise_stepper",
    "live_training_curves",
    "ImageUpload",
]

__version__ = "0.1.0"

# in a notebook, a NameError from a skipped cell says which cell defines the name (issue 22)
install_skipped_cell_hint()
