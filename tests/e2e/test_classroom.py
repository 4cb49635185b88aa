"""A class on one JupyterHub: three students at once, and the class link an instructor hands out.

The small version of ``benchmarks/bench_classroom.py`` (issue 21): a real JupyterHub behind
configurable-http-proxy on loopback, three hub users whose servers start through the hub's
REST API; each runs every cell of lesson 02 over its kernel's websocket and steps the live
stepper through the widget's comm messages. Then ``python -m conv_lesson class-link`` is
followed as a student's browser would: the hub's ``user-redirect`` to the student's own
server, nbgitpuller's page reading the link, and its pull putting the lessons into the
student's home. At the end every process the hub started must have stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import http.cookiejar
import json
import re
import shutil
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import psutil
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

import bench_classroom as bc  # noqa: E402 - found through the sys.path line above

from conv_lesson.__main__ import main as cli  # noqa: E402

pytestmark = pytest.mark.e2e

LESSON = "02_feature_detector_and_feature_map"
STEPS = 5


class Student:
    """A browser's view of the hub, without the browser: cookies, the hub's login form, redirects followed."""

    def __init__(self, hub_url: str, name: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        login = f"{hub_url}/hub/login"
        page = self.get(login)[1]
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        form = urlencode({"username": name, "password": bc.PASSWORD, "_xsrf": xsrf}).encode()
        with self.opener.open(urllib.request.Request(login, data=form), timeout=120) as resp:
            assert "/hub/login" not in resp.url, "the hub did not log the student in"

    def get(self, url: str) -> tuple[str, str]:
        """Follow ``url`` (and every redirect); return the address arrived at and the page."""
        with self.opener.open(url, timeout=120) as resp:
            return resp.url, resp.read().decode()


def lessons_repo(folder: Path) -> Path:
    """A small git repository holding the lessons' README, as the class would pull."""
    (folder / "notebooks").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "notebooks" / "README.md", folder / "notebooks" / "README.md")
    git = ["git", "-c", "user.name=teacher", "-c", "user.email=teacher@example.edu", "-C", str(folder)]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "lessons"]):
        subprocess.run(git + args, check=True)
    return folder


def test_three_students_on_one_hub_then_the_class_link(tmp_path, capsys):
    if shutil.which("configurable-http-proxy") is None and shutil.which("npm") is None:
        from jupyter_browser import unavailable

        unavailable("neither configurable-http-proxy nor npm (to install it) is on PATH")
    homes = tmp_path / "home"
    hub = bc.start_hub(tmp_path, homes, nice=10)  # the class waits for the CPU, the tests beside it do not
    try:
        with ThreadPoolExecutor(1) as pool:  # its own thread: the browser tests' event loop may run in this one
            results = pool.submit(asyncio.run, bc.run_class(hub, homes, 3, 0, LESSON, STEPS)).result()

        niceness = set()
        for p in psutil.Process(hub.proc.pid).children(recursive=True) + [psutil.Process(hub.proc.pid)]:
            with contextlib.suppress(psutil.NoSuchProcess):  # a short-lived helper may end meanwhile
                niceness.add(p.nice())
        assert niceness == {10}  # the hub, the proxy, every server and kernel

        # every student's lesson ran, cell by cell, and the live stepper answered every step
        n_cells = len(bc.lesson_cells(LESSON))
        for r in results:
            assert r.error is None, f"{r.name}: {r.error}"
            assert r.cells == n_cells and len(r.cell_s) == n_cells, r
            assert len(r.steps_ms) == STEPS and all(ms > 0 for ms in r.steps_ms), r
            # the first picture came while the lesson's cells ran (connecting to the kernel comes between
            # the server's start and the run, so server_s + run_all_s is no bound under a busy machine)
            assert r.first_picture_s is not None and r.run_start_s >= r.server_s, r
            assert r.run_start_s <= r.first_picture_s <= r.run_start_s + r.run_all_s, r
            assert r.server_mb > 0 and r.kernel_mb > 0, r  # the student's own server and kernel were found

        # the class link, followed as a student's browser would, through the hub
        repo = lessons_repo(tmp_path / "conv_lesson")
        assert cli(["class-link", "--hub", hub.url, "--repo", str(repo), "--branch", "main"]) == 0
        link = capsys.readouterr().out.strip()
        student = Student(hub.url, "student01")
        arrived, page = student.get(link)  # the hub sends the student to their own server, nbgitpuller's page
        assert urlsplit(arrived).path == "/user/student01/git-pull", arrived
        assert urlsplit(arrived).query == urlsplit(link).query
        read = {k: unquote(html.unescape(v)) for k, v in re.findall(r'data-([a-z]+)="([^"]*)"', page)}
        assert read["repo"] == str(repo) and read["branch"] == "main" and read["targetpath"] == "conv_lesson"
        assert read["path"] == "lab/tree/conv_lesson/notebooks/README.md"  # where JupyterLab goes after pulling

        _, events = student.get(arrived.replace("/git-pull?", "/git-pull/api?"))  # the pull the page starts
        phases = [json.loads(line[5:]).get("phase") for line in events.splitlines() if line.startswith("data:")]
        assert phases and phases[-1] == "finished", events[-500:]
        pulled = homes / "student01" / "conv_lesson" / "notebooks" / "README.md"
        assert pulled.read_text() == (REPO_ROOT / "notebooks" / "README.md").read_text()
        arrived, page = student.get(f"{hub.url}/user/student01/{read['path']}")  # JupyterLab, opening the README
        assert urlsplit(arrived).path == "/user/student01/lab/tree/conv_lesson/notebooks/README.md"
        assert "jupyter-config-data" in page
    finally:
        killed = hub.stop()
    assert hub.still_running() == [], "processes the hub started are still running"
    assert killed == [], f"had to be killed: {killed}"
    assert len(hub.seen) >= 1 + 1 + 3 * 2  # hub, proxy, three servers and three kernels were watched
