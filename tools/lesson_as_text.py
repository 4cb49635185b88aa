"""Write a saved lesson out as plain text and picture files, for a reader who checks it sentence by sentence.

    python tools/lesson_as_text.py notebooks/solutions/09_a_small_cnn_end_to_end.ipynb OUT_DIR [--parts 0-15 16-29 30-]

``OUT_DIR/lesson.md`` holds every cell: its source, its printed output, the alt text of each picture and
the name of the PNG file the picture was written to (``OUT_DIR/cellNN_K.png``, which an image viewer
opens). With ``--parts``, ``OUT_DIR/part1.md``, ``part2.md``... hold the given cell ranges, so that
several readers can each take a section. A reviewer (lesson-review.md) reads the lesson as a student
sees it after one run: nothing here runs a kernel.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
from pathlib import Path

_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_ALT = re.compile(r'(?:alt|aria-label)="([^"]*)"')


def cell_texts(notebook: Path, out: Path) -> list[str]:
    """One text per cell of ``notebook``; its pictures are written to ``out`` as PNG files."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts, pictures = [], 0
    for i, cell in enumerate(cells):
        parts = [f"\n=== CELL {i} ({cell['cell_type']}) ===\n{''.join(cell['source'])}\n"]
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                parts.append("--- printed ---\n" + "".join(output["text"]))
                continue
            data = output.get("data", {})
            page = "".join(data.get("text/html", ""))
            for alt in dict.fromkeys(_ALT.findall(page)):
                parts.append("--- picture's alt text ---\n" + html.unescape(alt))
            found = _PNG.findall(page) or ([data["image/png"]] if "image/png" in data else [])
            for png in found:
                pictures += 1
                name = out / f"cell{i:02d}_{pictures}.png"
                name.write_bytes(base64.b64decode("".join(png)))
                parts.append(f"--- picture file: {name} ---")
            if "text/plain" in data and not found:
                parts.append("--- shown ---\n" + "".join(data["text/plain"]))
            elif page and not found:
                parts.append("--- shown (html) ---\n" + html.unescape(re.sub(r"<[^>]+>", " ", page)).strip())
        texts.append("\n".join(parts))
    return texts


def _span(text: str, n: int) -> range:
    """'0-15' -> cells 0..15, '30-' -> 30 to the end, '7' -> cell 7."""
    if "-" not in text:
        return range(int(text), int(text) + 1)
    first, last = text.split("-")
    return range(int(first), int(last) + 1 if last else n)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--parts", nargs="*", default=[], help="cell ranges such as 0-15 16-29 30-")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    texts = cell_texts(args.notebook, args.out)
    (args.out / "lesson.md").write_text("".join(texts), encoding="utf-8")
    for k, span in enumerate(args.parts, 1):
        (args.out / f"part{k}.md").write_text("".join(texts[i] for i in _span(span, len(texts))), encoding="utf-8")
    print(f"{len(texts)} cells -> {args.out / 'lesson.md'}")


if __name__ == "__main__":
    main()
