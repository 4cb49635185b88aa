"""Exercises answer back: right answers, the usual wrong answers, placeholders, garbage."""

import numpy as np
import pytest

from conv_lesson import exercises as ex
from conv_lesson import face_detector, face_image


def verdict(capsys, fn, *args, **kwargs):
    assert fn(*args, **kwargs) is None
    out = capsys.readouterr().out.strip()
    assert out, "a check must always print something"
    return out


ALL_PLACEHOLDER_CALLS = [
    (ex.check_flipped_box, (2.5, ...)),
    (ex.check_dice_sum, (3, ...)),
    (ex.check_box_widths, ([0.5, 1.5], ...)),
    (ex.check_convolve_1d, ([1, 2], [1, 1], ...)),
    (ex.check_window_matches, (face_image(), face_detector(), 0, 0, ...)),
    (ex.check_image_columns, (10, (3, 3), 40, ...)),
    (ex.check_detector_design, (face_image(), [(3, 0), (3, 4)], ...)),
    (ex.check_stride_and_padding, (64, 3, 16, ...)),
    (ex.check_fully_read_widths, (3, 2, [10, 11, 12], ...)),
    (ex.check_feature_map, (face_image(), face_detector(), ...)),
    (ex.check_loop_function, (...,)),
    (ex.check_output_size, (7, 3, ...)),
    (ex.check_layer_sides, (32, [("conv", 5), ("pool", 2)], ...)),
    (ex.check_max_pool, ([[1, 2], [3, 4]], ...)),
    (ex.check_bar_columns, ([[0, 4, 0, -4]], [[-1, 0, 1]] * 3, ...)),
    (ex.check_pool_positions, ((4, 4), (1, 2), ...)),
    (ex.check_odd_padding_widths, (4, 2, [8, 9, 10], ...)),
    (ex.check_flip_match, ([[1, 2, 0], [3, 4, 1]], [[1, 0], [0, 2]], ...)),
    (ex.check_detector_from_weights, (2400, 32, 3, ...)),
    (ex.check_dilation_for_side, (9, 3, 1, 5, ...)),
    (ex.check_gradient_scaling, (2, ...)),
    (ex.check_learning_budget, (np.eye(4), np.eye(4)[:3, :3], [[1, 0], [0, 1]], 50, ...)),
    # lessons 07 and 08 (their own tests: test_exercises_layer_and_matrix.py)
    (ex.check_detectors_from_parameters, (1, 3, 20, ...)),
    (ex.check_weight_shape, (3, [(16, 5), (32, 3)], ...)),
    (ex.check_layers_for_field, ([(3, 1, 1)], (3, 1, 1), 9, ...)),
    (ex.check_relu_pool, ([[1, -2], [-3, 0]], -1, ...)),
    (ex.check_im2col_settings, ((5, 5), (9, 9), ...)),
    (ex.check_transposed_source, ([[1, 1]], [[1, 3, 2]], ...)),
    (ex.check_sizes_to_map, (3, 3, ...)),
    (ex.check_window_reads, ((4, 4), 2, ...)),
    # lesson 09 (its own tests: test_network_training.py)
    (ex.check_right_digit_probability, (0.105, ...)),
    (ex.check_groups_for_budget, (64, 128, 3, 10_000, ...)),
    (ex.check_batch_memory, (224, 64, 32, ...)),
]


pytestmark = pytest.mark.usefixtures("not_grading")  # every test starts outside grading mode


@pytest.mark.parametrize("fn,args", ALL_PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_placeholder_answers_run_cleanly(capsys, fn, args):
    assert verdict(capsys, fn, *args).startswith("Not answered yet")


@pytest.mark.parametrize("fn,args", ALL_PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_garbage_answers_never_raise(capsys, fn, args):
    garbage = tuple(object() if a is ... else a for a in args)
    assert verdict(capsys, fn, *garbage).startswith("Not yet")


def test_exercise_set_covers_every_check():
    checks = {name for name in ex.__all__ if name.startswith("check_")}
    assert {f.__name__ for f, _ in ALL_PLACEHOLDER_CALLS} == checks


def test_convolve_1d_spots_missing_flip(capsys):
    assert verdict(capsys, ex.check_convolve_1d, [1, 2, 3], [0, 1, 2], np.convolve([1, 2, 3], [0, 1, 2])).startswith(
        "Correct"
    )
    no_flip = np.correlate([1, 2, 3], [0, 1, 2], mode="full")
    assert "flip" in verdict(capsys, ex.check_convolve_1d, [1, 2, 3], [0, 1, 2], no_flip)


def test_window_matches_lists_the_products_that_count(capsys):
    # cell (3, 1) of the face's map: the detector's four 1s all lie on 1s of the image
    right = [(3, 3), (4, 1), (5, 2), (5, 3)]
    det = face_detector()
    under = [(3 + r, 1 + c) for r, c in zip(*np.nonzero(det))]
    assert sorted(right) == sorted(under) and all(face_image()[cell] == 1 for cell in under)
    assert verdict(capsys, ex.check_window_matches, face_image(), det, 3, 1, list(reversed(right))).startswith(
        "Correct"
    )
    # the same cells counted from the window's corner: told to add the corner
    inside = [(r - 3, c - 1) for r, c in right]
    assert "Add the corner" in verdict(capsys, ex.check_window_matches, face_image(), det, 3, 1, inside)
    # every cell under a 1 of the detector, zeros of the image included, at cell (0, 0)
    out = verdict(capsys, ex.check_window_matches, face_image(), det, 0, 0, [(0, 2), (1, 0), (2, 1), (2, 2)])
    assert "not 0 too" in out, out
    out = verdict(capsys, ex.check_window_matches, face_image(), det, 0, 0, [(1, 1), (5, 5)])
    assert "(5, 5) lies outside the window" in out and "rows 0 to 2" in out, out


def test_image_columns_worked_backwards(capsys):
    assert verdict(capsys, ex.check_image_columns, 10, (3, 3), 40, 7).startswith("Correct")
    assert (10 - 3 + 1) * (7 - 3 + 1) == 40
    assert "positions along a row" in verdict(capsys, ex.check_image_columns, 10, (3, 3), 40, 5)
    assert "does not stand on all 10 rows" in verdict(capsys, ex.check_image_columns, 10, (3, 3), 40, 6)
    assert "does not stand on all 10 rows" in verdict(capsys, ex.check_image_columns, 10, (3, 3), 40, 4)
    with pytest.raises(ValueError, match="steps"):
        ex.check_image_columns(10, (3, 3), 41, 7)


def test_detector_design_is_judged_by_the_map_it_makes(capsys):
    corners = [(3, 0), (3, 4)]
    # two different right designs: both make the mouth's corners the only maxima
    for det in ([[0, 0, 0], [0, 2, 0], [1, 0, 1]], [[-1, -1, -1], [-1, 3, -1], [2, -1, 2]]):
        from scipy.signal import correlate2d

        fm = correlate2d(face_image(), det, "valid")
        assert {tuple(c) for c in np.argwhere(fm == fm.max())} == set(corners)
        assert verdict(capsys, ex.check_detector_design, face_image(), corners, det).startswith("Correct")
    # the face detector itself peaks at (3, 1), between the corners
    out = verdict(capsys, ex.check_detector_design, face_image(), corners, face_detector())
    assert out.startswith("Not yet") and "(3, 1)" in out, out
    assert "3x3" in verdict(capsys, ex.check_detector_design, face_image(), corners, [[1, 0], [0, 1]])


def test_stride_and_padding_accepts_every_pair_that_works(capsys):
    works = [(s, p) for s in range(1, 9) for p in range(0, 6) if (64 + 2 * p - 3) // s + 1 == 16]
    assert (4, 0) in works and (4, 1) in works
    for pair in works:
        assert verdict(capsys, ex.check_stride_and_padding, 64, 3, 16, pair).startswith("Correct"), pair
    out = verdict(capsys, ex.check_stride_and_padding, 64, 3, 16, (2, 0))
    assert out.startswith("Not yet") and "floor((64 + 2·0 − 3) / 2) + 1 = 31, not 16" in out, out
    assert "whole number" in verdict(capsys, ex.check_stride_and_padding, 64, 3, 16, (0, 1))


def test_fully_read_widths(capsys):
    right = [n for n in range(10, 17) if (n - 3) % 2 == 0]
    assert right == [11, 13, 15]
    assert verdict(capsys, ex.check_fully_read_widths, 3, 2, range(10, 17), right[::-1]).startswith("Correct")
    out = verdict(capsys, ex.check_fully_read_widths, 3, 2, range(10, 17), [11, 12, 13, 15])
    assert "on 12 columns" in out and "covers columns 8 to 10" in out and "column 11 is never read" in out, out
    out = verdict(capsys, ex.check_fully_read_widths, 3, 2, range(10, 17), [11, 13])
    assert "15 is read to the end too" in out, out


def test_whole_feature_map(capsys):
    from scipy.signal import correlate2d

    right = correlate2d(face_image(), face_detector(), "valid")
    assert verdict(capsys, ex.check_feature_map, face_image(), face_detector(), right).startswith("Correct")
    wrong = right.copy()
    wrong[2, 3] += 1
    out = verdict(capsys, ex.check_feature_map, face_image(), face_detector(), wrong)
    assert "1 of 25" in out and "(2, 3)" in out
    assert "shape (5, 5)" in verdict(capsys, ex.check_feature_map, face_image(), face_detector(), np.zeros((7, 7)))


def _good_loop(image, detector, stride):
    (n_r, n_c), (k_r, k_c) = np.shape(image), np.shape(detector)
    rows, cols = (n_r - k_r) // stride + 1, (n_c - k_c) // stride + 1
    return [
        [
            sum(image[i * stride + a][j * stride + b] * detector[a][b] for a in range(k_r) for b in range(k_c))
            for j in range(cols)
        ]
        for i in range(rows)
    ]


def _stride_bug_loop(image, detector, stride):
    # the classic mistake: stepping the output index without multiplying by the stride
    (n_r, n_c), (k_r, k_c) = np.shape(image), np.shape(detector)
    rows, cols = (n_r - k_r) // stride + 1, (n_c - k_c) // stride + 1
    return [
        [sum(image[i + a][j + b] * detector[a][b] for a in range(k_r) for b in range(k_c)) for j in range(cols)]
        for i in range(rows)
    ]


def _rows_for_columns_loop(image, detector, stride):
    # right for square images only: the number of rows used for the columns too
    n, (k_r, k_c) = len(image), np.shape(detector)
    rows, cols = (n - k_r) // stride + 1, (n - k_c) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = (image[i * stride : i * stride + k_r, j * stride : j * stride + k_c] * detector).sum()
    return out


def _square_detector_loop(image, detector, stride):
    # right for square detectors only: it crashes on the first one that is not
    k = len(detector)
    (n_r, n_c) = np.shape(image)
    rows, cols = (n_r - k) // stride + 1, (n_c - k) // stride + 1
    return [[(image[i * stride : i * stride + k, j * stride : j * stride + k] * detector).sum() for j in range(cols)]
            for i in range(rows)]  # fmt: skip


def _flipping_loop(image, detector, stride):
    return np.asarray(_good_loop(image, np.asarray(detector)[::-1, ::-1], stride))


def test_loop_function_catches_stride_bug(capsys):
    assert verdict(capsys, ex.check_loop_function, _good_loop).startswith("Correct")
    out = verdict(capsys, ex.check_loop_function, _stride_bug_loop)
    assert out.startswith("Not yet") and "i·stride" in out and "stride 2" in out
    assert "function itself" in verdict(capsys, ex.check_loop_function, 3)


def test_loop_function_names_the_usual_mistakes_with_true_numbers(capsys):
    out = verdict(capsys, ex.check_loop_function, _rows_for_columns_loop)
    # the first case that is not square: a 7x9 image and a 3x2 detector at stride 1
    assert "7x9 image, a 3x2 detector" in out and "shape (5, 8)" in out and "yours has shape (5, 6)" in out, out
    assert "7 − 3 + 1 = 5 rows" in out and "9 − 2 + 1 = 8 columns" in out, out
    assert (7 - 3 + 1, 9 - 2 + 1, 7 - 2 + 1) == (5, 8, 6)
    out = verdict(capsys, ex.check_loop_function, _square_detector_loop)
    assert "ValueError" in out and "once the image and the detector are cut square" in out, out

    def ceiling_loop(image, detector, stride):  # rounds the division up: the last window runs past the edge
        (n_r, n_c), (k_r, k_c) = np.shape(image), np.shape(detector)
        rows, cols = -(-(n_r - k_r) // stride) + 1, -(-(n_c - k_c) // stride) + 1
        out = np.zeros((rows, cols))
        for i in range(rows):
            for j in range(cols):
                out[i, j] = (image[i * stride : i * stride + k_r, j * stride : j * stride + k_c] * detector).sum()
        return out

    out = verdict(capsys, ex.check_loop_function, ceiling_loop)
    assert "every window must fit" in out and "cut square" not in out, out

    def forgets_return(image, detector, stride):
        out = np.zeros((1, 1))
        out[0, 0] = (image[:3, :3] * detector).sum()

    assert "forget to `return`" in verdict(capsys, ex.check_loop_function, forgets_return)

    def stub(image, detector, stride): ...

    assert verdict(capsys, ex.check_loop_function, stub).startswith("Not answered yet")
    assert "rotated by 180°" in verdict(capsys, ex.check_loop_function, _flipping_loop)

    def raises(image, detector, stride):
        return image[100]

    out = verdict(capsys, ex.check_loop_function, raises)
    assert out.startswith("Not yet") and "IndexError" in out and "7x7 image" in out, out


def test_loop_function_judges_what_runs_not_the_names_used(capsys):
    # an honest loop whose result is called feature_map, as the stub's comment says: not the library
    def honest(image, detector, stride):
        feature_map = np.asarray(_good_loop(image, detector, stride), dtype=float)
        return feature_map

    out = verdict(capsys, ex.check_loop_function, honest)
    assert out.startswith("Correct"), out

    # the library under another name, or through a helper: still the library
    from conv_lesson import feature_map as fm

    def helper(image, detector, stride):
        return fm(image, detector, stride=stride)

    def aliased(image, detector, stride):
        return helper(image, detector, stride)

    out = verdict(capsys, ex.check_loop_function, aliased)
    assert out.startswith("Not yet") and "calls feature_map" in out, out


def test_output_size_floor_hint(capsys):
    assert verdict(capsys, ex.check_output_size, 8, 3, 2, stride=3).startswith("Correct")
    # (8 - 3) / 3 + 1 = 2.67: rounding up gives 3
    out = verdict(capsys, ex.check_output_size, 8, 3, 3, stride=3)
    assert "round the division down" in out
    assert "padding" in verdict(capsys, ex.check_output_size, 7, 3, 5, padding=1)
    assert "whole number" in verdict(capsys, ex.check_output_size, 8, 3, 2.5, stride=3)


def test_max_pool(capsys):
    fm = [[0, 1, 0, 0, 0], [0, 1, 1, 1, 0], [1, 0, 0, 2, 1], [1, 4, 2, 1, 0], [0, 0, 1, 2, 1]]
    assert verdict(capsys, ex.check_max_pool, fm, [[1, 1], [4, 2]]).startswith("Correct")
    assert "past the edge" in verdict(capsys, ex.check_max_pool, fm, np.zeros((3, 3)))
    assert "maximum" in verdict(capsys, ex.check_max_pool, fm, [[2, 2], [5, 5]])


SOBEL = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def _bar_image(rows, cols, bright):
    image = np.zeros((rows, cols))
    image[:, bright] = 1
    return image


@pytest.mark.parametrize("bright", [[5, 6, 7], [0, 1], [2], [8, 9, 10]])
def test_bar_columns_accepts_any_form_of_the_right_columns(capsys, bright):
    # the map made here with scipy, not the package; the bar may touch the image's edges
    from scipy.signal import correlate2d

    bar_map = correlate2d(_bar_image(5, 11, bright), SOBEL, "valid")
    for answer in (bright, tuple(bright), np.array(bright), range(bright[0], bright[-1] + 1), set(bright)):
        assert verdict(capsys, ex.check_bar_columns, bar_map, SOBEL, answer).startswith("Correct"), answer


def test_bar_columns_refuses_map_columns_and_off_by_one_bars(capsys):
    from scipy.signal import correlate2d

    bar_map = correlate2d(_bar_image(5, 11, [5, 6, 7]), SOBEL, "valid")
    for wrong in ([3, 4, 6, 7], [3, 4, 5, 6, 7], [4, 5, 6], [6, 7, 8], [5, 6], [5, 6, 7, 8]):
        out = verdict(capsys, ex.check_bar_columns, bar_map, SOBEL, wrong)
        assert out.startswith("Not yet") and "map column c is the window over image columns c to c + 2" in out
    assert "not a column of the image" in verdict(capsys, ex.check_bar_columns, bar_map, SOBEL, [5, 6, 11])
    assert "a list or a tuple" in verdict(capsys, ex.check_bar_columns, bar_map, SOBEL, 5)
    assert "Not yet" in verdict(capsys, ex.check_bar_columns, bar_map, SOBEL, [5.5, 6])


def _same_pooled(shape, peak):
    """The cells where a lone peak gives the pooled map it gives at ``peak``: blocks pooled by hand here."""

    def pooled(cell):
        fm = np.zeros(shape)
        fm[cell] = 9
        return fm[: shape[0] // 2 * 2, : shape[1] // 2 * 2].reshape(shape[0] // 2, 2, shape[1] // 2, 2).max(axis=(1, 3))

    return {(r, c) for r in range(shape[0]) for c in range(shape[1]) if np.array_equal(pooled((r, c)), pooled(peak))}


@pytest.mark.parametrize("shape,peak", [((6, 6), (3, 2)), ((4, 6), (0, 5)), ((5, 5), (1, 1))])
def test_pool_positions_accepts_the_block_in_any_order_and_form(capsys, shape, peak):
    right = sorted(_same_pooled(shape, peak))
    for answer in (right, right[::-1], [list(cell) for cell in right], set(right), np.array(right)):
        assert verdict(capsys, ex.check_pool_positions, shape, peak, answer).startswith("Correct"), answer


def test_pool_positions_refuses_a_neighbourhood_a_shifted_block_or_a_part(capsys):
    def run(answer):
        return verdict(capsys, ex.check_pool_positions, (6, 6), (3, 2), answer)

    neighbourhood = [(r, c) for r in (2, 3, 4) for c in (1, 2, 3)]
    assert "leaves its block" in run(neighbourhood)
    assert "leaves its block" in run([(3, 2), (3, 3), (4, 2), (4, 3)])  # a block started at the peak
    assert "1 more cell leaves the pooled map as it was" in run([(2, 2), (3, 2), (3, 3)])
    assert "(2, 3)" not in run([(2, 2), (3, 2), (3, 3)])  # the hint does not hand out the answer
    assert "own cell, (3, 2)" in run([(2, 2), (2, 3), (3, 3)])
    with pytest.raises(ValueError, match="stride must equal size"):
        ex.check_pool_positions((6, 6), (3, 2), [(3, 2)], size=3, stride=2)
    with pytest.raises(ValueError, match="peak must be a cell of a whole 2x2 block"):
        ex.check_pool_positions((5, 5), (4, 0), [(4, 0)])


def test_odd_padding_widths(capsys):
    # the zeros 'same' needs at stride 2 for a 4-wide detector, counted here window by window
    def zeros(n):
        windows = -(-n // 2)
        return max((windows - 1) * 2 + 4 - n, 0)

    right = [n for n in range(8, 14) if zeros(n) % 2]
    assert right == [9, 11, 13]
    assert verdict(capsys, ex.check_odd_padding_widths, 4, 2, range(8, 14), right).startswith("Correct")
    out = verdict(capsys, ex.check_odd_padding_widths, 4, 2, range(8, 14), list(range(8, 14)))
    assert "k − 1 = 3 zeros is the rule at stride 1" in out, out
    out = verdict(capsys, ex.check_odd_padding_widths, 4, 2, range(8, 14), [9, 11])
    assert "look at 13 again" in out and "ends at 15, 3 past the image's last cell, 12" in out, out


def test_flip_match_wants_the_detector_rotated_in_advance(capsys):
    from scipy.signal import convolve2d, correlate2d

    tiny, arrow = np.arange(1, 10).reshape(3, 3), np.array([[1, 0], [0, 2]])
    rotated = arrow[::-1, ::-1]
    assert np.array_equal(convolve2d(tiny, rotated, "valid"), correlate2d(tiny, arrow, "valid"))
    assert verdict(capsys, ex.check_flip_match, tiny, arrow, rotated.tolist()).startswith("Correct")
    assert "the detector itself" in verdict(capsys, ex.check_flip_match, tiny, arrow, arrow)
    assert "reversed only its rows" in verdict(capsys, ex.check_flip_match, tiny, arrow, arrow[::-1])
    assert "reversed only its columns" in verdict(capsys, ex.check_flip_match, tiny, arrow, arrow[:, ::-1])
    assert "shape" in verdict(capsys, ex.check_flip_match, tiny, arrow, [[1, 2, 3]])


def test_answers_are_never_rounded_to_whole_numbers(capsys):
    assert "9.5" in verdict(capsys, ex.check_odd_padding_widths, 4, 2, range(8, 14), [9.5, 11, 13.9])
    assert "5.7" in verdict(capsys, ex.check_detector_from_weights, 2400, 32, 3, (5.7, 5.2, 3))
    assert "7.9" in verdict(capsys, ex.check_sizes_to_map, 5, 4, [7.9, 8.2], stride=2, padding=2)
    assert verdict(capsys, ex.check_sizes_to_map, 5, 4, [7.0, 8.0], stride=2, padding=2).startswith("Correct")


def test_one_number_where_a_tuple_is_asked_for_is_told_so(capsys):
    out = verdict(capsys, ex.check_detector_from_weights, 2400, 32, 3, 75)
    assert "answer as (rows, columns, channels)" in out and "you gave one value, 75" in out, out
    assert "TypeError" not in out, out


def test_widths_not_asked_about_are_named(capsys):
    out = verdict(capsys, ex.check_odd_padding_widths, 4, 2, range(8, 14), [3, 3, 3])
    assert "3 is not among the widths asked about, 8 to 13" in out, out


def test_flip_match_accepts_any_detector_that_makes_the_map(capsys):
    # on an image whose 2x2 patches are all ones plus one fixed patch, several detectors make the same map
    flat = np.arange(1, 10).reshape(3, 3)
    arrow = np.array([[1, 0], [0, 2]])
    other = np.array([[1, 1], [1, 0]])
    from scipy.signal import convolve2d, correlate2d

    assert np.array_equal(convolve2d(flat, other, "valid"), correlate2d(flat, arrow, "valid"))
    out = verdict(capsys, ex.check_flip_match, flat, arrow, other)
    assert out.startswith("Correct") and "comes back to" not in out, out


def test_detector_from_weights(capsys):
    assert 32 * 5 * 5 * 3 == 2400
    assert verdict(capsys, ex.check_detector_from_weights, 2400, 32, 3, (5, 5, 3)).startswith("Correct")
    assert "channels first" in verdict(capsys, ex.check_detector_from_weights, 2400, 32, 3, (3, 5, 5))
    assert "(rows, cols, 3)" in verdict(capsys, ex.check_detector_from_weights, 2400, 32, 3, (5, 5))
    out = verdict(capsys, ex.check_detector_from_weights, 2400, 32, 3, (10, 10, 3))
    assert "2400 / 32 = 75 weights" in out, out


def test_dilation_for_side(capsys):
    # a 3-wide detector with dilation d spans 2d + 1 cells; the map is 9 + 2 − span + 1 wide
    sides = {d: 9 + 2 - (2 * d + 1) + 1 for d in range(1, 5)}
    assert sides[3] == 5
    assert verdict(capsys, ex.check_dilation_for_side, 9, 3, 1, 5, 3).startswith("Correct")
    out = verdict(capsys, ex.check_dilation_for_side, 9, 3, 1, 5, 2)
    assert f"= {sides[2]}, not 5" in out and "lose 6 cells" in out, out
    assert "whole number" in verdict(capsys, ex.check_dilation_for_side, 9, 3, 1, 5, 2.5)


def test_learning_budget_runs_the_descent_it_is_given(capsys):
    from conv_lesson import detector, feature_map, learn_detector, photo

    image, hidden = photo(32), detector("horizontal_edges").astype(float)
    target = feature_map(image, hidden)

    def gap(steps, rate):
        return np.abs(learn_detector(image, target, steps=steps, learning_rate=rate)[0] - hidden).max()

    # 200 steps: enough at 0.75, not at 0.5 (the rate of lesson 06's own run)
    assert gap(200, 0.75) <= 0.05 < gap(200, 0.5)
    args = (image, target, hidden, 200)
    assert verdict(capsys, ex.check_learning_budget, *args, (200, 0.75)).startswith("Correct")
    out = verdict(capsys, ex.check_learning_budget, *args, (200, 0.5))
    assert f"largest gap is {gap(200, 0.5):.4f}" in out, out
    # just under the rate where the descent stops converging (2 / the largest eigenvalue of the curvature)
    from numpy.lib.stride_tricks import sliding_window_view
    from scipy.linalg import eigvalsh

    windows = sliding_window_view(image, (3, 3)).reshape(-1, 9)
    limit = 2 / eigvalsh(2 / len(windows) * windows.T @ windows).max()
    assert 0.78 < limit < 0.8
    out = verdict(capsys, ex.check_learning_budget, *args, (200, 0.79))
    assert f"close to {limit:.3f}" in out and "step the rate back" in out, out
    assert "over the budget of 200" in verdict(capsys, ex.check_learning_budget, *args, (1000, 0.5))
    assert "blows up" in verdict(capsys, ex.check_learning_budget, *args, (50, 1))


def test_flipped_box(capsys):
    assert verdict(capsys, ex.check_flipped_box, 2.5, (1.5, 2.5)).startswith("Correct")
    assert "without the mirror" in verdict(capsys, ex.check_flipped_box, 2.5, (2.5, 3.5))
    assert "where g itself sits" in verdict(capsys, ex.check_flipped_box, 2.5, (0, 1))
    assert verdict(capsys, ex.check_flipped_box, 1, (-1, 1), width=2).startswith("Correct")


def test_dice_sum(capsys):
    two = np.array([1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1]) / 36
    three = np.convolve(two, np.ones(6) / 6)
    out = verdict(capsys, ex.check_dice_sum, 3, three)
    assert out.startswith("Correct") and "10 and 11" in out
    assert "2 dice" in verdict(capsys, ex.check_dice_sum, 3, two)
    assert "16 numbers" in verdict(capsys, ex.check_dice_sum, 3, np.full(18, 1 / 18))
    wrong = three.copy()
    wrong[[0, 7]] = wrong[[7, 0]]
    assert "total 3 is off" in verdict(capsys, ex.check_dice_sum, 3, wrong)
    assert verdict(capsys, ex.check_dice_sum, 2, two).startswith("Correct")


def test_box_widths(capsys):
    t = [0.5, 1, 1.5, 2, 2.5, 3]
    out = verdict(capsys, ex.check_box_widths, t, [0.5, 1, 1, 1, 0.5, 0])
    assert out.startswith("Correct") and "trapezoid" in out
    assert "width 1" in verdict(capsys, ex.check_box_widths, t, [0.5, 1, 0.5, 0, 0, 0])
    assert "never exceeds 1" in verdict(capsys, ex.check_box_widths, t, [0.5, 1, 1.5, 2, 1.5, 1])
    assert "t = 2.5" in verdict(capsys, ex.check_box_widths, t, [0.5, 1, 1, 1, 0.4, 0])
    assert "six values" not in verdict(capsys, ex.check_box_widths, t, [1, 2])


def test_feature_map_names_flip_transpose_and_shape(capsys):
    image = np.arange(16).reshape(4, 4)
    det = np.array([[1, 2], [0, 0]])
    from scipy.signal import convolve2d, correlate2d

    assert "flipped" in verdict(capsys, ex.check_feature_map, image, det, convolve2d(image, det, "valid"))
    right = correlate2d(image, det, "valid")
    assert "swapped" in verdict(capsys, ex.check_feature_map, image, det, right.T)
    assert "shape (3, 3)" in verdict(capsys, ex.check_feature_map, image, det, correlate2d(image, det, "full"))


def test_loop_function_that_calls_the_library_is_told_so(capsys):
    from conv_lesson import feature_map
    from conv_lesson.ops import feature_map_loop

    def calls_library(image, detector, stride):
        return feature_map(image, detector, stride=stride)

    def calls_scipy(image, detector, stride):
        from scipy.signal import correlate2d

        return correlate2d(image, detector, "valid")[::stride, ::stride]

    for func in (feature_map, feature_map_loop, calls_library, calls_scipy):
        out = verdict(capsys, ex.check_loop_function, func)
        assert out.startswith("Not yet") and "the library" in out, out
    out = verdict(capsys, ex.check_loop_function, _good_loop)
    assert out.startswith("Correct") and "times the stride" in out


def test_output_size_missing_plus_one(capsys):
    assert "+ 1" in verdict(capsys, ex.check_output_size, 7, 3, 4)
    assert "spans" in verdict(capsys, ex.check_output_size, 9, 3, 9, padding=1, dilation=2)


def test_layer_sides(capsys):
    lenet = [("conv", 5), ("pool", 2), ("conv", 5), ("pool", 2)]
    out = verdict(capsys, ex.check_layer_sides, 32, lenet, [28, 14, 10, 5])
    assert out.startswith("Correct") and "32 → 28 → 14 → 10 → 5" in out
    assert "+ 1" in verdict(capsys, ex.check_layer_sides, 32, lenet, [27, 13, 9, 4])
    assert "layer 2" in verdict(capsys, ex.check_layer_sides, 32, lenet, [28, 28, 24, 24])
    assert "4 numbers" in verdict(capsys, ex.check_layer_sides, 32, lenet, [28, 14])
    with pytest.raises(ValueError, match="conv"):
        ex.check_layer_sides(32, [("dense", 5)], [1])


def test_max_pool_names_the_wrong_reduction(capsys):
    fm = [[1, 3, 0, 2], [4, 2, 1, 0], [0, 0, 5, 1], [2, 1, 3, 3]]
    assert "sum" in verdict(capsys, ex.check_max_pool, fm, [[10, 3], [3, 12]])
    assert "average" in verdict(capsys, ex.check_max_pool, fm, [[2.5, 0.75], [0.75, 3]])


def test_gradient_scaling(capsys):
    assert verdict(capsys, ex.check_gradient_scaling, 2, 4).startswith("Correct")
    assert "brighter too" in verdict(capsys, ex.check_gradient_scaling, 2, 2)
    assert verdict(capsys, ex.check_gradient_scaling, 3, 9.0000001).startswith("Correct")


def test_gradient_scaling_matches_the_package():
    from conv_lesson import detector, detector_gradient, feature_map, photo

    image, hidden, guess = photo(16), detector("vertical_edges").astype(float), np.zeros((3, 3))
    g1 = detector_gradient(image, guess, feature_map(image, hidden))[1]
    g2 = detector_gradient(2 * image, guess, feature_map(2 * image, hidden))[1]
    assert np.allclose(g2, 4 * g1)


@pytest.mark.parametrize("fn,args", ALL_PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_grading_mode_raises_on_a_missing_answer(monkeypatch, fn, args):
    monkeypatch.setenv(ex.GRADING_ENV, "1")
    with pytest.raises(AssertionError, match="Not answered yet"):
        fn(*args)


def test_grading_mode_raises_the_hint_and_passes_a_right_answer(capsys, monkeypatch):
    monkeypatch.setenv(ex.GRADING_ENV, "1")
    with pytest.raises(AssertionError, match="round the division down"):
        ex.check_output_size(8, 3, 3, stride=3)
    with pytest.raises(AssertionError, match="I could not read"):
        ex.check_feature_map(face_image(), face_detector(), object())
    ex.check_output_size(8, 3, 2, stride=3)
    assert capsys.readouterr().out.startswith("Correct")


def test_grading_switch_overrides_the_environment(capsys, monkeypatch):
    monkeypatch.setenv(ex.GRADING_ENV, "1")
    assert ex.grading(False) is False
    assert verdict(capsys, ex.check_output_size, 8, 3, 3, stride=3).startswith("Not yet")
    monkeypatch.delenv(ex.GRADING_ENV)
    assert ex.grading(True) is True
    with pytest.raises(AssertionError):
        ex.check_image_columns(10, (3, 3), 40, 6)
    assert ex.grading(None) is False
    with pytest.raises(TypeError):
        ex.grading("yes")


@pytest.mark.parametrize(
    "call",
    [
        lambda: ex.check_output_size(7, 0, 5),
        lambda: ex.check_feature_map([[1, 2]], [[1, 2, 3]], [[1]]),
        lambda: ex.check_detector_from_weights(2401, 32, 3, (5, 5, 3)),
        lambda: ex.check_dilation_for_side(9, 3, 1, 6, 2),
        lambda: ex.check_dice_sum(0, [1]),
    ],
)
def test_a_broken_exercise_raises_for_the_teacher(call):
    with pytest.raises((TypeError, ValueError)):
        call()


@pytest.mark.parametrize("name", [n for n in ex.__all__ if n.startswith("check_") or n == "grading"])
def test_every_check_explains_itself(name):
    doc = getattr(ex, name).__doc__ or ""
    assert "Parameters" in doc and ">>>" in doc


def test_box_widths_accepts_the_lessons_own_numerical_integral(capsys):
    from conv_lesson import continuous_convolution

    t = [0.5, 1, 1.5, 2, 2.5, 3]
    box = lambda x: ((x >= 0) & (x < 1)).astype(float)  # noqa: E731
    wide = lambda x: ((x >= 0) & (x < 2)).astype(float)  # noqa: E731
    for tau in (np.linspace(-2, 4, 60001), np.linspace(-1, 6, 7001)):  # the lesson's two grids
        values = continuous_convolution(box, wide, t, tau)
        assert not np.allclose(values, [0.5, 1, 1, 1, 0.5, 0])  # not exact: the grid's error...
        assert verdict(capsys, ex.check_box_widths, t, values).startswith("Correct")  # ...and still right
    assert verdict(capsys, ex.check_box_widths, t, [0.5, 1, 1, 1, 0.5, 0.05]).startswith("Not yet")


def test_stride_halves_the_map_is_a_misconception_with_its_own_hint(capsys):
    # 32 cells, a 3-wide detector, stride 2: the window fits at 30 places, one in two kept: 15, not 32 / 2
    windows = len(range(0, 32 - 3 + 1, 2))
    assert windows == 15
    out = verdict(capsys, ex.check_stride_and_padding, 32, 3, 16, (2, 0))
    assert out.startswith("Not yet") and f"{windows} windows" in out and "30 places" in out, out
    assert "Padding makes room" in out, out
    # the same answer with room made is right, and other wrong answers keep the general hint
    assert verdict(capsys, ex.check_stride_and_padding, 32, 3, 16, (2, 1)).startswith("Correct")
    assert "one in" not in verdict(capsys, ex.check_stride_and_padding, 64, 3, 16, (3, 0))


def test_an_answer_of_the_wrong_kind_is_told_the_kind_asked_for(capsys):
    out = verdict(capsys, ex.check_stride_and_padding, 64, 3, 16, 4)
    assert "answer as (stride, padding)" in out and "you gave one value, 4" in out, out
    out = verdict(capsys, ex.check_stride_and_padding, 64, 3, 16, (4, 0, 1))
    assert "answer as (stride, padding)" in out and "you gave 3" in out, out
    assert "answer as (start, end)" in verdict(capsys, ex.check_flipped_box, 4, 3)


def test_lesson_05_exercise_1_needs_the_stride_rule_not_a_shortcut(capsys):
    """4-wide detector, stride 3, widths 8 to 13 (lesson 05): neither the stride-1 rule (k − 1 = 3 zeros,
    odd for every width) nor 'the odd widths' gives the answer; counting the windows does."""

    def zeros(n):  # 'same' keeps ceil(n / 3) windows: how far the last one reaches past the last cell
        windows = len(range(0, n, 3))
        return max((windows - 1) * 3 + 4 - n, 0)

    right = [n for n in range(8, 14) if zeros(n) % 2]
    assert right != list(range(8, 14)) and right != [9, 11, 13]
    assert verdict(capsys, ex.check_odd_padding_widths, 4, 3, range(8, 14), right).startswith("Correct")
    for shortcut in (list(range(8, 14)), [9, 11, 13]):
        assert verdict(capsys, ex.check_odd_padding_widths, 4, 3, range(8, 14), shortcut).startswith("Not yet")
