"""Lessons 07 and 08's checks answer back: right answers say why, the usual wrong answers get the hint that
names the mistake, placeholders wait, garbage never raises, grading mode raises with the hint."""

import numpy as np
import pytest
import scipy.signal

from conv_lesson import exercises as ex

#: Every lesson 07/08 check, with the arguments of its exercise and the answer left as ``...``.
PLACEHOLDER_CALLS = [
    (ex.check_parameter_count, ((64, 64, 3), 5, 16, ..., ...), {"padding": 2}),
    (ex.check_weight_shape, (16, 32, 3, ...), {}),
    (ex.check_receptive_field, ([(3, 1, 1), (2, 2, 1), (3, 1, 1), (3, 1, 1)], ...), {}),
    (ex.check_relu_pool, ([[1, -2], [-3, 0]], -1, ...), {}),
    (ex.check_im2col_shape, ((32, 32, 3), 3, ...), {"stride": 2, "padding": 1}),
    (ex.check_transposed_map, ([[1, 2], [3, -1]], [[1, 2], [0, 1]], ...), {}),
    (ex.check_transposed_size, (4, 5, ...), {"stride": 2, "padding": 2}),
    (ex.check_window_reads, ((6, 6), 3, ...), {"stride": 2}),
]
G, W = np.array([[1, 2], [3, -1]]), np.array([[1, 2], [0, 1]])
MAP = np.array([[3, -1, 0, 2], [-4, 1, -2, -3], [0, 5, -1, -3], [2, -2, 0, -2]])


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv(ex.GRADING_ENV, raising=False)
    ex.grading(None)
    yield
    ex.grading(None)


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


def test_every_network_check_is_exported_and_listed():
    from conv_lesson.exercises import network

    assert {f.__name__ for f, _, _ in PLACEHOLDER_CALLS} == set(network.__all__) <= set(ex.__all__)


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
        ex.check_transposed_size(4, 5, 7, stride=0)
    with pytest.raises(ValueError):
        ex.check_receptive_field([], 3)


def test_parameter_count(capsys):
    # by hand: conv 5*5*3*16 + 16; dense (64*64*3) * (64*64*16) + 64*64*16
    conv, dense = 5 * 5 * 3 * 16 + 16, 12288 * 65536 + 65536
    assert (conv, dense) == (1216, 805_371_904)
    layer = ((64, 64, 3), 5, 16)
    out = right(capsys, ex.check_parameter_count, *layer, conv, dense, padding=2)
    assert "1,216" in out and "805,371,904" in out and "whatever the image's size" in out
    assert "one bias per detector" in wrong(capsys, ex.check_parameter_count, *layer, 1200, dense, padding=2)
    assert "all 3 channels" in wrong(capsys, ex.check_parameter_count, *layer, 416, dense, padding=2)
    assert "the layer has 16" in wrong(capsys, ex.check_parameter_count, *layer, 76, dense, padding=2)
    out = wrong(capsys, ex.check_parameter_count, *layer, conv, 805_306_368, padding=2)
    assert "one bias per output" in out and "conv:" not in out
    assert "all 16 maps" in wrong(capsys, ex.check_parameter_count, *layer, conv, 12288 * 4096 + 4096, padding=2)
    assert "H×W×3 input" in wrong(capsys, ex.check_parameter_count, *layer, conv, 4096 * 65536, padding=2)
    # both wrong: both hints
    out = wrong(capsys, ex.check_parameter_count, *layer, 1200, 805_306_368, padding=2)
    assert "conv:" in out and "dense:" in out


def test_weight_shape(capsys):
    out = right(capsys, ex.check_weight_shape, 16, 32, 3, (32, 16, 3, 3))
    assert "4,608 weights" in out  # 32 * 16 * 3 * 3
    assert "channels-last" in wrong(capsys, ex.check_weight_shape, 16, 32, 3, (32, 3, 3, 16))
    assert "Keras" in wrong(capsys, ex.check_weight_shape, 16, 32, 3, (3, 3, 16, 32))
    assert "swapped" in wrong(capsys, ex.check_weight_shape, 16, 32, 3, [16, 32, 3, 3])
    assert "missing the input channels" in wrong(capsys, ex.check_weight_shape, 16, 32, 3, (32, 3, 3))
    assert "16 maps" in wrong(capsys, ex.check_weight_shape, 16, 32, 3, (32, 3, 3, 3))
    assert "4 axes" in wrong(capsys, ex.check_weight_shape, 16, 32, 3, (1, 2))


def test_receptive_field(capsys):
    layers = [(3, 1, 1), (2, 2, 1), (3, 1, 1), (3, 1, 1)]
    # by hand: 1 + 2 + 1 + 2*2 + 2*2 = 12
    out = right(capsys, ex.check_receptive_field, layers, 12)
    assert "1 + 2 + 1 + 2×2 + 2×2 = 12" in out
    assert "multiplied" in wrong(capsys, ex.check_receptive_field, layers, 8)
    assert "do not simply add" in wrong(capsys, ex.check_receptive_field, layers, 11)
    assert "do not simply add" in wrong(capsys, ex.check_receptive_field, layers, 54)
    assert "off by one" in wrong(capsys, ex.check_receptive_field, layers, 13)
    assert "grow from 1" in wrong(capsys, ex.check_receptive_field, layers, 30)
    right(capsys, ex.check_receptive_field, [(3, 1, 2)], 5)


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


def test_im2col_shape(capsys):
    # by hand: floor((32 + 2 - 3) / 2) + 1 = 16 a side: 256 windows; 3*3*3 = 27 numbers each
    out = right(capsys, ex.check_im2col_shape, (32, 32, 3), 3, (256, 27), stride=2, padding=1)
    assert "16×16 = 256" in out and "3×3×3 = 27" in out
    assert "swapped" in wrong(capsys, ex.check_im2col_shape, (32, 32, 3), 3, (27, 256), stride=2, padding=1)
    assert "move 2 cells" in wrong(capsys, ex.check_im2col_shape, (32, 32, 3), 3, (1024, 27), stride=2, padding=1)
    assert "padded image" in wrong(capsys, ex.check_im2col_shape, (32, 32, 3), 3, (225, 27), stride=2, padding=1)
    assert "each of the 3 channels" in wrong(
        capsys, ex.check_im2col_shape, (32, 32, 3), 3, (256, 9), stride=2, padding=1
    )
    assert "2-D" in wrong(capsys, ex.check_im2col_shape, (32, 32, 3), 3, (16, 16, 27), stride=2, padding=1)


def test_transposed_map(capsys):
    # by hand, the four stamps of value × W on a 3x3 canvas
    by_hand = np.zeros((3, 3), dtype=int)
    for (i, j), v in np.ndenumerate(G):
        by_hand[i : i + 2, j : j + 2] += v * W
    assert by_hand.tolist() == [[1, 4, 4], [3, 6, 0], [0, 3, -1]]
    # at stride 1 it is the 'full' true convolution (scipy, independent of the package)
    assert (scipy.signal.convolve2d(G, W) == by_hand).all()
    assert "add up" in right(capsys, ex.check_transposed_map, G, W, by_hand)
    assert "rotated by 180°" in wrong(capsys, ex.check_transposed_map, G, W, scipy.signal.correlate2d(G, W))
    assert "forward map" in wrong(capsys, ex.check_transposed_map, G, W, [[6]])
    overwritten = [[1, 2, 4], [3, -1, -2], [0, 0, -1]]  # each stamp replacing what was there
    assert "they add up" in wrong(capsys, ex.check_transposed_map, G, W, overwritten)
    assert "differ" in wrong(capsys, ex.check_transposed_map, G, W, by_hand + np.eye(3, dtype=int))
    # with a stride, stamps move on by it
    strided = np.zeros((4, 4), dtype=int)
    for (i, j), v in np.ndenumerate(G):
        strided[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] += v * W
    right(capsys, ex.check_transposed_map, G, W, strided, stride=2)


def test_transposed_size(capsys):
    # by hand: (4 - 1) * 2 + 5 = 11, cropped by 2 each side: 7
    out = right(capsys, ex.check_transposed_size, 4, 5, 7, stride=2, padding=2)
    assert "(4 − 1) × 2 = 6" in out and "11 cells" in out and "leaves 7" in out
    assert "forward" in wrong(capsys, ex.check_transposed_size, 4, 5, 2, stride=2, padding=2)
    assert "crops 2 from each side" in wrong(capsys, ex.check_transposed_size, 4, 5, 11, stride=2, padding=2)
    assert "top and bottom" in wrong(capsys, ex.check_transposed_size, 4, 5, 9, stride=2, padding=2)
    assert "(n − 1) × stride" in wrong(capsys, ex.check_transposed_size, 4, 5, 8, stride=2, padding=2)
    assert "5 cells wide" in wrong(capsys, ex.check_transposed_size, 4, 5, 3, stride=2, padding=2)
    right(capsys, ex.check_transposed_size, 4, 5, 8, stride=2, padding=2, output_padding=1)


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
