"""Fixtures for the real-browser tests (JupyterLab + Debian Chromium + Playwright).

Skipping policy: when Chromium, Playwright or JupyterLab (or the widget libraries) cannot
be had, or the browser/server cannot start, the tests using these fixtures are SKIPPED
with the reason -- unless ``CONV_LESSON_REQUIRE_BROWSER=1`` (set in CI), then they FAIL.

Fixtures:

* ``lab_server_factory`` (session): ``factory(src_dir=notebooks/) -> LabServer``; one
  server per source directory, started on first use in an empty temporary root, always
  stopped by PID at the end of the session.
* ``lab_server`` (session): the server for the repo's ``notebooks/`` (or
  ``$CONV_LESSON_NOTEBOOKS_DIR``).

No test opens a file another test can open. The server's root starts empty; a test opens a
notebook through ``server.own_copy(name, owner)`` (or writes its own with
``jb.new_notebook_page``), which puts a fresh copy in a new folder of its own. Tests used to
open the lessons where one copy of ``notebooks/`` lay for all of them, and JupyterLab's
autosave wrote one test's run over the lesson that the next test opened as "the committed
lesson" (it failed, depending on timing and order). Autosave is also off in the servers'
settings (``jb.LAB_USER_SETTINGS``); ``test_smoke_infra.py`` proves both.
* ``shared_builds`` (session): the offline site (every lesson, ``python -m conv_lesson site``) and
  the slides of lesson 02, each built once for the whole run and shared by the processes
  (``site_pages.SharedBuild``); started in the background before the first browser test when
  site tests are among those collected. ``.wait()`` gives the folder.
* ``browser`` (session): Chromium via Playwright.
* ``page`` (function): a fresh context + page at 1280x720; on failure a screenshot
  ``build/screenshots/FAILED-<test>.png`` is saved and the console is printed.
* ``console_log`` (function): the :class:`ConsoleLog` attached to ``page``.

After every test, the sessions/kernels of the servers are shut down via the REST API,
except for tests marked ``keep_kernels`` (``test_lessons.py`` keeps lessons 01 and 02 open
across its tests and shuts their kernels down in its own module fixture).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jupyter_browser as jb
from site_pages import SharedBuild

E2E_DIR = Path(__file__).resolve().parent
#: The modules that read the shared builds (marked ``shared_site``: run last of the browser tests).
SITE_TESTS = ("test_site.py", "test_site_widgets.py")

# servers started by lab_server_factory, by resolved source dir (None = empty root)
_SERVERS: dict[str | None, jb.LabServer] = {}


unavailable = jb.unavailable


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser test (JupyterLab + Chromium via Playwright)")
    config.addinivalue_line(
        "markers",
        "keep_kernels: do not shut the servers' kernels down after this test (a module "
        "fixture keeps notebooks open across tests and shuts them down itself)",
    )
    config.addinivalue_line("markers", "shared_site: reads the site or slides of the fixture shared_builds")


def pytest_collection_modifyitems(config, items):
    for item in items:
        try:
            in_e2e = Path(str(item.fspath)).resolve().is_relative_to(E2E_DIR)
        except (OSError, ValueError):
            in_e2e = False
        if in_e2e:
            item.add_marker(pytest.mark.e2e)
        if in_e2e and Path(str(item.fspath)).name in SITE_TESTS:
            item.add_marker(pytest.mark.shared_site)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"_conv_rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def browser_requirements():
    """Skip/fail early when Chromium, Playwright, JupyterLab, ... are missing."""
    missing = jb.missing_requirements()
    if missing:
        unavailable("; ".join(missing))
    return True


@pytest.fixture(scope="session")
def shared_builds(tmp_path_factory):
    """``{"site": SharedBuild, "deck": SharedBuild}``: one build of each for the whole run."""
    base = tmp_path_factory.getbasetemp()
    # under pytest-xdist each process has its own basetemp in the run's folder: share that folder
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared_builds"
    return {"site": SharedBuild(root, "site", ["site"]), "deck": SharedBuild(root, "slides_02", ["slides", "02"])}


@pytest.fixture(scope="session", autouse=True)
def _start_shared_builds_early(request, shared_builds):
    """Start the builds as soon as this process runs a browser test, if any site test is to run.

    They take a minute; meanwhile the process runs other tests instead of waiting."""
    if any(item.get_closest_marker("shared_site") for item in request.session.items):
        for build in shared_builds.values():
            build.start()


@pytest.fixture(scope="session")
def playwright_session(browser_requirements):
    from playwright.sync_api import sync_playwright

    try:
        pw = sync_playwright().start()
    except Exception as exc:  # noqa: BLE001 - any failure here means: no browser on this machine
        unavailable(f"Playwright could not start: {exc!r}")
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_session):
    try:
        b = jb.launch_browser(playwright_session)
    except Exception as exc:  # noqa: BLE001 - any failure here means: no usable Chromium
        unavailable(f"Chromium ({jb.CHROMIUM_PATH}) could not be launched: {exc}")
    yield b
    from playwright.sync_api import Error as PlaywrightError

    try:
        b.close()
    except PlaywrightError as exc:  # already gone (e.g. it crashed): nothing left to close
        print(f"(closing Chromium: {exc})")


@pytest.fixture(scope="session")
def lab_server_factory(browser_requirements, tmp_path_factory):
    """``factory(src_dir=NOTEBOOKS_DIR) -> LabServer``: a Lab serving a temp copy of src_dir.

    Servers are cached per source directory for the session (pass a fresh directory to
    get a fresh server) and always stopped by PID in teardown, also after failures.
    ``src_dir=None`` serves an empty root.
    """
    started: list[jb.LabServer] = []

    def factory(src_dir: str | os.PathLike | None = jb.NOTEBOOKS_DIR) -> jb.LabServer:
        key = None if src_dir is None else str(Path(src_dir).resolve())
        server = _SERVERS.get(key)
        if server is not None and server.proc.poll() is None:
            return server
        if key is not None and not Path(key).is_dir():
            raise FileNotFoundError(f"notebook source directory {key} does not exist")
        base = tmp_path_factory.mktemp("jupyterlab")
        try:
            # an empty root: tests take their own copies from src_dir (LabServer.own_copy)
            server = jb.start_lab(None, base)
        except Exception as exc:  # noqa: BLE001 - any failure here means: no usable JupyterLab
            unavailable(f"JupyterLab could not start: {exc}")
        server.source_dir = None if key is None else Path(key)
        _SERVERS[key] = server
        started.append(server)
        return server

    yield factory
    for server in started:
        jb.stop_lab(server)
        for key, value in list(_SERVERS.items()):
            if value is server:
                del _SERVERS[key]


@pytest.fixture(scope="session")
def lab_server(lab_server_factory) -> jb.LabServer:
    """Lab serving a temp copy of ``notebooks/`` (``$CONV_LESSON_NOTEBOOKS_DIR`` overrides)."""
    return lab_server_factory(os.environ.get("CONV_LESSON_NOTEBOOKS_DIR") or jb.NOTEBOOKS_DIR)


@pytest.fixture
def page(browser, request):
    """A fresh browser context + page (1280x720) with a :class:`ConsoleLog` attached."""
    context = browser.new_context(viewport=jb.VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    request.node._conv_console = jb.ConsoleLog.attach(pg)
    yield pg
    from playwright.sync_api import Error as PlaywrightError

    failed = any(
        getattr(request.node, f"_conv_rep_{when}", None) is not None
        and getattr(request.node, f"_conv_rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        try:
            path = jb.screenshot(pg, "FAILED-" + request.node.nodeid.split("::", 1)[-1])
            print(f"screenshot of the failed test: {path}")
        except (PlaywrightError, OSError) as exc:
            print(f"(no failure screenshot: {exc})")
        for msg in request.node._conv_console.messages:
            print(f"browser {msg}")
    try:
        context.close()
    except PlaywrightError as exc:  # the browser is already gone
        print(f"(closing the browser context: {exc})")


@pytest.fixture
def console_log(page, request) -> jb.ConsoleLog:
    """Console errors and uncaught page errors of ``page`` (see ``ConsoleLog.errors``)."""
    return request.node._conv_console


@pytest.fixture(autouse=True)
def _shutdown_kernels_after_test(request):
    """After each test, shut down every session/kernel on the servers of this session so
    the next test starts with fresh kernels (runs after ``page`` has been closed).
    Tests marked ``keep_kernels`` are left alone: their module fixture cleans up."""
    yield
    if request.node.get_closest_marker("keep_kernels") is not None:
        return
    for server in list(_SERVERS.values()):
        if server.proc.poll() is None:
            try:
                server.shutdown_all_sessions()
            except (OSError, ValueError) as exc:  # URLError/HTTPError are OSErrors
                print(f"(could not shut down kernels on {server.url}: {exc})")
