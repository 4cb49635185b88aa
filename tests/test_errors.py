"""Bad input: every public function says what was wrong, naming the parameter.

One test per error path. Each checks the exception type, that the message
names the parameter, and (where there is one) that it shows the value given.
"""

import io
from pathlib import Path

import numpy as np
import pytest

import conv_lesson
from conv_lesson import (
    continuous_convolution,
    convolve_1d,
    describe_detector,
    detector,
    feature_map,
    flip_and_slide,
    output_size,
    pad_image,
    photo,
    scan_positions,
    step_view,
)
from conv_lesson.data import load_image
from conv_lesson.ops import feature_map_loop

PACKAGE = Path(conv_lesson.__file__).resolve().parent
IMG = np.zeros((7, 7))
DET = np.ones((3, 3))


def raises(exc, *words):
    """pytest.raises whose message must contain every word."""

    class _Check:
        def __enter__(self):
            self.ctx = pytest.raises(exc)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *a):
            result = self.ctx.__exit__(*a)
            msg = str(self.info.value)
            for w in words:
                assert w in msg, f"{w!r} not in message: {msg}"
            # raised at the top: the traceback's last frame is in our own package, not numpy
            where = Path(self.info.traceback[-1].path).resolve()
            assert where.is_relative_to(PACKAGE), f"raised in {where}, not in the package"
            assert "numpy" not in where.as_posix()
            return result

    return _Check()


# image / detector arrays


def test_image_1d():
    with raises(ValueError, "image", "2-D", "shape (7,)"):
        feature_map(np.zeros(7), DET)


def test_image_4d():
    with raises(ValueError, "image", "4 dimension"):
        feature_map(np.zeros((2, 7, 7, 3)), DET)


def test_detector_1d():
    with raises(ValueError, "detector", "(3,)"):
        feature_map(IMG, np.ones(3))


def test_empty_image():
    with raises(ValueError, "image", "empty", "(0, 0)"):
        feature_map(np.zeros((0, 0)), DET)


def test_empty_list_image():
    with raises(ValueError, "image", "empty"):
        feature_map([], DET)


def test_scalar_image():
    with raises(ValueError, "image", "0 dimension"):
        feature_map(5, DET)


def test_empty_detector():
    with raises(ValueError, "detector", "empty"):
        feature_map(IMG, [[]])


def test_ragged_image():
    with raises(ValueError, "image", "ragged"):
        feature_map([[1, 2, 3], [4, 5]], DET)


def test_ragged_detector():
    with raises(ValueError, "detector", "ragged"):
        feature_map(IMG, [[1, 0], [1]])


def test_string_image():
    with raises(TypeError, "image", "str"):
        feature_map("cat.png", DET)


def test_string_array_image():
    with raises(TypeError, "image", "dtype"):
        feature_map(np.array([["a", "b"], ["c", "d"]]), [[1]])


def test_object_image():
    with raises(TypeError, "image", "numbers"):
        feature_map([[object(), object()]], [[1]])


def test_none_detector():
    with raises(TypeError, "detector", "None"):
        feature_map(IMG, None)


def test_complex_image():
    with raises(TypeError, "image", "complex"):
        feature_map(IMG + 1j, DET)


def test_nan_in_image():
    img = IMG.copy()
    img[2, 3] = np.nan
    with raises(ValueError, "image", "NaN"):
        feature_map(img, DET)


def test_inf_in_detector():
    det = DET.copy()
    det[0, 0] = np.inf
    with raises(ValueError, "detector", "infinite"):
        feature_map(IMG, det)


def test_detector_larger_than_image():
    with raises(ValueError, "detector", "larger", "padded image"):
        feature_map(np.zeros((2, 2)), DET)


def test_detector_larger_than_image_columns_only():
    with raises(ValueError, "columns"):
        feature_map(np.zeros((5, 2)), DET)


def test_detector_fits_only_with_padding():
    assert feature_map(np.zeros((2, 2)), DET, padding=1).shape == (2, 2)


def test_dilated_detector_too_large():
    with raises(ValueError, "dilation"):
        feature_map(np.zeros((4, 4)), DET, dilation=2)


def test_channel_mismatch():
    with raises(ValueError, "channels", "(7, 7, 3)", "(3, 3, 2)"):
        feature_map(np.zeros((7, 7, 3)), np.ones((3, 3, 2)))


def test_rgb_image_with_2d_detector():
    with raises(ValueError, "channels", "(kh, kw, C)"):
        feature_map(np.zeros((7, 7, 3)), DET)


# stride / dilation


@pytest.mark.parametrize("bad", [0, -1])
def test_stride_below_one(bad):
    with raises(ValueError, "stride", ">= 1", str(bad)):
        feature_map(IMG, DET, stride=bad)


@pytest.mark.parametrize("bad", [1.5, 2.0, "2", True, None])
def test_stride_not_int(bad):
    with raises(TypeError, "stride", repr(bad)):
        feature_map(IMG, DET, stride=bad)


def test_stride_pair_wrong_length():
    with raises(ValueError, "stride", "pair", "3 values"):
        feature_map(IMG, DET, stride=(1, 1, 1))


def test_stride_pair_bad_member():
    with raises(ValueError, "stride[1]"):
        feature_map(IMG, DET, stride=(1, 0))


@pytest.mark.parametrize("bad", [0, -2])
def test_dilation_below_one(bad):
    with raises(ValueError, "dilation", ">= 1"):
        feature_map(IMG, DET, dilation=bad)


@pytest.mark.parametrize("bad", [1.0, "1", False])
def test_dilation_not_int(bad):
    with raises(TypeError, "dilation"):
        feature_map(IMG, DET, dilation=bad)


def test_numpy_integer_stride_is_fine():
    assert feature_map(IMG, DET, stride=np.int64(2)).shape == (3, 3)


# padding


def test_negative_padding():
    with raises(ValueError, "padding", ">= 0", "-1"):
        feature_map(IMG, DET, padding=-1)


def test_negative_padding_in_pair():
    with raises(ValueError, "padding[0]"):
        feature_map(IMG, DET, padding=(-1, 0))


def test_unknown_padding_word():
    with raises(ValueError, "padding", "'full'", "'valid' or 'same'"):
        feature_map(IMG, DET, padding="full")


@pytest.mark.parametrize("bad", [1.5, True, None, {"rows": 1}])
def test_padding_wrong_type(bad):
    with raises(TypeError, "padding"):
        feature_map(IMG, DET, padding=bad)


def test_flip_not_bool():
    with raises(TypeError, "flip", "'yes'"):
        feature_map(IMG, DET, flip="yes")


def test_loop_version_validates_too():
    with raises(ValueError, "stride"):
        feature_map_loop(IMG, DET, stride=0)


# output_size, scan_positions, pad_image, step_view


def test_output_size_n_not_int():
    with raises(TypeError, "n", "7.0"):
        output_size(7.0, 3)


def test_output_size_k_zero():
    with raises(ValueError, "k", ">= 1"):
        output_size(7, 0)


def test_output_size_detector_too_large():
    with raises(ValueError, "larger"):
        output_size(2, 3)


def test_output_size_bad_padding_word():
    with raises(ValueError, "padding", "'half'"):
        output_size(7, 3, padding="half")


def test_scan_positions_bad_shape_type():
    with raises(TypeError, "image_shape"):
        scan_positions(7, (3, 3))


def test_scan_positions_bad_shape_length():
    with raises(ValueError, "detector_shape"):
        scan_positions((7, 7), (3,))


def test_pad_image_bad_image():
    with raises(ValueError, "image", "empty"):
        pad_image(np.zeros((0, 3)), (3, 3))


@pytest.mark.parametrize("bad", [0, 26])
def test_step_out_of_range(bad):
    with raises(ValueError, "step", str(bad)):
        step_view(IMG, DET, bad)


def test_step_not_int():
    with raises(TypeError, "step"):
        step_view(IMG, DET, 1.0)


# 1-D


def test_convolve_1d_2d_input():
    with raises(ValueError, "f", "1-D"):
        convolve_1d([[1, 2]], [1])


def test_convolve_1d_empty():
    with raises(ValueError, "g", "empty"):
        convolve_1d([1, 2], [])


def test_convolve_1d_bad_mode():
    with raises(ValueError, "mode", "'middle'"):
        convolve_1d([1, 2], [1], mode="middle")


def test_convolve_1d_mode_type():
    with raises(TypeError, "mode"):
        convolve_1d([1, 2], [1], mode=1)


def test_continuous_not_callable():
    with raises(TypeError, "g", "function"):
        continuous_convolution(np.sin, [1, 2], [0.0], np.linspace(0, 1, 5))


def test_continuous_tau_not_increasing():
    with raises(ValueError, "tau", "increasing"):
        continuous_convolution(np.sin, np.cos, [0.0], [0, 2, 1])


def test_continuous_function_returns_wrong_shape():
    with raises(ValueError, "f", "shape"):
        continuous_convolution(lambda x: np.ones(3), np.cos, [0.0], np.linspace(0, 1, 5))


def test_flip_and_slide_t_not_number():
    with raises(TypeError, "t"):
        flip_and_slide(np.sin, np.cos, "1", np.linspace(0, 1, 5))


def test_flip_and_slide_t_nan():
    with raises(ValueError, "t", "finite"):
        flip_and_slide(np.sin, np.cos, float("nan"), np.linspace(0, 1, 5))


# data


def test_unknown_preset():
    with raises(ValueError, "name", "'blurry'", "identity"):
        detector("blurry")


def test_preset_name_not_str():
    with raises(TypeError, "name"):
        describe_detector(3)


def test_photo_bad_size():
    with raises(ValueError, "size", ">= 1"):
        photo(0)


def test_photo_size_float():
    with raises(TypeError, "size"):
        photo(64.5)


def test_load_missing_file(tmp_path):
    missing = tmp_path / "nope.png"
    with raises(ValueError, "nope.png", "no such"):
        load_image(missing)
    with pytest.raises(FileNotFoundError):
        load_image(missing)


def test_load_empty_file(tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with raises(ValueError, "empty.png", "empty"):
        load_image(empty)


def test_load_not_an_image(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture")
    with raises(ValueError, "notes.png", "not an image"):
        load_image(text)


def test_load_empty_bytes():
    with raises(ValueError, "source", "empty"):
        load_image(b"")


def test_load_garbage_bytes():
    with raises(ValueError, "source", "bytes", "not an image"):
        load_image(b"\x00\x01garbage")


def test_load_text_mode_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("hello")
    with open(p) as fh, raises(TypeError, "binary"):
        load_image(fh)


def test_load_wrong_kind():
    with raises(TypeError, "source", "int"):
        load_image(42)


def test_load_folder(tmp_path):
    with raises(ValueError, "folder"):
        load_image(tmp_path)


def test_load_empty_file_object():
    with raises(ValueError, "source", "empty"):
        load_image(io.BytesIO(b""))
