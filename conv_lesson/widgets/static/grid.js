// An editable grid (EditableGrid): cells toggled 0/1 by click, drag or keyboard ("toggle"),
// or typed numbers ("number"). Only finished edits go to the kernel: a drag on pointer-up,
// a key press or a click at once, a number when its input changes.
function copy(rows) { return (rows || []).map((row) => row.slice()); }

function numberText(x) { return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))); }

function render({ model, el }) {
  el.classList.add("conv-lesson-grid");
  const label = document.createElement("div");
  label.className = "conv-lesson-grid-label";
  const cells = document.createElement("div");
  cells.className = "conv-lesson-grid-cells";
  cells.setAttribute("role", "group");
  cells.setAttribute("data-lm-suppress-shortcuts", "true");
  el.append(label, cells);

  let local = null; // the grid being dragged over, not yet sent
  let drag = null; // {paint: 0 or 1}
  let focus = [0, 0];
  let shape = [0, 0, ""];
  const values = () => local || model.get("value") || [];
  const toggle = () => model.get("kind") === "toggle";

  function commit(rows) {
    model.set("value", copy(rows));
    model.save_changes();
  }
  function cellAt(r, c) { return cells.querySelector(`[data-row="${r}"][data-col="${c}"]`); }
  function place(r, c, takeFocus) {
    const [rows, cols] = shape;
    const old = cellAt(focus[0], focus[1]);
    focus = [Math.min(Math.max(r, 0), rows - 1), Math.min(Math.max(c, 0), cols - 1)];
    if (old) old.tabIndex = -1;
    const cell = cellAt(focus[0], focus[1]);
    if (!cell) return;
    cell.tabIndex = 0;
    if (takeFocus) cell.focus();
  }
  function build() {
    const v = values();
    const rows = v.length, cols = rows ? v[0].length : 0, kind = model.get("kind");
    cells.replaceChildren();
    cells.style.gridTemplateColumns = `repeat(${cols}, auto)`;
    cells.style.setProperty("--conv-lesson-cell", `${model.get("cell_px")}px`);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cell = document.createElement(kind === "toggle" ? "button" : "input");
        cell.className = kind === "toggle" ? "conv-lesson-grid-cell" : "conv-lesson-grid-input";
        if (kind === "toggle") cell.type = "button";
        else { cell.type = "number"; cell.step = "any"; }
        cell.dataset.row = String(r);
        cell.dataset.col = String(c);
        cell.tabIndex = kind === "toggle" ? -1 : 0;
        cells.appendChild(cell);
      }
    }
    shape = [rows, cols, kind];
    place(focus[0], focus[1], false);
  }
  function show() {
    const v = values(), kind = model.get("kind");
    const rows = v.length, cols = rows ? v[0].length : 0;
    if (shape[0] !== rows || shape[1] !== cols || shape[2] !== kind) build();
    const name = model.get("label");
    label.textContent = name;
    const how = toggle() ? "arrow keys move, Space or Enter switches a cell; click or drag to draw" : "type a number in each cell";
    cells.setAttribute("aria-label", `${name}, ${rows} by ${cols}: ${how}`);
    for (const cell of cells.children) {
      const r = Number(cell.dataset.row), c = Number(cell.dataset.col), x = v[r][c];
      const where = `${name} row ${r}, column ${c}`;
      if (toggle()) {
        const on = x !== 0;
        cell.classList.toggle("is-ink", on);
        cell.setAttribute("aria-pressed", String(on));
        cell.setAttribute("aria-label", where);
        cell.textContent = on ? "1" : "0";
      } else {
        cell.setAttribute("aria-label", where);
        if (document.activeElement !== cell && (cell.value === "" || Number(cell.value) !== x)) cell.value = numberText(x);
        cell.classList.toggle("is-negative", x < 0);
      }
    }
  }
  function paint(cell) {
    const r = Number(cell.dataset.row), c = Number(cell.dataset.col);
    if (local[r][c] !== drag.paint) { local[r][c] = drag.paint; show(); }
  }
  function endDrag() {
    if (!drag) return;
    const rows = local;
    drag = null;
    local = null;
    commit(rows);
  }
  cells.addEventListener("pointerdown", (e) => {
    const cell = e.target.closest && e.target.closest(".conv-lesson-grid-cell");
    if (!toggle() || !cell || e.button !== 0) return;
    e.preventDefault(); // no text selection while drawing; the focus is moved by hand
    local = copy(model.get("value"));
    const r = Number(cell.dataset.row), c = Number(cell.dataset.col);
    drag = { paint: local[r][c] ? 0 : 1 };
    place(r, c, true);
    paint(cell);
  });
  cells.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const hit = document.elementFromPoint(e.clientX, e.clientY);
    const cell = hit && hit.closest && hit.closest(".conv-lesson-grid-cell");
    if (cell && cells.contains(cell)) paint(cell);
  });
  window.addEventListener("pointerup", endDrag);
  window.addEventListener("pointercancel", endDrag);
  cells.addEventListener("click", (e) => {
    // a mouse click was handled on pointer-down; Space, Enter and assistive clicks come here (detail 0)
    const cell = e.target.closest && e.target.closest(".conv-lesson-grid-cell");
    if (!cell || e.detail !== 0 || drag) return;
    const rows = copy(model.get("value"));
    const r = Number(cell.dataset.row), c = Number(cell.dataset.col);
    rows[r][c] = rows[r][c] ? 0 : 1;
    commit(rows);
  });
  cells.addEventListener("keydown", (e) => {
    if (!toggle()) return;
    const [r, c] = focus, [rows, cols] = shape;
    const moves = { ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1],
      Home: [r, 0], End: [r, cols - 1] };
    if (!(e.key in moves) || !rows) return;
    e.preventDefault();
    e.stopPropagation();
    place(moves[e.key][0], moves[e.key][1], true);
  });
  cells.addEventListener("focusin", (e) => {
    const cell = e.target.closest && e.target.closest(".conv-lesson-grid-cell");
    if (cell) place(Number(cell.dataset.row), Number(cell.dataset.col), false);
  });
  cells.addEventListener("change", (e) => {
    const input = e.target.closest && e.target.closest(".conv-lesson-grid-input");
    if (!input) return;
    const r = Number(input.dataset.row), c = Number(input.dataset.col), x = Number(input.value);
    const rows = copy(model.get("value"));
    if (input.value.trim() === "" || !Number.isFinite(x)) { input.value = numberText(rows[r][c]); return; }
    if (rows[r][c] !== x) { rows[r][c] = x; commit(rows); }
  });
  const events = ["value", "kind", "label", "cell_px"];
  const onChange = () => { if (!drag) show(); };
  for (const name of events) model.on(`change:${name}`, onChange);
  show();
  return () => {
    for (const name of events) model.off(`change:${name}`, onChange);
    window.removeEventListener("pointerup", endDrag);
    window.removeEventListener("pointercancel", endDrag);
  };
}
export default { render };
