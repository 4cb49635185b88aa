"""The project's own set-up files agree with each other."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _block(marker):
    text = (ROOT / "README.md").read_text()
    m = re.search(rf"<!-- {marker} -->\s*```\s*\n(.*?)\n```\s*<!-- /{marker} -->", text, re.S)
    assert m, f"README has no {marker} block"
    return m.group(1).strip()


def _req_names(path):
    names = set()
    for line in (ROOT / path).read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        names.add(re.split(r"[<>=!~\[ ]", line)[0].lower())
    return names


def test_readme_has_exactly_two_commands_that_install_and_run():
    lessons, tests = _block("lessons-command"), _block("test-command")
    assert "\n" not in lessons and "\n" not in tests
    assert "requirements.txt" in lessons and "jupyter lab" in lessons
    assert "requirements-test.txt" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci  # it reads the command out of the README, it does not copy it
    assert "exit 5" in ci or '"$status" -eq 5' in ci


def test_environment_yml_matches_requirements():
    env = (ROOT / "environment.yml").read_text()
    conda = set()
    pip_section = False
    deps = env.split("dependencies:", 1)[1]
    for line in deps.splitlines():
        s = line.strip()
        if s.startswith("- pip:"):
            pip_section = True
            continue
        if s.startswith("- ") and not pip_section:
            conda.add(re.split(r"[<>=!~ ]", s[2:])[0].lower())
        elif pip_section and s.startswith("- "):
            assert s[2:].strip() == "-e ."
    conda -= {"python", "pip"}
    assert conda == _req_names("requirements.txt")


def test_requirements_cover_the_runtime_dependencies():
    toml = (ROOT / "pyproject.toml").read_text()
    deps = re.search(r"dependencies = \[(.*?)\]", toml, re.S).group(1)
    runtime = {re.split(r"[<>=!~]", d.strip().strip('",'))[0].lower() for d in deps.split("\n") if d.strip()}
    assert runtime <= _req_names("requirements.txt")
    assert "-e ." in (ROOT / "requirements.txt").read_text()
    # the tests install the lessons through what a hub's student server needs (README, "Teach a class")
    assert "-r requirements-hub.txt" in (ROOT / "requirements-test.txt").read_text()
    assert "-r requirements.txt" in (ROOT / "requirements-hub.txt").read_text()
    assert {"jupyterhub", "nbgitpuller"} <= _req_names("requirements-hub.txt")


def test_the_libraries_every_kernel_imports_are_byte_compiled():
    """Every kernel, nbval's and the browser tests' alike, imports these. Where Python may not
    write its bytecode cache (``PYTHONDONTWRITEBYTECODE``, set on many CI machines) and the
    install did not compile them (``pip install --no-compile``), each process compiles them again:
    ``import conv_lesson`` took 1.9 s instead of 0.7 s, and the test command 100 s longer."""
    import importlib
    import importlib.util

    missing = []
    for name in ("numpy", "matplotlib", "matplotlib.pyplot", "matplotlib.figure", "ipykernel.kernelbase",
                 "IPython.core.interactiveshell", "ipywidgets.widgets.widget", "PIL.Image"):  # fmt: skip
        source = importlib.import_module(name).__file__
        if not Path(importlib.util.cache_from_source(source)).is_file():
            missing.append(name)
    assert missing == [], f"no bytecode cache for {missing}: install without --no-compile"
