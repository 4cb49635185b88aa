"""Re-execute the lesson notebooks in place, top to bottom, in a fresh kernel each.

Usage:  python tools/run_notebooks.py [NOTEBOOK ...]

With no arguments, every ``notebooks/NN_*.ipynb``. The saved outputs then come
from one fresh run (execution counts 1..N), which is what nbval compares
against in CI. Widget state is not stored (the flipbook frames would bloat the
repository); each widget output keeps a static PNG of its first state instead.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    client.execute()
    nb.metadata.pop("widgets", None)
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
