"""Run a lesson for publishing, then keep only what its page needs.

A lesson is executed fresh, in a kernel whose environment says it is being
published (so its widgets display their kernel-less forms), with the widget
state stored in the notebook (nbclient's ``store_widget_state``). The state is
then pruned to the models the page displays (nbclient stores every widget the
kernel ever made) and its PNG frames are re-encoded with a small palette.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
from pathlib import Path

from ..widgets.common import PUBLISH_ENV

__all__ = ["WIDGET_STATE", "WIDGET_VIEW", "execute_lesson", "prune_widget_state", "compress_frames", "compact_frame"]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_REF = re.compile(r"IPY_MODEL_([0-9A-Za-z_-]+)")
_PNG_URL = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_LINKS = ("LinkModel", "DirectionalLinkModel")


def execute_lesson(path, *, timeout=600):
    """Execute the notebook at ``path`` in a fresh kernel, publishing, with its widget state stored.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.ipynb`` file; it runs in its own folder.
    timeout : int, default 600
        Seconds one cell may take.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (the file is not changed).

    Examples
    --------
    >>> execute_lesson("no_such_lesson.ipynb")
    Traceback (most recent call last):
    ...
    FileNotFoundError: path must be a notebook file; got 'no_such_lesson.ipynb'
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"path must be a notebook file; got {str(path)!r}")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    client.execute(env={**os.environ, PUBLISH_ENV: "1"})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def _views(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                yield view["model_id"]


def prune_widget_state(nb):
    """Keep only the widget models the notebook's outputs display (and the links between them).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Changed in place.

    Returns
    -------
    int
        How many models were dropped.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> prune_widget_state(nb)
    0
    """
    if not hasattr(nb, "metadata") or not hasattr(nb, "cells"):
        raise TypeError(f"nb must be a notebook (nbformat.NotebookNode); got {type(nb).__name__}")
    holder = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if not holder:
        return 0
    state = holder["state"]
    keep, todo = set(), [m for m in _views(nb) if m in state]
    while todo:
        model = todo.pop()
        if model in keep:
            continue
        keep.add(model)
        todo.extend(m for m in _REF.findall(json.dumps(state[model]["state"])) if m in state)
    for model, entry in state.items():  # a jslink is referenced by nothing: keep it when both ends stay
        if entry.get("model_name") in _LINKS and set(_REF.findall(json.dumps(entry["state"]))) <= keep:
            keep.add(model)
            keep.update(m for m in _REF.findall(json.dumps(entry["state"])) if m in state)
    dropped = [m for m in state if m not in keep]
    for model in dropped:
        del state[model]
    return len(dropped)


def compact_frame(png, colors=16):
    """``png`` as a smaller data URL: a palette of ``colors`` colours, lossless WebP (or PNG if smaller).

    The lessons' figures are flat colours and text, so a small palette keeps
    them readable; WebP's lossless mode then stores them in about a third of
    the PNG's bytes. Every browser of the last years shows WebP.

    Parameters
    ----------
    png : bytes
    colors : int, default 16

    Returns
    -------
    str
        A ``data:image/...;base64,`` URL.

    Examples
    --------
    >>> from conv_lesson.draw.export import encode_png
    >>> import numpy as np
    >>> png = encode_png(np.kron(np.eye(8, dtype=np.uint8) * 255, np.ones((8, 8), np.uint8))[:, :, None].repeat(3, 2))
    >>> url = compact_frame(png)
    >>> url.startswith("data:image/"), len(url) < len(png) * 4 / 3
    (True, True)
    """
    from PIL import Image

    if not isinstance(colors, int) or not 2 <= colors <= 256:
        raise ValueError(f"colors must be an int from 2 to 256; got {colors!r}")
    img = Image.open(io.BytesIO(png)).convert("RGB")
    small = img.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    best, mime = png, "png"
    for fmt, options in (("WEBP", {"lossless": True, "method": 4, "quality": 100}), ("PNG", {"optimize": True})):
        buf = io.BytesIO()
        small.save(buf, format=fmt, **options)
        if buf.tell() < len(best):
            best, mime = buf.getvalue(), fmt.lower()
    return f"data:image/{mime};base64," + base64.b64encode(best).decode("ascii")


def compress_frames(nb, colors=16):
    """Re-encode every PNG in the notebook's widget state smaller (see :func:`compact_frame`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Changed in place.
    colors : int, default 16

    Returns
    -------
    (int, int)
        The widget state's size in bytes before and after.

    Examples
    --------
    >>> import nbformat
    >>> compress_frames(nbformat.v4.new_notebook())
    (0, 0)
    """
    holder = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if not holder:
        return 0, 0
    text = json.dumps(holder["state"])
    new = _PNG_URL.sub(lambda match: compact_frame(base64.b64decode(match.group(1)), colors), text)
    holder["state"] = json.loads(new)
    return len(text), len(new)
