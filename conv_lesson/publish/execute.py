"""Run a lesson for publishing, then keep only what its page needs.

A lesson is executed fresh, in a kernel that displays each widget in the form
that works with no kernel (:mod:`.offline`, loaded as an IPython extension), with the widget
state stored in the notebook (nbclient's ``store_widget_state``). The state is
then pruned to the models the page displays (nbclient stores every widget the
kernel ever made); its pictures were stored small as each offline form was
displayed (:func:`.offline.stored_small`).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .kernel import SocketFileKernelManager

__all__ = [
    "WIDGET_STATE",
    "WIDGET_VIEW",
    "KERNEL_ARGUMENTS",
    "execute_lesson",
    "prune_widget_state",
    "drop_defaults",
]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_REF = re.compile(r"IPY_MODEL_([0-9A-Za-z_-]+)")
_LINKS = ("LinkModel", "DirectionalLinkModel")
#: The kernel's arguments: it loads :mod:`.offline`, so each widget is displayed as its offline form
#: (and does not start if that fails: a page of dead controls must not be built quietly).
KERNEL_ARGUMENTS = ["--IPKernelApp.extensions=conv_lesson.publish.offline",
                    "--IPKernelApp.reraise_ipython_extension_failures=True"]  # fmt: skip


def execute_lesson(path, *, timeout=600):
    """Execute the notebook at ``path`` in a fresh kernel, widgets in their offline forms, with their state stored.

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
        kernel_manager_class=SocketFileKernelManager,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        extra_arguments=KERNEL_ARGUMENTS,
    )
    client.execute()
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


@lru_cache(maxsize=1)
def _widget_defaults():
    """``{(model module, model name): {key: default}}`` for ipywidgets' own models, as JSON values."""
    import ipywidgets

    table = {}
    for name in ipywidgets.__all__ if hasattr(ipywidgets, "__all__") else dir(ipywidgets):
        cls = getattr(ipywidgets, name, None)
        if not (isinstance(cls, type) and issubclass(cls, ipywidgets.Widget)):
            continue
        traits = cls.class_traits(sync=True)
        key = (traits["_model_module"].default_value, traits["_model_name"].default_value)
        found = {}
        for trait_name, trait in traits.items():
            try:
                found[trait_name] = json.loads(json.dumps(trait.default()))
            except Exception:  # a default made per instance (a Layout, a style): never dropped
                continue
        if key in table:  # two classes, one model: drop only what both leave at the same default
            found = {k: v for k, v in found.items() if table[key].get(k, object()) == v}
        table[key] = found
    return table


def drop_defaults(nb):
    """Leave out of the widget state what ipywidgets' own models hold at their default values.

    The page's widget manager fills them in again from the models' defaults,
    as for ``ipywidgets.embed``'s ``drop_defaults``; a layout model, for one,
    keeps only what it sets. Models from other modules (anywidget) are kept whole.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Changed in place.

    Returns
    -------
    int
        How many values were dropped.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> layout = {"_model_name": "LayoutModel", "width": "50%", "height": None}
    >>> entry = {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base", "state": layout}
    >>> nb.metadata["widgets"] = {WIDGET_STATE: {"state": {"a": entry}}}
    >>> drop_defaults(nb), dict(nb.metadata["widgets"][WIDGET_STATE]["state"]["a"]["state"])
    (2, {'width': '50%'})
    """
    if not hasattr(nb, "metadata"):
        raise TypeError(f"nb must be a notebook (nbformat.NotebookNode); got {type(nb).__name__}")
    holder = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    dropped = 0
    for entry in (holder or {}).get("state", {}).values():
        defaults = _widget_defaults().get((entry.get("model_module"), entry.get("model_name")), {})
        state = entry.get("state", {})
        for key in [k for k, v in state.items() if k in defaults and defaults[k] == v]:
            del state[key]
            dropped += 1
    return dropped
