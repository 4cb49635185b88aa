"""Every hint states only true numbers: each check is fed its usual wrong answers, and what it prints is
compared with a recomputation made here, independently of the package (plain Python, numpy, scipy).

Two rules for every message:

* each equation it writes out (``floor((32 − 5) / 2) + 1 = 14``, ``3×3×1 = 9``) holds when evaluated;
* each number in it is one of the problem's numbers, the answer's, or a number this file recomputes
  for that problem (``facts``): a hint that names a number nobody can derive fails.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy.signal import convolve2d, correlate2d

from conv_lesson import exercises as ex

#: Numbers the hints' wording uses whatever the problem: "+ 1", "k − 1", "180°", "2-D", "2/N".
WORDING = {0.0, 1.0, 2.0, 180.0}
_NUMBER = re.compile(r"(?<![\w.])[−-]?\d+(?:,\d{3})*(?:\.\d+)?")
_EXPRESSION_CHARS = set("0123456789 .+−-×·*/()")


def numbers_in(value) -> set[float]:
    """Every number written in ``value`` (a message, or the repr of arguments)."""
    text = value if isinstance(value, str) else repr(_plain(value))
    return {float(m.replace(",", "").replace("−", "-")) for m in _NUMBER.findall(text)}


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_LEFT_SIDE = re.compile(r"(?:floor|ceil|[0-9 .+−\-×·*/()])+$")


def equations(message: str) -> list[tuple[str, float]]:
    """``(expression, stated value)`` for each ``... = number`` whose left side is arithmetic."""
    found = []
    for match in re.finditer(r" = ([−-]?\d+(?:,\d{3})*(?:\.\d+)?)", message):
        left = _LEFT_SIDE.search(message[: match.start()])
        if not left or (left.start() and message[left.start() - 1].isalpha()):
            continue  # a formula in letters (d·(k − 1) + 1 = ...): its numbers follow it
        expr = left.group(0).strip()
        while expr.count("(") > expr.count(")") and expr.startswith("("):
            expr = expr[1:].strip()
        if any(op in expr for op in "+−-×·*/") and any(ch.isdigit() for ch in expr):
            found.append((expr, float(match.group(1).replace(",", "").replace("−", "-"))))
    return found


def evaluate(expr: str) -> float:
    python = expr.replace("−", "-").replace("×", "*").replace("·", "*")
    python = python.replace("floor", "math.floor").replace("ceil", "math.ceil")
    return eval(python, {"math": math})  # noqa: S307 - our own messages, digits and operators only


def check_message(message: str, problem_and_answer, facts):
    for expr, stated in equations(message):
        assert math.isclose(evaluate(expr), stated, rel_tol=1e-3), f"{expr} = {stated} is false in: {message}"
    allowed = numbers_in(problem_and_answer) | {float(f) for f in facts} | WORDING
    unknown = numbers_in(message) - allowed
    assert not unknown, f"numbers {sorted(unknown)} are not derived from the problem in: {message}"


def _dice(n):
    dist = np.ones(1)
    for _ in range(n):
        dist = np.convolve(dist, np.ones(6) / 6)
    return dist


def _side(n, k, s=1, p=0, d=1):
    return (n + p - d * (k - 1) - 1) // s + 1


IMG = np.array([[3, 0, 1, 2], [1, 4, 0, 0], [2, 1, 5, 1], [0, 2, 1, 3]])
DET = np.array([[1, 0], [-1, 2]])
MAP = correlate2d(IMG, DET, "valid")  # the map the checks of lessons 02 and 04 want
one_off = MAP.astype(float).copy()


def _gap(steps, rate):
    from conv_lesson import learn_detector

    learned = learn_detector(IMG, MAP, shape=DET.shape, steps=steps, learning_rate=rate)[0]
    return float(np.max(np.abs(learned - DET)))


one_off[1, 2] += 1
SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
BAR_MAP = np.array([[0, 0, 0, 4, 4, 0, -4, -4, 0]] * 3)

# (check, args (the problem, then the wrong answer), facts: numbers recomputed here that the hint may name)
CASES = [
    # lesson 01
    ("flipped box, not mirrored", ex.check_flipped_box, (2.5, (2.5, 3.5)), [2.5 - 1, 2.5 + 1]),
    ("flipped box, where g sits", ex.check_flipped_box, (2.5, (0, 1)), [2.5 - 1]),
    ("dice, one die too few", ex.check_dice_sum, (3, _dice(2)), [3 - 1]),
    ("dice, wrong length", ex.check_dice_sum, (3, [0.1] * 10), [3, 18, 16, 10, 5]),
    ("dice, not a distribution", ex.check_dice_sum, (2, np.ones(11)), [11]),
    ("dice, one total off", ex.check_dice_sum, (2, _dice(2) + np.r_[0.01, -0.01, [0] * 9]), [2, 3, 1, 36]),
    ("boxes, the triangle", ex.check_box_widths, ([0.5, 1.5, 2.5], [0.5, 0.5, 0]), [2]),
    ("boxes, too high", ex.check_box_widths, ([0.5, 1.5, 2.5], [0.5, 1.5, 0.5]), []),
    ("boxes, one value off", ex.check_box_widths, ([0.5, 1.5, 2.5], [0.5, 1, 0.2]), [2]),
    (
        "convolve 1-D, no flip",
        ex.check_convolve_1d,
        ([1, 2, 1], [1, 0, -1], np.correlate([1, 2, 1], [1, 0, -1], "full")),
        [],
    ),
    ("convolve 1-D, valid only", ex.check_convolve_1d, ([1, 2, 1], [1, 0, -1], [0]), [3, 3 + 3 - 1]),
    ("convolve 1-D, one off", ex.check_convolve_1d, ([1, 2, 1], [1, 0, -1], [1, 2, 1, -2, -2]), [3]),
    # lessons 02 to 04
    ("matches, counted from the window", ex.check_window_matches, (IMG, DET, 1, 1, [(0, 0), (1, 1)]), []),
    ("matches, zeros included", ex.check_window_matches, (IMG, DET, 0, 1, [(0, 1), (1, 1), (1, 2)]), []),
    ("matches, outside the window", ex.check_window_matches, (IMG, DET, 1, 1, [(1, 1), (3, 3)]), [2, 2]),
    ("columns, positions only", ex.check_image_columns, (10, (3, 3), 40, 5), [8, 10 - 3 + 1, 2]),
    ("columns, all rows used", ex.check_image_columns, (10, (3, 3), 40, 6), [8, 5]),
    ("design, a tie elsewhere", ex.check_detector_design, (IMG, [(0, 0)], [[0, 0], [0, 1]]), [5]),
    ("stride and padding, halved", ex.check_stride_and_padding, (64, 3, 16, (2, 0)), [31]),
    ("stride and padding, too big", ex.check_stride_and_padding, (64, 3, 16, (5, 0)), [13]),
    ("widths, one short", ex.check_fully_read_widths, (3, 2, [10, 11, 12], [11, 12]), [0, 2, 8, 10, 11]),
    ("widths, one missed", ex.check_fully_read_widths, (3, 2, [10, 11, 12, 13], [11]), [10, 12]),
    ("map, transposed", ex.check_feature_map, (IMG, DET, MAP.T), []),
    ("map, flipped", ex.check_feature_map, (IMG, DET, convolve2d(IMG, DET, "valid")), [180]),
    ("map, full size", ex.check_feature_map, (IMG, DET, correlate2d(IMG, DET, "full")), [3, 3, 5, 5]),
    ("map, one cell off", ex.check_feature_map, (IMG, DET, one_off), [1, 9, 1, 2]),
    ("size, no + 1, stride 2", ex.check_output_size, (32, 5, 13), {"stride": 2}, [27]),
    ("size, no + 1, padded", ex.check_output_size, (9, 3, 4), {"padding": 1, "stride": 2}, [2, 11 - 3]),
    ("size, rounded up", ex.check_output_size, (8, 3, 3), {"stride": 3}, []),
    ("size, padding left out", ex.check_output_size, (7, 3, 3), {"padding": 1, "stride": 2}, [2]),
    ("size, dilation ignored", ex.check_output_size, (9, 3, 9), {"padding": 1, "dilation": 2}, [5]),
    ("sides, no + 1", ex.check_layer_sides, (32, [("conv", 5), ("pool", 2)], [27, 13]), []),
    ("sides, pooling forgotten", ex.check_layer_sides, (32, [("conv", 5), ("pool", 2)], [28, 28]), []),
    ("pool, sums", ex.check_max_pool, ([[1, 2, 0, 1], [3, 0, 1, 1]], [[6, 3]]), []),
    ("pool, wrong shape", ex.check_max_pool, ([[1, 2, 0, 1], [3, 0, 1, 1]], [[3, 2, 1]]), [1, 2]),
    # the bar over 5 to 7 (map: + at 3 and 4, − at 6 and 7); answered with the map's own columns, the bar over
    # 3, 4, 6 and 7 gives + at 1, 2 and 5 and − at 3, 6 and 7 (worked out by hand: 4 × (column c + 2 − column c))
    ("bar, map columns", ex.check_bar_columns, (BAR_MAP, SOBEL, [3, 4, 6, 7]), [5, 6, 7, 1, 2, 5, 3]),
    ("bar, one column short", ex.check_bar_columns, (BAR_MAP, SOBEL, [5, 6]), [3, 4, 5, 6, 7]),
    ("bar, outside", ex.check_bar_columns, (BAR_MAP, SOBEL, [11]), [0, 10]),
    # the 9 at (3, 2) of a 6x6 map: its block is rows 2 to 3, columns 2 to 3
    ("pool cells, a neighbourhood", ex.check_pool_positions, ((6, 6), (3, 2), [(2, 1), (3, 2), (4, 3)]), [3]),
    ("pool cells, one missed", ex.check_pool_positions, ((6, 6), (3, 2), [(2, 2), (3, 2), (3, 3)]), [2, 3]),
    # lessons 05 and 06
    ("odd zeros, the stride-1 rule", ex.check_odd_padding_widths, (4, 2, range(8, 14), range(8, 14)), [3]),
    ("odd zeros, one missed", ex.check_odd_padding_widths, (4, 2, range(8, 14), [9, 11]), [13, 7, 12, 15, 3]),
    ("flip match, rows only", ex.check_flip_match, ([[1, 2, 0], [0, 1, 3]], [[1, 2]], [[1, 2]]), []),
    ("flip match, columns only", ex.check_flip_match, ([[1, 2, 0], [0, 1, 3]], [[1, 0], [0, 2]], [[0, 1], [2, 0]]), []),
    ("weights, channels first", ex.check_detector_from_weights, (2400, 32, 3, (3, 5, 5)), []),
    ("weights, no channels", ex.check_detector_from_weights, (2400, 32, 3, (5, 5)), []),
    ("weights, too big", ex.check_detector_from_weights, (2400, 32, 3, (10, 10, 3)), [75]),
    ("dilation, 2 for 5", ex.check_dilation_for_side, (9, 3, 1, 5, 2), [5, 7, 6]),
    ("gradient, grows once", ex.check_gradient_scaling, (2, 2), []),
    ("gradient, unchanged", ex.check_gradient_scaling, (3, 1), []),
    # the gap after the descent, from the lesson's own learn_detector (the check must report that run)
    ("budget, too slow", ex.check_learning_budget, (IMG, MAP, DET, 5, (5, 0.01)), [0.05, round(_gap(5, 0.01), 4)]),
    ("budget, over", ex.check_learning_budget, (IMG, MAP, DET, 5, (50, 0.01)), []),
    # lessons 07 and 08
    ("maps, bias forgotten", ex.check_detectors_from_parameters, (3, 3, 1792, 1792 // 27), [27, 28]),
    ("maps, channels forgotten", ex.check_detectors_from_parameters, (3, 3, 1792, 1792 // 10), []),
    ("maps, one per channel", ex.check_detectors_from_parameters, (3, 3, 1792, 64 * 3), []),
    ("field, too few", ex.check_layers_for_field, ([(3, 1, 1), (2, 2, 1)], (3, 1, 1), 28, 5), [24]),
    ("field, too many", ex.check_layers_for_field, ([(3, 1, 1), (2, 2, 1)], (3, 1, 1), 28, 7), [6]),
    ("weight shape, channels last", ex.check_weight_shape, (3, [(32, 3), (8, 1)], (8, 1, 1, 32)), []),
    ("weight shape, axes swapped", ex.check_weight_shape, (3, [(32, 3), (8, 1)], (32, 8, 1, 1)), []),
    ("weight shape, kernel below", ex.check_weight_shape, (3, [(32, 3), (8, 1)], (8, 32, 3, 3)), []),
    ("relu-pool, bias left out", ex.check_relu_pool, ([[1, -2], [-3, 4]], -1, [[4]]), [3]),
    ("im2col, stride 1", ex.check_im2col_settings, ((32, 32, 3), (196, 75), (5, 1)), [28, 784]),
    ("im2col, 3x3", ex.check_im2col_settings, ((32, 32, 3), (196, 75), (3, 2)), [27, 15, 225]),
    (
        "stamps, transposed",
        ex.check_transposed_source,
        ([[1, 2], [0, 1]], [[1, 4, 4], [3, 6, 0], [0, 3, -1]], [[1, 3], [2, -1]]),
        [5, 2],
    ),
    (
        "stamps, wrong shape",
        ex.check_transposed_source,
        ([[1, 2], [0, 1]], [[1, 4, 4], [3, 6, 0], [0, 3, -1]], [[1]]),
        [2],
    ),
    ("sizes, one missed", ex.check_sizes_to_map, (5, 4, [7]), {"stride": 2, "padding": 2}, [8]),
    ("sizes, one too many", ex.check_sizes_to_map, (5, 4, [7, 8, 9]), {"stride": 2, "padding": 2}, [5]),
    # at stride 2 the windows start at 0 and 2: the middle row and column are read twice, 5 + 5 − 1 = 9 cells
    # differ from the all-ones answer; the hint lists 4 of them "and 5 more"
    ("window reads, all ones", ex.check_window_reads, ((5, 5), 3, np.ones((5, 5))), {"stride": 2}, [9, 4, 5]),
    # lesson 09: p = e^(−L); 1 − L and 10^(−L) are the usual slips
    ("probability, 1 − loss", ex.check_right_digit_probability, (0.105, 1 - 0.105), []),
    ("probability, base 10", ex.check_right_digit_probability, (0.105, 10**-0.105), [10]),
    # 128 detectors of 3×3×(64/g) weights: g = 4 gives 18,432 (over 10,000), g = 16 gives 4,608, 3 divides neither
    ("groups, too few", ex.check_groups_for_budget, (64, 128, 3, 10_000, 4), [64 // 4, 128 * 9 * (64 // 4)]),
    ("groups, not the fewest", ex.check_groups_for_budget, (64, 128, 3, 10_000, 16), [128 * 9 * (64 // 16)]),
    ("groups, not a divisor", ex.check_groups_for_budget, (64, 128, 3, 10_000, 3), []),
    # a float32 is 32 / 8 = 4 bytes, a float64 8
    ("memory, numbers not bytes", ex.check_batch_memory, (224, 64, 32, 224 * 224 * 64 * 32 / 1e6), [32 // 8]),
    ("memory, one image", ex.check_batch_memory, (224, 64, 32, 224 * 224 * 64 * 4 / 1e6), []),
    # the right amount in the wrong unit: 411,041,792 bytes, 0.411 GB
    ("memory, in bytes", ex.check_batch_memory, (224, 64, 32, 224 * 224 * 64 * 4 * 32), []),
    ("memory, in gigabytes", ex.check_batch_memory, (224, 64, 32, 224 * 224 * 64 * 4 * 32 / 1e9), []),
    ("memory, float64", ex.check_batch_memory, (224, 64, 32, 224 * 224 * 64 * 8 * 32 / 1e6), [64 // 8, 32 // 8]),
]


def _split(case):
    name, check, args, *rest = case
    kwargs = rest[0] if len(rest) == 2 else {}
    return name, check, args, kwargs, rest[-1]


pytestmark = pytest.mark.usefixtures("not_grading")  # every test starts outside grading mode


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_usual_wrong_answer_gets_a_hint_with_only_true_numbers(capsys, case):
    name, check, args, kwargs, facts = _split(case)
    check(*args, **kwargs)
    message = capsys.readouterr().out.strip()
    assert message.startswith("Not yet"), f"{name}: a wrong answer was not refused: {message}"
    check_message(message, (args, kwargs), facts)


def test_every_check_is_fed_wrong_answers():
    fed = {c[1].__name__ for c in CASES} | {"check_loop_function"}  # its own tests: test_exercises.py
    assert fed == {name for name in ex.__all__ if name.startswith("check_")}


@pytest.mark.parametrize(
    "message, facts",
    [
        ("Not yet: floor((32 − 5) / 2) + 1 = 13 cells", [27]),  # a false equation (it is 14)
        ("Correct: 3×3×1 weights per detector = 10", [9]),  # a false product
        ("Not yet: 26 is n − k", [27]),  # a number nobody derived (32 − 5 = 27)
    ],
)
def test_the_rules_catch_a_false_number(message, facts):
    with pytest.raises(AssertionError):
        check_message(message, ((32, 5, 2), {}), facts)
