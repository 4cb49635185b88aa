"""The lesson notebooks as files: one idea each, saved from one fresh run, small.

Each lesson has one source (``notebooks/source/``, nbgrader's solution markers) from
which ``python tools/make_lessons.py`` builds the student notebook (``notebooks/``)
and the solutions notebook (``notebooks/solutions/``). nbval (in the same test
command) executes both and compares their text outputs; these tests check what
nbval cannot: the shape of each lesson, its saved state, and that both stay in
sync with the source.
"""

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOLVED = sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*.ipynb"))
SOURCES = sorted((NOTEBOOKS / "source").glob("[0-9][0-9]_*.ipynb"))
BUILT = LESSONS + SOLVED
EXPECTED = [
    "01_what_is_a_convolution",
    "02_feature_detector_and_feature_map",
    "03_stride",
    "04_interpreting_feature_maps",
    "05_padding_dilation_channels_and_the_flip",
    "06_learning_a_detector",
    "07_from_one_detector_to_a_layer",
    "08_convolution_as_a_matrix_and_its_transpose",
    "09_a_small_cnn_end_to_end",
]


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _code(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_the_whole_series_is_there():
    for group in (LESSONS, SOLVED, SOURCES):
        assert [p.stem for p in group] == EXPECTED
    index = (NOTEBOOKS / "README.md").read_text()
    for name in EXPECTED:
        assert name in index


@pytest.mark.parametrize("path", BUILT, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_saved_lessons_show_no_execution_counts(path):
    """A saved count beside a cell the student has not run reads as run (issue 22): none is kept. That the
    outputs come from one fresh run is checked when they are made (``tools/run_notebooks.py`` refuses
    counts other than 1, 2, ...) and again by nbval, which runs every notebook and compares them."""
    cells = [c for c in _code(_load(path)) if "".join(c["source"]).strip()]
    assert cells
    assert [c.get("execution_count") for c in cells] == [None] * len(cells)
    results = [o for c in cells for o in c["outputs"] if o["output_type"] == "execute_result"]
    assert [o.get("execution_count") for o in results] == [None] * len(results)


@pytest.mark.parametrize("path", BUILT, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_widget_state_and_small(path):
    nb = _load(path)
    assert "widgets" not in nb.get("metadata", {})
    assert path.stat().st_size < 1_000_000
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"0x[0-9a-f]{8,}", text), "a memory address leaked into an output"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_structure(path):
    nb = _load(path)
    md = _markdown(nb)
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# "), "a lesson starts with its title"
    assert re.search(r"you will learn", md, re.I)
    assert re.search(r"^#+ Summary", md, re.M)
    assert re.search(r"^#+ Exercises", md, re.M)
    i = EXPECTED.index(path.stem)
    if i + 1 < len(EXPECTED):
        assert f"{EXPECTED[i + 1]}.ipynb" in md, "a link to the next lesson"
    checks = sum("".join(c["source"]).count("check_") for c in _code(nb))
    assert checks >= 2, "at least two checked exercises"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_notebooks_stay_thin(path):
    """Logic lives in the package: a lesson defines no helper functions of its own,
    except the one exercise where the student writes a loop."""
    for cell in _code(_load(path)):
        src = "".join(cell["source"])
        for name in re.findall(r"^def (\w+)", src, re.M):
            assert name.startswith("my_"), f"{path.stem} defines {name}(): move it into conv_lesson"


@pytest.mark.parametrize("path", BUILT, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_errors_saved(path):
    for cell in _code(_load(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", "".join(cell["source"])
            if out["output_type"] == "stream":
                assert out["name"] != "stderr" or not "".join(out["text"]).strip(), "".join(out["text"])


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_widget_output_has_a_static_picture(path):
    figures = 0
    for cell in _code(_load(path)):
        src = "".join(cell["source"])
        if not re.search(r"^(stepper|slide_1d)\(", src, re.M):
            continue
        views = [
            o.get("data", {})
            for o in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        pictures = [
            o.get("data", {})
            for o in cell.get("outputs", [])
            if "image/png" in o.get("data", {}) or "<img" in "".join(o.get("data", {}).get("text/html", ""))
        ]
        assert views or pictures, f"no widget output saved for: {src}"
        assert pictures, "a reader without a kernel must still see a picture of the figure"
        figures += len(pictures)
    if path.stem in ("01_what_is_a_convolution", "02_feature_detector_and_feature_map", "03_stride"):
        assert figures, "this lesson is built around an interactive figure"


def _make_lessons():
    sys.path.insert(0, str(ROOT / "tools"))
    import make_lessons

    return make_lessons


def _sources(nb):
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_and_solutions_notebooks_are_built_from_the_source(source, tmp_path):
    import nbformat

    ml = _make_lessons()
    nb = nbformat.read(source, as_version=4)
    student, solved = ml.targets(source.stem)
    assert _sources(ml.student_version(nb)) == _sources(_load(student)), "run: python tools/make_lessons.py"
    assert _sources(ml.solution_version(nb)) == _sources(_load(solved)), "run: python tools/make_lessons.py"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_exercise_is_an_answer_cell_then_a_check_cell(source):
    cells = _load(source)["cells"]
    answers = [c for c in cells if c["metadata"].get("nbgrader", {}).get("solution")]
    checks = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade")]
    assert len(answers) == len(checks) >= 2
    for cell in answers:
        src = "".join(cell["source"])
        assert "### BEGIN SOLUTION" in src and "### END SOLUTION" in src, src
    for cell in checks:
        src = "".join(cell["source"])
        assert "check_" in src and "SOLUTION" not in src, src
        assert cell["metadata"]["nbgrader"]["points"] == 1
    for cell in cells:
        if cell not in answers:
            assert "SOLUTION" not in "".join(cell["source"]), "a solution outside an answer cell"
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in answers + checks]
    assert len(ids) == len(set(ids))


def _output_text(outputs):
    """What the outputs say as plain text: streams, and the text/plain of displays (a verdict is one)."""
    parts = []
    for o in outputs:
        if o["output_type"] == "stream":
            parts.append("".join(o.get("text", "")))
        elif o["output_type"] in ("display_data", "execute_result"):
            parts.append("".join(o.get("data", {}).get("text/plain", "")))
    return "".join(parts)


def _verdicts(path):
    for cell in _code(_load(path)):
        if "check_" in "".join(cell["source"]) and cell["metadata"].get("nbgrader", {}).get("grade"):
            yield _output_text(cell.get("outputs", []))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_student_notebook_gives_nothing_away(path):
    verdicts = list(_verdicts(path))
    assert verdicts and all(v.startswith("Not answered yet") for v in verdicts), verdicts
    for cell in _code(_load(path)):
        assert "SOLUTION" not in "".join(cell["source"])
        assert "Correct" not in json.dumps(cell.get("outputs", [])), "a saved Correct verdict"


@pytest.mark.parametrize("path", SOLVED, ids=lambda p: p.stem)
def test_every_solution_is_correct(path):
    verdicts = list(_verdicts(path))
    assert verdicts and all(v.startswith("Correct") for v in verdicts), verdicts


@pytest.mark.parametrize("path", BUILT + SOURCES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_saved_kernelspec_is_the_installed_one(path):
    """JupyterLab marks a notebook modified when its kernelspec differs from the installed one."""
    from ipykernel.kernelspec import KERNEL_NAME, get_kernel_dict

    sys.path.insert(0, str(ROOT / "tools"))
    from run_notebooks import installed_kernelspec

    spec = get_kernel_dict()
    expected = {"display_name": spec["display_name"], "language": spec["language"], "name": KERNEL_NAME}
    assert installed_kernelspec() == expected
    assert _load(path)["metadata"]["kernelspec"] == expected


GRADED_LESSON = NOTEBOOKS / "source" / "03_stride.ipynb"
#: A submission for lesson 03: exercise 1 wrong (stride 2: 31 cells, not 16), 2 right, 3 not answered.
SUBMISSION = {
    "stride_and_padding = ...": "stride_and_padding = (2, 0)",
    "read_to_the_end = ...": "read_to_the_end = [11, 13, 15]",
}


def _grade(nb, tmp_path, monkeypatch):
    """Execute ``nb`` in grading mode the way an autograder does; the grade_ids of the failing check cells."""
    from nbclient import NotebookClient

    from conv_lesson.publish.kernel import SocketFileKernelManager

    monkeypatch.setenv("CONV_LESSON_GRADING", "1")
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        kernel_manager_class=SocketFileKernelManager,
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    failed = {}
    for cell in nb.cells:
        grader = cell.metadata.get("nbgrader", {})
        if grader.get("grade"):
            errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
            if errors:
                failed[grader["grade_id"]] = errors[0]
            else:
                assert _output_text(cell.outputs).startswith("Correct")
    return failed


def _submit(student, answers):
    for cell in student.cells:
        for blank, answer in answers.items():
            cell.source = cell.source.replace(blank, answer)
    return student


def test_the_checks_grade_a_submission(tmp_path, monkeypatch):
    """Grading mode: a right submission passes every check cell; a wrong or missing answer fails its own."""
    import nbformat

    ml = _make_lessons()
    source = nbformat.read(GRADED_LESSON, as_version=4)
    assert _grade(ml.solution_version(source), tmp_path, monkeypatch) == {}
    failed = _grade(_submit(ml.student_version(source), SUBMISSION), tmp_path, monkeypatch)
    assert sorted(failed) == ["ex1-check", "ex3-check"]
    assert failed["ex1-check"].ename == "AssertionError" and "= 31, not 16" in failed["ex1-check"].evalue
    assert "Not answered yet" in failed["ex3-check"].evalue


def test_nbgraders_own_preprocessors_build_and_grade_the_lesson(tmp_path, monkeypatch):
    """nbgrader's ClearSolutions (code_stub "...") and ClearOutput make the same student notebook, and
    nbgrader's own grading rule scores a right and a wrong submission."""
    import nbformat
    import nbgrader
    from nbgrader.preprocessors import ClearOutput, ClearSolutions
    from nbgrader.utils import determine_grade

    ml = _make_lessons()
    source = nbformat.read(GRADED_LESSON, as_version=4)
    student = nbformat.read(GRADED_LESSON, as_version=4)
    student, _ = ClearSolutions(code_stub={"python": ml.CODE_STUB}).preprocess(student, {})
    student, _ = ClearOutput().preprocess(student, {})
    for cell in student.cells:
        cell.source = ml.plain_placeholder(cell.source)
    assert _sources(student) == _sources(ml.student_version(source))
    assert nbgrader.__version__

    def scores(nb):
        _grade(nb, tmp_path, monkeypatch)
        return {
            c.metadata.nbgrader["grade_id"]: determine_grade(c)[0]
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        }

    assert set(scores(ml.solution_version(source)).values()) == {1}
    assert scores(_submit(student, SUBMISSION)) == {"ex1-check": 0, "ex2-check": 1, "ex3-check": 0}


#: The checks whose answer is a 2-D array, given last.
GRID_CHECKS = {"check_feature_map", "check_max_pool", "check_transposed_source", "check_relu_pool"}


def _assigns(cell_source, name):
    import ast

    try:
        tree = ast.parse(cell_source)
    except SyntaxError:
        return False
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store) for node in ast.walk(tree)
    )


def _grid_exercises():
    """``(lesson, check name, the check call's source, the code cells before it)`` for each 2-D answer."""
    for source in SOURCES:
        cells = _load(source)["cells"]
        for i, cell in enumerate(cells):
            src = "".join(cell["source"])
            name = src.split("(", 1)[0].strip()
            if cell["cell_type"] == "code" and name in GRID_CHECKS:
                before = ["".join(c["source"]) for c in cells[:i] if c["cell_type"] == "code"]
                yield pytest.param(name, src, before, id=f"{source.stem[:2]}-{name}")


@pytest.mark.parametrize("name, call, before", list(_grid_exercises()))
def test_an_exercise_on_a_grid_refuses_the_answer_transposed_or_turned(capsys, name, call, before):
    """Data with a symmetry lets a transposed or flipped answer pass: each grid exercise's data must tell them."""
    import ast

    import conv_lesson
    from conv_lesson import exercises

    namespace = {"np": np, **{n: getattr(conv_lesson, n) for n in conv_lesson.__all__}}
    call_node = ast.parse(call).body[0].value
    needed = {n.id for n in ast.walk(call_node) if isinstance(n, ast.Name)} - {name} - set(namespace)
    for var in sorted(needed):  # run the cell that last gives each name (the solution kept)
        cell = next(c for c in reversed(before) if _assigns(c, var))
        exec(compile(cell.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), name, "exec"), namespace)  # noqa: S102
    args = [eval(compile(ast.Expression(a), name, "eval"), namespace) for a in call_node.args]  # noqa: S307
    kwargs = {k.arg: eval(compile(ast.Expression(k.value), name, "eval"), namespace) for k in call_node.keywords}  # noqa: S307
    check = getattr(exercises, name)
    right = np.asarray(args[-1], dtype=float)
    capsys.readouterr()  # what the lesson's cells printed
    check(*args, **kwargs)
    assert capsys.readouterr().out.startswith("Correct")
    # the usual slips: rows written as columns, the map read from the far corner
    for how, answer in {"transposed": right.T, "rotated by 180°": right[::-1, ::-1]}.items():
        check(*args[:-1], answer, **kwargs)
        out = capsys.readouterr().out
        assert out.startswith("Not yet"), f"the answer {how} passes: {answer.tolist()}"


_NUM = re.compile(r"(?<![\w.])[−-]?\d+(?:\.\d+)?")


def _numbers(text):
    return [float(m.replace("−", "-")) for m in _NUM.findall(text)]


def _shown(cell):
    """What a saved cell shows a reader: markdown, or its outputs' text (HTML without tags, alt text kept)."""
    if cell["cell_type"] == "markdown":
        return "".join(cell["source"])
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append("".join(out["text"]))
        for mime in ("text/plain", "text/markdown", "text/html"):
            data = "".join(out.get("data", {}).get(mime, ""))
            if mime == "text/html":
                data = re.sub(r'alt="([^"]*)"', r" \1 ", data)
                data = re.sub(r"<tr>|</caption>", "\n", data)  # a table reads row by row, under its caption
                data = re.sub(r"<[^>]+>", " ", data)
            parts.append(data)
    return "\n".join(parts)


def _exercises(source):
    """``(question cell index, the check call, the answer)`` for each exercise whose answer is a literal."""
    import ast

    cells = _load(source)["cells"]
    for i, cell in enumerate(cells):
        if not cell["metadata"].get("nbgrader", {}).get("solution") or cell["cell_type"] != "code":
            continue
        body = "".join(cell["source"]).split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        lines = [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]
        try:
            answer = ast.literal_eval("\n".join(lines))
        except (ValueError, SyntaxError):
            continue  # code, not a value (a function, a computation): nothing to give away
        question = max(j for j in range(i) if cells[j]["cell_type"] == "markdown")
        yield question, "".join(cells[i + 1]["source"]), answer


def _giveaways(text, call, answer):
    """The lines of ``text`` that give ``answer`` away."""
    import ast

    flat = [float(v) for v in np.ravel(answer)]
    node = ast.parse(call).body[0].value
    keywords = {k.arg: ast.literal_eval(k.value) for k in node.keywords if isinstance(k.value, ast.Constant)}
    numbers = [  # every number the exercise's call states (inside tuples too)
        n.value for a in node.args for n in ast.walk(a) if isinstance(n, ast.Constant) and type(n.value) in (int, float)
    ]
    found = []
    for line in text.splitlines():
        nums = _numbers(line)
        settings = all(re.search(rf"\b{k}\W+{w}\b", line) for k, w in keywords.items())
        if len(flat) > 3:  # a list, an array: the same numbers in a row, anywhere
            hit = any(nums[j : j + len(flat)] == flat for j in range(len(nums) - len(flat) + 1))
        elif len(flat) > 1:  # a pair, a shape: beside the exercise's own numbers and settings
            shown = any(nums[j : j + len(flat)] == flat for j in range(len(nums) - len(flat) + 1))
            hit = shown and settings and bool(numbers) and all(float(v) in nums for v in numbers)
        else:  # one number, a side: the square map it makes, beside the exercise's own settings
            v = int(flat[0]) if flat[0].is_integer() else flat[0]
            hit = f"({v}, {v})" in line and settings and bool(keywords)
        if hit:
            found.append(line.strip())
    return found


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_answer_is_shown_before_its_question(source):
    """A student reads down the notebook: nothing above an exercise may print or state its answer."""
    student = _load(NOTEBOOKS / source.name)["cells"]
    for question, call, answer in _exercises(source):
        shown = "\n".join(_shown(cell) for cell in student[:question])
        giveaways = _giveaways(shown, call, answer)
        assert not giveaways, f"{call}: the answer {answer!r} is shown before the question in: {giveaways}"


def test_the_giveaway_rule_sees_a_printed_answer():
    assert _giveaways("stride 3: feature map (2, 2)", "check_output_size(7, 3, side_1, stride=3)", 2)
    assert not _giveaways("stride 1: feature map (5, 5)", "check_output_size(7, 3, side_1, stride=3)", 2)
    assert _giveaways("[[4 3]\n [2 5]]".replace("\n", " "), "check_max_pool(some_map, pooled)", [[4, 3], [2, 5]])
    assert not _giveaways("[[4 2] [3 5]]", "check_max_pool(some_map, pooled)", [[4, 3], [2, 5]])
    pad = "check_same_padding(9, 4, zeros, stride=2)"
    assert _giveaways("n=9, k=4, stride 2: pad 1 before, 2 after", pad, (1, 2))
    assert not _giveaways("n=7, k=4, stride 2: pad 1 before, 2 after", pad, (1, 2))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_checks_help_text_works_an_exercise_of_the_lessons(source):
    """A check's docstring example is what Shift-Tab shows in JupyterLab: it must not be the exercise itself."""
    import ast
    from collections import Counter

    from conv_lesson import exercises

    for _, call, answer in _exercises(source):
        node = ast.parse(call).body[0].value
        asked = [
            n.value
            for a in node.args
            for n in ast.walk(a)
            if isinstance(n, ast.Constant) and type(n.value) in (int, float)
        ]
        asked += [n.value for k in node.keywords for n in ast.walk(k.value) if isinstance(n, ast.Constant)]
        asked, answer_numbers = Counter(float(v) for v in asked), [float(v) for v in np.ravel(answer)]
        doc = getattr(exercises, node.func.id).__doc__ or ""
        for example in (line for line in doc.splitlines() if line.strip().startswith(">>> check_")):
            shown, n = _numbers(example), len(answer_numbers)
            has_answer = any(shown[j : j + n] == answer_numbers for j in range(len(shown) - n + 1))
            same_problem = not (asked - Counter(shown)) and (asked or n > 3)
            assert not (has_answer and same_problem), (
                f"the help text of {node.func.id} works the exercise {call}: {example.strip()}"
            )
