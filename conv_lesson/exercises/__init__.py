"""Exercises that answer back.

Each ``check_*`` function takes a student's answer and gives one verdict:
``Correct`` with why it is right, or ``Not yet`` with a hint that names the
likely mistake. In a notebook the verdict is displayed as a
:class:`~conv_lesson.exercises.feedback.Feedback` (an icon and its word, set apart
from other output; its plain text is the verdict word for word); elsewhere it is
printed. A placeholder (``...``) gives "Not answered yet", so an unanswered
notebook still runs top to bottom, and an answer that cannot be read never
raises (an answer of the wrong kind is told the form asked for). Mistakes in the exercise's own arguments (the teacher's
part) do raise, as ``TypeError`` or ``ValueError``. Each check returns ``None``.

Grading mode, for autograders (nbgrader, otter-grader): set the environment
variable ``CONV_LESSON_GRADING=1`` for the kernel (for example
``CONV_LESSON_GRADING=1 nbgrader autograde lesson01``), or call
``grading(True)`` in the notebook. Then a wrong or missing answer raises
``AssertionError`` carrying the same hint, so the test cell fails exactly
where the student was wrong; a right answer still gives ``Correct``.

Modules: ``core`` (verdicts, the grading switch, reading answers), ``feedback`` (a
verdict as a notebook shows it), ``skipped_cells`` (the line under a ``NameError``),
``signals`` (lesson 01), ``maps`` (lessons 02 and 04), ``stride`` (lesson 03), ``reading`` (lesson 04:
what a map tells you), ``padding_and_learning`` (05 and 06), ``layer_and_matrix`` (07 and 08), ``network`` (09).
``check_feature_map`` and
``check_max_pool`` are for exercises of your own: a lesson that asks for a whole map would be
answered by one call of ``feature_map`` or ``max_pool``.
"""

from .core import GRADING_ENV, grading
from .layer_and_matrix import (
    check_detectors_from_parameters,
    check_im2col_settings,
    check_layers_for_field,
    check_relu_pool,
    check_sizes_to_map,
    check_transposed_source,
    check_weight_shape,
    check_window_reads,
)
from .maps import (
    check_detector_design,
    check_feature_map,
    check_image_columns,
    check_layer_sides,
    check_max_pool,
    check_output_size,
    check_window_matches,
)
from .network import check_batch_memory, check_groups_for_budget, check_right_digit_probability
from .padding_and_learning import (
    check_detector_from_weights,
    check_dilation_for_side,
    check_flip_match,
    check_gradient_scaling,
    check_learning_budget,
    check_odd_padding_widths,
)
from .reading import check_bar_columns, check_pool_positions
from .signals import check_box_widths, check_convolve_1d, check_dice_sum, check_flipped_box
from .stride import check_fully_read_widths, check_loop_function, check_stride_and_padding

__all__ = [
    "GRADING_ENV",
    "check_bar_columns",
    "check_box_widths",
    "check_detector_from_weights",
    "check_dilation_for_side",
    "check_convolve_1d",
    "check_dice_sum",
    "check_detector_design",
    "check_feature_map",
    "check_flip_match",
    "check_flipped_box",
    "check_fully_read_widths",
    "check_gradient_scaling",
    "check_layer_sides",
    "check_learning_budget",
    "check_loop_function",
    "check_max_pool",
    "check_image_columns",
    "check_output_size",
    "check_pool_positions",
    "check_odd_padding_widths",
    "check_stride_and_padding",
    "check_window_matches",
    "grading",
    "check_im2col_settings",
    "check_detectors_from_parameters",
    "check_layers_for_field",
    "check_relu_pool",
    "check_sizes_to_map",
    "check_transposed_source",
    "check_weight_shape",
    "check_window_reads",
    "check_right_digit_probability",
    "check_groups_for_budget",
    "check_batch_memory",
]
