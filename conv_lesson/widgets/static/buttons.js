// Play/pause, loop, previous/next and finish-row/finish-map buttons that step with no kernel (StepButtons).
function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

// the step that finishes the row of step v (the next row's end when v ends a row); as StepperController.row_end
function rowEnd(v, cols, max) {
  const c = Math.max(cols, 1);
  let end = Math.ceil(v / c) * c;
  if (end === v) end += c;
  return Math.min(end, max);
}

// While ``playing`` (the play button), this clock moves ``value`` by wall time:
// at ``speed`` steps per second from where it started, however late a timer fires or a frame arrives, so the
// speed shown is the speed played (late ticks skip steps instead of slowing down).
function clock(model) {
  let timer = null, t0 = 0, v0 = 0, last = 0;
  const set = (attrs) => { model.set(attrs); model.save_changes(); };
  const restart = () => { t0 = performance.now(); v0 = last = model.get("value"); };
  const schedule = () => {
    const speed = Math.max(model.get("speed"), 0.01);
    const due = t0 + ((last - v0 + 1) * 1000) / speed;
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  };
  function tick() {
    timer = null;
    if (!model.get("playing")) return;
    if (model.get("value") !== last) restart(); // moved by hand while playing: go on from there
    const speed = Math.max(model.get("speed"), 0.01);
    const target = v0 + Math.floor(((performance.now() - t0) * speed) / 1000 + 1e-6);
    const [min, max] = [model.get("min"), model.get("max")];
    if (target > max && model.get("repeat")) { set({ value: min }); restart(); }
    else if (target >= max) { set({ value: max, playing: false }); return; }
    else if (target !== last) { set({ value: target }); last = target; }
    schedule();
  }
  const onPlaying = () => {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!model.get("playing")) return;
    if (model.get("value") >= model.get("max")) set({ value: model.get("min") });
    restart();
    schedule();
  };
  const onSpeed = () => { if (model.get("playing")) { restart(); if (timer) clearTimeout(timer); schedule(); } };
  model.on("change:playing", onPlaying);
  model.on("change:speed", onSpeed);
  return () => { model.off("change:playing", onPlaying); model.off("change:speed", onSpeed); if (timer) clearTimeout(timer); };
}

function initialize({ model }) {
  return clock(model);
}

function render({ model, el }) {
  el.classList.add("conv-lesson-stepbuttons");
  const go = (target) => {
    const v = clamp(target, model.get("min"), model.get("max"));
    if (v !== model.get("value")) { model.set("value", v); model.save_changes(); }
  };
  // a button named by its visible word (the symbol before it is hidden from screen readers); the title says more
  const make = (cls, icon, word, title) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `jupyter-button widget-button ${cls}`;
    b.title = title;
    const sign = document.createElement("span");
    sign.setAttribute("aria-hidden", "true");
    sign.textContent = icon;
    const name = document.createElement("span");
    name.textContent = word;
    if (icon) b.append(sign, " ");
    b.append(name);
    b.setWord = (i, w) => { sign.textContent = i; name.textContent = w; };
    return b;
  };
  const stepTo = (b, target) => { b.addEventListener("click", () => go(target())); return b; };
  const set = (attrs) => { model.set(attrs); model.save_changes(); };
  const play = make("conv-lesson-playpause", "\u25B6", "play", "play the steps one after another; press again to pause");
  play.addEventListener("click", () => set({ playing: !model.get("playing") }));
  const loop = make("conv-lesson-loop", "\u27F3", "loop", "loop: start again after the last step");
  loop.addEventListener("click", () => set({ repeat: !model.get("repeat") }));
  const prev = stepTo(make("conv-lesson-prev", "|\u25C0", "back", "previous step"), () => model.get("value") - 1);
  const next = stepTo(make("conv-lesson-next", "\u25B6|", "next", "next step"), () => model.get("value") + 1);
  const row = stepTo(make("conv-lesson-finish-row", "", "finish row", "finish the row: jump to its last step"),
    () => rowEnd(model.get("value"), model.get("row_length"), model.get("max")));
  const all = stepTo(make("conv-lesson-finish-map", "", "finish map", "finish the map: jump to the last step"),
    () => model.get("max"));
  el.append(play, loop, prev, next);
  if (model.get("finish_buttons")) el.append(row, all);
  const update = () => {
    const v = model.get("value");
    const atEnd = String(v >= model.get("max"));
    prev.setAttribute("aria-disabled", String(v <= model.get("min")));
    for (const b of [next, row, all]) b.setAttribute("aria-disabled", atEnd);
    const playing = model.get("playing");
    play.setWord(playing ? "\u275A\u275A" : "\u25B6", playing ? "pause" : "play");
    play.setAttribute("aria-pressed", String(playing));
    loop.setAttribute("aria-pressed", String(model.get("repeat")));
  };
  const events = ["value", "min", "max", "playing", "repeat"];
  for (const name of events) model.on(`change:${name}`, update);
  update();
  return () => { for (const name of events) model.off(`change:${name}`, update); };
}
export default { initialize, render };
