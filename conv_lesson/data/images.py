"""Pictures for the lessons: a real photo that ships offline, and a student's own.

Nothing here needs the network: the photo ships with matplotlib.
"""

from __future__ import annotations

import io
import os

import numpy as np

from ..ops.checks import check_pair, describe

__all__ = ["photo", "load_image", "check_image_size", "ImageLoadError", "ImageNotFoundError"]


class ImageLoadError(ValueError):
    """An image could not be read; the message names the source."""


class ImageNotFoundError(FileNotFoundError, ImageLoadError):
    """The image file does not exist (both a FileNotFoundError and a ValueError)."""


def check_image_size(size):
    """None, or an int >= 1 or a (rows, cols) pair of ints >= 1, as a (rows, cols) tuple.

    Parameters
    ----------
    size : None, int or (int, int)

    Returns
    -------
    None or (int, int)

    Examples
    --------
    >>> check_image_size(64), check_image_size(None)
    ((64, 64), None)
    """
    return None if size is None else check_pair(size, "size", 1)


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

    size = check_image_size(size)
    if not isinstance(grayscale, (bool, np.bool_)):
        raise TypeError(f"grayscale must be True or False; got {describe(grayscale)}")
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

    size = check_image_size(size)
    if not isinstance(grayscale, (bool, np.bool_)):
        raise TypeError(f"grayscale must be True or False; got {describe(grayscale)}")
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
        raise TypeError(f"source must be a path, bytes or a binary file object; got {describe(source)}")
    try:
        with Image.open(stream) as img:
            img.load()
            return _to_array(img, size, grayscale)
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageLoadError(f"source: {name} is not an image Pillow can read (PNG or JPEG expected): {exc}") from exc
