"""The offline site and slides in Chromium: they step with no kernel and fetch nothing from outside.

The site (every lesson) and the slides of lesson 02 are built once for the run with
``python -m conv_lesson`` (as a person would run it), into a temporary folder (the
``shared_builds`` fixture; ``test_site_widgets.py`` reads the same site). Every
page is opened from ``file://`` and from a local HTTP server; every request that leaves the
folder is aborted and counted, and the count must be 0.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import axe
import jupyter_browser as jb
import keyboard
import pytest
from lesson_checks import seed_step
from site_pages import Requests, wait_step

STEPPER_PAGE = "02_feature_detector_and_feature_map.html"
SLIDE_PAGE = "01_what_is_a_convolution.html"
DECK = "02_feature_detector_and_feature_map.slides.html"


@pytest.fixture(scope="module")
def site(shared_builds, browser_requirements):
    return shared_builds["site"].wait()


@pytest.fixture(scope="module")
def deck(shared_builds, browser_requirements):
    return shared_builds["deck"].wait()


@pytest.fixture(scope="module")
def http_root(site):
    """``python -m http.server`` on 127.0.0.1 serving the site; stopped by its PID."""
    port = jb.free_port()
    cmd = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(site)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url + "index.html", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _base(site, how, http_root):
    return site.resolve().as_uri() + "/" if how == "file" else http_root


def _visible_stepper(page):
    return page.locator(".conv-lesson-published .conv-lesson-stepper:visible").first


@pytest.mark.parametrize("how", ["file", "http"])
def test_a_lesson_page_steps_with_no_kernel_and_fetches_nothing_outside(browser, site, http_root, how):
    base = _base(site, how, http_root)
    page = jb.new_page(browser)
    requests = Requests(page, base)
    page.goto(base + STEPPER_PAGE)
    stepper = _visible_stepper(page)
    stepper.wait_for(timeout=30_000)
    assert wait_step(page, stepper, 1) == seed_step(1)["status"]
    stepper.locator("button.conv-lesson-next").click()
    assert wait_step(page, stepper, 2) == seed_step(2)["status"]
    stepper.locator(".conv-lesson-figure").focus()
    page.keyboard.press("ArrowRight")
    assert wait_step(page, stepper, 3) == seed_step(3)["status"]
    # the keys are said on screen, and Space on the picture plays: the steps go on by themselves
    assert "Space" in stepper.locator(".conv-lesson-keys").inner_text()
    page.keyboard.press("Space")
    page.wait_for_function(
        "(root) => Number(root.querySelector('img.conv-lesson-frame').dataset.step) >= 5",
        arg=stepper.element_handle(),
        timeout=15_000,
    )
    stepper.locator("button.conv-lesson-playpause").click()
    # the stride, computed when the page was built, works too
    before = stepper.element_handle()
    page.locator(".conv-lesson-stride-choice button", has_text="2").first.click()
    # the stride-2 stepper is drawn in place of this one: wait for it (the old one may still be visible a moment)
    page.wait_for_function(
        "(old) => { const v = [...document.querySelectorAll('.conv-lesson-published .conv-lesson-stepper')]"
        ".filter(e => e.getClientRects().length); return v.length > 0 && v[0] !== old; }",
        arg=before,
        timeout=15_000,
    )
    # the visible stepper that says 9 steps (stride 2 on the 7x7 face): by what it shows, not by its place in the
    # page, where the old stepper may still come first while the Stack swaps them
    stride2 = (
        page.locator(".conv-lesson-published .conv-lesson-stepper:visible")
        .filter(has=page.locator(".conv-lesson-status", has_text=" of 9 "))
        .first
    )
    stride2.wait_for(timeout=15_000)
    assert wait_step(page, stride2, 1) == seed_step(1, stride=2)["status"]
    # the fonts the page uses (the equations' among them) have loaded: from the folder, as checked next
    page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=15_000)
    assert requests.outside == [], requests.outside
    assert any(u.endswith("embed-amd.js") for u in requests.inside)
    jb.screenshot(page, f"site-02-stepper-{how}", locator=stride2)
    page.context.close()


@pytest.mark.parametrize("how", ["file", "http"])
def test_equations_render_and_slide_1d_steps_offline(browser, site, http_root, how):
    base = _base(site, how, http_root)
    page = jb.new_page(browser)
    requests = Requests(page, base)
    page.goto(base + SLIDE_PAGE)
    page.wait_for_selector(".mjx-chtml", timeout=30_000)  # MathJax typeset the equations
    slide = page.locator(".conv-lesson-slide-1d.conv-lesson-published").first
    slide.wait_for(timeout=30_000)
    img = slide.locator("img.conv-lesson-frame")
    first = img.get_attribute("data-step")
    before = img.get_attribute("src")
    slide.locator(".conv-lesson-figure").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([img, step]) => img.dataset.step === String(Number(step) + 1)",
        arg=[img.element_handle(), first],
        timeout=15_000,
    )
    assert img.get_attribute("src") != before
    slide.locator("button.conv-lesson-playpause").click()
    page.wait_for_function(
        "([img, step]) => Number(img.dataset.step) >= Number(step) + 3",
        arg=[img.element_handle(), first],
        timeout=15_000,
    )
    assert requests.outside == [], requests.outside
    page.context.close()


def test_pages_are_navigable_and_fit_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    requests = Requests(page, site.resolve().as_uri() + "/")
    page.goto((site / "index.html").resolve().as_uri())
    page.locator("ol.conv-lesson-lessons a").first.click()
    page.wait_for_url("**/" + SLIDE_PAGE)
    page.locator("a.conv-lesson-next-lesson").first.click()
    page.wait_for_url("**/" + STEPPER_PAGE)
    _visible_stepper(page).wait_for(timeout=30_000)
    page.locator("a.conv-lesson-prev-lesson").first.wait_for()
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 390 + 2, f"the page is {wide} px wide on a 390 px phone"
    jb.screenshot(page, "site-02-phone")
    assert requests.outside == [], requests.outside
    context.close()


def test_slides_step_on_the_stepper_slide_at_1920x1080(browser, deck):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    base = deck.resolve().as_uri() + "/"
    requests = Requests(page, base)
    page.goto(base + DECK)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    # measured at rest: under load, a slide still sliding in was once measured 400 px low
    page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    page.keyboard.press("ArrowRight")  # arrow keys move between slides
    page.wait_for_function("() => Reveal.getIndices().h === 1", timeout=10_000)
    # the widgets are drawn by their JavaScript after the deck is ready: wait for the stepper's slide
    index = page.wait_for_function(
        "() => { const i = Reveal.getHorizontalSlides().findIndex(s => s.querySelector('.conv-lesson-published'));"
        " return i >= 0 ? {index: i} : null; }",
        timeout=30_000,
    ).json_value()["index"]
    assert index > 0, "the stepper is on the title slide"
    page.evaluate("(h) => Reveal.slide(h)", index)
    stepper = page.locator("section.present .conv-lesson-stepper:visible").first
    stepper.wait_for(timeout=30_000)
    assert wait_step(page, stepper, 1) == seed_step(1)["status"]
    stepper.locator(".conv-lesson-figure").focus()
    page.keyboard.press("ArrowRight")  # with the stepper focused, the key steps it...
    assert wait_step(page, stepper, 2) == seed_step(2)["status"]
    assert page.evaluate("() => Reveal.getIndices().h") == index  # ...and leaves the slide alone
    stepper.locator("button.conv-lesson-next").click()
    assert wait_step(page, stepper, 3) == seed_step(3)["status"]
    # the slide may still be moving in (reveal.js animates the change of slide): measure once it stays put
    jb.wait_stable(page, stepper, in_view=False)
    box = stepper.locator("img.conv-lesson-frame").bounding_box()
    natural = stepper.locator("img.conv-lesson-frame").evaluate("img => img.naturalWidth")
    assert box["width"] >= 1.3 * natural, f"the picture is {box['width']:.0f} px wide on a 1920 px screen"
    # the picture, its status and its arithmetic all on the screen at once: nothing to scroll to
    for part in ("img.conv-lesson-frame", ".conv-lesson-status", ".conv-lesson-arithmetic"):
        b = stepper.locator(part).bounding_box()
        assert b["y"] >= 0 and b["y"] + b["height"] <= 1080, f"{part} spans {b['y']:.0f}-{b['y'] + b['height']:.0f} px"
    path = jb.screenshot(page, "slides-02-stepper-1920x1080")
    assert path.stat().st_size > 10_000
    assert requests.outside == [], requests.outside
    context.close()


def test_every_page_and_every_slide_passes_axe_core(browser, site, deck):
    """WCAG 2.1 AA, judged by axe-core: 0 critical and 0 serious violations on every page of the site
    (its widgets drawn) and on every slide of the deck; the counts by rule are printed."""
    pages = sorted(p.name for p in site.glob("*.html"))
    assert "index.html" in pages and len(pages) >= 9, pages
    found = {}
    for name in pages:
        page = jb.new_page(browser, viewport={"width": 1280, "height": 900})
        page.goto((site / name).resolve().as_uri())
        page.wait_for_function(axe.WIDGETS_DRAWN, timeout=30_000)
        found[name] = axe.run(page)
        page.context.close()
    page = jb.new_page(browser, viewport={"width": 1280, "height": 720})
    page.goto((deck / DECK).resolve().as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    page.wait_for_function(axe.WIDGETS_DRAWN, timeout=30_000)
    # judged at rest: mid-transition a slide fades in, and its text is paler than it will be
    page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    slides = page.evaluate("() => Reveal.getHorizontalSlides().length")
    assert slides > 3
    for h in range(slides):  # reveal.js hides all but the present slide from the page and from axe
        page.evaluate("(h) => Reveal.slide(h)", h)
        page.wait_for_function("(h) => Reveal.getIndices().h === h", arg=h)
        found[f"{DECK} slide {h}"] = axe.run(page)
    page.context.close()
    for name, violations in found.items():
        print(axe.report(name, violations))
    bad = [f"{name}: {line}" for name, violations in found.items() for line in axe.failures(violations)]
    assert not bad, f"{len(bad)} critical or serious accessibility violations:\n" + "\n".join(bad)


PAGES = ["index.html"] + sorted(p.stem + ".html" for p in (jb.REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _reflowed(page, width, height):
    """The page's reflow problems at ``width`` x ``height``, once its widgets have laid themselves out again
    (they size their pictures when the page resizes): polled until none or 10 s."""
    page.set_viewport_size({"width": width, "height": height})
    deadline, problems = time.monotonic() + 10, None
    while problems != [] and time.monotonic() < deadline:
        page.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => done(true)))")
        problems = keyboard.reflow_problems(page)
    return problems


@pytest.mark.parametrize("name", PAGES)
def test_a_page_by_keyboard_alone_and_at_320_px_and_200_percent_zoom(browser, site, name):
    """Tab from the top reaches every control on the page, in reading order, each with a focus ring of
    at least 2 px and 3:1, and leaves the page at the end (no trap). At 320 CSS px wide (WCAG 1.4.10)
    and at 200 % zoom (1280 x 900 zoomed is 640 x 450 CSS px) nothing scrolls sideways but a picture,
    code or an array inside its own region the keyboard reaches, and no text is cut off."""
    page = jb.new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto((site / name).resolve().as_uri())
    page.wait_for_function(axe.WIDGETS_DRAWN, timeout=30_000)
    page.evaluate(keyboard.JS_TYPESET)
    walk = keyboard.tab_through(page, stops=len(keyboard.controls(page)))
    assert walk, f"{name}: Tab reaches nothing"
    assert keyboard.ring_problems(walk) == []
    assert keyboard.order_problems(walk) == []
    missed = [c for c in keyboard.controls(page) if c["kb"] is None]
    assert missed == [], f"{name}: controls Tab never reached: {missed[:10]}"
    print(f"{name}: {len(walk)} stops by Tab")
    for width, height in ((320, 700), (640, 450)):
        assert _reflowed(page, width, height) == [], f"{name} at {width} x {height} CSS px"
    page.context.close()


def test_build_writes_every_file_it_links_inside_the_folder(site, deck):
    import re

    for folder in (site, deck):
        for page in Path(folder).glob("*.html"):
            text = page.read_text()
            for url in re.findall(r'(?:src|href)="([^"#]+)"', text):
                if url.startswith(("data:", "http://", "https://")):
                    assert not url.startswith("http"), f"{page.name} links {url}"
                    continue
                assert not url.split("#")[0].endswith(".ipynb"), f"{page.name} links a notebook: {url}"
                if folder == deck and re.match(r"\d\d_", url):
                    continue  # another lesson's deck (only lesson 02's is built); the site has every page
                assert (Path(folder) / url.split("?")[0]).exists(), f"{page.name} links a missing {url}"


def _shown_picture(root):
    """The picture the page shows now, as an RGB array (decoded from the img's source)."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    src = root.locator("img.conv-lesson-frame").get_attribute("src")
    assert src.startswith("data:image/"), src[:40]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB"), dtype=int)


def test_the_page_shows_each_step_as_the_figure_draws_it_in_any_order(browser, site):
    """The page stores key frames and patches; what it shows is still the figure's picture of that step."""
    import io

    import numpy as np
    from PIL import Image

    from conv_lesson import data, stepper

    drawn = stepper(data.face_image(), data.face_detector())
    expected = {}
    for k in range(1, drawn.n_steps + 1):
        drawn.step.value = k
        expected[k] = np.asarray(Image.open(io.BytesIO(drawn.frame_png())).convert("RGB"), dtype=int)
    page = jb.new_page(browser)
    page.goto(site.resolve().as_uri() + "/" + STEPPER_PAGE)
    root = _visible_stepper(page)
    root.wait_for(timeout=30_000)
    wait_step(page, root, 1)
    root.locator(".conv-lesson-figure").focus()
    last = drawn.n_steps
    for key, step in [("ArrowRight", 2), ("ArrowRight", 3), ("End", last), ("ArrowLeft", last - 1), ("Home", 1)]:
        page.keyboard.press(key)
        wait_step(page, root, step)
        shown = _shown_picture(root)
        assert shown.shape == expected[step].shape
        # the page's 16 colours move a pixel's colour a little; a wrong patch moves it a lot
        errors = {k: (np.abs(shown - picture).max(axis=2) > 64).mean() for k, picture in expected.items()}
        assert errors[step] < 0.002, f"step {step}: {errors[step]:.2%} of the pixels are far from the figure's"
        assert min(errors, key=errors.get) == step, f"step {step} looks most like step {min(errors, key=errors.get)}"
    page.context.close()
