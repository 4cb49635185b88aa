// The stepper's picture and its text, switched in the browser (FrameView).
function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }
// The lesson's text size (JupyterLab's --jp-content-font-size1) the frames were drawn for, in px.
// The <img> has that font size (flipbook.css), so 1em = the lesson's text size now.
const LESSON_TEXT_PX = 14;

// As wide as its pixels, times the lesson's text size over 14 px (it grows with the text in
// Presentation Mode); narrower where there is no room (max-width), but never so narrow that its
// smallest text (min_text_px, in the frame's pixels) gets smaller than the lesson's text.
function sizeFrame(img, minTextPx) {
  const natural = img.naturalWidth;
  if (!natural) return;
  const width = `${(natural / LESSON_TEXT_PX).toFixed(3)}em`;
  const least = minTextPx > 0 ? `${(natural / minTextPx).toFixed(3)}em` : "";
  if (img.style.width !== width) img.style.width = width;
  if (img.style.minWidth !== least) img.style.minWidth = least;
  img.dataset.minTextPx = String(minTextPx);
}

// What a screen reader hears: the step's status line, at most once a second (while playing, the
// latest step when the second is up, so the reader is not flooded; the step it stops at always).
const SAY_EVERY_MS = 1000;
function speaker(live) {
  let last = -Infinity, timer = null, next = "";
  const say = (words) => { live.textContent = words; last = performance.now(); };
  return {
    step(words) {  // a new step: its words, now or when the second is up
      next = words;
      if (timer) return;
      const wait = last + SAY_EVERY_MS - performance.now();
      if (wait <= 0) say(next);
      else timer = setTimeout(() => { timer = null; say(next); }, wait);
    },
    now(words) {  // asked for (a key): at once
      if (timer) { clearTimeout(timer); timer = null; }
      say(words);
    },
    stop() { if (timer) clearTimeout(timer); },
  };
}
// a line of the text under the picture, as words ("step 5 of 25, window at row 0, ...")
function words(text, sel) {
  const line = text.querySelector(sel);
  return line ? line.textContent.trim().replace(/\s+\u00b7\s+/g, ", ") : "";
}

function render({ model, el }) {
  el.classList.add("conv-lesson-frameview");
  const style = document.createElement("style");
  const figure = document.createElement("div");
  figure.className = "conv-lesson-figure";
  figure.tabIndex = 0;
  figure.setAttribute("data-lm-suppress-shortcuts", "true");
  figure.setAttribute("aria-label", "figure of the current step; the left and right arrow keys step, Home and End jump to the first and last step, A reads the arithmetic");
  const img = document.createElement("img");
  img.className = "conv-lesson-frame";
  img.draggable = false;
  figure.appendChild(img);
  img.addEventListener("load", () => sizeFrame(img, model.get("min_text_px")));
  const text = document.createElement("div");
  text.className = "conv-lesson-text";
  const note = document.createElement("div");
  note.className = "conv-lesson-live-note";
  // a polite live region: screen readers say each new step (a changed alt text they do not announce)
  const live = document.createElement("div");
  live.className = "conv-lesson-announce";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  const voice = speaker(live);
  let heard = null; // the step last put into words (none before the student moves: a page does not talk on load)
  // the step's numbers as tables a screen reader walks cell by cell, behind one button
  const tablesId = `conv-lesson-tables-${Math.random().toString(36).slice(2, 10)}`;
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "jupyter-button widget-button conv-lesson-tables-toggle";
  toggle.textContent = "numbers as a table";
  toggle.title = "show the window, the detector and the feature map so far as tables";
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", tablesId);
  const tablesView = document.createElement("div");
  tablesView.className = "conv-lesson-tables-view";
  tablesView.id = tablesId;
  tablesView.hidden = true;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    tablesView.hidden = !open;
    show();
  });
  // the keys, said on screen: nothing else tells a student the picture takes them
  const keys = document.createElement("div");
  keys.className = "conv-lesson-keys";
  keys.innerHTML = "Click the picture, then: <kbd>\u2190</kbd> <kbd>\u2192</kbd> a step \u00b7 "
    + "<kbd>Home</kbd> <kbd>End</kbd> first, last \u00b7 <kbd>Space</kbd> play, pause \u00b7 "
    + "<kbd>A</kbd> read the sum aloud";
  el.append(style, figure, text, keys, toggle, tablesView, note, live);

  // live mode: at most one frame request in flight, always for the latest step; the kernel
  // never gets a backlog, so the picture keeps up with Play by skipping the steps in between
  let pending = null;
  function request() {
    if (model.get("mode") !== "live") { pending = null; return; }
    const want = model.get("index");
    if (want === model.get("live_step")) { pending = null; return; }
    if (pending && performance.now() - pending.t < 2000) return;
    pending = { step: want, t: performance.now() };
    model.send({ request: want });
  }

  // a published page stores key frames and patches (FrameView.patches): a patch is drawn at
  // [x, y] over the frame before it, on a canvas; each picture made is kept for the next visit
  let cache = [];
  let made = new Map();
  let drawn = -1;
  const canvas = document.createElement("canvas");
  const MADE_MAX = 64;
  function preload() {
    // decode every frame once, so that switching never shows a blank picture
    cache = (model.get("frames") || []).map((src) => {
      const im = new Image();
      im.src = src;
      if (im.decode) im.decode().catch(() => {});
      return im;
    });
    made = new Map();
    drawn = -1;
  }
  function isPatch(i) {
    const p = (model.get("patches") || [])[i];
    return Boolean(p && p.length === 2);
  }
  function loaded(im) {
    return new Promise((done) => {
      if (im.complete) { done(); return; }
      im.addEventListener("load", done, { once: true });
      im.addEventListener("error", done, { once: true });
    });
  }
  // the picture of frame i: a URL, or a promise when some of its images are still loading
  function picture(i) {
    const frames = model.get("frames") || [];
    if (!isPatch(i)) return frames[i];
    if (made.has(i)) return made.get(i);
    let key = i;
    while (key > 0 && isPatch(key)) key--;
    const parts = cache.slice(key, i + 1);
    if (parts.some((im) => !im.complete)) return Promise.all(parts.map(loaded));
    const ctx = canvas.getContext("2d");
    let from = drawn + 1;
    if (drawn < key || drawn > i) {
      canvas.width = cache[key].naturalWidth;
      canvas.height = cache[key].naturalHeight;
      ctx.drawImage(cache[key], 0, 0);
      from = key + 1;
    }
    const patches = model.get("patches");
    for (let m = from; m <= i; m++) ctx.drawImage(cache[m], patches[m][0], patches[m][1]);
    drawn = i;
    const url = canvas.toDataURL("image/png");
    if (made.size >= MADE_MAX) made.delete(made.keys().next().value);
    made.set(i, url);
    return url;
  }
  function show() {
    let src = "", html = "", alt = "", tables = "", step = model.get("index");
    if (model.get("mode") === "live") {
      src = model.get("live_frame");
      html = model.get("live_text");
      alt = model.get("live_alt");
      tables = model.get("live_tables");
      step = model.get("live_step");
    } else {
      const frames = model.get("frames") || [];
      if (frames.length) {
        const i = clamp(step, 1, frames.length) - 1;
        src = picture(i);
        if (typeof src !== "string") {  // not decoded yet: show it when it is (if still wanted)
          src.then(() => { if (clamp(model.get("index"), 1, frames.length) - 1 === i) show(); });
          return;
        }
        html = (model.get("texts") || [])[i] || "";
        alt = (model.get("alts") || [])[i] || "";
        tables = (model.get("tables") || [])[i] || "";
        step = i + 1;
      }
    }
    if (src && img.getAttribute("src") !== src) img.setAttribute("src", src);
    if (img.alt !== alt) img.alt = alt;
    if (text.innerHTML !== html) text.innerHTML = html;
    toggle.style.display = tables ? "" : "none"; // not .hidden: a jupyter-button sets its own display
    if (!tablesView.hidden && tablesView.innerHTML !== tables) tablesView.innerHTML = tables;
    img.dataset.step = String(step);
    if (heard === null) heard = step;
    else if (heard !== step && html) { heard = step; voice.step(words(text, ".conv-lesson-status")); }
    sizeFrame(img, model.get("min_text_px"));
    const behind = model.get("mode") === "live" && model.get("index") !== step;
    note.textContent = behind ? `showing step ${step}; drawing step ${model.get("index")}\u2026` : "";
    el.dataset.mode = model.get("mode");
    if (style.textContent !== model.get("scoped_css")) style.textContent = model.get("scoped_css");
  }
  figure.addEventListener("keydown", (e) => {
    if ((e.key === "a" || e.key === "A") && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      e.stopPropagation();
      voice.now(words(text, ".conv-lesson-arithmetic") || words(text, ".conv-lesson-status"));
      return;
    }
    if (e.key === " " && !e.ctrlKey && !e.metaKey && !e.altKey) { // play or pause: the play button's own click
      const play = el.closest(".conv-lesson-stepper")?.querySelector("button.conv-lesson-playpause");
      if (!play) return;
      e.preventDefault();
      e.stopPropagation();
      play.click();
      return;
    }
    const n = Math.max(model.get("count"), 1);
    const v = model.get("index");
    const moves = { ArrowRight: v + 1, ArrowLeft: v - 1, Home: 1, End: n };
    if (!(e.key in moves)) return;
    e.preventDefault();
    e.stopPropagation();
    const next = clamp(moves[e.key], 1, n);
    if (next !== v) { model.set("index", next); model.save_changes(); }
  });
  const onFrames = () => { preload(); show(); };
  const onLive = () => { pending = null; request(); show(); };
  const onIndex = () => { request(); show(); };
  model.on("change:frames", onFrames);
  model.on("change:patches", onFrames);
  model.on("change:live_step", onLive);
  model.on("change:index", onIndex);
  const events = ["mode", "texts", "alts", "tables", "live_frame", "live_text", "live_alt", "live_tables",
    "scoped_css", "min_text_px"];
  for (const name of events) model.on(`change:${name}`, show);
  preload();
  show();
  return () => {
    voice.stop();
    model.off("change:frames", onFrames);
    model.off("change:patches", onFrames);
    model.off("change:live_step", onLive);
    model.off("change:index", onIndex);
    for (const name of events) model.off(`change:${name}`, show);
  };
}
export default { render };
