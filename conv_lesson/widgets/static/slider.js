// A labelled range slider (Slider): a native <input type="range"> named by its visible label, with its
// readout beside it and as the value a screen reader speaks. The keyboard is the browser's own:
// arrows step, Page Up/Down jump, Home and End go to the ends.
let count = 0;

function decimals(step) {
  const s = String(step);
  return s.includes(".") ? s.length - s.indexOf(".") - 1 : 0;
}

// a log slider (log_base > 0) moves its exponent: min, max and step are exponents, the value is base ** exponent
function toInput(model, v) {
  const base = model.get("log_base");
  return base > 0 ? Math.log(v) / Math.log(base) : v;
}
function fromInput(model, x) {
  const base = model.get("log_base");
  return base > 0 ? base ** x : x;
}

// the readout of the position x: the label given for it, else the number (3 significant digits on a log slider)
function readout(model, x) {
  const labels = model.get("labels");
  if (labels.length) return labels[Math.round((x - model.get("min")) / model.get("step"))] ?? "";
  if (model.get("log_base") > 0) return Number(fromInput(model, x).toPrecision(3)).toString();
  return x.toFixed(decimals(model.get("step")));
}

function render({ model, el }) {
  el.classList.add("conv-lesson-slider");
  const id = `conv-lesson-slider-${++count}-${Math.random().toString(36).slice(2, 8)}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab: the keys are the slider's
  const out = document.createElement("output");
  out.htmlFor = id;
  el.append(label, input, out);
  const send = () => {
    const v = fromInput(model, Number(input.value));
    if (v !== model.get("value")) { model.set("value", v); model.save_changes(); }
  };
  input.addEventListener("input", () => {
    show(Number(input.value));
    if (model.get("continuous_update")) send();
  });
  input.addEventListener("change", send);
  // keys stay with the slider (not the notebook's own shortcuts)
  input.addEventListener("keydown", (e) => e.stopPropagation());
  function show(v) {
    const text = readout(model, v);
    out.textContent = text;
    out.hidden = !model.get("readout");
    input.setAttribute("aria-valuetext", text);
  }
  function update() {
    label.textContent = model.get("description");
    label.hidden = !model.get("description");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.disabled = model.get("disabled");
    const x = toInput(model, model.get("value"));
    input.value = String(x);
    show(x); // the value itself, not the position the range snaps it to (0.5 on a log slider, not 0.501)
  }
  const events = ["value", "min", "max", "step", "description", "readout", "labels", "log_base", "disabled"];
  for (const name of events) model.on(`change:${name}`, update);
  update();
  return () => { for (const name of events) model.off(`change:${name}`, update); };
}
export default { render };
