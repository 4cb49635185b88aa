"""Lessons 07 and 08's checks answer back: right answers say why, the usual wrong answers get the hint that
names the mistake, placeholders wait, garbage never raises, grading mode raises with the hint."""

import numpy as np
import pytest
import scipy.signal

from conv_lesson import exercises as ex

#: Every lesson 07/08 check, with the arguments of its exercise and the answer left as ``...``.
PLACEHOLDER_CALLS = [
    (ex.check_detectors_from_parameters, (3, 3, 1792, ...), {}),
    (ex.check_weight_shape, (3, [(16, 5), (32, 3), (8, 1)], ...), {}),
    (ex.check_layers_for_field, ([(3, 1, 1), (2, 2, 1)], (3, 1, 1), 28, ...), {}),
    (ex.check_relu_pool, ([[1, -2], [-3, 0]], -1, ...), {}),
    (ex.check_im2col_settings, ((32, 32, 3), (196, 75), ...), {}),
    (ex.check_transposed_source, ([[1, 2], [0, 1]], [[1, 4, 4], [3, 6, 0], [0, 3, -1]], ...), {}),
    (ex.check_sizes_to_map, (5, 4, ...), {"stride": 2, "padding": 2}),
    (ex.check_window_reads, ((6, 6), 3, ...), {"stride": 2}),
]
G, W = np.array([[1, 2], [3, -1]]), np.array([[1, 2], [0, 1]])
MAP = np.array([[3, -1, 0, 2], [-4, 1, -2, -3], [0, 5, -1, -3], [2, -2, 0, -2]])


pytestmark = pytest.mark.usefixtures("not_grading")  # every test starts outside grading mode


def verdict(capsys, fn, *args, **kwargs):
    assert fn(*args, **kwargs) is None
    out = capsys.readouterr().out.strip()
    assert out, "a check must always print something"
    return out


def right(capsys, fn, *args, **kwargs):
    out = verdict(capsys, fn, *args, **kwargs)
    assert out.startswith("Correct: "), out
    return out


def wrong(capsys, fn, *args, **kwargs):
    out = verdict(capsys, fn, *args, **kwargs)
    assert out.startswith("Not yet: "), out
    return out


def test_every_layer_and_matrix_check_is_exported_and_listed():
    from conv_lesson.exercises import layer_and_matrix

    assert {f.__name__ for f, _, _ in PLACEHOLDER_CALLS} == set(layer_and_matrix.__all__) <= set(ex.__all__)


@pytest.mark.parametrize("fn,args,kwargs", PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_placeholders_wait_and_garbage_never_raises(capsys, fn, args, kwargs):
    assert verdict(capsys, fn, *args, **kwargs).startswith("Not answered yet")
    garbage = tuple(object() if a is ... else a for a in args)
    assert verdict(capsys, fn, *garbage, **kwargs).startswith("Not yet")
    text = tuple("twelve" if a is ... else a for a in args)
    assert verdict(capsys, fn, *text, **kwargs).startswith("Not yet")


@pytest.mark.parametrize("fn,args,kwargs", PLACEHOLDER_CALLS, ids=lambda x: getattr(x, "__name__", ""))
def test_grading_mode_raises_with_the_hint(fn, args, kwargs):
    ex.grading(True)
    with pytest.raises(AssertionError, match="Not answered yet"):
        fn(*args, **kwargs)
    with pytest.raises(AssertionError, match="Not yet"):
        fn(*tuple(-7 if a is ... else a for a in args), **kwargs)


def test_a_bad_exercise_is_the_teachers_error():
    with pytest.raises(ValueError):
        ex.check_sizes_to_map(5, 4, [7, 8], stride=0)
    with pytest.raises(ValueError):
        ex.check_layers_for_field([(3, 1, 1)], (1, 1, 1), 9, 3)


def test_detectors_from_parameters(capsys):
    # by hand: a 3x3x3 detector has 27 weights and 1 bias; 1792 / 28 = 64
    assert 64 * (3 * 3 * 3 + 1) == 1792
    out = right(capsys, ex.check_detectors_from_parameters, 3, 3, 1792, 64)
    assert "3×3×3 = 27 weights" in out and "1792 / 28 = 64" in out, out
    assert 1792 // 27 == 66  # the bias forgotten: 1792 / 27 = 66.4
    assert "1 bias" in wrong(capsys, ex.check_detectors_from_parameters, 3, 3, 1792, 66)
    assert "all 3 channels" in wrong(capsys, ex.check_detectors_from_parameters, 3, 3, 1792, 1792 // 10)
    assert "not per channel" in wrong(capsys, ex.check_detectors_from_parameters, 3, 3, 1792, 192)
    with pytest.raises(ValueError, match="multiple"):
        ex.check_detectors_from_parameters(3, 3, 1800, 64)


def test_weight_shape(capsys):
    out = right(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], (32, 16, 3, 3))
    assert "4,608 weights" in out  # 32 * 16 * 3 * 3
    assert "channels-last" in wrong(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], (32, 3, 3, 16))
    assert "Keras" in wrong(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], (3, 3, 16, 32))
    assert "swapped" in wrong(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], [16, 32, 3, 3])
    assert "missing the input channels" in wrong(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], (32, 3, 3))
    assert "16 maps" in wrong(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], (32, 3, 3, 3))
    assert "4 axes" in wrong(capsys, ex.check_weight_shape, 1, [(16, 5), (32, 3)], (1, 2))
    # lesson 07's stack: the 1x1 layer on top of 32 maps; the 3x3 of the layer below copied by mistake
    stack = [(16, 5), (32, 3), (8, 1)]
    right(capsys, ex.check_weight_shape, 3, stack, (8, 32, 1, 1))
    out = wrong(capsys, ex.check_weight_shape, 3, stack, (8, 32, 3, 3))
    assert "a 1x1 detector has 1 row and 1 column" in out and "3x3 belongs to the layer below" in out, out
    right(capsys, ex.check_weight_shape, 3, [(16, 5)], (16, 3, 5, 5))  # one layer: C_in is the image's


def test_layers_for_field(capsys):
    base, conv = [(3, 1, 1), (2, 2, 1)], (3, 1, 1)
    # by hand: 1 + 2 + 1 = 4 after the pool; each 3x3 after it adds 2 * 2 = 4
    fields = [4 + 4 * n for n in range(8)]
    assert fields.index(28) == 6
    out = right(capsys, ex.check_layers_for_field, base, conv, 28, 6)
    assert "= 28 ≥ 28" in out and "5 see only 24" in out and "1·(3 − 1)·2 = 4" in out, out
    assert "= 24, less than 28" in wrong(capsys, ex.check_layers_for_field, base, conv, 28, 5)
    assert "6 already see 1 + 2 + 1 + 2×2" in wrong(capsys, ex.check_layers_for_field, base, conv, 28, 7)
    assert "whole number" in wrong(capsys, ex.check_layers_for_field, base, conv, 28, 2.5)
    right(capsys, ex.check_layers_for_field, [], (3, 1, 2), 9, 2)  # dilated: 1 + 4 + 4


def test_relu_pool(capsys):
    relu = np.maximum(MAP - 1, 0)
    expected = [[relu[:2, :2].max(), relu[:2, 2:].max()], [relu[2:, :2].max(), relu[2:, 2:].max()]]
    assert expected == [[2, 1], [4, 0]]
    out = right(capsys, ex.check_relu_pool, MAP, -1, expected)
    assert "does not matter" in out
    # the classic slips, each named
    assert "negative value survived" in wrong(capsys, ex.check_relu_pool, MAP, -1, [[2, 1], [4, -1]])
    assert "bias is added to every cell" in wrong(capsys, ex.check_relu_pool, MAP, -1, [[3, 2], [5, 0]])
    assert "as it is" in wrong(capsys, ex.check_relu_pool, MAP, -1, [[4, 3], [6, 1]])
    assert "shape (2, 2)" in wrong(capsys, ex.check_relu_pool, MAP, -1, relu)
    assert "differ" in wrong(capsys, ex.check_relu_pool, MAP, -1, [[2, 1], [4, 7]])
    # ReLU as the size of a negative value
    assert "replaces it by 0" in wrong(capsys, ex.check_relu_pool, [[-5, 1], [0, 0]], 0, [[5]])


def test_im2col_settings_read_backwards(capsys):
    # by hand: 75 numbers a window = 5*5*3; 196 = 14*14 windows and floor((32 - 5) / 2) + 1 = 14
    works = [(k, st) for k in range(1, 33) for st in range(1, 33)
             if k * k * 3 == 75 and ((32 - k) // st + 1) ** 2 == 196]  # fmt: skip
    assert works == [(5, 2)]
    out = right(capsys, ex.check_im2col_settings, (32, 32, 3), (196, 75), (5, 2))
    assert "5×5×3 = 75" in out and "14×14 = 196" in out, out
    out = wrong(capsys, ex.check_im2col_settings, (32, 32, 3), (196, 75), (5, 1))
    assert "floor((32 − 5) / 1) + 1 = 28" in out and "not 196" in out, out
    out = wrong(capsys, ex.check_im2col_settings, (32, 32, 3), (196, 75), (3, 2))
    assert "3×3×3 = 27 columns, not 75" in out, out
    assert "does not fit" in wrong(capsys, ex.check_im2col_settings, (32, 32, 3), (196, 75), (40, 1))


def test_transposed_source_worked_backwards(capsys):
    # the four stamps of value × W on a 3x3 canvas give the output; scipy's full convolution agrees
    by_hand = np.zeros((3, 3), dtype=int)
    for (i, j), v in np.ndenumerate(G):
        by_hand[i : i + 2, j : j + 2] += v * W
    assert (scipy.signal.convolve2d(G, W) == by_hand).all()
    out = right(capsys, ex.check_transposed_source, W, by_hand, G.tolist())
    assert "2×2 map" in out
    out = wrong(capsys, ex.check_transposed_source, W, by_hand, G.T)
    assert "(0, 1)" in out and "stamps 5" in out and "holds 4" in out, out  # 1*2 + 3*1 = 5 where 4 is
    assert "map is 2×2" in wrong(capsys, ex.check_transposed_source, W, by_hand, by_hand)
    # with a stride the stamps move on by it
    strided = np.zeros((4, 4), dtype=int)
    for (i, j), v in np.ndenumerate(G):
        strided[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] += v * W
    right(capsys, ex.check_transposed_source, W, strided, G, stride=2)


def test_sizes_to_map(capsys):
    sizes = [n for n in range(1, 40) if (n + 4 - 5) // 2 + 1 == 4]
    assert sizes == [7, 8]
    out = right(capsys, ex.check_sizes_to_map, 5, 4, sizes[::-1], stride=2, padding=2)
    assert "output_padding" in out
    out = wrong(capsys, ex.check_sizes_to_map, 5, 4, [7], stride=2, padding=2)
    assert "another side makes a 4-wide map too" in out and "8" not in out, out
    out = wrong(capsys, ex.check_sizes_to_map, 5, 4, [7, 8, 9], stride=2, padding=2)
    assert "floor((9 + 2·2 − 5) / 2) + 1 = 5, not 4" in out, out
    right(capsys, ex.check_sizes_to_map, 3, 5, [7], padding=0)


def test_window_reads(capsys):
    # by hand: windows start at 0 and 2 along each axis and cover 0-2, 2-4; row and column 5 are never read
    side = np.array([1, 1, 2, 1, 1, 0])
    counts = np.outer(side, side)
    out = right(capsys, ex.check_window_reads, (6, 6), 3, counts, stride=2)
    assert "The 11 cell(s) no window reads" in out
    assert "shape (6, 6)" in wrong(capsys, ex.check_window_reads, (6, 6), 3, counts[:5, :5], stride=2)
    one = np.convolve(np.ones(4), np.ones(3))  # stride 1: 1 2 3 3 2 1
    assert "at stride 1" in wrong(capsys, ex.check_window_reads, (6, 6), 3, np.outer(one, one), stride=2)
    assert "differ" in wrong(capsys, ex.check_window_reads, (6, 6), 3, np.ones((6, 6)), stride=2)
