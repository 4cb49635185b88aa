// A row of pictures to choose from, each a real button (ThumbnailPicker): the chosen one is aria-pressed.
function render({ model, el }) {
  el.classList.add("conv-lesson-thumbs");
  el.setAttribute("role", "group");
  el.setAttribute("aria-label", "feature maps: choose one to see its detector and step through it");
  function show() {
    const srcs = model.get("images") || [], names = model.get("names") || [];
    if (el.children.length !== srcs.length) {
      el.replaceChildren();
      srcs.forEach((_, i) => {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "conv-lesson-thumb";
        b.dataset.index = String(i);
        const img = document.createElement("img");
        img.draggable = false;
        const label = document.createElement("span");
        b.append(img, label);
        b.addEventListener("click", () => { model.set("selected", i); model.save_changes(); });
        el.appendChild(b);
      });
    }
    [...el.children].forEach((b, i) => {
      const img = b.querySelector("img"), label = b.querySelector("span");
      if (img.getAttribute("src") !== srcs[i]) img.setAttribute("src", srcs[i]);
      img.alt = `feature map of ${names[i] || ""}`;
      label.textContent = names[i] || "";
      b.setAttribute("aria-pressed", String(i === model.get("selected")));
    });
    el.style.setProperty("--conv-lesson-thumb", `${model.get("thumb_px")}px`);
  }
  const events = ["images", "names", "selected", "thumb_px"];
  for (const name of events) model.on(`change:${name}`, show);
  show();
  return () => { for (const name of events) model.off(`change:${name}`, show); };
}
export default { render };
