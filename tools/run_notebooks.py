"""Re-execute the lesson notebooks in place, top to bottom, in a fresh kernel each.

Usage:  python tools/run_notebooks.py [NOTEBOOK ...]

With no arguments, every ``notebooks/NN_*.ipynb``. The saved outputs then come
from one fresh run (execution counts 1..N), which is what nbval compares
against in CI. Widget state is not stored (the flipbook frames would bloat the
repository), and the widget views are stripped from the saved outputs: without
its state a view shows "Error displaying widget: model not found" in
JupyterLab and Notebook 7. What stays is each widget's saved picture (HTML: the
finished state, its alt text and text, and a line saying to run the cell); the
live widget comes back when the cell runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from conv_lesson.publish.kernel import SocketFileKernelManager

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(nb) -> int:
    """Remove every widget view from ``nb``'s outputs (and its widget state); return how many.

    An output left with nothing to show is dropped.
    """
    removed = 0
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                removed += 1
                if not data:
                    continue
            kept.append(out)
        cell.outputs = kept
    return removed


def hide_execution_counts(nb) -> int:
    """Check that ``nb`` ran once, top to bottom (counts 1, 2, ...), then take the counts out; return how many.

    A saved count misleads a student: ``[16]`` beside a cell they have not run reads as run, and
    they skip it (issue 22). Without counts every cell shows ``[ ]`` until it runs in their kernel;
    the outputs stay, so the saved lesson still teaches.
    """
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.execution_count for c in code]
    if counts != list(range(1, len(code) + 1)):
        raise RuntimeError(f"the notebook did not run once from top to bottom: execution counts {counts}")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out.execution_count = None
    return len(code)


def installed_kernelspec() -> dict:
    """The notebook metadata JupyterLab writes for ipykernel's installed kernel.

    Saved as is, so a lesson opened and closed unchanged is not marked modified
    (a bare "Python 3" display name differs from "Python 3 (ipykernel)").
    """
    from ipykernel.kernelspec import KERNEL_NAME, get_kernel_dict

    spec = get_kernel_dict()
    return {"display_name": spec["display_name"], "language": spec["language"], "name": KERNEL_NAME}


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = installed_kernelspec()
    t0 = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        kernel_manager_class=SocketFileKernelManager,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    client.execute()
    strip_widget_views(nb)
    hide_execution_counts(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = run(path)
        total += seconds
        size = path.stat().st_size / 1024
        print(f"{path.name:55s} {seconds:6.1f} s  {size:7.0f} KB")
    print(f"{'all':55s} {total:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
