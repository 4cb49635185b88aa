"""The lessons' example arrays and the named detector presets.

Every function returns a fresh array, so a student who changes one cannot
spoil the next lesson.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ops.checks import describe

__all__ = [
    "face_image",
    "face_detector",
    "Preset",
    "PRESETS",
    "find_preset",
    "detector",
    "detector_names",
    "describe_detector",
]


def face_image():
    """The lesson's 7x7 input image: a small face drawn with ones.

    Returns
    -------
    ndarray of int64, shape (7, 7)
        0 is background, 1 is ink: two eyes, a nose and a smile.

    Examples
    --------
    >>> face_image().shape, int(face_image().sum())
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


def face_detector():
    """The lesson's 3x3 feature detector (0s and 1s), slid over :func:`face_image`.

    Its pattern of ones sits in the face once: rows 3–5, columns 1–3.

    Returns
    -------
    ndarray of int64, shape (3, 3)

    Examples
    --------
    >>> face_detector()
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
    Preset("identity", ((0, 0, 0), (0, 1, 0), (0, 0, 0)), "copies the image: only the centre cell counts"),
    Preset("box_blur", _box(3), "blurs: each cell becomes the average of its 3x3 neighbourhood"),
    Preset(
        "gaussian_blur",
        ((1 / 16, 2 / 16, 1 / 16), (2 / 16, 4 / 16, 2 / 16), (1 / 16, 2 / 16, 1 / 16)),
        "blurs softly: near neighbours weigh more than far ones",
    ),
    Preset(
        "sharpen",
        ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
        "sharpens: boosts a cell against its four neighbours",
    ),
    Preset(
        "outline",
        ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
        "outlines (Laplacian): responds where the slope of the brightness changes; zero on flat areas and steady ramps",
    ),
    Preset(
        "horizontal_edges",
        ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
        "horizontal edges (Sobel): positive where it gets brighter going down",
    ),
    Preset(
        "vertical_edges",
        ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
        "vertical edges (Sobel): positive where it gets brighter going right",
    ),
    Preset(
        "emboss",
        ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)),
        "embosses: lights up edges facing the bottom-right, like raised metal",
    ),
    Preset("box_blur_5x5", _box(5), "blurs more: the average of a 5x5 neighbourhood"),
    Preset("gaussian_blur_5x5", _gaussian(5, 1.0), "a wider soft blur over a 5x5 neighbourhood"),
    Preset("gaussian_blur_7x7", _gaussian(7, 1.5), "a wide soft blur over a 7x7 neighbourhood"),
    Preset(
        "face",
        ((0, 0, 1), (1, 0, 0), (0, 1, 1)),
        "the lesson's 0/1 detector: counts the cells where it and the image both hold a 1",
    ),
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


def find_preset(name):
    """The :class:`Preset` called ``name`` (spaces or dashes for underscores, any case).

    Parameters
    ----------
    name : str

    Returns
    -------
    Preset

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        ``name`` is not a preset.

    Examples
    --------
    >>> find_preset("Vertical edges").name
    'vertical_edges'
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a preset name (a str); got {describe(name)}")
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
    return find_preset(name).array()


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
    return find_preset(name).description
