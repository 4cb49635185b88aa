"""Argument checks shared by every public function of the package.

Each check takes the value and the parameter's name, and either returns the
value normalised (an int, a (rows, cols) pair, a float array...) or raises a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
whose message names the parameter, shows what was received and says what was
expected. They are public inside the package: ``draw``, ``widgets`` and
``exercises`` use them too, so every message reads the same.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "PADDING_WORDS",
    "short",
    "describe",
    "as_array",
    "check_int",
    "check_pair",
    "check_size",
    "check_padding",
    "check_shape2",
    "check_bool",
    "check_bias",
    "check_real",
    "check_scale",
    "check_callable",
    "check_grid",
]

#: The padding words every function taking ``padding`` understands.
PADDING_WORDS = ("valid", "same")


def short(value, limit=60):
    """A short printable form of ``value`` for an error message.

    Parameters
    ----------
    value : object
    limit : int, default 60
        Longer reprs are cut and end in ``...``.

    Returns
    -------
    str

    Examples
    --------
    >>> short("x" * 100, limit=10)
    "'xxxxxx..."
    """
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def describe(value):
    """``repr`` plus the type name, for an error message.

    Parameters
    ----------
    value : object

    Returns
    -------
    str

    Examples
    --------
    >>> describe(2.5)
    '2.5 (type float)'
    """
    return f"{short(value)} (type {type(value).__name__})"


def _looks_ragged(value):
    """True when ``value`` is a nested sequence whose rows differ in length."""
    try:
        lengths = {len(row) for row in value}
    except TypeError:
        return False
    return len(lengths) > 1


def _to_numeric(value, name, what):
    """``np.asarray(value)`` with numbers only, or a clear error."""
    if value is None:
        raise TypeError(f"{name} must be {what}; got None")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be {what}; got a {type(value).__name__}: {short(value)}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} must be {what} with rows of equal length; got a ragged or irregular sequence: {short(value)}"
        ) from exc
    if arr.dtype == object:  # ragged lists (old numpy) or objects that are not numbers
        try:
            arr = arr.astype(np.float64)
        except (ValueError, TypeError) as exc:
            if _looks_ragged(value):
                raise ValueError(
                    f"{name} must be {what} with rows of equal length; got a ragged sequence: {short(value)}"
                ) from exc
            raise TypeError(f"{name} must hold numbers; got an array of Python objects: {short(value)}") from exc
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers; got complex dtype {arr.dtype}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers (bool, int or float); got dtype {arr.dtype} from {short(value)}")
    return arr


def as_array(value, name, ndims, what):
    """``value`` as a finite real numpy array with one of ``ndims`` dimensions.

    Booleans and integers become int64 (so sums stay exact); every other
    number becomes float64.

    Parameters
    ----------
    value : array_like
    name : str
        The parameter's name, for the message.
    ndims : tuple of int
        The numbers of dimensions allowed.
    what : str
        What was expected, in words (``"a 2-D array"``).

    Returns
    -------
    ndarray of int64 or float64

    Raises
    ------
    TypeError
        Not numbers (strings, objects, complex numbers, None).
    ValueError
        Ragged rows, empty, the wrong number of dimensions, NaN or infinity.

    Examples
    --------
    >>> as_array([[1, 2]], "image", (2,), "a 2-D array")
    array([[1, 2]])
    >>> as_array([1.0, float("nan")], "f", (1,), "a 1-D sequence")
    Traceback (most recent call last):
    ...
    ValueError: f must hold finite numbers; got 1 NaN or infinite value(s)
    """
    arr = _to_numeric(value, name, what)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty: expected {what}; got shape {arr.shape}")
    if arr.ndim not in ndims:
        dims = " or ".join(str(d) for d in ndims)
        raise ValueError(
            f"{name} must be {what} ({dims} dimensions); got {arr.ndim} dimension(s) with shape {arr.shape}"
        )
    if arr.dtype.kind in "bui":
        return arr.astype(np.int64, copy=False)
    arr = arr.astype(np.float64, copy=False)
    # a finite sum proves every value finite (NaN and inf propagate); only
    # when it is not (or it overflowed) look value by value
    if not np.isfinite(arr.sum()) and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must hold finite numbers; got {bad} NaN or infinite value(s)")
    return arr


def check_int(value, name, minimum):
    """An int at least ``minimum``; bool, float and str are refused.

    Parameters
    ----------
    value : object
    name : str
    minimum : int

    Returns
    -------
    int

    Examples
    --------
    >>> check_int(3, "stride", 1)
    3
    >>> check_int(0, "stride", 1)
    Traceback (most recent call last):
    ...
    ValueError: stride must be an int >= 1; got 0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int >= {minimum}; got {describe(value)}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}; got {value}")
    return value


def check_pair(value, name, minimum):
    """An int or a (rows, cols) pair of ints, as a tuple of two ints.

    Parameters
    ----------
    value : int or (int, int)
    name : str
    minimum : int

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> check_pair(2, "stride", 1), check_pair((1, 3), "stride", 1)
    ((2, 2), (1, 3))
    """
    if isinstance(value, (tuple, list, np.ndarray)):
        items = list(np.asarray(value, dtype=object).ravel()) if isinstance(value, np.ndarray) else list(value)
        if len(items) != 2:
            raise ValueError(f"{name} must be an int or a (rows, cols) pair; got {len(items)} values: {short(value)}")
        return tuple(check_int(v, f"{name}[{i}]", minimum) for i, v in enumerate(items))
    v = check_int(value, name, minimum)
    return (v, v)


def check_size(value, name):
    """A size: an int >= 1 stays an int, a pair becomes a (rows, cols) tuple.

    Parameters
    ----------
    value : int or (int, int)
    name : str

    Returns
    -------
    int or (int, int)

    Examples
    --------
    >>> check_size(7, "n"), check_size([7, 9], "n")
    (7, (7, 9))
    """
    if isinstance(value, (tuple, list, np.ndarray)):
        return check_pair(value, name, 1)
    return check_int(value, name, 1)


def check_padding(padding):
    """``padding`` as a word ('valid'/'same') or a (rows, cols) pair of ints >= 0.

    Parameters
    ----------
    padding : int, (int, int), 'valid' or 'same'

    Returns
    -------
    str or (int, int)

    Examples
    --------
    >>> check_padding("SAME"), check_padding(1)
    ('same', (1, 1))
    """
    if isinstance(padding, str):
        word = padding.lower()
        if word not in PADDING_WORDS:
            raise ValueError(
                f"padding must be an int >= 0, a (rows, cols) pair, 'valid' or 'same'; got the unknown word {padding!r}"
            )
        return word
    if isinstance(padding, (bool, np.bool_)) or not isinstance(padding, (numbers.Integral, tuple, list, np.ndarray)):
        raise TypeError(f"padding must be an int >= 0, a (rows, cols) pair, 'valid' or 'same'; got {describe(padding)}")
    return check_pair(padding, "padding", 0)


def check_shape2(shape, name):
    """The (rows, cols) of a shape; a trailing channel count is allowed and dropped.

    Parameters
    ----------
    shape : (int, int) or (int, int, int)
    name : str

    Returns
    -------
    (int, int)

    Examples
    --------
    >>> check_shape2((7, 9, 3), "image_shape")
    (7, 9)
    """
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        raise TypeError(f"{name} must be a (rows, cols) tuple of ints; got {describe(shape)}")
    if len(shape) not in (2, 3):
        raise ValueError(f"{name} must be (rows, cols) or (rows, cols, channels); got {short(shape)}")
    return tuple(check_int(v, f"{name}[{i}]", 1) for i, v in enumerate(shape[:2]))


def check_bias(bias, n, per="detector"):
    """``bias`` as a 1-D float-or-int array of ``n`` numbers, one ``per`` detector (or output channel); None stays None.

    Parameters
    ----------
    bias : array_like or None
    n : int
        How many numbers it must hold.
    per : str, default 'detector'
        What each number belongs to, for the message.

    Returns
    -------
    ndarray or None

    Examples
    --------
    >>> check_bias([1, 2], 3)
    Traceback (most recent call last):
    ...
    ValueError: bias must have one number per detector: there are 3 detector(s) but bias has 2 value(s): [1, 2]
    """
    if bias is None:
        return None
    bias = as_array(bias, "bias", (1,), f"a 1-D sequence with one number per {per}")
    if bias.size != n:
        raise ValueError(
            f"bias must have one number per {per}: there are {n} {per}(s) "
            f"but bias has {bias.size} value(s): {short(bias.tolist())}"
        )
    return bias


def check_bool(value, name):
    """``value`` if it is True or False (numpy's too), as a Python bool.

    Parameters
    ----------
    value : object
    name : str

    Returns
    -------
    bool

    Examples
    --------
    >>> check_bool(True, "flip")
    True
    >>> check_bool(1, "flip")
    Traceback (most recent call last):
    ...
    TypeError: flip must be True or False; got 1 (type int)
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {describe(value)}")
    return bool(value)


def check_real(value, name, *, low=-math.inf, high=math.inf, low_open=False):
    """A finite real number in ``[low, high]`` (``(low, high]`` with ``low_open``), as a float.

    Parameters
    ----------
    value : object
    name : str
    low, high : float
        The bounds (default: any finite number).
    low_open : bool, default False
        Refuse ``low`` itself.

    Returns
    -------
    float

    Examples
    --------
    >>> check_real(2, "fps", low=0, high=60, low_open=True)
    2.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {describe(value)}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    if not math.isfinite(value) or too_low or value > high:
        if math.isinf(low) and math.isinf(high):
            raise ValueError(f"{name} must be finite; got {value}")
        bound = "more than" if low_open else "at least"
        raise ValueError(f"{name} must be {bound} {low:g} and at most {high:g}; got {value}")
    return value


def check_scale(scale):
    """How much to enlarge a figure or widget: a number from 0.25 to 4.

    Parameters
    ----------
    scale : float

    Returns
    -------
    float

    Examples
    --------
    >>> check_scale(1.6)
    1.6
    >>> check_scale(10)
    Traceback (most recent call last):
    ...
    ValueError: scale must be between 0.25 and 4; got 10.0
    """
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, numbers.Real):
        raise TypeError(f"scale must be a number such as 1.0 or 1.6; got {describe(scale)}")
    scale = float(scale)
    if not (math.isfinite(scale) and 0.25 <= scale <= 4.0):
        raise ValueError(f"scale must be between 0.25 and 4; got {scale}")
    return scale


def check_callable(fn, name):
    """``fn`` if it can be called (a function of one array argument).

    Parameters
    ----------
    fn : object
    name : str

    Returns
    -------
    callable

    Examples
    --------
    >>> check_callable(abs, "f") is abs
    True
    """
    if not callable(fn):
        raise TypeError(f"{name} must be a function of one array argument; got {describe(fn)}")
    return fn


def check_grid(tau, name="tau"):
    """A strictly increasing 1-D grid of at least 2 points, as float64.

    Parameters
    ----------
    tau : array_like
    name : str, default 'tau'

    Returns
    -------
    ndarray of float64

    Examples
    --------
    >>> check_grid([0, 0.5, 1])
    array([0. , 0.5, 1. ])
    """
    tau = as_array(tau, name, (1,), "a 1-D grid of numbers").astype(np.float64)
    if tau.size < 2:
        raise ValueError(f"{name} must have at least 2 points; got {tau.size}")
    if np.any(np.diff(tau) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    return tau
