// Previous/next and finish-row/finish-map buttons that step with no kernel; the speed sets Play's interval (StepButtons).
function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

// the step that finishes the row of step v (the next row's end when v ends a row); as StepperController.row_end
function rowEnd(v, cols, max) {
  const c = Math.max(cols, 1);
  let end = Math.ceil(v / c) * c;
  if (end === v) end += c;
  return Math.min(end, max);
}

// While ``playing`` (linked to a Play widget whose own step is 0), this clock moves ``value`` by wall time:
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
  // the speed (steps per second) sets the Play widget's interval, in the browser
  const sync = () => {
    const interval = Math.max(1, Math.round(1000 / Math.max(model.get("speed"), 0.01)));
    if (model.get("interval") !== interval) { model.set("interval", interval); model.save_changes(); }
  };
  model.on("change:speed", sync);
  const stopClock = clock(model);
  return () => { model.off("change:speed", sync); stopClock(); };
}

function render({ model, el }) {
  el.classList.add("conv-lesson-stepbuttons");
  const go = (target) => {
    const v = clamp(target, model.get("min"), model.get("max"));
    if (v !== model.get("value")) { model.set("value", v); model.save_changes(); }
  };
  const make = (cls, label, text, target) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `jupyter-button widget-button ${cls}`;
    b.textContent = text;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => go(target()));
    return b;
  };
  const prev = make("conv-lesson-prev", "previous step", "|\u25C0 back", () => model.get("value") - 1);
  const next = make("conv-lesson-next", "next step", "next \u25B6|", () => model.get("value") + 1);
  const row = make("conv-lesson-finish-row", "finish the row: jump to its last step", "finish row",
    () => rowEnd(model.get("value"), model.get("row_length"), model.get("max")));
  const all = make("conv-lesson-finish-map", "finish the map: jump to the last step", "finish map",
    () => model.get("max"));
  // the step's own name for the slider beside it (e.g. "t = 0.50"), when the stepper gives one per step
  const readout = document.createElement("output");
  readout.className = "conv-lesson-readout";
  el.append(prev, next);
  if (model.get("finish_buttons")) el.append(row, all);
  el.append(readout);
  const update = () => {
    const v = model.get("value");
    const labels = model.get("labels");
    readout.textContent = labels.length ? (labels[v - model.get("min")] ?? "") : "";
    readout.hidden = !labels.length;
    const atEnd = String(v >= model.get("max"));
    prev.setAttribute("aria-disabled", String(v <= model.get("min")));
    for (const b of [next, row, all]) b.setAttribute("aria-disabled", atEnd);
  };
  const events = ["value", "min", "max", "labels"];
  for (const name of events) model.on(`change:${name}`, update);
  update();
  return () => { for (const name of events) model.off(`change:${name}`, update); };
}
export default { initialize, render };
