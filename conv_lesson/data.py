"""The lessons' example arrays, named detector presets, and pictures.

Every function returns a fresh array, so a student who changes one cannot
spoil the next lesson. Nothing here needs the network: the photo ships with
matplotlib.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import numpy as np

from .ops import _describe, _pair

__all__ = [
    "seed_image",
    "seed_detector",
    "Preset",
    "PRESETS",
    "detector",
    "detector_names",
    "describe_detector",
    "photo",
    "load_image",
    "ImageLoadError",
    "ImageNotFoundError",
]


def seed_image():
    """The lesson's 7x7 input image: a small face drawn with ones.

    Returns
    -------
    ndarray of int64, shape (7, 7)
        0 is background, 1 is ink: two eyes, a nose and a smile.

    Examples
    --------
    >>> seed_image().shape, int(seed_image().sum())
    ((7, 7), 8)
    """
    return np.array(
        [
            [0, 0, 0, 0, 0, 0, 0],
            [0, 1, 0, 0, 0, 1, 0],
            [0, 0, 0, 0, 0, 0, 0],
            [0, 0, 0, 1, 0, 0, 0],
            [0, 1, 0, 0, 0, 1, 0],
            [0, 0, 1, 1, 1, 0, 0],
            [0, 0, 0, 0, 0, 0, 0],
        ],
        dtype=np.int64,
    )


def seed_detector():
    """The lesson's 3x3 feature detector (0s and 1s).

    Returns
    -------
    ndarray of int64, shape (3, 3)

    Examples
    --------
    >>> seed_detector()
    array([[0, 0, 1],
           [1, 0, 0],
           [0, 1, 1]])
    """
    return np.array([[0, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=np.int64)


@dataclass(frozen=True)
class Preset:
    """A named detector and what it responds to."""

    name: str
    values: tuple  # rows of numbers; turned into a fresh array on request
    description: str

    def array(self):
        """A fresh float64 (or int64 for whole numbers) copy of the detector."""
        arr = np.array(self.values, dtype=np.float64)
        if np.all(arr == np.round(arr)):
            return arr.astype(np.int64)
        return arr


def _gaussian(size, sigma):
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-(x**2) / (2 * sigma**2))
    k = np.outer(g, g)
    return tuple(map(tuple, np.round(k / k.sum(), 6)))


def _box(size):
    return tuple(tuple([1.0 / (size * size)] * size) for _ in range(size))


_PRESET_LIST = [
    Preset("identity", ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
           "copies the image: only the centre cell counts"),
    Preset("box_blur", _box(3),
           "blurs: each cell becomes the average of its 3x3 neighbourhood"),
    Preset("gaussian_blur", ((1 / 16, 2 / 16, 1 / 16), (2 / 16, 4 / 16, 2 / 16), (1 / 16, 2 / 16, 1 / 16)),
           "blurs softly: near neighbours weigh more than far ones"),
    Preset("sharpen", ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
           "sharpens: boosts a cell against its four neighbours"),
    Preset("outline", ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
           "outlines (Laplacian): responds wherever brightness changes, zero on flat areas"),
    Preset("horizontal_edges", ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
           "horizontal edges (Sobel): positive where it gets brighter going down"),
    Preset("vertical_edges", ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
           "vertical edges (Sobel): positive where it gets brighter going right"),
    Preset("emboss", ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)),
           "embosses: lights up edges facing the bottom-right, like raised metal"),
    Preset("box_blur_5x5", _box(5),
           "blurs more: the average of a 5x5 neighbourhood"),
    Preset("gaussian_blur_5x5", _gaussian(5, 1.0),
           "a wider soft blur over a 5x5 neighbourhood"),
    Preset("gaussian_blur_7x7", _gaussian(7, 1.5),
           "a wide soft blur over a 7x7 neighbourhood"),
    Preset("seed", ((0, 0, 1), (1, 0, 0), (0, 1, 1)),
           "the lesson's 0/1 detector: counts the cells where it and the image both hold a 1"),
]

#: Every detector preset by name. Use :func:`detector` to get a fresh array.
PRESETS = {p.name: p for p in _PRESET_LIST}


def detector_names():
    """Names of the detector presets, in the order lessons list them.

    Returns
    -------
    list of str

    Examples
    --------
    >>> detector_names()[:3]
    ['identity', 'box_blur', 'gaussian_blur']
    """
    return list(PRESETS)


def _preset(name):
    if not isinstance(name, str):
        raise TypeError(f"name must be a preset name (a str); got {_describe(name)}")
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in PRESETS:
        raise ValueError(f"name must be one of {', '.join(PRESETS)}; got {name!r}")
    return PRESETS[key]


def detector(name):
    """A fresh copy of the named detector preset.

    Parameters
    ----------
    name : str
        One of :func:`detector_names` (spaces or dashes may stand for
        underscores; case does not matter).

    Returns
    -------
    ndarray
        int64 when every entry is a whole number, float64 otherwise.

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        ``name`` is not a preset.

    Examples
    --------
    >>> detector("vertical_edges")
    array([[-1,  0,  1],
           [-2,  0,  2],
           [-1,  0,  1]])
    >>> round(float(detector("Box blur").sum()), 6)
    1.0
    """
    return _preset(name).array()


def describe_detector(name):
    """One line on what the named detector responds to.

    Parameters
    ----------
    name : str
        One of :func:`detector_names`.

    Returns
    -------
    str

    Examples
    --------
    >>> describe_detector("identity")
    'copies the image: only the centre cell counts'
    """
    return _preset(name).description


# --------------------------------------------------------------------------
# images
# --------------------------------------------------------------------------


class ImageLoadError(ValueError):
    """An image could not be read; the message names the source."""


class ImageNotFoundError(FileNotFoundError, ImageLoadError):
    """The image file does not exist (both a FileNotFoundError and a ValueError)."""


def _check_size(size):
    """None, or an int >= 1 / (rows, cols) pair of ints >= 1, as a (rows, cols) tuple."""
    return None if size is None else _pair(size, "size", 1)


def _fit(img, size):
    """Crop ``img`` (a PIL image) to the aspect of ``size``, centred, then resize.

    The resize is Lanczos with Pillow's anti-aliasing, done in float so no
    precision is lost.
    """
    from PIL import Image

    if size is None:
        return img
    rows, cols = size
    w, h = img.size
    target = cols / rows
    if w / h > target:  # too wide: crop the sides
        new_w = max(1, round(h * target))
        left = (w - new_w) // 2
        img = img.crop((left, 0, left + new_w, h))
    elif w / h < target:  # too tall: crop top and bottom
        new_h = max(1, round(w / target))
        top = (h - new_h) // 2
        img = img.crop((0, top, w, top + new_h))
    return img.resize((cols, rows), Image.Resampling.LANCZOS, reducing_gap=None)


def _to_array(img, size, grayscale):
    """PIL image -> float64 array in [0, 1], (H, W) or (H, W, 3)."""
    img = img.convert("L" if grayscale else "RGB")
    if grayscale:
        bands = [img.convert("F")]
    else:
        bands = [b.convert("F") for b in img.split()]
    bands = [_fit(b, size) for b in bands]
    arrays = [np.asarray(b, dtype=np.float64) / 255.0 for b in bands]
    arr = arrays[0] if grayscale else np.stack(arrays, axis=-1)
    return np.clip(arr, 0.0, 1.0)


def photo(size=128, *, grayscale=True):
    """A real photograph, offline: Grace Hopper, from matplotlib's sample data.

    Parameters
    ----------
    size : int or (int, int) or None, default 128
        An int gives a ``size`` x ``size`` picture (the middle of the photo,
        cropped to a square, then resized); a pair gives exactly
        (rows, cols); None keeps the original 600 x 512.
    grayscale : bool, default True
        False gives the colour photo as (rows, cols, 3).

    Returns
    -------
    ndarray of float64 in [0, 1]
        Shape (rows, cols), or (rows, cols, 3) in colour.

    Examples
    --------
    >>> p = photo(64)
    >>> p.shape, p.dtype, bool(0 <= p.min() and p.max() <= 1)
    ((64, 64), dtype('float64'), True)
    """
    from matplotlib import cbook
    from PIL import Image

    size = _check_size(size)
    if not isinstance(grayscale, (bool, np.bool_)):
        raise TypeError(f"grayscale must be True or False; got {_describe(grayscale)}")
    with cbook.get_sample_data("grace_hopper.jpg") as fh:
        img = Image.open(fh)
        img.load()
    return _to_array(img, size, grayscale)


def load_image(source, size=None, grayscale=True):
    """A student's own picture as an array the lessons can use.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file object
        A path to a PNG or JPEG file (or anything Pillow reads), the file's
        bytes (for example from an ``ipywidgets.FileUpload``), or an open
        binary file.
    size : int or (int, int) or None, default None
        As for :func:`photo`; None keeps the picture's own size.
    grayscale : bool, default True
        False keeps colour as (rows, cols, 3).

    Returns
    -------
    ndarray of float64 in [0, 1]

    Raises
    ------
    TypeError
        ``source`` is none of the accepted kinds.
    ValueError
        The source is empty or not an image (an :class:`ImageLoadError`);
        a missing file raises :class:`ImageNotFoundError`, which is both a
        ``FileNotFoundError`` and a ``ValueError``.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buf = io.BytesIO()
    >>> Image.new("L", (4, 2), color=255).save(buf, format="PNG")
    >>> load_image(buf.getvalue())
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    from PIL import Image, UnidentifiedImageError

    size = _check_size(size)
    if not isinstance(grayscale, (bool, np.bool_)):
        raise TypeError(f"grayscale must be True or False; got {_describe(grayscale)}")
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = f"the given bytes ({len(data)} bytes)"
        if not data:
            raise ImageLoadError("source is empty: the given bytes hold no image (0 bytes)")
        stream = io.BytesIO(data)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        name = f"file {path!r}"
        if not os.path.exists(path):
            raise ImageNotFoundError(2, f"source: no such image file {path!r}", path)
        if os.path.isdir(path):
            raise ImageLoadError(f"source {path!r} is a folder, not an image file")
        if os.path.getsize(path) == 0:
            raise ImageLoadError(f"source {path!r} is an empty file (0 bytes), not an image")
        stream = path
    elif hasattr(source, "read"):
        name = f"file object {getattr(source, 'name', type(source).__name__)!r}"
        data = source.read()
        if isinstance(data, str):
            raise TypeError(f"source must be opened in binary mode ('rb'); {name} gave text")
        if not data:
            raise ImageLoadError(f"source is empty: {name} holds no image (0 bytes)")
        stream = io.BytesIO(data)
    else:
        raise TypeError(
            f"source must be a path, bytes or a binary file object; got {_describe(source)}"
        )
    try:
        with Image.open(stream) as img:
            img.load()
            return _to_array(img, size, grayscale)
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageLoadError(
            f"source: {name} is not an image Pillow can read (PNG or JPEG expected): {exc}"
        ) from exc

