"""How the whole suite is ordered and shared between processes (pytest-xdist, pytest-random-order).

The README's test command runs the tests in two processes (``-n 2``, see ``pyproject.toml``) and
in a shuffled order (``--random-order-bucket=module``: the tests of each module in a random
order, and the modules too; the seed is printed at the top, ``--random-order-seed=N`` runs that
order again, ``--random-order-bucket=none`` keeps the written order). A test that only passes
after another one, or only alone, fails here sooner or later instead of hiding.

``--dist loadscope`` gives each module (each notebook, for nbval) to one process as a whole:
a notebook's cells run in order in one kernel, and a module-scoped fixture (a lesson run once
in the browser, a site built once) is made once. The cells of a notebook are never shuffled.

(``--dist loadgroup`` would allow finer groups, but with pytest 9 it no longer groups at all:
pytest-xdist issue 1386.)

Which module a free process takes next is the order below: the browser modules first (the
longest: a lesson run in JupyterLab), the site's last among them (its build, started in the
background with the first browser test, has then had time to end), then the notebooks, then
the rest, each in its shuffled order, so that short tests fill in at the end instead of a long module starting last.

The saved lessons keep no execution counts; the suite numbers their cells for nbval
(``_number_saved_cells``). nbval's kernels talk over socket files, as every kernel the suite starts does
(:mod:`conv_lesson.publish.kernel` says why: a TCP port can be taken before the kernel binds it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
E2E = ROOT / "tests" / "e2e"


def pytest_configure(config):
    import nbval.kernel

    from conv_lesson.publish.kernel import SyncSocketFileKernelManager

    # nbval names no kernel manager setting; its start_new_kernel makes the one this module name holds
    nbval.kernel.KernelManager = SyncSocketFileKernelManager


def _path(item) -> Path:
    return Path(str(item.fspath)).resolve()


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    # before random_order shuffles: a notebook's cells keep their order
    for item in items:
        if _path(item).suffix == ".ipynb":
            item.add_marker(pytest.mark.random_order(disabled=True))
    _number_saved_cells(items)
    yield
    # after: a stable sort keeps the shuffled order within each kind
    items.sort(key=_kind)


def _number_saved_cells(items) -> None:
    """Give each code cell of a saved lesson its execution count back, for nbval only.

    The committed lessons keep no counts: ``[16]`` beside a cell a student has not run reads as
    run (issue 22). Their outputs come from one run, top to bottom (``tools/run_notebooks.py``
    checks the counts were 1, 2, ... before it takes them out), so the counts are those; nbval
    takes a cell without a count for an unrun one and refuses its outputs.
    """
    count = {}
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None or _path(item).suffix != ".ipynb" or cell.get("cell_type") != "code":
            continue
        if cell.source.strip() and cell.get("execution_count") is None:
            count[_path(item)] = count.get(_path(item), 0) + 1
            cell.execution_count = count[_path(item)]


def _kind(item) -> int:
    path = _path(item)
    if path.is_relative_to(E2E):
        # the tests of the offline site (marked by tests/e2e/conftest.py) after the other browser tests
        return 1 if item.get_closest_marker("shared_site") else 0
    return 2 if path.suffix == ".ipynb" else 3
