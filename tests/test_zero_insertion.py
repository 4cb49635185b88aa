"""Transposed convolution as zero insertion, padding and an ordinary scan with the rotated detector.

The zero-insertion form must give the stamping form's numbers (``transposed_feature_map``) on every
case the suite tries for it: PyTorch's ``conv_transpose2d`` answers stored by
tools/make_torch_references.py, the random cases of test_layers.py (against its hand stamping loop),
and a grid of small cases over stride, padding, output_padding, dilation and non-square detectors.
``zero_insert`` is checked against a loop written here. Then one test per error path.
"""

import itertools

import numpy as np
import pytest
from test_errors import raises  # one pytest.raises-with-words helper for every error-path test
from test_layers import TORCH, random_cases, stamp_loop

from conv_lesson import transposed_by_zero_insertion as top_level
from conv_lesson import zero_insert as top_level_zero_insert
from conv_lesson.ops import transposed_by_zero_insertion, transposed_feature_map, transposed_output_size, zero_insert


def spread_loop(g, sr, sc):
    """Zero insertion by hand: an array of zeros, each map cell written at (i * sr, j * sc)."""
    n, m = g.shape
    out = np.zeros(((n - 1) * sr + 1, (m - 1) * sc + 1), dtype=g.dtype)
    for i in range(n):
        for j in range(m):
            out[i * sr, j * sc] = g[i, j]
    return out


def test_zero_insert_matches_the_loop():
    rng = np.random.default_rng(0)
    for (n, m), (sr, sc) in itertools.product([(1, 1), (2, 3), (4, 2)], [(1, 1), (2, 2), (3, 1), (1, 3), (2, 3)]):
        g = rng.integers(-5, 6, size=(n, m))
        out = zero_insert(g, (sr, sc))
        assert out.dtype == np.int64
        np.testing.assert_array_equal(out, spread_loop(g, sr, sc))
    np.testing.assert_array_equal(zero_insert([[1.5, 2]], 2), [[1.5, 0, 2]])
    assert top_level_zero_insert is zero_insert and top_level is transposed_by_zero_insertion


def test_zero_insert_leaves_mostly_zeros():
    """A 3x3 map at stride 2 spread to 5x5: 9 numbers, 16 zeros."""
    spread = zero_insert(np.ones((3, 3)), 2)
    assert spread.shape == (5, 5) and np.count_nonzero(spread) == 9


def test_equals_torch_conv_transpose2d_on_every_stored_case():
    n = sum(1 for key in TORCH.files if key.endswith("_torch") and key.startswith("transposed"))
    assert n == 60
    for i in range(n):
        stride, padding, output_padding, dilation = (int(v) for v in TORCH[f"transposed{i}_args"])
        kw = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
        g, w = TORCH[f"transposed{i}_map"], TORCH[f"transposed{i}_detector"]
        ours = transposed_by_zero_insertion(g, w, **kw)
        np.testing.assert_allclose(ours, TORCH[f"transposed{i}_torch"], atol=1e-10, err_msg=f"case {i}")
        np.testing.assert_allclose(ours, transposed_feature_map(g, w, **kw), atol=1e-12, err_msg=f"case {i}")


def test_equals_the_stamping_on_test_layers_random_cases():
    rng, cases = random_cases(7, 40, transposed=True)  # the cases test_layers.py tries on the stamping form
    for c in cases:
        g, w = rng.normal(size=(c["h"], c["w"])), rng.normal(size=(c["kh"], c["kw"]))
        kw = dict(stride=c["s"], padding=c["p"], output_padding=c["op"], dilation=c["d"])
        ours = transposed_by_zero_insertion(g, w, **kw)
        np.testing.assert_allclose(ours, stamp_loop(g, w, c["s"], c["p"], c["op"], c["d"]), atol=1e-12)
        np.testing.assert_allclose(ours, transposed_feature_map(g, w, **kw), atol=1e-12)


def grid_cases():
    """Every stride 1-3, padding 0-2, output_padding below max(stride, dilation), dilation 1-2, detector 1-3 x 1-3,
    on 1x1, 2x3 and 4x2 maps, whenever the padding leaves an output."""
    for s, p, d, kh, kw, (n, m) in itertools.product(
        range(1, 4), range(3), range(1, 3), range(1, 4), range(1, 4), [(1, 1), (2, 3), (4, 2)]
    ):
        for op in range(max(s, d)):
            full = ((n - 1) * s + d * (kh - 1) + 1 + op, (m - 1) * s + d * (kw - 1) + 1 + op)
            if min(full) > 2 * p:
                yield n, m, kh, kw, dict(stride=s, padding=p, output_padding=op, dilation=d)


def test_equals_the_stamping_on_a_grid_of_small_cases():
    rng = np.random.default_rng(1)
    cases = list(grid_cases())
    assert len(cases) == 789  # the grid, after dropping the settings that crop everything
    for n, m, kh, kw, settings in cases:
        g, w = rng.integers(-4, 5, size=(n, m)), rng.integers(-3, 4, size=(kh, kw))
        ours = transposed_by_zero_insertion(g, w, **settings)
        assert ours.dtype == np.int64
        assert ours.shape == transposed_output_size((n, m), (kh, kw), **settings), settings
        expected = stamp_loop(
            g, w, settings["stride"], settings["padding"], settings["output_padding"], settings["dilation"]
        )
        np.testing.assert_array_equal(ours, expected, err_msg=str(settings))
        np.testing.assert_array_equal(ours, transposed_feature_map(g, w, **settings), err_msg=str(settings))


def test_padding_past_the_detector_crops_the_spread_map():
    """padding > d(k - 1): the border is negative, so the spread map is cropped rather than padded."""
    g = np.arange(1, 13).reshape(3, 4)
    for w, s, p, op in [(np.array([[2]]), 2, 1, 1), (np.array([[1, -1], [3, 0]]), 3, 2, 2), (np.ones((2, 1)), 2, 1, 0)]:
        out = transposed_by_zero_insertion(g, w, stride=s, padding=p, output_padding=op)
        np.testing.assert_array_equal(out, stamp_loop(g, w, s, p, op), err_msg=str((w.shape, s, p, op)))


def test_rectangular_settings_per_axis():
    rng = np.random.default_rng(2)
    g, w = rng.normal(size=(3, 4)), rng.normal(size=(2, 3))
    settings = dict(stride=(1, 3), padding=(0, 2), output_padding=(0, 1), dilation=(2, 1))
    np.testing.assert_allclose(
        transposed_by_zero_insertion(g, w, **settings), transposed_feature_map(g, w, **settings), atol=1e-12
    )


# error paths


def test_zero_insert_map_not_2d():
    with raises(ValueError, "feature_map", "2-D", "3 dimension"):
        zero_insert(np.ones((2, 2, 2)), 2)


def test_zero_insert_stride_zero():
    with raises(ValueError, "stride", ">= 1", "got 0"):
        zero_insert(np.ones((2, 2)), 0)


def test_zero_insert_stride_float():
    with raises(TypeError, "stride", "int"):
        zero_insert(np.ones((2, 2)), 1.5)


def test_zero_insert_stride_three_values():
    with raises(ValueError, "stride", "(rows, cols) pair", "3 values"):
        zero_insert(np.ones((2, 2)), (1, 2, 3))


def test_zero_insert_not_numbers():
    with raises(TypeError, "feature_map"):
        zero_insert([["a", "b"]], 2)


def test_zero_insertion_output_padding_not_below_stride():
    with raises(ValueError, "output_padding", "smaller than the stride", "got 2", "stride 2"):
        transposed_by_zero_insertion(np.ones((3, 3)), np.ones((3, 3)), stride=2, output_padding=2)


def test_zero_insertion_padding_crops_everything():
    with raises(ValueError, "padding", "crops away the whole output", "3 rows"):
        transposed_by_zero_insertion(np.ones((1, 1)), np.ones((3, 3)), padding=2)


def test_zero_insertion_padding_word():
    with raises(TypeError, "padding", "no padding word", "'same'"):
        transposed_by_zero_insertion(np.ones((3, 3)), np.ones((3, 3)), padding="same")


def test_zero_insertion_detector_3d():
    with raises(ValueError, "detector", "2-D", "3 dimension"):
        transposed_by_zero_insertion(np.ones((3, 3)), np.ones((3, 3, 2)))


def test_zero_insertion_map_with_nan():
    with raises(ValueError, "feature_map", "finite"):
        transposed_by_zero_insertion([[1.0, float("nan")]], np.ones((2, 2)))


@pytest.mark.parametrize("name", ["stride", "dilation"])
def test_zero_insertion_bad_stride_or_dilation(name):
    with raises(ValueError, name, ">= 1", "got 0"):
        transposed_by_zero_insertion(np.ones((2, 2)), np.ones((2, 2)), **{name: 0})
