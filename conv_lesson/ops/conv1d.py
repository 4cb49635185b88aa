"""Convolution in one dimension: sequences, and functions by flip and slide.

``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` for functions, ``(f*g)[n] = Σ_k f[k] g[n − k]``
for sequences: g is flipped, slid to t (or n), multiplied with f, and the
products are summed.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .checks import as_array, check_callable, check_grid, describe

__all__ = [
    "convolve_1d",
    "continuous_convolution",
    "flip_and_slide",
    "SlideView",
    "discrete_flip_and_slide",
    "DiscreteSlideView",
]

_MODES = ("full", "same", "valid")


def convolve_1d(f, g, mode="full"):
    """Discrete convolution of two 1-D sequences: ``(f*g)[n] = sum_m f[m] g[n-m]``.

    Equal to :func:`numpy.convolve` in each of its modes, but written as a
    slide of the *flipped* ``g`` along ``f``, which is the picture the lessons
    draw.

    Parameters
    ----------
    f, g : array_like, 1-D
        The two sequences; neither may be empty.
    mode : {'full', 'same', 'valid'}, default 'full'
        ``'full'``: every overlap, length ``len(f) + len(g) - 1``.
        ``'same'``: the middle ``max(len(f), len(g))`` values.
        ``'valid'``: only complete overlaps, length
        ``max(len(f), len(g)) - min(len(f), len(g)) + 1``.

    Returns
    -------
    ndarray
        int64 for integer inputs, float64 otherwise.

    Examples
    --------
    >>> convolve_1d([1, 1, 1], [1, 1, 1])
    array([1, 2, 3, 2, 1])
    >>> convolve_1d([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    """
    f = as_array(f, "f", (1,), "a 1-D sequence of numbers")
    g = as_array(g, "g", (1,), "a 1-D sequence of numbers")
    if not isinstance(mode, str):
        raise TypeError(f"mode must be 'full', 'same' or 'valid'; got {describe(mode)}")
    if mode not in _MODES:
        raise ValueError(f"mode must be 'full', 'same' or 'valid'; got {mode!r}")
    if f.dtype != g.dtype:
        f, g = f.astype(np.float64), g.astype(np.float64)
    if len(g) > len(f):  # numpy.convolve swaps so the longer one is f
        f, g = g, f
    n, m = len(f), len(g)
    padded = np.concatenate([np.zeros(m - 1, f.dtype), f, np.zeros(m - 1, f.dtype)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, m)
    full = windows @ g[::-1]
    if mode == "full":
        return full
    if mode == "same":
        start = (m - 1) // 2
        return full[start : start + n]
    return full[m - 1 : n]


def _evaluate(fn, name, x):
    try:
        y = np.asarray(fn(x), dtype=np.float64)
    except Exception as exc:  # the student's function failed: say whose it is
        raise ValueError(f"{name} could not be evaluated on an array of τ values: {exc}") from exc
    if y.shape == ():
        y = np.full_like(x, float(y))
    if y.shape != x.shape:
        raise ValueError(f"{name} must return one value per input value (shape {x.shape}); got shape {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} returned NaN or infinite values")
    return y


def _trapezoid(y, x):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)


@dataclass(frozen=True)
class SlideView:
    """The pieces of the flip-and-slide picture at one ``t`` (see :func:`flip_and_slide`).

    Attributes
    ----------
    t : float
    tau : ndarray
        The integration grid.
    f_tau : ndarray
        f(τ).
    g_shifted : ndarray
        g(t − τ): g flipped and slid to t.
    product : ndarray
        f(τ) g(t − τ), the curve whose area is the answer.
    value : float
        (f*g)(t), the area under ``product`` (trapezoid rule).
    """

    t: float
    tau: np.ndarray
    f_tau: np.ndarray
    g_shifted: np.ndarray
    product: np.ndarray
    value: float

    @property
    def overlap(self):
        """(first, last) τ where both f(τ) and g(t − τ) are not zero, or None.

        Values smaller than a millionth of a millionth of the largest are
        taken as zero, so a decaying tail does not count as overlap.
        """
        scale = max(float(np.abs(self.f_tau).max()), 1.0) * max(float(np.abs(self.g_shifted).max()), 1.0)
        hit = np.flatnonzero((np.abs(self.f_tau) > 1e-12) & (np.abs(self.g_shifted) > 1e-12 * scale))
        return None if hit.size == 0 else (float(self.tau[hit[0]]), float(self.tau[hit[-1]]))


def flip_and_slide(f, g, t, tau):
    """The pieces of ``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` at one ``t``.

    Parameters
    ----------
    f, g : callable
        Functions of a numpy array (vectorised), e.g. ``lambda x: np.exp(-x**2)``.
    t : float
        Where to evaluate the convolution.
    tau : array_like, 1-D, increasing
        The grid the integral over τ runs on; it should cover where the
        product is non-zero.

    Returns
    -------
    SlideView

    Examples
    --------
    >>> box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    >>> v = flip_and_slide(box, box, 1.0, np.linspace(-1, 3, 4001))
    >>> round(v.value, 2)
    1.0
    """
    check_callable(f, "f")
    check_callable(g, "g")
    if isinstance(t, (bool, np.bool_)) or not isinstance(t, numbers.Real):
        raise TypeError(f"t must be a real number; got {describe(t)}")
    if not np.isfinite(t):
        raise ValueError(f"t must be finite; got {t}")
    tau = check_grid(tau)
    f_tau = _evaluate(f, "f", tau)
    g_shifted = _evaluate(g, "g", float(t) - tau)
    product = f_tau * g_shifted
    return SlideView(float(t), tau, f_tau, g_shifted, product, _trapezoid(product, tau))


def continuous_convolution(f, g, t, tau):
    """``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` for every ``t``, by numerical integration.

    The integral runs over τ (not t), on the grid ``tau``, with the
    trapezoid rule.

    Parameters
    ----------
    f, g : callable
        Vectorised functions of one array.
    t : array_like, 1-D
        Where to evaluate the convolution.
    tau : array_like, 1-D, increasing
        The integration grid.

    Returns
    -------
    ndarray, shape like ``t``

    Examples
    --------
    >>> box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    >>> np.round(continuous_convolution(box, box, [0.5, 1.0, 1.5], np.linspace(-1, 3, 4001)), 2)
    array([0.5, 1. , 0.5])
    """
    check_callable(f, "f")
    check_callable(g, "g")
    t = as_array(t, "t", (0, 1), "a number or a 1-D array of numbers").astype(np.float64)
    tau = check_grid(tau)
    f_tau = _evaluate(f, "f", tau)
    shifted = t.reshape(-1, 1) - tau.reshape(1, -1)
    g_vals = _evaluate(g, "g", shifted.ravel()).reshape(shifted.shape)
    prod = f_tau[None, :] * g_vals
    values = np.sum((prod[:, 1:] + prod[:, :-1]) * np.diff(tau)[None, :], axis=1) / 2.0
    return values.reshape(t.shape)


@dataclass(frozen=True)
class DiscreteSlideView:
    """The pieces of ``(f*g)[n] = Σ_k f[k] g[n − k]`` at one ``n`` (see :func:`discrete_flip_and_slide`).

    Attributes
    ----------
    n : int
    ks : ndarray of int
        The k at which the pieces are given.
    f_k : ndarray
        f[k] (0 outside f).
    g_k : ndarray
        g[n − k]: g flipped and slid to n (0 outside g).
    products : ndarray
        f[k] g[n − k].
    value : float
        (f*g)[n], the sum of every product (not only those at ``ks``).
    """

    n: int
    ks: np.ndarray
    f_k: np.ndarray
    g_k: np.ndarray
    products: np.ndarray
    value: float

    @property
    def overlap(self):
        """(first, last) k of ``ks`` with a non-zero product, or None."""
        hit = self.ks[self.products != 0]
        return None if hit.size == 0 else (int(hit[0]), int(hit[-1]))

    @property
    def n_products(self):
        """How many of the products at ``ks`` are not zero."""
        return int(np.count_nonzero(self.products))


def _at(seq, idx):
    """``seq[idx]`` where ``idx`` is inside, 0 elsewhere."""
    inside = (idx >= 0) & (idx < len(seq))
    return np.where(inside, seq[np.clip(idx, 0, len(seq) - 1)], 0.0)


def discrete_flip_and_slide(f, g, n, ks=None):
    """The pieces of ``(f*g)[n] = Σ_k f[k] g[n − k]`` at one ``n``.

    Parameters
    ----------
    f, g : array_like, 1-D
        Sequences indexed from 0.
    n : int
        Where g is slid to.
    ks : array_like of int, optional
        The k to give the pieces at; default every k where f is defined.

    Returns
    -------
    DiscreteSlideView

    Examples
    --------
    >>> v = discrete_flip_and_slide([1, 2, 3], [1, 1], 1)
    >>> v.products.tolist(), v.value, v.overlap
    ([1.0, 2.0, 0.0], 3.0, (0, 1))
    """
    f = as_array(f, "f", (1,), "a 1-D sequence of numbers").astype(np.float64)
    g = as_array(g, "g", (1,), "a 1-D sequence of numbers").astype(np.float64)
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a whole number (an int); got {describe(n)}")
    n = int(n)
    if ks is None:
        ks = np.arange(len(f))
    else:
        ks = as_array(ks, "ks", (1,), "a 1-D sequence of whole numbers")
        if ks.dtype.kind != "i":
            raise TypeError(f"ks must hold whole numbers (ints); got dtype {ks.dtype}")
    f_k = _at(f, ks)
    g_k = _at(g, n - ks)
    every = np.arange(len(f))
    value = float(np.sum(f * _at(g, n - every)))
    return DiscreteSlideView(n, ks, f_k, g_k, f_k * g_k, value)
