"""A slider every student can use: a native range input named by its visible label (anywidget).

ipywidgets' own sliders draw a ``noUiSlider`` whose handle has no accessible
name, so a screen reader announces "slider" and a number, never what it sets.
:class:`Slider` is an ``<input type="range">`` with a ``<label>`` (its name:
the visible text) and an ``<output>`` readout, which is also the value a
screen reader speaks (``aria-valuetext``). Its JavaScript and CSS are real
files in ``static/``.
"""

from __future__ import annotations

import anywidget
import traitlets

from .common import STATIC, stylesheet

__all__ = ["Slider"]


class Slider(anywidget.AnyWidget):
    """A labelled range slider, synced like ipywidgets' ``IntSlider`` / ``FloatSlider`` (``jslink`` works).

    Parameters
    ----------
    value, min, max, step : int or float
        An int while ``step`` and ``min`` are whole numbers.
    description : str
        The visible label, and the slider's accessible name.
    readout : bool, default True
        Show the value beside the slider.
    labels : list of str, optional
        The readout at each position (``min``, ``min + step``, ...), e.g.
        ``"t = 0.50"``; default: the number.
    log_base : float, default 0
        When > 0, a log slider (as ipywidgets' ``FloatLogSlider``): ``min``,
        ``max`` and ``step`` are exponents, ``value`` is ``log_base ** exponent``.
    continuous_update : bool, default True
        Send the value while dragging; False: only when let go (for a setting
        whose change rebuilds a figure).

    Examples
    --------
    >>> s = Slider(value=2, min=1, max=3, description="stride")
    >>> s.value, s.description, s.continuous_update
    (2, 'stride', True)
    """

    _esm = STATIC / "slider.js"
    _css = stylesheet("slider.css")
    value = traitlets.Union([traitlets.Int(), traitlets.Float()], default_value=0).tag(sync=True)
    min = traitlets.Union([traitlets.Int(), traitlets.Float()], default_value=0).tag(sync=True)
    max = traitlets.Union([traitlets.Int(), traitlets.Float()], default_value=100).tag(sync=True)
    step = traitlets.Union([traitlets.Int(), traitlets.Float()], default_value=1).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    readout = traitlets.Bool(True).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    log_base = traitlets.Float(0.0).tag(sync=True)
    continuous_update = traitlets.Bool(True).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("value")
    def _within(self, proposal):
        """Kept between ``min`` and ``max`` (``log_base`` to their power), as ipywidgets' sliders do."""
        low, high = (self.log_base**x for x in (self.min, self.max)) if self.log_base > 0 else (self.min, self.max)
        return min(max(proposal.value, low), high)
