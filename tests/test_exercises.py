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
    (ex.check_integration_variable, (...,)),
    (ex.check_two_dice, (...,)),
    (ex.check_convolve_1d, ([1, 2], [1, 1], ...)),
    (ex.check_feature_map_cell, (face_image(), face_detector(), 0, 0, ...)),
    (ex.check_feature_map, (face_image(), face_detector(), ...)),
    (ex.check_loop_function, (...,)),
    (ex.check_output_size, (7, 3, ...)),
    (ex.check_window_count, ((7, 7), (3, 3), ...)),
    (ex.check_max_pool, ([[1, 2], [3, 4]], ...)),
    (ex.check_same_padding, (6, 4, ...)),
    (ex.check_flip, ([[1, 2]], [[1, 0]], ...)),
    (ex.check_channels, ((8, 8, 3), 4, ..., ...)),
    (ex.check_learned_detector, (..., np.eye(3))),
]


@pytest.mark.parametrize("fn,args", ALL_PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_placeholder_answers_run_cleanly(capsys, fn, args):
    assert verdict(capsys, fn, *args).startswith("Not answered yet")


@pytest.mark.parametrize("fn,args", ALL_PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_garbage_answers_never_raise(capsys, fn, args):
    garbage = tuple(object() if a is ... else a for a in args)
    assert verdict(capsys, fn, *garbage).startswith("Not yet")


def test_exercise_set_covers_every_check():
    assert {f.__name__ for f, _ in ALL_PLACEHOLDER_CALLS} == set(ex.__all__)


def test_integration_variable(capsys):
    assert verdict(capsys, ex.check_integration_variable, "τ").startswith("Correct")
    assert "fixed" in verdict(capsys, ex.check_integration_variable, "t")


def test_two_dice(capsys):
    ways = np.array([1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1]) / 36
    assert verdict(capsys, ex.check_two_dice, ways).startswith("Correct")
    assert "11 possible" in verdict(capsys, ex.check_two_dice, np.full(12, 1 / 12))
    wrong = ways.copy()
    wrong[[0, 5]] = wrong[[5, 0]]
    out = verdict(capsys, ex.check_two_dice, wrong)
    assert out.startswith("Not yet") and "total 2 is off" in out


def test_convolve_1d_spots_missing_flip(capsys):
    assert verdict(capsys, ex.check_convolve_1d, [1, 2, 3], [0, 1, 2], np.convolve([1, 2, 3], [0, 1, 2])).startswith(
        "Correct"
    )
    no_flip = np.correlate([1, 2, 3], [0, 1, 2], mode="full")
    assert "flip" in verdict(capsys, ex.check_convolve_1d, [1, 2, 3], [0, 1, 2], no_flip)


def test_feature_map_cell_face(capsys):
    # by hand: cell (3, 1) of the face's map covers exactly the detector's pattern
    assert verdict(capsys, ex.check_feature_map_cell, face_image(), face_detector(), 3, 1, 4).startswith("Correct")
    out = verdict(capsys, ex.check_feature_map_cell, face_image(), face_detector(), 3, 1, 5)
    assert out.startswith("Not yet") and "row 3, column 1" in out and "count the cells" in out


def test_feature_map_cell_with_stride_hint(capsys):
    out = verdict(capsys, ex.check_feature_map_cell, face_image(), face_detector(), 1, 1, 99, stride=2)
    assert "row 2, column 2" in out


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
    n, k = len(image), len(detector)
    m = (n - k) // stride + 1
    return [
        [
            sum(image[i * stride + a][j * stride + b] * detector[a][b] for a in range(k) for b in range(k))
            for j in range(m)
        ]
        for i in range(m)
    ]


def _stride_bug_loop(image, detector, stride):
    # the classic mistake: stepping the output index without multiplying by the stride
    n, k = len(image), len(detector)
    m = (n - k) // stride + 1
    return [
        [sum(image[i + a][j + b] * detector[a][b] for a in range(k) for b in range(k)) for j in range(m)]
        for i in range(m)
    ]


def test_loop_function_catches_stride_bug(capsys):
    assert verdict(capsys, ex.check_loop_function, _good_loop).startswith("Correct")
    out = verdict(capsys, ex.check_loop_function, _stride_bug_loop)
    assert out.startswith("Not yet") and "i*stride" in out
    assert "function itself" in verdict(capsys, ex.check_loop_function, 3)


def test_output_size_floor_hint(capsys):
    assert verdict(capsys, ex.check_output_size, 8, 3, 2, stride=3).startswith("Correct")
    # (8 - 3) / 3 + 1 = 2.67: rounding up gives 3
    out = verdict(capsys, ex.check_output_size, 8, 3, 3, stride=3)
    assert "round the division down" in out
    assert "padding" in verdict(capsys, ex.check_output_size, 7, 3, 5, padding=1)
    assert "whole number" in verdict(capsys, ex.check_output_size, 8, 3, 2.5, stride=3)


def test_window_count(capsys):
    assert verdict(capsys, ex.check_window_count, (7, 7), (3, 3), 9, stride=2).startswith("Correct")
    assert verdict(capsys, ex.check_window_count, (7, 7), (3, 3), 25, stride=2).startswith("Not yet")


def test_max_pool(capsys):
    fm = [[0, 1, 0, 0, 0], [0, 1, 1, 1, 0], [1, 0, 0, 2, 1], [1, 4, 2, 1, 0], [0, 0, 1, 2, 1]]
    assert verdict(capsys, ex.check_max_pool, fm, [[1, 1], [4, 2]]).startswith("Correct")
    assert "past the edge" in verdict(capsys, ex.check_max_pool, fm, np.zeros((3, 3)))
    assert "maximum" in verdict(capsys, ex.check_max_pool, fm, [[2, 2], [5, 5]])


def test_same_padding(capsys):
    assert verdict(capsys, ex.check_same_padding, 6, 4, (1, 2)).startswith("Correct")
    assert "goes after" in verdict(capsys, ex.check_same_padding, 6, 4, (2, 1))
    assert "k − 1 = 3" in verdict(capsys, ex.check_same_padding, 6, 4, (2, 2))
    assert verdict(capsys, ex.check_same_padding, 7, 3, (1, 1)).startswith("Correct")


def test_flip(capsys):
    image = np.arange(16).reshape(4, 4)
    det = np.array([[1, 2], [0, 0]])
    rotated = det[::-1, ::-1]
    from scipy.signal import convolve2d

    truth = convolve2d(image, det, "valid")
    assert verdict(capsys, ex.check_flip, image, det, truth).startswith("Correct")
    from scipy.signal import correlate2d

    assert "cross-correlation" in verdict(capsys, ex.check_flip, image, det, correlate2d(image, det, "valid"))
    assert "only the rows" in verdict(capsys, ex.check_flip, image, det, correlate2d(image, det[::-1], "valid"))
    assert rotated.shape == det.shape


def test_channels(capsys):
    assert verdict(capsys, ex.check_channels, (32, 32, 3), 16, (5, 5, 3), 16).startswith("Correct")
    assert "3 channels too" in verdict(capsys, ex.check_channels, (32, 32, 3), 16, (5, 5), 16)
    assert "one map per detector" in verdict(capsys, ex.check_channels, (32, 32, 3), 16, (5, 5, 3), 48)


def test_learned_detector(capsys):
    true = np.array([[1.0, 0.0], [0.0, -1.0]])
    assert verdict(capsys, ex.check_learned_detector, true + 0.01, true).startswith("Correct")
    assert "largest gap" in verdict(capsys, ex.check_learned_detector, true + 0.5, true)
