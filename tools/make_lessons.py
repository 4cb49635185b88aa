"""Build every lesson from its one source: the student notebook and the solutions notebook, both executed.

Usage:  python tools/make_lessons.py [--no-execute] [NN_topic ...]

Each lesson has one source, ``notebooks/source/NN_topic.ipynb``. Its answer
cells hold the solution between nbgrader's markers::

    side = (
        ### BEGIN SOLUTION
        2
        ### END SOLUTION
    )

and carry nbgrader's cell metadata (answer cells ``solution: true``, check
cells ``grade: true`` with one point), so the source also works as an
nbgrader source notebook. From it this tool writes

* ``notebooks/NN_topic.ipynb``, what students open: each marked region
  replaced by ``...``, exactly what nbgrader's ``ClearSolutions`` does with
  ``code_stub={"python": "..."}`` (a parenthesised lone ``...`` is then
  written plainly, ``side = ...``, as ruff would format it), so the check
  below answers "Not answered yet" and the notebook still runs;
* ``notebooks/solutions/NN_topic.ipynb``: the marker lines dropped, the
  solutions kept;

then executes both top to bottom in a fresh kernel each (the same way as
``tools/run_notebooks.py``), so their saved outputs come from one fresh run.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCE = NOTEBOOKS / "source"
SOLUTIONS = NOTEBOOKS / "solutions"
BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"
#: What replaces a solution region: the same placeholder as nbgrader's ClearSolutions.code_stub for python.
CODE_STUB = "..."
#: What replaces a written (markdown) solution.
TEXT_STUB = "*Your answer here (double-click to edit).*"


def _replace_regions(source: str, stub: str | None) -> str:
    """Each BEGIN/END SOLUTION region replaced by ``stub`` at the marker's indent (None: keep the solution)."""
    out, inside = [], False
    for line in source.split("\n"):
        if BEGIN in line:
            if inside:
                raise ValueError(f"nested {BEGIN} in:\n{source}")
            inside = True
            if stub is not None:
                indent = re.match(r"\s*", line).group(0)
                out += [indent + s for s in stub.split("\n")]
        elif END in line:
            if not inside:
                raise ValueError(f"{END} without {BEGIN} in:\n{source}")
            inside = False
        elif not inside or stub is None:
            out.append(line)
    if inside:
        raise ValueError(f"no {END} in:\n{source}")
    return "\n".join(out)


def plain_placeholder(source: str) -> str:
    """``x = (\\n    ...\\n)`` written as ``x = ...``, the way ruff formats it."""
    return re.sub(r"\(\n[ \t]*\.\.\.\n[ \t]*\)", "...", source)


def _version(nb, student: bool):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        if student:
            stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
            cell.source = plain_placeholder(_replace_regions(cell.source, stub))
        else:
            cell.source = _replace_regions(cell.source, None)
    return nb


def student_version(nb):
    """The student notebook: solutions replaced by ``...``, outputs cleared (not executed)."""
    return _version(nb, student=True)


def solution_version(nb):
    """The solutions notebook: marker lines dropped, solutions kept, outputs cleared (not executed)."""
    return _version(nb, student=False)


def targets(name: str) -> tuple[Path, Path]:
    """Where lesson ``name``'s student and solutions notebooks are written."""
    return NOTEBOOKS / f"{name}.ipynb", SOLUTIONS / f"{name}.ipynb"


def build(source: Path, execute: bool = True) -> list[Path]:
    """Write (and by default execute) the student and solutions notebooks of one lesson source."""
    nb = nbformat.read(source, as_version=4)
    written = []
    for path, version in zip(targets(source.stem), (student_version(nb), solution_version(nb))):
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(version, path)
        written.append(path)
    if execute:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run_notebooks import run  # the same execution as every other saved lesson

        for path in written:
            seconds = run(path)
            print(f"{path.relative_to(ROOT)!s:60s} {seconds:6.1f} s  {path.stat().st_size / 1024:7.0f} KB")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson names (NN_topic); default: every source")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    args = parser.parse_args(argv)
    sources = [SOURCE / f"{Path(n).stem}.ipynb" for n in args.lessons] or sorted(SOURCE.glob("[0-9][0-9]_*.ipynb"))
    for source in sources:
        build(source, execute=not args.no_execute)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
