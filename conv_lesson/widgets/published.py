"""Widgets as published: forms that step in a page with no kernel (the offline site and slides).

While :func:`conv_lesson.widgets.common.publishing` is true, a stepper displays
:func:`published_stepper` instead of itself: one flipbook per state computed
at build time (strides 1 to 3, and both flips when it has the flip control),
switched in the browser by toggle buttons linked to a ``Stack``. A control
whose states cannot all be stored (the detector and padding menus, a stepper
with too many steps to store) is replaced by a visible note saying it needs a
running notebook: nothing in the page is silently dead.
"""

from __future__ import annotations

import html

import ipywidgets

__all__ = ["PUBLISHED_STRIDES", "LIVE_NOTE", "MENU_NOTE", "published_strides", "needs_kernel_note", "published_stepper"]

#: Strides stored in a published stepper (up to the largest at which the window moves).
PUBLISHED_STRIDES = 3
#: Under a stepper too large to store as frames.
LIVE_NOTE = (
    "Stepping through this picture needs a running notebook (open the lesson in JupyterLab): "
    "it has too many steps to store in this page."
)
#: Above a published stepper that had a detector or padding menu.
MENU_NOTE = (
    "The detector and padding menus need a running notebook (open the lesson in JupyterLab); "
    "here, the stored choices below work."
)


def published_strides(stride, stride_max):
    """The strides a published stepper stores: 1 to 3 (as far as the window moves), and its own.

    Parameters
    ----------
    stride : int
        The stepper's stride.
    stride_max : int
        The largest stride at which the window still moves.

    Returns
    -------
    list of int

    Examples
    --------
    >>> published_strides(1, 4), published_strides(2, 2), published_strides(5, 6)
    ([1, 2, 3], [1, 2], [1, 2, 3, 5])
    """
    for name, value in (("stride", stride), ("stride_max", stride_max)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1; got {value!r}")
    return sorted(set(range(1, min(PUBLISHED_STRIDES, stride_max) + 1)) | {stride})


def needs_kernel_note(text):
    """A visible note (an HTML widget) that a control needs a running notebook.

    Parameters
    ----------
    text : str

    Returns
    -------
    ipywidgets.HTML

    Examples
    --------
    >>> "needs-kernel" in needs_kernel_note("Uploading needs a running notebook.").value
    True
    """
    if not isinstance(text, str) or not text:
        raise TypeError(f"text must be a non-empty str; got {text!r}")
    return ipywidgets.HTML(
        f'<div class="conv-lesson-needs-kernel" role="note" style="border-left:4px solid #e69f00;'
        f'padding:0.2em 0.6em;background:#fff8e6">⚠ {html.escape(text)}</div>'
    )


def _choice(description, options, children, start, css):
    """Toggle buttons that show one of ``children`` (a Stack), linked in the browser."""
    # auto width: the flip choices' labels ("yes: true convolution") are cut off at the default width
    toggle = ipywidgets.ToggleButtons(
        options=options, index=start, description=description, style={"button_width": "auto"}
    )
    toggle.add_class(f"conv-lesson-{css}-choice")
    stack = ipywidgets.Stack(children, selected_index=start)
    stack.add_class(f"conv-lesson-{css}-stack")
    ipywidgets.jslink((toggle, "index"), (stack, "selected_index"))
    return ipywidgets.VBox([toggle, stack])


def published_stepper(stepper):
    """The form of ``stepper`` that works in a page with no kernel.

    Parameters
    ----------
    stepper : conv_lesson.widgets.Stepper

    Returns
    -------
    ipywidgets.Widget
        A VBox choosing between flipbooks (one per stored stride, and per
        flip when the stepper has the flip control); for a stepper in live
        mode, its finished picture with a note that stepping needs a kernel.

    Examples
    --------
    >>> from conv_lesson import data, stepper
    >>> box = published_stepper(stepper(data.face_image(), data.face_detector()))
    >>> [b.description for b in box.children[0].children[:1]]
    ['stride']
    """
    from .stepper import Stepper

    if not isinstance(stepper, Stepper):
        raise TypeError(f"stepper must be a Stepper; got {type(stepper).__name__}")
    c = stepper.controller
    if c.mode == "live":
        return ipywidgets.HTML(stepper.saved_picture_html(LIVE_NOTE))
    strides = published_strides(c.scan.stride[0], c.stride_max)
    flips = [False, True] if stepper.flip_box is not None else [c.settings["flip"]]

    def by_stride(flip):
        children = []
        for s in strides:
            child = Stepper(
                c.image, c.settings["detector"], stride=s, padding=c.settings["padding"],
                dilation=c.settings["dilation"], flip=flip, scale=c.scale, mode="flipbook",
            )  # fmt: skip
            child.stride.layout.display = "none"  # the toggle buttons above choose the stride
            children.append(child)
        return _choice("stride", [(str(s), s) for s in strides], children, strides.index(c.scan.stride[0]), "stride")

    body = by_stride(flips[0]) if len(flips) == 1 else None
    if body is None:
        options = [("no: cross-correlation", 0), ("yes: true convolution", 1)]
        body = _choice("flip", options, [by_stride(f) for f in flips], int(c.settings["flip"]), "flip")
    notes = [needs_kernel_note(MENU_NOTE)] if (stepper.detector_menu or stepper.padding_menu) else []
    box = ipywidgets.VBox(notes + [body])
    box.add_class("conv-lesson-published")
    return box
