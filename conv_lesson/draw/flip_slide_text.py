"""The words of the flip-and-slide figures: readouts, status sentences, alt text.

The readouts that move with the slider keep a fixed number of decimals
(``t = 0.50``, then ``t = 0.52``), so the text does not jitter as t moves;
plain numbers (n, k, counts) use :func:`conv_lesson.ops.format_number`.
"""

from __future__ import annotations

from ..ops import format_number

__all__ = [
    "bar_label",
    "continuous_alt_text",
    "continuous_detail",
    "continuous_status",
    "discrete_alt_text",
    "discrete_detail",
    "discrete_status",
    "position_decimals",
    "position_text",
    "short_number",
    "value_text",
]


def position_decimals(step):
    """How many decimals show every multiple of ``step`` exactly (0.02 -> 2, 1 -> 0).

    Parameters
    ----------
    step : float
        The slider's step.

    Returns
    -------
    int
        From 0 to 6.

    Examples
    --------
    >>> position_decimals(0.02), position_decimals(1.0), position_decimals(0.25)
    (2, 0, 2)
    """
    for d in range(7):
        if abs(round(step, d) - step) <= 1e-9 * max(1.0, abs(step)):
            return d
    return 6


def position_text(t, decimals):
    """A slider position with a fixed number of decimals, so the readout does not jitter.

    Parameters
    ----------
    t : float
    decimals : int

    Returns
    -------
    str

    Examples
    --------
    >>> position_text(0.5, 2), position_text(7.0, 0)
    ('0.50', '7')
    """
    return f"{t:.{decimals}f}"


def short_number(x, decimals=2):
    """A number with at most ``decimals`` decimals, trailing zeros dropped.

    Used for the ends of the overlap, which fall on the integration grid
    (0.99875 reads as ``1``).

    Parameters
    ----------
    x : float
    decimals : int, default 2

    Returns
    -------
    str

    Examples
    --------
    >>> short_number(0.5), short_number(0.99875), short_number(-0.001)
    ('0.5', '1', '0')
    """
    text = f"{float(x):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def value_text(v, denominator=None):
    """A convolution value as a lesson shows it: ``0.50``, ``6/36 ≈ 0.167``.

    Parameters
    ----------
    v : float
    denominator : int, optional
        When ``v`` is a whole number of ``1/denominator``, it is written as
        that fraction, followed by its decimal value.

    Returns
    -------
    str
        Two decimals (so the readout does not jitter), a few significant
        digits for very small and very large values.

    Examples
    --------
    >>> value_text(0.5), value_text(6 / 36, 36), value_text(0.0, 36), value_text(1234.5)
    ('0.50', '6/36 ≈ 0.167', '0/36', '1234')
    """
    v = float(v)
    if denominator:
        count = round(v * denominator)
        if abs(count - v * denominator) < 1e-6:
            return f"{count}/{denominator}" + ("" if count == 0 else f" ≈ {v:.3f}")
    if abs(v) < 0.005:
        return "0.00" if abs(v) < 5e-9 else f"{v:.2g}"
    if abs(v) >= 1000:
        return f"{v:.4g}"
    return f"{v:.2f}"


def bar_label(v, denominator=None):
    """A product's label over its bar: :func:`value_text` without the ``≈ ...`` part.

    Parameters
    ----------
    v : float
    denominator : int, optional

    Returns
    -------
    str

    Examples
    --------
    >>> bar_label(1 / 36, 36), bar_label(0.25)
    ('1/36', '0.25')
    """
    return value_text(v, denominator).split(" ≈")[0]


def continuous_status(view, decimals, meaning=""):
    """One sentence on the picture of ``(f*g)(t)`` at one t, for screen readers and for reading.

    Parameters
    ----------
    view : conv_lesson.ops.SlideView
        The pieces at t, from :func:`conv_lesson.ops.flip_and_slide`.
    decimals : int
        How many decimals t is written with.
    meaning : str, optional
        How to read the value, appended after a comma.

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np
    >>> from conv_lesson import ops
    >>> box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    >>> continuous_status(ops.flip_and_slide(box, box, 0.5, np.linspace(-1, 2, 3001)), 2)
    't = 0.50: the flipped g overlaps f on [0, 0.5]; the shaded area is (f*g)(0.50) = 0.50.'
    """
    ts, vs = position_text(view.t, decimals), value_text(view.value)
    meaning = f", {meaning}" if meaning else ""
    if view.overlap is None:
        return (
            f"t = {ts}: the flipped g does not overlap f, so the product is 0 everywhere and (f*g)({ts}) = 0{meaning}."
        )
    a, b = (short_number(x) for x in view.overlap)
    return f"t = {ts}: the flipped g overlaps f on [{a}, {b}]; the shaded area is (f*g)({ts}) = {vs}{meaning}."


def discrete_status(view, meaning="", denominator=None):
    """One sentence on the picture of ``(f*g)[n]`` at one n, for screen readers and for reading.

    Parameters
    ----------
    view : conv_lesson.ops.DiscreteSlideView
        The pieces at n, from :func:`conv_lesson.ops.discrete_flip_and_slide`.
    meaning : str, optional
        How to read the value, appended after a comma.
    denominator : int, optional
        Write the value as a fraction over it (see :func:`value_text`).

    Returns
    -------
    str

    Examples
    --------
    >>> from conv_lesson import ops
    >>> discrete_status(ops.discrete_flip_and_slide([1, 2, 3], [1, 1], 1))
    'n = 1: the flipped g overlaps f at k = 0 to 1; the 2 products add up to (f*g)[1] = 3.00.'
    """
    n = format_number(view.n)
    meaning = f", {meaning}" if meaning else ""
    if view.overlap is None:
        return f"n = {n}: the flipped g does not overlap f, so every product is 0 and (f*g)[{n}] = 0{meaning}."
    a, b = (format_number(k) for k in view.overlap)
    where = f"k = {a}" if a == b else f"k = {a} to {b}"
    count = "1 product adds" if view.n_products == 1 else f"{format_number(view.n_products)} products add"
    return (
        f"n = {n}: the flipped g overlaps f at {where}; the {count} up to "
        f"(f*g)[{n}] = {value_text(view.value, denominator)}{meaning}."
    )


#: A sum of more products than this is written with its first three, "…" and its last.
SHOWN_TERMS = 6


def _terms(items):
    """``items`` joined by " + ", shortened to the first three, "…" and the last when there are many."""
    items = list(items)
    if len(items) > SHOWN_TERMS:
        items = [*items[:3], "…", items[-1]]
    return " + ".join(items)


def continuous_detail(view, decimals):
    """The integral at one t, written out: the definition with t put in, where it is not 0, and its value.

    Parameters
    ----------
    view : conv_lesson.ops.SlideView
    decimals : int
        How many decimals t is written with.

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np
    >>> from conv_lesson import ops
    >>> box = lambda x: ((x >= 0) & (x < 1)).astype(float)
    >>> continuous_detail(ops.flip_and_slide(box, box, 0.5, np.linspace(-1, 2, 3001)), 2)
    '(f*g)(0.50) = ∫ f(τ) g(0.50 − τ) dτ over τ in [0, 0.5] = 0.50'
    """
    ts = position_text(view.t, decimals)
    integral = f"(f*g)({ts}) = ∫ f(τ) g({ts} − τ) dτ"
    if view.overlap is None:
        return f"{integral} = 0: f(τ) g({ts} − τ) is 0 for every τ"
    a, b = (short_number(x) for x in view.overlap)
    return f"{integral} over τ in [{a}, {b}] = {value_text(view.value)}"


def discrete_detail(view, denominator=None):
    """The sum at one n, written out: each product where f and the flipped g overlap, and their total.

    Parameters
    ----------
    view : conv_lesson.ops.DiscreteSlideView
    denominator : int, optional
        Write the values as fractions over it (see :func:`value_text`).

    Returns
    -------
    str

    Examples
    --------
    >>> from conv_lesson import ops
    >>> discrete_detail(ops.discrete_flip_and_slide([1, 2, 3], [1, -1], 1))
    '(f*g)[1] = f[0]·g[1] + f[1]·g[0] = (-1.00) + 2.00 = 1.00'
    """
    n = format_number(view.n)
    if view.overlap is None:
        return f"(f*g)[{n}] = 0: no k has both f[k] and g[{n} − k] non-zero"
    a, b = view.overlap
    inside = (view.ks >= a) & (view.ks <= b)
    names = (f"f[{format_number(k)}]·g[{format_number(view.n - k)}]" for k in view.ks[inside])
    values = (bar_label(v, denominator) for v in view.products[inside])
    values = (f"({v})" if v.startswith("-") else v for v in values)
    return f"(f*g)[{n}] = {_terms(names)} = {_terms(values)} = {value_text(view.value, denominator)}"


def continuous_alt_text(reference=False):
    """What the picture of two functions shows, in words (it does not change with t).

    Parameters
    ----------
    reference : bool, default False
        Whether a grey line repeats f under the result.

    Returns
    -------
    str

    Examples
    --------
    >>> continuous_alt_text(reference=True).endswith("A grey line repeats f for comparison.")
    True
    """
    extra = " A grey line repeats f for comparison." if reference else ""
    return (
        "Figure, two rows sharing the horizontal axis. Top: f(τ) as a blue line and g(t − τ), g "
        "flipped and slid to t, as an orange line, with a dashed line at τ = t; the area under "
        "their product is shaded green (purple and hatched where negative). Bottom: (f*g)(t) "
        f"as a black line traced up to the current t, with a dot at the current value.{extra}"
    )


def discrete_alt_text():
    """What the picture of two sequences shows, in words (it does not change with n).

    Returns
    -------
    str

    Examples
    --------
    >>> discrete_alt_text().startswith("Figure, three rows.")
    True
    """
    return (
        "Figure, three rows. Top: f[k] as blue bars and the flipped, slid g[n − k] as orange "
        "stems, with a dashed line at k = n. Middle: their products f[k]·g[n − k] as green bars "
        "with their values. Bottom: (f*g)[n], the sum of the products, as black bars for every "
        "n up to the current one, the current one green."
    )
