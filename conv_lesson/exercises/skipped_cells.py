"""A name from a cell the student skipped: one line under the ``NameError`` that says which cell defines it.

A student who skips the cell that defines ``tiny`` and runs the next one gets ``NameError: name
'tiny' is not defined``, and nothing says where ``tiny`` comes from. ``import conv_lesson``
installs :func:`install_skipped_cell_hint` in an IPython kernel: on a ``NameError`` the usual
traceback is shown, and if the notebook (read from disk) has a cell that defines the name, one
line under it (a note of the error) quotes that cell's first line and the heading above it. The error stays an
error (Run All still stops there); nothing else changes.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

__all__ = ["defining_cell", "skipped_cell_hint", "notebook_path", "install_skipped_cell_hint"]


#: Nodes whose names are their own (a function's locals, a comprehension's loop variable).
_OWN_SCOPE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
              ast.DictComp, ast.GeneratorExp)  # fmt: skip


def _bound_names(tree):
    """``{name: line}``: the names a module's top level binds (assignments, imports, defs, loop and ``with``
    targets), each with the first line of the top-level statement that first binds it."""
    names = {}
    for statement in tree.body:
        stack = [statement]
        while stack:
            node = stack.pop()
            found = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found = [node.name]
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                found = [node.id]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                found = [(a.asname or a.name).split(".")[0] for a in node.names]
            for name in found:
                names.setdefault(name, statement.lineno)
            if not isinstance(node, _OWN_SCOPE):
                stack.extend(ast.iter_child_nodes(node))
    return names


def _python(source):
    """A cell's source as Python, line for line: IPython's magics and shell escapes (``%``, ``!``) blanked."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def defining_cell(cells, name, before=None):
    """Where ``name`` is defined among a notebook's cells: ``(index, line, heading)`` or None.

    Parameters
    ----------
    cells : list of dict
        The notebook's cells (``cell_type`` and ``source``, as in the ``.ipynb`` file).
    name : str
    before : int, optional
        Only cells before this index (the cell that failed); the last of them that defines it wins.

    Returns
    -------
    tuple or None
        The cell's index, the line that defines the name (the first line of its statement), and the
        nearest Markdown heading above the cell ('' if none).

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "source": "## 2. Flip"},
    ...          {"cell_type": "code", "source": "# two arrays\\ntiny = [1, 2]\\narrow = 3"},
    ...          {"cell_type": "code", "source": "print(arrow)"}]
    >>> defining_cell(cells, "arrow", before=2)
    (1, 'arrow = 3', '2. Flip')
    >>> defining_cell(cells, "nowhere") is None
    True
    """
    found, heading = None, ""
    for index, cell in enumerate(cells[:before]):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            heads = [line.lstrip("#").strip() for line in source.splitlines() if line.startswith("#")]
            heading = heads[-1] if heads else heading
            continue
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse(_python(source))
        except SyntaxError:
            continue
        line = _bound_names(tree).get(name)
        if line is not None:
            found = (index, source.splitlines()[line - 1].strip(), heading)
    return found


def notebook_path(namespace):
    """The notebook the kernel runs, from what Jupyter tells it (``__session__``, VS Code's
    ``__vsc_ipynb_file__``), if it is a file that exists; else None.

    Examples
    --------
    >>> notebook_path({}) is None
    True
    """
    for key in ("__vsc_ipynb_file__", "__session__"):
        value = namespace.get(key)
        if isinstance(value, str) and value.endswith(".ipynb"):
            for path in (Path(value), Path(os.getcwd()) / Path(value).name):
                if path.is_file():
                    return path
    return None


def skipped_cell_hint(name, cells, current_source=None):
    """The one line for a ``NameError`` on ``name``, or None when no cell of the notebook defines it.

    Parameters
    ----------
    name : str
    cells : list of dict
        The notebook's cells.
    current_source : str, optional
        The source of the cell that failed: only the cells above it are searched when it is found.

    Returns
    -------
    str or None

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "source": "## 2. Flip"},
    ...          {"cell_type": "code", "source": "tiny = [1, 2]"},
    ...          {"cell_type": "code", "source": "print(tiny)"}]
    >>> print(skipped_cell_hint("tiny", cells, "print(tiny)"))  # doctest: +NORMALIZE_WHITESPACE
    'tiny' is made in an earlier cell that has not run in this kernel: the one under "2. Flip"
    with `tiny = [1, 2]`. Run it (or Run > Run All Above Selected Cell), then this cell again.
    """
    before = None
    if current_source is not None:
        here = [i for i, c in enumerate(cells) if "".join(c.get("source", "")).strip() == current_source.strip()]
        before = here[-1] if here else None
    found = defining_cell(cells, name, before)
    if found is None:
        return None
    _, line, heading = found
    line = line if len(line) <= 60 else line[:57] + "..."
    where = f'the one under "{heading}" with `{line}`' if heading else f"the one with `{line}`"
    return (
        f"'{name}' is made in an earlier cell that has not run in this kernel: {where}. "
        "Run it (or Run > Run All Above Selected Cell), then this cell again."
    )


def _read_cells(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return []


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler for ``NameError``: the hint as a note of the error (PEP 678,
    printed under its last line), then the usual traceback, shown as IPython shows any error."""
    try:
        name = getattr(value, "name", None)
        path = notebook_path(shell.user_ns)
        history = shell.user_ns.get("In") or [""]
        hint = skipped_cell_hint(name, _read_cells(path), history[-1]) if name and path else None
        if hint and hasattr(value, "add_note"):  # Python 3.11+: under the error's last line
            if hint not in getattr(value, "__notes__", ()):
                value.add_note(hint)
            hint = None
    except Exception:  # noqa: BLE001 - a hint that fails must never hide the student's own error
        hint = None
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    if hint:  # Python 3.10: printed under the traceback
        print(hint)


def install_skipped_cell_hint(shell=None):
    """Have IPython add the hint line under every ``NameError`` (does nothing outside IPython).

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running one, if any.

    Returns
    -------
    bool
        Whether it was installed.

    Examples
    --------
    >>> install_skipped_cell_hint()  # not in IPython here
    False
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((NameError,), _handler)
    return True
