"""A name from a skipped cell, in a real kernel: the NameError stays, and one line under it names the cell."""

from __future__ import annotations

import nbformat
import pytest

from conv_lesson.exercises.skipped_cells import defining_cell
from conv_lesson.publish.kernel import SyncSocketFileKernelManager

CELLS = [
    ("markdown", "# A lesson\n\n## 2. The flip"),
    ("code", "import conv_lesson\nimport numpy as np"),
    ("code", "# the picture and the arrow\ntiny = np.arange(36).reshape(6, 6)\narrow = tiny[::-1]"),
    ("markdown", "## 3. Use them"),
    ("code", "print(tiny.sum() + arrow.sum())"),
    ("code", "print(nowhere_at_all)"),
]


def _notebook(folder):
    nb = nbformat.v4.new_notebook()
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    nb.cells = [make[kind](source) for kind, source in CELLS]
    path = folder / "lesson.ipynb"
    nbformat.write(nb, path)
    return path


def _run(client, code):
    """Execute ``code``; return (status, error content or None, everything printed)."""
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=60)
    error, printed = None, []
    while True:
        msg = client.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "error":
            error = msg["content"]
        elif kind == "stream":
            printed.append(msg["content"]["text"])
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            break
    return reply["content"]["status"], error, "".join(printed)


@pytest.fixture
def kernel(tmp_path):
    path = _notebook(tmp_path)
    km = SyncSocketFileKernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path), env={**__import__("os").environ, "JPY_SESSION_NAME": str(path)})
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=True)


def test_a_name_from_a_skipped_cell_is_still_an_error_with_one_line_naming_the_cell(kernel):
    assert _run(kernel, CELLS[1][1])[0] == "ok"
    # the cell that makes tiny and arrow is skipped
    status, error, _ = _run(kernel, CELLS[4][1])
    assert status == "error", "the NameError must stay an error (Run All stops there)"
    assert error["ename"] == "NameError" and "tiny" in error["evalue"]
    last = error["traceback"][-1].strip()
    assert last.startswith("'tiny' is made in an earlier cell that has not run in this kernel"), last
    assert 'under "2. The flip" with `tiny = np.arange(36).reshape(6, 6)`' in last, last
    assert any("NameError" in line for line in error["traceback"][:-1]), "the usual traceback is kept"


def test_a_name_no_cell_defines_gets_the_usual_error_only(kernel):
    assert _run(kernel, CELLS[1][1])[0] == "ok"
    status, error, _ = _run(kernel, CELLS[5][1])
    assert status == "error" and error["ename"] == "NameError"
    assert "earlier cell" not in "".join(error["traceback"])


def test_the_search_sees_assignments_imports_defs_and_loops_but_not_a_function_s_locals():
    cells = [
        {"cell_type": "code", "source": "%matplotlib inline\nfrom numpy import array as arr"},
        {"cell_type": "code", "source": "def f(x):\n    inner = x\n    return inner"},
        {"cell_type": "code", "source": "for k in range(3):\n    total = k\n[c for c in 'ab']"},
        {"cell_type": "code", "source": "with open('x') as handle:\n    pass"},
    ]
    assert defining_cell(cells, "arr")[0] == 0
    assert defining_cell(cells, "f")[0] == 1
    assert defining_cell(cells, "inner") is None
    assert defining_cell(cells, "k")[0] == defining_cell(cells, "total")[0] == 2
    assert defining_cell(cells, "c") is None
    assert defining_cell(cells, "handle")[0] == 3
