"""The full layer, parameter counts, receptive fields, im2col, the conv matrix and transposed convolution.

Checked against independent references: hand loops written here,
scipy.signal.correlate2d and PyTorch's conv2d and conv_transpose2d (their answers
stored by tools/make_torch_references.py); then properties (matrix forms, the adjoint identity,
finite differences, brute-force receptive fields). The last part is one
test per error path, as in test_errors.py.
"""

import itertools
from pathlib import Path

import numpy as np
from scipy import signal
from test_errors import raises  # one pytest.raises-with-words helper for every error-path test

from conv_lesson.ops import (
    ParameterCount,
    ReceptiveCells,
    Scan,
    TransposedStep,
    conv_layer,
    conv_matrix,
    feature_map,
    im2col,
    output_size,
    parameter_count,
    receptive_cells,
    receptive_field,
    scan_windows,
    transposed_feature_map,
    transposed_output_size,
    transposed_steps,
)

#: PyTorch's conv2d and conv_transpose2d answers on random cases, written by tools/make_torch_references.py
TORCH = np.load(Path(__file__).resolve().parent / "data" / "torch_references.npz")


def conv_loop(image, detector, stride=1, padding=0, dilation=1):
    """A (H, W, C) image and a (kh, kw, C) detector, by hand: pad, then loop over outputs and taps."""
    x = np.pad(image, ((padding, padding), (padding, padding), (0, 0)))
    kh, kw, _ = detector.shape
    oh = (x.shape[0] - dilation * (kh - 1) - 1) // stride + 1
    ow = (x.shape[1] - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    out[i, j] += x[i * stride + a * dilation, j * stride + b * dilation, :] @ detector[a, b, :]
    return out


def stamp_loop(g, w, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution by hand: every input cell adds value * detector, then crop."""
    n, m = g.shape
    kh, kw = w.shape
    full = np.zeros(((n - 1) * stride + dilation * (kh - 1) + 1, (m - 1) * stride + dilation * (kw - 1) + 1))
    for i in range(n):
        for j in range(m):
            for a in range(kh):
                for b in range(kw):
                    full[i * stride + a * dilation, j * stride + b * dilation] += g[i, j] * w[a, b]
    full = np.pad(full, ((0, output_padding), (0, output_padding)))
    return full[padding : full.shape[0] - padding, padding : full.shape[1] - padding]


def random_cases(seed, n, transposed=False):
    """Random (shapes, stride, padding, dilation, output_padding) that fit."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < n:
        h, w = rng.integers(3, 9, size=2)
        kh, kw = rng.integers(1, 4, size=2)
        s, p, d = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        op = int(rng.integers(0, max(s, d)))
        fits = h + 2 * p >= d * (kh - 1) + 1 and w + 2 * p >= d * (kw - 1) + 1
        if transposed:
            fits = (h - 1) * s + d * (kh - 1) + 1 + op > 2 * p and (w - 1) * s + d * (kw - 1) + 1 + op > 2 * p
        if fits:
            cases.append(dict(h=int(h), w=int(w), kh=int(kh), kw=int(kw), s=s, p=p, d=d, c_in=c_in, c_out=c_out, op=op))
    return rng, cases


def test_conv_layer_is_one_correlate2d_per_detector_plus_bias():
    rng = np.random.default_rng(0)
    image, dets, bias = rng.normal(size=(8, 9)), rng.normal(size=(3, 3, 2)), rng.normal(size=3)
    out = conv_layer(image, list(dets), bias)
    assert out.shape == (6, 8, 3)
    for c in range(3):
        np.testing.assert_allclose(out[:, :, c], signal.correlate2d(image, dets[c], mode="valid") + bias[c])
    np.testing.assert_allclose(conv_layer(image, dets, bias, relu=True), np.maximum(out, 0))


def test_conv_layer_matches_the_hand_loop_with_channels_stride_padding_dilation():
    rng, cases = random_cases(1, 25)
    for c in cases:
        image = rng.normal(size=(c["h"], c["w"], c["c_in"]))
        dets = rng.normal(size=(c["c_out"], c["kh"], c["kw"], c["c_in"]))
        out = conv_layer(image, dets, stride=c["s"], padding=c["p"], dilation=c["d"])
        for k in range(c["c_out"]):
            np.testing.assert_allclose(out[:, :, k], conv_loop(image, dets[k], c["s"], c["p"], c["d"]), atol=1e-12)


def test_conv_layer_is_exact_for_integers_and_takes_every_form_of_detectors():
    rng = np.random.default_rng(2)
    image, dets = rng.integers(-3, 4, size=(6, 7, 2)), rng.integers(-2, 3, size=(4, 3, 3, 2))
    out = conv_layer(image, dets, [1, 2, 3, 4], padding="same", stride=2)
    assert out.dtype == np.int64
    for k in range(4):
        assert np.array_equal(out[:, :, k], feature_map(image, dets[k], padding="same", stride=2) + k + 1)
    assert np.array_equal(conv_layer(image, list(dets), [1, 2, 3, 4], padding="same", stride=2), out)
    assert np.array_equal(
        conv_layer(image, tuple(d.tolist() for d in dets), (1, 2, 3, 4), padding="same", stride=2), out
    )
    flat = conv_layer(image[:, :, 0], dets[:, :, :, 0])  # (C_out, kh, kw) stack for a 2-D image
    assert np.array_equal(flat[:, :, 1], feature_map(image[:, :, 0], dets[1, :, :, 0]))
    mixed = conv_layer([[1, 2], [3, 4]], [[[1]], [[0.5]]])
    assert mixed.dtype == np.float64 and np.array_equal(mixed[:, :, 1], [[0.5, 1], [1.5, 2]])


def test_conv_layer_matches_torch_conv2d():
    n = sum(1 for key in TORCH.files if key.endswith("_torch") and key.startswith("conv"))
    assert n >= 50
    for i in range(n):
        stride, padding, dilation = (int(v) for v in TORCH[f"conv{i}_args"])
        ours = conv_layer(TORCH[f"conv{i}_image"], TORCH[f"conv{i}_detectors"], TORCH[f"conv{i}_bias"],
                          stride=stride, padding=padding, dilation=dilation)  # fmt: skip
        np.testing.assert_allclose(ours, TORCH[f"conv{i}_torch"], atol=1e-10, err_msg=f"case {i}")


def test_parameter_count_by_hand():
    p = parameter_count((32, 32, 3), (5, 5, 3), 16, padding=2, stride=2)
    assert isinstance(p, ParameterCount)
    assert p.conv_weights == 5 * 5 * 3 * 16 and p.conv == 5 * 5 * 3 * 16 + 16
    assert (p.inputs, p.outputs) == (32 * 32 * 3, 16 * 16 * 16)
    assert p.dense == p.inputs * p.outputs + p.outputs and p.ratio == p.dense / p.conv
    no_bias = parameter_count((32, 32, 3), (5, 5), 16, bias=False, padding=2, stride=2)
    assert (no_bias.conv, no_bias.dense) == (p.conv_weights, p.dense_weights)
    # the conv layer's cost does not depend on the image, the dense one's does
    assert parameter_count((100, 100), (3, 3)).conv == parameter_count((5, 5), (3, 3)).conv == 10


def test_parameter_count_agrees_with_the_layer_it_counts():
    image, dets = np.zeros((7, 6, 2)), np.zeros((3, 2, 3, 2))
    p = parameter_count(image.shape, dets.shape[1:], 3, stride=2, dilation=2, padding=1)
    out = conv_layer(image, dets, stride=2, dilation=2, padding=1)
    assert p.outputs == out.size and p.conv_weights == dets.size and p.inputs == image.size


def test_receptive_field_formula():
    assert receptive_field([(3, 1, 1)]) == 3
    assert receptive_field([(3, 1, 1), (3, 1, 1)]) == 5
    assert receptive_field([(3, 1, 1)] * 3) == 7
    assert receptive_field([(2, 2, 1), (3, 1, 1)]) == 6  # pooling then a 3x3: 2 + 2*2
    assert receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]) == 15  # dilations 1, 2, 4


def brute_force(layers, dets, size):
    """For every output cell, the input pixels whose change changes it, through a stack of feature_map calls."""
    deps = {}
    for r, c in itertools.product(range(size), repeat=2):
        x = np.zeros((size, size))
        x[r, c] = 1.0
        for (_, s, d), w in zip(layers, dets):
            x = feature_map(x, w, stride=s, dilation=d)
        for cell in zip(*np.nonzero(x)):
            deps.setdefault(tuple(int(v) for v in cell), set()).add((r, c))
    return deps, x.shape


def test_receptive_field_and_cells_against_brute_force():
    rng = np.random.default_rng(4)
    stacks = 0
    while stacks < 12:
        n_layers = int(rng.integers(1, 4))
        layers = [(int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 3))) for _ in range(n_layers)]
        size = 16
        for k, s, d in layers:
            size = (size - d * (k - 1) - 1) // s + 1
        if size < 1:
            continue
        stacks += 1
        dets = [rng.uniform(0.5, 1.5, size=(k, k)) for k, _, _ in layers]  # positive: no cancellation
        deps, out_shape = brute_force(layers, dets, 16)
        side = receptive_field(layers)
        for cell in itertools.product(range(out_shape[0]), range(out_shape[1])):
            levels = receptive_cells(layers, cell, input_shape=(16, 16))
            bottom = levels[0]
            assert set(itertools.product(bottom.rows, bottom.cols)) == deps[cell], (layers, cell)
            assert len(bottom.row_range) == len(bottom.col_range) == side
            assert [lv.level for lv in levels] == list(range(len(layers) + 1))
            assert levels[-1].rows == (cell[0],) and levels[-1].shape == out_shape
        assert isinstance(levels[0], ReceptiveCells) and levels[0].shape == (16, 16)


def test_receptive_cells_each_level_is_the_window_of_the_level_above():
    layers = [(3, 1, 1), (2, 2, 1), (3, 1, 2)]
    levels = receptive_cells(layers, (2, 1), input_shape=(30, 30))
    shape = (30, 30)
    for (k, s, d), level in zip(layers, levels[1:]):
        shape = (output_size(shape[0], k, stride=s, dilation=d), output_size(shape[1], k, stride=s, dilation=d))
        assert level.shape == shape
    top = levels[-1]
    assert levels[-2].rows == tuple(top.rows[0] * 1 + 2 * t for t in range(3))


def test_im2col_times_the_detector_is_the_feature_map():
    rng, cases = random_cases(5, 30)
    for c in cases:
        for image, det in (
            (rng.normal(size=(c["h"], c["w"])), rng.normal(size=(c["kh"], c["kw"]))),
            (rng.normal(size=(c["h"], c["w"], c["c_in"])), rng.normal(size=(c["kh"], c["kw"], c["c_in"]))),
        ):
            kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"])
            fm = feature_map(image, det, **kw)
            cols = im2col(image, det.shape, **kw)
            assert cols.shape == (fm.size, det.size)
            np.testing.assert_allclose((cols @ det.ravel()).reshape(fm.shape), fm, atol=1e-12)
    assert np.array_equal(im2col(np.zeros((4, 4, 3)), (2, 2)), np.zeros((9, 12)))


def test_scan_windows_are_the_padded_slices():
    image = np.arange(30).reshape(5, 6)
    scan = Scan(image, np.ones((2, 3)), stride=(2, 1), padding=1, dilation=(1, 2))
    windows = scan_windows(scan)
    padded = np.pad(image, 1)
    assert windows.shape == scan.out_shape + (2, 3, 1)
    for i, j in np.ndindex(scan.out_shape):
        assert np.array_equal(windows[i, j, :, :, 0], padded[2 * i : 2 * i + 2, j : j + 5 : 2])


def test_conv_matrix_columns_are_the_feature_maps_of_single_pixels():
    rng, cases = random_cases(6, 25)
    for c in cases:
        det = rng.normal(size=(c["kh"], c["kw"]))
        kw = dict(stride=c["s"], padding=c["p"], dilation=c["d"])
        m = conv_matrix((c["h"], c["w"]), det, **kw)
        for k in range(c["h"] * c["w"]):
            e = np.zeros(c["h"] * c["w"])
            e[k] = 1.0
            np.testing.assert_array_equal(m[:, k], feature_map(e.reshape(c["h"], c["w"]), det, **kw).ravel())
        x = rng.normal(size=(c["h"], c["w"]))
        np.testing.assert_allclose(m @ x.ravel(), feature_map(x, det, **kw).ravel(), atol=1e-12)
    assert conv_matrix((3, 3), [[1, 2], [3, 4]], padding="same").dtype == np.int64


def test_transposed_matches_the_hand_stamping_loop():
    rng, cases = random_cases(7, 40, transposed=True)
    for c in cases:
        g, w = rng.normal(size=(c["h"], c["w"])), rng.normal(size=(c["kh"], c["kw"]))
        kw = dict(stride=c["s"], padding=c["p"], output_padding=c["op"], dilation=c["d"])
        out = transposed_feature_map(g, w, **kw)
        assert out.shape == transposed_output_size((c["h"], c["w"]), (c["kh"], c["kw"]), **kw)
        np.testing.assert_allclose(out, stamp_loop(g, w, c["s"], c["p"], c["op"], c["d"]), atol=1e-12)


def test_transposed_matches_torch_conv_transpose2d():
    n = sum(1 for key in TORCH.files if key.endswith("_torch") and key.startswith("transposed"))
    assert n >= 50
    for i in range(n):
        stride, padding, output_padding, dilation = (int(v) for v in TORCH[f"transposed{i}_args"])
        ours = transposed_feature_map(TORCH[f"transposed{i}_map"], TORCH[f"transposed{i}_detector"], stride=stride,
                                      padding=padding, output_padding=output_padding, dilation=dilation)  # fmt: skip
        np.testing.assert_allclose(ours, TORCH[f"transposed{i}_torch"], atol=1e-10, err_msg=f"case {i}")


def adjoint_cases(seed, n):
    """Cases where the forward scan of the transposed output gives back g's shape (output_padding < stride)."""
    rng, cases = random_cases(seed, 4 * n, transposed=True)
    return rng, [c for c in cases if c["op"] < c["s"]][:n]


def test_transposed_is_the_conv_matrix_transposed_and_the_adjoint():
    rng, cases = adjoint_cases(9, 30)
    for c in cases:
        g, w = rng.normal(size=(c["h"], c["w"])), rng.normal(size=(c["kh"], c["kw"]))
        conv = dict(stride=c["s"], padding=c["p"], dilation=c["d"])
        out = transposed_feature_map(g, w, output_padding=c["op"], **conv)
        m = conv_matrix(out.shape, w, **conv)
        assert m.shape == (g.size, out.size)
        np.testing.assert_allclose(out.ravel(), m.T @ g.ravel(), atol=1e-12)
        x = rng.normal(size=out.shape)  # <M x, g> == <x, M^T g>
        np.testing.assert_allclose(np.sum(feature_map(x, w, **conv) * g), np.sum(x * out), rtol=1e-10, atol=1e-10)


def test_transposed_is_the_gradient_of_the_scan():
    rng = np.random.default_rng(10)
    w, g = rng.normal(size=(3, 2)), rng.normal(size=(3, 3))
    conv = dict(stride=2, padding=1)
    grad = transposed_feature_map(g, w, output_padding=1, **conv)
    x, eps = rng.normal(size=grad.shape), 1e-6

    def loss(x):
        return np.sum(feature_map(x, w, **conv) * g)

    numeric = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        dx = np.zeros_like(x)
        dx[idx] = eps
        numeric[idx] = (loss(x + dx) - loss(x - dx)) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, atol=1e-6)


def test_transposed_steps_add_up_stamp_by_stamp():
    rng = np.random.default_rng(11)
    g, w = rng.integers(-3, 4, size=(3, 4)), rng.integers(-2, 3, size=(3, 3))
    kw = dict(stride=2, padding=1, output_padding=1)
    steps = transposed_steps(g, w, **kw)
    assert len(steps) == g.size and all(isinstance(s, TransposedStep) for s in steps)
    before = np.zeros_like(steps[0].output)
    for k, step in enumerate(steps, start=1):
        assert (step.step, step.n_steps) == (k, g.size)
        assert step.cell == divmod(k - 1, g.shape[1]) and step.value == g[step.cell]
        assert np.array_equal(step.stamp, step.value * w)
        expected = np.pad(before, 2)  # room for the parts of the stamp padding crops away
        expected[np.ix_(step.rows + 2, step.cols + 2)] += step.stamp
        assert np.array_equal(step.output, expected[2:-2, 2:-2])
        before = step.output
    assert np.array_equal(steps[-1].output, transposed_feature_map(g, w, **kw))


def test_transposed_output_size_formula_and_inverse_of_output_size():
    for n, k, s, p, d in itertools.product(range(1, 5), range(1, 4), range(1, 4), range(0, 3), range(1, 3)):
        for op in range(max(s, d)):
            full = (n - 1) * s + d * (k - 1) + op + 1
            if full - 2 * p < 1:
                continue
            size = transposed_output_size(n, k, stride=s, padding=p, output_padding=op, dilation=d)
            assert size == full - 2 * p
            if op < s:  # the forward scan of that size gives n back
                assert output_size(size, k, stride=s, padding=p, dilation=d) == n
    assert transposed_output_size((2, 3), (1, 2), stride=(2, 1)) == (3, 4)


IMG, DETS = np.zeros((6, 6)), np.ones((2, 3, 3))


def test_conv_layer_detectors_not_a_sequence():
    with raises(TypeError, "detectors", "sequence of detectors", "5 (type int)"):
        conv_layer(IMG, 5)


def test_conv_layer_no_detectors():
    with raises(ValueError, "detectors", "at least one", "empty list"):
        conv_layer(IMG, [])


def test_conv_layer_detectors_of_different_shapes():
    with raises(ValueError, "detectors", "same shape", "(3, 3)", "detectors[1]", "(2, 2)"):
        conv_layer(IMG, [np.ones((3, 3)), np.ones((2, 2))])


def test_conv_layer_one_detector_not_in_a_list():
    with raises(ValueError, "detectors[0]", "shape (3,)", "pass [detector]"):
        conv_layer(IMG, [[1, 0, 1], [0, 1, 0], [1, 0, 1]])


def test_conv_layer_array_of_the_wrong_dimensions():
    with raises(ValueError, "detectors", "(C_out, kh, kw)", "2 dimension"):
        conv_layer(IMG, np.ones((3, 3)))


def test_conv_layer_detector_not_numbers():
    with raises(TypeError, "detectors[1]"):
        conv_layer(IMG, [np.ones((3, 3)), [["a", "b"], ["c", "d"]]])


def test_conv_layer_bias_wrong_length():
    with raises(ValueError, "bias", "one number per detector", "2 detector", "3 value"):
        conv_layer(IMG, DETS, [1, 2, 3])


def test_conv_layer_bias_not_1d():
    with raises(ValueError, "bias", "1-D"):
        conv_layer(IMG, DETS, [[1, 2]])


def test_conv_layer_bias_nan():
    with raises(ValueError, "bias", "finite"):
        conv_layer(IMG, DETS, [1.0, np.nan])


def test_conv_layer_relu_not_bool():
    with raises(TypeError, "relu", "True or False", "'yes'"):
        conv_layer(IMG, DETS, relu="yes")


def test_conv_layer_channel_mismatch():
    with raises(ValueError, "detector", "channels", "(6, 6, 3)"):
        conv_layer(np.zeros((6, 6, 3)), DETS)


def test_conv_layer_bad_image():
    with raises(ValueError, "image", "shape (6,)"):
        conv_layer(np.zeros(6), DETS)


def test_conv_layer_bad_stride():
    with raises(ValueError, "stride", ">= 1", "0"):
        conv_layer(IMG, DETS, stride=0)


def test_conv_layer_detector_larger_than_image():
    with raises(ValueError, "larger than the padded image"):
        conv_layer(np.zeros((2, 2)), DETS)


def test_parameter_count_image_shape_not_a_shape():
    with raises(TypeError, "image_shape", "(H, W)", "'big'"):
        parameter_count("big", (3, 3))


def test_parameter_count_detector_shape_not_a_shape():
    with raises(TypeError, "detector_shape", "(kh, kw)", "3 (type int)"):
        parameter_count((8, 8), 3)


def test_parameter_count_channel_mismatch():
    with raises(ValueError, "detector_shape", "channels", "(3, 3, 2)"):
        parameter_count((8, 8, 3), (3, 3, 2))


def test_parameter_count_zero_detectors():
    with raises(ValueError, "n_detectors", ">= 1", "0"):
        parameter_count((8, 8), (3, 3), 0)


def test_parameter_count_bias_not_bool():
    with raises(TypeError, "bias", "True or False", "1 (type int)"):
        parameter_count((8, 8), (3, 3), bias=1)


def test_parameter_count_detector_too_large():
    with raises(ValueError, "larger than the padded image"):
        parameter_count((2, 2), (3, 3))


def test_receptive_field_layers_not_a_sequence():
    with raises(TypeError, "layers", "(kernel, stride, dilation)", "3 (type int)"):
        receptive_field(3)


def test_receptive_field_no_layers():
    with raises(ValueError, "layers", "at least one"):
        receptive_field([])


def test_receptive_field_one_layer_not_in_a_list():
    with raises(TypeError, "layers[0]", "(kernel, stride, dilation)", "pass [(3, 1, 1)]"):
        receptive_field((3, 1, 1))


def test_receptive_field_layer_of_two_numbers():
    with raises(ValueError, "layers[1]", "3 ints", "2 value", "(3, 2)"):
        receptive_field([(3, 1, 1), (3, 2)])


def test_receptive_field_kernel_zero():
    with raises(ValueError, "layers[0] kernel", ">= 1", "0"):
        receptive_field([(0, 1, 1)])


def test_receptive_field_float_stride():
    with raises(TypeError, "layers[0] stride", "1.5"):
        receptive_field([(3, 1.5, 1)])


def test_receptive_cells_negative_cell():
    with raises(ValueError, "cell", ">= 0", "-1"):
        receptive_cells([(3, 1, 1)], (-1, 0))


def test_receptive_cells_cell_not_a_pair():
    with raises(ValueError, "cell", "(rows, cols) pair", "3 values"):
        receptive_cells([(3, 1, 1)], (1, 2, 3))


def test_receptive_cells_cell_outside_the_output():
    with raises(ValueError, "cell", "(3, 3)", "(3, 0)"):
        receptive_cells([(3, 1, 1)], (3, 0), input_shape=(5, 5))


def test_receptive_cells_layer_does_not_fit_the_input():
    with raises(ValueError, "input of layers[1]", "larger"):
        receptive_cells([(3, 1, 1), (5, 1, 1)], (0, 0), input_shape=(5, 5))


def test_receptive_cells_bad_input_shape():
    with raises(TypeError, "input_shape", "5 (type int)"):
        receptive_cells([(3, 1, 1)], (0, 0), input_shape=5)


def test_im2col_detector_shape_not_a_shape():
    with raises(TypeError, "detector_shape", "3 (type int)"):
        im2col(IMG, 3)


def test_im2col_detector_shape_wrong_length():
    with raises(ValueError, "detector_shape", "(3, 3, 1, 1)"):
        im2col(IMG, (3, 3, 1, 1))


def test_im2col_detector_shape_channel_mismatch():
    with raises(ValueError, "detector_shape", "channels", "(3, 3, 2)"):
        im2col(np.zeros((6, 6, 3)), (3, 3, 2))


def test_im2col_detector_shape_zero():
    with raises(ValueError, "detector_shape[0]", ">= 1"):
        im2col(IMG, (0, 3))


def test_im2col_bad_image():
    with raises(ValueError, "image", "empty"):
        im2col(np.zeros((0, 3)), (3, 3))


def test_im2col_detector_larger_than_image():
    with raises(ValueError, "larger than the padded image"):
        im2col(IMG, (7, 3))


def test_conv_matrix_image_shape_with_channels():
    with raises(ValueError, "image_shape", "2-D", "(6, 6, 3)"):
        conv_matrix((6, 6, 3), np.ones((3, 3)))


def test_conv_matrix_image_shape_not_a_shape():
    with raises(TypeError, "image_shape", "'6x6'"):
        conv_matrix("6x6", np.ones((3, 3)))


def test_conv_matrix_image_shape_zero():
    with raises(ValueError, "image_shape[1]", ">= 1"):
        conv_matrix((6, 0), np.ones((3, 3)))


def test_conv_matrix_detector_with_channels():
    with raises(ValueError, "detector", "2-D", "3 dimension"):
        conv_matrix((6, 6), np.ones((3, 3, 2)))


def test_conv_matrix_bad_padding():
    with raises(ValueError, "padding", "'full'"):
        conv_matrix((6, 6), np.ones((3, 3)), padding="full")


def test_transposed_output_padding_not_below_stride():
    with raises(ValueError, "output_padding", "smaller than the stride", "got 2", "stride 2"):
        transposed_feature_map(np.ones((3, 3)), np.ones((3, 3)), stride=2, output_padding=2)


def test_transposed_negative_output_padding():
    with raises(ValueError, "output_padding", ">= 0", "-1"):
        transposed_feature_map(np.ones((3, 3)), np.ones((3, 3)), output_padding=-1)


def test_transposed_padding_crops_everything():
    with raises(ValueError, "padding", "crops away the whole output", "3 rows"):
        transposed_feature_map(np.ones((1, 1)), np.ones((3, 3)), padding=2)


def test_transposed_padding_word():
    with raises(TypeError, "padding", "no padding word", "'same'"):
        transposed_feature_map(np.ones((3, 3)), np.ones((3, 3)), padding="same")


def test_transposed_feature_map_3d():
    with raises(ValueError, "feature_map", "2-D", "3 dimension"):
        transposed_feature_map(np.ones((3, 3, 2)), np.ones((3, 3)))


def test_transposed_detector_not_numbers():
    with raises(TypeError, "detector", "str"):
        transposed_feature_map(np.ones((3, 3)), "edge")


def test_transposed_bad_dilation():
    with raises(TypeError, "dilation", "2.0"):
        transposed_feature_map(np.ones((3, 3)), np.ones((3, 3)), dilation=2.0)


def test_transposed_steps_validate_too():
    with raises(ValueError, "output_padding", "smaller than the stride"):
        transposed_steps(np.ones((2, 2)), np.ones((2, 2)), output_padding=1)


def test_transposed_output_size_n_not_int():
    with raises(TypeError, "n", "2.5"):
        transposed_output_size(2.5, 3)


def test_transposed_output_size_output_padding_too_large():
    with raises(ValueError, "output_padding", "smaller than the stride", "dilation 1"):
        transposed_output_size(4, 3, stride=1, output_padding=1)


def test_scan_windows_not_a_scan():
    with raises(TypeError, "scan", "Scan", "ndarray"):
        scan_windows(np.zeros((3, 3)))
