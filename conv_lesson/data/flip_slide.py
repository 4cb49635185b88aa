"""The flip-and-slide examples of lesson 01: two functions (or two sequences) and how to show them.

A :class:`SlidePreset` holds everything the flip-and-slide figure needs:
``f``, ``g``, the slider's positions, the integration grid, the words.
:func:`slide_preset` builds a named example, :func:`custom_slide_preset` one
from a student's own ``f`` and ``g``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..ops.checks import as_array, check_grid, check_real, describe
from ..ops.conv1d import flip_and_slide

__all__ = [
    "NOISY_SIGNAL_SEED",
    "SlidePreset",
    "custom_slide_preset",
    "noisy_signal",
    "slide_preset",
    "slide_preset_names",
]

#: The random seed of the 'noisy signal * box' example: the same noise every run.
NOISY_SIGNAL_SEED = 2024


@dataclass(frozen=True)
class SlidePreset:
    """Everything the flip-and-slide figure needs to draw one example.

    Build one with :func:`slide_preset` (a named example) or
    :func:`custom_slide_preset` (your own ``f`` and ``g``).

    Attributes
    ----------
    name : str
    f, g : callable or ndarray
        Vectorised functions (continuous) or 1-D arrays indexed from 0
        (discrete: ``(f*g)[n] = Σ_k f[k] g[n − k]``).
    t_grid : ndarray
        The slider's positions: every t (or n) the figure can show.
    tau : ndarray or None
        The integration grid over τ (continuous only).
    xlim : (float, float)
        The horizontal range drawn (shared by τ, or k, and t, or n).
    t0 : float
        Where the slider starts.
    title : str
        The figure's heading.
    about : str
        A sentence or two on what f and g are.
    meaning : str
        How to read the value, appended to the status line ('' for none).
    f_label, g_label, out_label : str
        Legend entries.
    reference : str
        When not empty, f is drawn faintly under the result with this label.
    denominator : int or None
        Discrete values are written as fractions over it (36 for two dice).

    Examples
    --------
    >>> p = slide_preset("box*box")
    >>> p.discrete, p.step, len(p.t_grid)
    (False, 0.02, 201)
    """

    name: str
    f: object
    g: object
    t_grid: np.ndarray
    tau: object
    xlim: tuple
    t0: float
    title: str
    about: str
    meaning: str = ""
    f_label: str = "f(τ)"
    g_label: str = "g(t − τ): g flipped, then slid to t"
    out_label: str = "(f*g)(t)"
    reference: str = ""
    denominator: object = None

    @property
    def discrete(self):
        """True for sequences (sums over k), False for functions (integrals over τ)."""
        return self.tau is None

    @property
    def step(self):
        """The distance between two slider positions."""
        return round(float(self.t_grid[1] - self.t_grid[0]), 10) if len(self.t_grid) > 1 else 1.0


def _box(lo, hi):
    """The function that is 1 on [lo, hi) and 0 elsewhere."""

    def box(x):
        x = np.asarray(x, dtype=float)
        return ((x >= lo) & (x < hi)).astype(float)

    return box


def _decay(x):
    """e^(−x) for x ≥ 0, 0 before: an RC circuit's response to a kick at time 0."""
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, np.exp(-np.clip(x, 0.0, None)), 0.0)


def noisy_signal():
    """The 'noisy signal * box' example's signal: samples of a wave plus fixed noise.

    Returns
    -------
    (xs, ys) : two ndarrays
        Sample positions 0, 0.05, ..., 10 and values
        ``1 + 0.5 sin(2πx/4) + noise``, the noise uniform in [-0.4, 0.4]
        from ``numpy.random.default_rng(NOISY_SIGNAL_SEED)``; all values are
        positive.

    Examples
    --------
    >>> xs, ys = noisy_signal()
    >>> xs.shape, bool((ys > 0).all()), bool((noisy_signal()[1] == ys).all())
    ((201,), True, True)
    """
    rng = np.random.default_rng(NOISY_SIGNAL_SEED)
    xs = np.linspace(0.0, 10.0, 201)
    ys = 1.0 + 0.5 * np.sin(2 * np.pi * xs / 4.0) + rng.uniform(-0.4, 0.4, xs.size)
    return xs, ys


def _noisy_function():
    """:func:`noisy_signal` as a function: its samples joined by lines on [0, 10], 0 outside."""
    xs, ys = noisy_signal()

    def noisy(x):
        x = np.asarray(x, dtype=float)
        return np.where((x >= 0) & (x <= 10), np.interp(x, xs, ys), 0.0)

    return noisy


def _t_grid(lo, hi, step):
    """``lo, lo + step, ...`` up to ``hi``, as multiples of ``step`` (no drift from adding)."""
    n = round((hi - lo) / step) + 1
    return lo + step * np.arange(n)


def _nice_step(span, target=200):
    """A round slider step (1, 2, 2.5 or 5 times a power of ten) near ``span / target``."""
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return float(m * power)
    return float(10 * power)


def _box_box():
    box = _box(0.0, 1.0)
    return SlidePreset(
        name="box*box", f=box, g=box, t_grid=_t_grid(-1.0, 3.0, 0.02),
        tau=np.linspace(-1.5, 3.5, 4001), xlim=(-1.5, 3.5), t0=0.5,
        title="box * box = triangle",
        about="f and g are the same box: 1 on [0, 1), 0 elsewhere. As the flipped "
        "box slides across the other, their overlap grows, then shrinks: "
        "(f*g)(t) is the length of the overlap, and box * box is a triangle.",
        meaning="the length of the overlap",
        f_label="f(τ): a box on [0, 1)",
    )  # fmt: skip


def _noisy_box():
    return SlidePreset(
        name="noisy signal * box", f=_noisy_function(), g=_box(-0.5, 0.5),
        t_grid=_t_grid(-1.0, 11.0, 0.05), tau=np.linspace(-1.5, 11.5, 2601),
        xlim=(-1.5, 11.5), t0=3.0,
        title="noisy signal * box = moving average",
        about="f is a noisy signal (the noise has a fixed random seed, so it is the "
        "same every time); g is a box of height 1 and width 1, centred on 0. "
        "(f*g)(t) is the average of f over [t − 0.5, t + 0.5]: a moving average "
        "that smooths the noise away.",
        meaning="the average of f over [t − 0.5, t + 0.5]",
        f_label="f(τ): the noisy signal", g_label="g(t − τ): the box, slid to t",
        out_label="(f*g)(t): the smoothed signal", reference="f, for comparison",
    )  # fmt: skip


def _two_dice():
    die = np.array([0.0] + [1.0 / 6.0] * 6)
    return SlidePreset(
        name="two dice", f=die, g=die.copy(), t_grid=_t_grid(0.0, 13.0, 1.0),
        tau=None, xlim=(-6.6, 13.6), t0=7.0,
        title="two dice: the chance of each sum is die * die",
        about="f and g are the same fair die: faces 1 to 6, each with probability "
        "1/6. For the two dice to sum to n, die 1 shows k and die 2 shows n − k; "
        "(f*g)[n] = Σ f[k] g[n − k] adds the chances of all those ways. "
        "Sums run from 2 to 12, 7 being the most likely (6/36).",
        meaning="the chance that two dice sum to n",
        f_label="die 1: f[k] = P(shows k)", g_label="die 2, flipped: g[n − k] = P(shows n − k)",
        out_label="(f*g)[n] = P(sum = n)", denominator=36,
    )  # fmt: skip


def _decay_response():
    return SlidePreset(
        name="exponential decay response", f=_box(0.0, 2.0), g=_decay,
        t_grid=_t_grid(-1.0, 7.0, 0.05), tau=np.linspace(-1.5, 7.5, 3601),
        xlim=(-1.5, 7.5), t0=1.0,
        title="an RC circuit's response = input * e^(−t)",
        about="An RC circuit (the differential equation y′ = −y + f) is driven by "
        "the input f: a pulse of height 1 from t = 0 to t = 2. Its response to a "
        "single kick at time 0 is g(t) = e^(−t) for t ≥ 0. The output is f*g: every "
        "past input f(τ) still counts, faded by e^(−(t − τ)). It charges as 1 − e^(−t), "
        "then decays.",
        meaning="the circuit's output at t",
        f_label="input f(τ): a pulse", g_label="g(t − τ) = $e^{-(t - τ)}$: the response, flipped",
        out_label="output (f*g)(t)", reference="input f, for comparison",
    )  # fmt: skip


_BUILDERS = {
    "box*box": _box_box,
    "noisy signal * box": _noisy_box,
    "two dice": _two_dice,
    "exponential decay response": _decay_response,
}


def _key(name):
    """``name`` with case, spaces around ``*`` and underscores for spaces made alike."""
    return " ".join(name.lower().replace("*", " * ").replace("_", " ").split())


def slide_preset_names():
    """Names of the flip-and-slide examples, in the order the lesson uses them.

    Returns
    -------
    list of str

    Examples
    --------
    >>> slide_preset_names()
    ['box*box', 'noisy signal * box', 'two dice', 'exponential decay response']
    """
    return list(_BUILDERS)


def slide_preset(name):
    """A fresh :class:`SlidePreset` for a named flip-and-slide example.

    Parameters
    ----------
    name : str
        One of :func:`slide_preset_names`; case, spaces around ``*`` and
        underscores for spaces do not matter.

    Returns
    -------
    SlidePreset

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        No example has that name.

    Examples
    --------
    >>> p = slide_preset("Two dice")
    >>> p.name, p.discrete, p.t0
    ('two dice', True, 7.0)
    """
    known = ", ".join(map(repr, _BUILDERS))
    if not isinstance(name, str):
        raise TypeError(f"preset must be one of {known}; got {describe(name)}")
    for candidate, build in _BUILDERS.items():
        if _key(candidate) == _key(name):
            return build()
    raise ValueError(f"preset must be one of {known}; got {name!r}")


def _check_range(t_range, name, integer=False):
    """A (start, stop) pair of finite numbers going up, whole numbers with ``integer``."""
    if isinstance(t_range, (str, bytes)) or not hasattr(t_range, "__len__"):
        raise TypeError(f"{name} must be a (start, stop) pair of numbers; got {describe(t_range)}")
    if len(t_range) != 2:
        raise ValueError(f"{name} must be a (start, stop) pair of numbers; got {len(t_range)} values")
    out = tuple(check_real(v, f"{name}[{i}]") for i, v in enumerate(t_range))
    for i, v in enumerate(out):
        if integer and v != int(v):
            raise ValueError(f"{name}[{i}] must be a whole number for sequences (n counts steps); got {v}")
    if out[1] <= out[0]:
        raise ValueError(f"{name} must go up: start < stop; got {tuple(t_range)}")
    return out


def _check_same_kind(f, g):
    """Raise unless ``f`` and ``g`` are both given and both functions or both sequences."""
    if f is None or g is None:
        raise TypeError(
            "f and g must both be given (two functions or two sequences), or neither (then a preset is used)"
        )
    if callable(f) != callable(g):
        which, other = ("f", "g") if callable(f) else ("g", "f")
        raise TypeError(
            f"f and g must be of the same kind: {which} is a function but {other} is "
            f"{describe(g if callable(f) else f)}; give two functions or two sequences"
        )


def _functions_preset(f, g, t_range, tau, step):
    """The :class:`SlidePreset` of two functions (see :func:`custom_slide_preset`)."""
    t_range = (-4.0, 4.0) if t_range is None else _check_range(t_range, "t_range")
    span = t_range[1] - t_range[0]
    step = _nice_step(span) if step is None else check_real(step, "step", low=0, high=span, low_open=True)
    if tau is None:
        tau = np.linspace(t_range[0] - span / 2, t_range[1] + span / 2, 4001)
    else:
        tau = check_grid(tau, "tau")
    grid = _t_grid(t_range[0], t_range[1], step)
    grid = grid[grid <= t_range[1] + 1e-9 * step]
    # evaluate once here so a broken function fails now, naming itself
    flip_and_slide(f, g, float(grid[0]), tau)
    return SlidePreset(
        name="custom", f=f, g=g, t_grid=grid, tau=tau,
        xlim=(float(tau[0]), float(tau[-1])), t0=float(grid[len(grid) // 2]),
        title="(f*g)(t) = ∫ f(τ) g(t − τ) dτ",
        about="Your own f and g: g is flipped (τ becomes −τ) and slid to t; "
        "the area under their product is (f*g)(t).",
    )  # fmt: skip


def _sequences_preset(f, g, t_range, tau, step):
    """The :class:`SlidePreset` of two sequences (see :func:`custom_slide_preset`)."""
    if tau is not None:
        raise ValueError("tau is only for functions; sequences are summed over k, so leave tau out")
    if step not in (None, 1):
        raise ValueError(f"step must be 1 (or left out) for sequences: n counts whole steps; got {step!r}")
    f = as_array(f, "f", (1,), "a 1-D sequence of numbers").astype(float)
    g = as_array(g, "g", (1,), "a 1-D sequence of numbers").astype(float)
    if t_range is None:
        t_range = (0.0, float(max(len(f) + len(g) - 2, 1)))
    else:
        t_range = _check_range(t_range, "t_range", integer=True)
    grid = _t_grid(t_range[0], t_range[1], 1.0)
    lo = min(0.0, t_range[0] - (len(g) - 1))
    hi = max(len(f) - 1.0, t_range[1])
    return SlidePreset(
        name="custom", f=f, g=g, t_grid=grid, tau=None, xlim=(lo - 0.6, hi + 0.6),
        t0=float(grid[len(grid) // 2]), title="(f*g)[n] = Σ f[k] g[n − k]",
        about="Your own sequences f and g: g is flipped (k becomes −k) and slid to n; "
        "the sum of the products is (f*g)[n].",
        f_label="f[k]", g_label="g[n − k]: g flipped, then slid to n", out_label="(f*g)[n]",
    )  # fmt: skip


def custom_slide_preset(f, g, *, t_range=None, tau=None, step=None):
    """A :class:`SlidePreset` for your own ``f`` and ``g``.

    Parameters
    ----------
    f, g : callable or array_like
        Two vectorised functions of a numpy array (the integral
        ``∫ f(τ) g(t − τ) dτ``), or two 1-D sequences indexed from 0 (the sum
        ``Σ_k f[k] g[n − k]``). Both must be of the same kind.
    t_range : (float, float), optional
        The slider's range. Functions: default (-4, 4). Sequences: default
        (0, len(f) + len(g) - 2), every n where the two overlap.
    tau : array_like, optional
        Functions only: the integration grid, increasing; it must cover
        where f is not zero. Default: 4001 points over t_range widened by
        half its length on each side.
    step : float, optional
        Functions only: the slider's step; default a round number giving
        about 200 steps. Sequences always step by 1.

    Returns
    -------
    SlidePreset

    Raises
    ------
    TypeError, ValueError
        A bad argument, named in the message; a function that fails on an
        array of τ values.

    Examples
    --------
    >>> p = custom_slide_preset([1, 1], [1, 2, 3])
    >>> p.discrete, p.t_grid
    (True, array([0., 1., 2., 3.]))
    >>> custom_slide_preset(np.sin, np.cos, t_range=(0, 2)).step
    0.01
    """
    _check_same_kind(f, g)
    if callable(f):
        return _functions_preset(f, g, t_range, tau, step)
    return _sequences_preset(f, g, t_range, tau, step)
