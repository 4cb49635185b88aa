// Previous/next buttons that step with no kernel; the speed sets Play's interval (StepButtons).
function clamp(v, lo, hi) { return Math.min(Math.max(v, lo), hi); }

function initialize({ model }) {
  // the speed (steps per second) sets the Play widget's interval, in the browser
  const sync = () => {
    const interval = Math.max(1, Math.round(1000 / Math.max(model.get("speed"), 0.01)));
    if (model.get("interval") !== interval) { model.set("interval", interval); model.save_changes(); }
  };
  model.on("change:speed", sync);
  return () => model.off("change:speed", sync);
}

function render({ model, el }) {
  el.classList.add("conv-lesson-stepbuttons");
  const go = (delta) => {
    const v = clamp(model.get("value") + delta, model.get("min"), model.get("max"));
    if (v !== model.get("value")) { model.set("value", v); model.save_changes(); }
  };
  const make = (cls, label, glyph, delta) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `jupyter-button widget-button ${cls}`;
    b.textContent = glyph;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => go(delta));
    return b;
  };
  const prev = make("conv-lesson-prev", "previous step", "\u25C0", -1);
  const next = make("conv-lesson-next", "next step", "\u25B6", 1);
  el.append(prev, next);
  const update = () => {
    const v = model.get("value");
    prev.setAttribute("aria-disabled", String(v <= model.get("min")));
    next.setAttribute("aria-disabled", String(v >= model.get("max")));
  };
  const events = ["value", "min", "max"];
  for (const name of events) model.on(`change:${name}`, update);
  update();
  return () => { for (const name of events) model.off(`change:${name}`, update); };
}
export default { initialize, render };
