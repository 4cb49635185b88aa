"""The arithmetic: feature_map and friends against independent references."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import ndimage, signal

from conv_lesson import (
    continuous_convolution,
    convolve_1d,
    detector_gradient,
    face_detector,
    face_image,
    feature_map,
    flip_and_slide,
    framework_call,
    learn_detector,
    max_pool,
    output_size,
    pad_image,
    resolve_padding,
    scan_positions,
    step_view,
)
from conv_lesson.ops import feature_map_loop, step_views

# the face's worked example


def count_matches(image, detector, top, left):
    """Count, by hand, the cells where image and detector both hold a 1."""
    n = 0
    for r in range(3):
        for c in range(3):
            if image[top + r][left + c] == 1 and detector[r][c] == 1:
                n += 1
    return n


def test_face_example_counts_matching_cells():
    image, detector = face_image().tolist(), face_detector().tolist()
    expected = [[count_matches(image, detector, r, c) for c in range(5)] for r in range(5)]
    result = feature_map(image, detector)
    assert result.shape == (5, 5)
    assert result.dtype == np.int64
    assert result.tolist() == expected


def test_face_example_matches_scipy_correlate2d():
    expected = signal.correlate2d(face_image(), face_detector(), mode="valid")
    np.testing.assert_array_equal(feature_map(face_image(), face_detector()), expected)


def test_face_example_known_cells():
    fm = feature_map(face_image(), face_detector())
    # top-left window: the detector's ones sit on zeros only
    assert fm[0, 0] == 0
    # the window at row 3, column 1 covers an eye... and the smile: four matches
    assert fm[3, 1] == 4
    assert fm.max() == 4


def test_data_returns_fresh_arrays():
    a = face_image()
    a[0, 0] = 99
    assert face_image()[0, 0] == 0


# feature_map semantics


def test_no_flip_is_cross_correlation_and_flip_is_convolution():
    rng = np.random.default_rng(0)
    image = rng.normal(size=(9, 8))
    det = rng.normal(size=(3, 2))
    np.testing.assert_allclose(feature_map(image, det), signal.correlate2d(image, det, "valid"))
    np.testing.assert_allclose(feature_map(image, det, flip=True), signal.convolve2d(image, det, "valid"))


def test_flip_changes_result_for_asymmetric_detector_only():
    image = face_image()
    asym = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
    assert not np.array_equal(feature_map(image, asym), feature_map(image, asym, flip=True))
    sym = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    np.testing.assert_array_equal(feature_map(image, sym), feature_map(image, sym, flip=True))


def test_stride_picks_every_sth_window():
    rng = np.random.default_rng(1)
    image = rng.integers(-5, 6, size=(10, 11))
    det = rng.integers(-2, 3, size=(3, 3))
    full = signal.correlate2d(image, det, "valid")
    np.testing.assert_array_equal(feature_map(image, det, stride=2), full[::2, ::2])
    np.testing.assert_array_equal(feature_map(image, det, stride=(3, 2)), full[::3, ::2])


def test_integer_padding_pads_every_side():
    image = np.arange(1, 10).reshape(3, 3)
    det = np.ones((3, 3), dtype=int)
    result = feature_map(image, det, padding=1)
    # corner: 1 + 2 + 4 + 5
    assert result[0, 0] == 12
    assert result.shape == (3, 3)
    assert result[1, 1] == 45


def test_pair_padding_is_rows_then_columns():
    image = np.ones((4, 4), dtype=int)
    det = np.ones((3, 3), dtype=int)
    result = feature_map(image, det, padding=(1, 0))
    assert result.shape == (4, 2)
    assert result[0].tolist() == [6, 6]


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("n", [5, 6, 7])
def test_same_padding_keeps_size_for_odd_and_even_detectors(n, k):
    image = np.arange(n * n, dtype=float).reshape(n, n)
    det = np.ones((k, k))
    assert feature_map(image, det, padding="same").shape == (n, n)


def test_same_padding_puts_extra_row_and_column_bottom_right():
    assert resolve_padding((6, 6), (4, 4), padding="same") == ((1, 2), (1, 2))
    image = np.zeros((4, 4), dtype=int)
    image[0, 0] = 1
    det = np.zeros((2, 2), dtype=int)
    det[0, 0] = 1
    # total padding 1 per axis, all of it after: output cell (0, 0) sees image (0, 0)
    result = feature_map(image, det, padding="same")
    assert result[0, 0] == 1
    assert result.sum() == 1


def test_same_with_stride_gives_ceil():
    image = np.ones((7, 7))
    assert feature_map(image, np.ones((3, 3)), stride=2, padding="same").shape == (4, 4)


def test_valid_is_no_padding():
    image = np.ones((6, 5))
    np.testing.assert_array_equal(
        feature_map(image, np.ones((3, 3)), padding="valid"), feature_map(image, np.ones((3, 3)))
    )


def test_dilation_spaces_the_taps():
    rng = np.random.default_rng(2)
    image = rng.normal(size=(9, 9))
    det = rng.normal(size=(3, 3))
    dilated = np.zeros((5, 5))
    dilated[::2, ::2] = det
    np.testing.assert_allclose(feature_map(image, det, dilation=2), signal.correlate2d(image, dilated, "valid"))


def test_channels_are_summed_into_one_map():
    rng = np.random.default_rng(3)
    image = rng.normal(size=(6, 7, 3))
    det = rng.normal(size=(3, 3, 3))
    expected = sum(signal.correlate2d(image[..., c], det[..., c], "valid") for c in range(3))
    result = feature_map(image, det)
    assert result.shape == (4, 5)
    np.testing.assert_allclose(result, expected)


def test_single_channel_detector_on_2d_image():
    image = face_image()
    det = face_detector()[:, :, None]
    np.testing.assert_array_equal(feature_map(image, det), feature_map(image, face_detector()))


def test_dtypes_integer_bool_exact_float():
    big = np.full((3, 3), 2**40, dtype=np.int64)
    assert feature_map(big, np.ones((3, 3), dtype=np.int64))[0, 0] == 9 * 2**40
    b = feature_map(np.ones((3, 3), dtype=bool), np.ones((2, 2), dtype=bool))
    assert b.dtype == np.int64 and b[0, 0] == 4
    assert feature_map(np.ones((3, 3), dtype=np.float32), np.ones((2, 2))).dtype == np.float64
    assert feature_map(np.ones((3, 3), dtype=int), np.full((2, 2), 0.5)).dtype == np.float64


def test_accepts_nested_lists():
    assert feature_map([[1, 2], [3, 4]], [[1]]).tolist() == [[1, 2], [3, 4]]


def test_loop_version_equals_fast_version_on_face():
    np.testing.assert_array_equal(
        feature_map_loop(face_image(), face_detector()), feature_map(face_image(), face_detector())
    )


def test_detector_equal_to_image_gives_one_cell():
    image = np.arange(9).reshape(3, 3)
    assert feature_map(image, image).tolist() == [[int((image * image).sum())]]


# property tests: independent references

small = st.integers(min_value=1, max_value=4)


@st.composite
def conv_case(draw, channels=False):
    kh, kw = draw(small), draw(small)
    dr, dc = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pr, pc = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    sr, sc = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h = draw(st.integers(max(1, dr * (kh - 1) + 1 - 2 * pr), 12))
    w = draw(st.integers(max(1, dc * (kw - 1) + 1 - 2 * pc), 12))
    c = draw(st.integers(1, 3)) if channels else None
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    shape_i = (h, w) if c is None else (h, w, c)
    shape_k = (kh, kw) if c is None else (kh, kw, c)
    image = rng.integers(-9, 10, size=shape_i)
    det = rng.integers(-9, 10, size=shape_k)
    return image, det, (sr, sc), (pr, pc), (dr, dc)


def naive(image, det, stride, padding, dilation):
    """An independent reference written from the textbook definition."""
    image = np.atleast_3d(image) if image.ndim == 2 else image
    det = det[:, :, None] if det.ndim == 2 else det
    (pr, pc), (sr, sc), (dr, dc) = padding, stride, dilation
    padded = np.zeros((image.shape[0] + 2 * pr, image.shape[1] + 2 * pc, image.shape[2]), image.dtype)
    padded[pr : pr + image.shape[0], pc : pc + image.shape[1]] = image
    kh, kw = det.shape[:2]
    oh = (padded.shape[0] - dr * (kh - 1) - 1) // sr + 1
    ow = (padded.shape[1] - dc * (kw - 1) - 1) // sc + 1
    out = np.zeros((oh, ow), dtype=np.int64)
    for i in range(oh):
        for j in range(ow):
            total = 0
            for a in range(kh):
                for b in range(kw):
                    for ch in range(det.shape[2]):
                        total += padded[i * sr + a * dr, j * sc + b * dc, ch] * det[a, b, ch]
            out[i, j] = total
    return out


@settings(max_examples=150, deadline=None)
@given(conv_case(channels=True))
def test_property_matches_textbook_reference(case):
    image, det, stride, padding, dilation = case
    expected = naive(image, det, stride, padding, dilation)
    got = feature_map(image, det, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_array_equal(got, expected)
    assert got.shape == output_size(image.shape[:2], det.shape[:2], stride=stride, padding=padding, dilation=dilation)


@settings(max_examples=60, deadline=None)
@given(st.integers(4, 12), st.integers(1, 3), st.integers(1, 2), st.integers(0, 2**32 - 1))
def test_property_a_detector_larger_than_its_map_adds_left_to_right(n, stride, dilation, seed):
    """Lesson 06's gradient slides the error map (almost the image's size) under the image, so the
    detector has more cells than the map. Each map cell must be the products added one by one in
    reading order (what a 3x3 detector gets too), to the last bit, in float64."""
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(n, n + 1))
    k = (n - 1) // dilation + 1 - int(rng.integers(0, 2))  # (nearly) the largest that fits
    det = rng.normal(size=(k, k))
    got = feature_map(image, det, stride=stride, dilation=dilation)
    assume(got.size < det.size)
    for (i, j), value in np.ndenumerate(got):
        total = None
        for a in range(det.shape[0]):
            for b in range(det.shape[1]):
                product = float(image[i * stride + a * dilation, j * stride + b * dilation]) * float(det[a, b])
                total = product if total is None else total + product
        assert value == total, (i, j, value, total)


@settings(max_examples=100, deadline=None)
@given(conv_case(channels=True))
def test_property_loop_equals_fast(case):
    image, det, stride, padding, dilation = case
    kw = {"stride": stride, "padding": padding, "dilation": dilation}
    np.testing.assert_array_equal(feature_map_loop(image, det, **kw), feature_map(image, det, **kw))
    np.testing.assert_array_equal(
        feature_map_loop(image, det, flip=True, **kw), feature_map(image, det, flip=True, **kw)
    )


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_property_stride1_matches_scipy_ndimage(kh, kw, seed):
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(rng.integers(kh, 15), rng.integers(kw, 15)))
    det = rng.normal(size=(kh, kw))
    # ndimage centres the detector at (k // 2); crop to the fully-overlapping windows
    full = ndimage.correlate(image, det, mode="constant", cval=0.0)
    r0, c0 = kh // 2, kw // 2
    valid = full[r0 : r0 + image.shape[0] - kh + 1, c0 : c0 + image.shape[1] - kw + 1]
    np.testing.assert_allclose(feature_map(image, det), valid, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(feature_map(image, det), signal.correlate2d(image, det, "valid"), rtol=1e-12, atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 30), st.integers(1, 7), st.integers(1, 4), st.integers(1, 3))
def test_property_same_padding_shape_and_values(n, k, s, d):
    image = np.arange(n * (n + 1), dtype=np.int64).reshape(n, n + 1) % 7
    det = (np.arange(k * k).reshape(k, k) % 3) - 1
    got = feature_map(image, det, stride=s, padding="same", dilation=d)
    assert got.shape == (-(-n // s), -(-(n + 1) // s))
    (t, b), (l, r) = resolve_padding(image.shape, det.shape, stride=s, padding="same", dilation=d)
    padded = np.pad(image, ((t, b), (l, r)))
    np.testing.assert_array_equal(got, naive(padded, det, (s, s), (0, 0), (d, d)))


# output_size, scan_positions, pad_image


@pytest.mark.parametrize(
    "n,k,s,p,d,expected",
    [
        (7, 3, 1, 0, 1, 5),
        (7, 3, 2, 0, 1, 3),
        (7, 3, 3, 0, 1, 2),  # floor: column 6 is never the start of a window
        (8, 3, 3, 0, 1, 2),
        (5, 3, 1, 1, 1, 5),
        (224, 7, 2, 3, 1, 112),  # ResNet's first layer
        (7, 3, 1, 0, 2, 3),
        (5, 5, 1, 0, 1, 1),
    ],
)
def test_output_size_floor_formula(n, k, s, p, d, expected):
    assert output_size(n, k, stride=s, padding=p, dilation=d) == expected


def test_output_size_accepts_every_padding_form():
    assert output_size(7, 4, padding="same") == 7
    assert output_size(7, 4, stride=2, padding="same") == 4
    assert output_size(7, 4, padding="valid") == 4
    assert output_size(7, 3, padding=(1, 0)) == (7, 5)
    assert output_size((7, 9), (3, 5), stride=(2, 1)) == (3, 5)


@settings(max_examples=100, deadline=None)
@given(conv_case())
def test_property_shape_equals_output_size(case):
    image, det, stride, padding, dilation = case
    got = feature_map(image, det, stride=stride, padding=padding, dilation=dilation)
    for axis in range(2):
        assert got.shape[axis] == output_size(
            image.shape[axis],
            det.shape[axis],
            stride=stride[axis],
            padding=padding[axis],
            dilation=dilation[axis],
        )


def test_scan_positions_order_and_stride():
    assert scan_positions((4, 5), (3, 3)) == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    pos = scan_positions((7, 7), (3, 3), stride=2)
    assert pos == [(r, c) for r in (0, 2, 4) for c in (0, 2, 4)]
    assert len(scan_positions((7, 7), (3, 3), padding=1)) == 49
    assert scan_positions((8, 8), (3, 3), stride=3)[-1] == (3, 3)


def test_pad_image_adds_zero_border():
    out = pad_image(np.ones((2, 3), dtype=int), (3, 3), padding=(1, 2))
    assert out.shape == (4, 7)
    assert out.sum() == 6 and out[0].sum() == 0 and out[:, :2].sum() == 0


# the per-step view


def test_step_view_first_step_of_face():
    v = step_view(face_image(), face_detector(), 1)
    assert v.step == 1 and v.n_steps == 25
    assert v.position == (0, 0) and v.cell == (0, 0)
    np.testing.assert_array_equal(v.patch, face_image()[:3, :3])
    np.testing.assert_array_equal(v.products, face_image()[:3, :3] * face_detector())
    assert v.value == 0 and v.matches == 0
    assert v.arithmetic.endswith("= 0")
    assert v.arithmetic.count("×") == 9
    assert np.isnan(v.feature_map).sum() == 24


def test_step_view_partial_map_fills_row_by_row():
    full = feature_map(face_image(), face_detector())
    for k in (1, 5, 6, 13, 25):
        v = step_view(face_image(), face_detector(), k)
        flat = v.feature_map.ravel()
        np.testing.assert_array_equal(flat[:k], full.ravel()[:k])
        assert np.isnan(flat[k:]).all()
        assert v.cell == divmod(k - 1, 5)
        assert v.value == full[v.cell]


def test_step_view_with_stride_multiplies_the_index():
    v = step_view(face_image(), face_detector(), 4, stride=2)
    # 3x3 map: step 4 is cell (1, 0), whose window starts at row 2, column 0
    assert v.cell == (1, 0) and v.position == (2, 0)
    assert v.n_steps == 9


def test_step_view_matches_on_binary_arrays():
    v = step_view(face_image(), face_detector(), 17)  # cell (3, 1)
    assert v.value == 4 and v.matches == 4
    assert "= 4" in v.arithmetic


def test_step_view_not_binary_has_no_matches():
    v = step_view(np.arange(16).reshape(4, 4), np.ones((3, 3)), 1)
    assert v.matches is None


def test_step_view_arithmetic_brackets_negatives():
    v = step_view([[1, 2]], [[-1, 1]], 1)
    assert v.arithmetic == "1×(-1) + 2×1 = 1"


def test_step_view_padding_and_dilation():
    v = step_view(np.ones((3, 3), dtype=int), np.ones((3, 3), dtype=int), 1, padding=1)
    assert v.padded_image.shape == (5, 5)
    assert v.value == 4
    v = step_view(np.arange(25).reshape(5, 5), np.ones((2, 2), dtype=int), 1, dilation=2)
    assert v.rows.tolist() == [0, 2] and v.cols.tolist() == [0, 2]
    assert v.value == 0 + 2 + 10 + 12


def test_step_views_equal_individual_views():
    views = step_views(face_image(), face_detector(), stride=2)
    assert len(views) == 9
    for v in views:
        single = step_view(face_image(), face_detector(), v.step, stride=2)
        assert v.arithmetic == single.arithmetic
        np.testing.assert_array_equal(v.feature_map, single.feature_map)


# 1-D


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(-20, 20), min_size=1, max_size=12),
    st.lists(st.integers(-20, 20), min_size=1, max_size=12),
    st.sampled_from(["full", "same", "valid"]),
)
def test_property_convolve_1d_equals_numpy(f, g, mode):
    np.testing.assert_array_equal(convolve_1d(f, g, mode), np.convolve(f, g, mode))


def test_convolve_1d_floats_and_dice():
    die = np.full(6, 1 / 6)
    two = convolve_1d(die, die)
    assert len(two) == 11
    np.testing.assert_allclose(two * 36, [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1])


def test_continuous_box_star_box_is_triangle():
    box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    t = np.linspace(-0.5, 2.5, 13)
    got = continuous_convolution(box, box, t, np.linspace(-2, 4, 6001))
    np.testing.assert_allclose(got, np.maximum(0, 1 - np.abs(t - 1)), atol=2e-3)


def test_continuous_gaussians_widen():
    gauss = lambda s: lambda x: np.exp(-(x**2) / (2 * s**2)) / (s * np.sqrt(2 * np.pi))
    t = np.linspace(-3, 3, 7)
    got = continuous_convolution(gauss(1.0), gauss(1.0), t, np.linspace(-12, 12, 4801))
    np.testing.assert_allclose(got, gauss(np.sqrt(2))(t), atol=1e-6)


def test_flip_and_slide_pieces():
    f = lambda x: np.where((x >= 0) & (x < 1), 1.0, 0.0)
    g = lambda x: np.where((x >= 0) & (x < 2), x, 0.0)
    tau = np.linspace(-3, 5, 8001)
    v = flip_and_slide(f, g, 1.5, tau)
    np.testing.assert_allclose(v.g_shifted, g(1.5 - tau))
    np.testing.assert_allclose(v.product, f(tau) * g(1.5 - tau))
    # ∫_0^1 (1.5 - τ) dτ = 1.5 - 0.5
    assert v.value == pytest.approx(1.0, abs=2e-3)
    assert v.value == pytest.approx(continuous_convolution(f, g, [1.5], tau)[0])


# pooling, the framework call, learning a detector


def test_max_pool_of_face_map_by_hand():
    fm = feature_map(face_image(), face_detector())
    pooled = max_pool(fm)
    assert pooled.shape == (2, 2)  # the fifth row and column are dropped
    assert pooled.tolist() == [
        [int(fm[:2, :2].max()), int(fm[:2, 2:4].max())],
        [int(fm[2:4, :2].max()), int(fm[2:4, 2:4].max())],
    ]


def test_max_pool_overlapping_and_errors():
    x = np.arange(16).reshape(4, 4)
    assert max_pool(x, size=3, stride=1).tolist() == [[10, 11], [14, 15]]
    with pytest.raises(ValueError, match="size"):
        max_pool(x, size=5)
    with pytest.raises(TypeError, match="stride"):
        max_pool(x, stride=1.5)


def test_framework_call_shapes_agree_with_feature_map():
    text = framework_call((7, 7), (3, 3), stride=2, padding=1)
    assert "kernel_size=3" in text and "stride=2" in text and "padding=1" in text
    assert "(1, 1, 4, 4)" in text
    assert feature_map(np.zeros((7, 7)), np.zeros((3, 3)), stride=2, padding=1).shape == (4, 4)
    rgb = framework_call((32, 32, 3), (5, 5, 3), n_detectors=16, dilation=2)
    assert rgb.startswith("torch.nn.Conv2d(3, 16, kernel_size=5") and "dilation=2" in rgb
    assert "(1, 16, 24, 24)" in rgb
    assert "padding='same'" in framework_call((6, 6), (4, 4), padding="same")
    uneven = framework_call((7, 7), (4, 4), stride=2, padding="same")
    assert "functional.pad" in uneven


def test_detector_gradient_matches_finite_differences():
    rng = np.random.default_rng(5)
    image = rng.normal(size=(8, 8))
    target = rng.normal(size=(6, 6))
    det = rng.normal(size=(3, 3))
    loss, grad = detector_gradient(image, det, target)
    eps = 1e-6
    for i in range(3):
        for j in range(3):
            d2 = det.copy()
            d2[i, j] += eps
            numeric = (detector_gradient(image, d2, target)[0] - loss) / eps
            assert grad[i, j] == pytest.approx(numeric, rel=1e-3, abs=1e-4)


def test_learn_detector_recovers_hidden_3x3():
    rng = np.random.default_rng(0)
    image = rng.random((20, 20))
    hidden = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    learned, losses = learn_detector(image, feature_map(image, hidden), steps=1500, learning_rate=0.2)
    np.testing.assert_allclose(learned, hidden, atol=0.05)
    assert losses[-1] < 1e-3 * losses[0]


def test_learn_detector_too_large_rate_is_explained():
    rng = np.random.default_rng(0)
    image = rng.random((10, 10)) * 10
    with pytest.raises(ValueError, match="learning_rate"):
        learn_detector(image, feature_map(image, np.ones((3, 3))), steps=200, learning_rate=5.0)
