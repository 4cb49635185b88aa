"""What every widget of the package shares: the error box, the static picture, presenter scale."""

from __future__ import annotations

import base64
import functools
import html
import traceback

__all__ = ["error_html", "ErrorBox", "StaticPicture", "scale_css", "WIDGET_CSS_SIZES"]

#: ipywidgets' own sizes (JupyterLab 4 defaults, in pixels), enlarged together for presenting.
WIDGET_CSS_SIZES = {
    "--jp-widgets-font-size": 13,
    "--jp-widgets-inline-height": 28,
    "--jp-widgets-inline-width": 300,
    "--jp-widgets-inline-width-short": 148,
    "--jp-widgets-inline-width-tiny": 72,
    "--jp-widgets-inline-label-width": 80,
    "--jp-widgets-inline-margin": 4,
    "--jp-widgets-slider-handle-size": 16,
    "--jp-widgets-slider-track-thickness": 4,
    "--jp-widgets-input-padding": 4,
}


def scale_css(css_class, scale):
    """CSS that enlarges every control inside ``.css_class`` by ``scale``, and nothing outside it.

    ipywidgets sizes its controls with CSS variables (``--jp-widgets-font-size``...);
    setting them on the widget's own class scales everything inside it.

    Parameters
    ----------
    css_class : str
    scale : float

    Returns
    -------
    str
        Style rules (no ``<style>`` tag).

    Examples
    --------
    >>> "--jp-widgets-font-size: 26.0px" in scale_css("big", 2)
    True
    """
    rules = "; ".join(f"{k}: {v * scale:.1f}px" for k, v in WIDGET_CSS_SIZES.items())
    return (
        f".{css_class} {{ {rules}; font-size: {13 * scale:.1f}px; }}\n"
        f".{css_class} .conv-lesson-text {{ font-size: {15 * scale:.1f}px; }}\n"
        f".{css_class} .widget-play .jupyter-button {{ font-size: {13 * scale:.1f}px;"
        f" min-width: {34 * scale:.1f}px; }}\n"
        f".{css_class} .conv-lesson-error {{ font-size: {13 * scale:.1f}px; }}\n"
    )


def error_html(exc, context=None):
    """A visible error box for a widget: what failed, why, and the traceback folded away.

    Parameters
    ----------
    exc : BaseException
    context : str, optional
        What was being done, e.g. ``"draw t = 2"``.

    Returns
    -------
    str

    Examples
    --------
    >>> "Could not draw" in error_html(ValueError("bad t"), "draw t = 2")
    True
    """
    what = f"<b>Could not {html.escape(context)}</b>: " if context else "<b>⚠</b> "
    details = html.escape("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return (
        '<div role="alert" style="color:#9a1c00;border:2px solid #d55e00;border-radius:4px;'
        'padding:0.3em 0.6em;background:#fff4ec;white-space:pre-wrap">'
        f"{what}<b>{html.escape(type(exc).__name__)}:</b> {html.escape(str(exc))}"
        f'<details><summary>details</summary><pre style="white-space:pre-wrap">{details}</pre></details>'
        "</div>"
    )


class ErrorBox:
    """Where a widget's callbacks report what failed: an HTML widget, hidden while all is well.

    Wrap every callback with :meth:`guard`; an exception is shown in the box
    (and kept in ``last_error``) instead of vanishing.

    Examples
    --------
    >>> box = ErrorBox()
    >>> box.guard(lambda: 1 / 0)()
    >>> type(box.last_error).__name__, box.widget.layout.display
    ('ZeroDivisionError', None)
    """

    def __init__(self):
        import ipywidgets

        self.widget = ipywidgets.HTML(value="", layout=ipywidgets.Layout(display="none"))
        self.widget.add_class("conv-lesson-error")
        self.last_error = None

    def show(self, exc, context=None):
        """Show ``exc`` in the box."""
        self.last_error = exc
        self.widget.value = error_html(exc, context)
        self.widget.layout.display = None

    def clear(self):
        """Hide the box (after a callback that worked)."""
        if self.widget.value:
            self.widget.value = ""
            self.widget.layout.display = "none"

    def guard(self, callback, context=None):
        """``callback`` wrapped so that an error is shown in the box, never raised."""

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown in the widget, not lost
                self.show(exc, context)
                return None

        return wrapper


class StaticPicture:
    """Mixin: display a widget with a static picture and a short text beside the live view.

    The display bundle carries, next to the widget view, a PNG of what the
    widget shows (``frame_png()``) and a short plain-text description
    (``_static_text()``). JupyterLab shows the live widget; a reader without a
    kernel or widget state (a static viewer, an HTML export) sees the picture;
    nbval compares the text, which is deterministic.
    """

    def _static_text(self):
        return type(self).__name__

    def __repr__(self):
        return self._static_text()

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/plain"] = self._static_text()
        try:
            bundle["image/png"] = base64.b64encode(self.frame_png()).decode("ascii")
        except Exception:  # noqa: BLE001 - the live view still shows; never break display
            pass
        return bundle
