"""``tools/lesson_as_text.py``: a saved lesson written out as text and PNG files for a reviewer."""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "notebooks" / "solutions" / "09_a_small_cnn_end_to_end.ipynb"


def _tool():
    sys.path.insert(0, str(ROOT / "tools"))
    import lesson_as_text

    return lesson_as_text


def test_every_cell_every_printed_line_and_every_picture_is_written_out(tmp_path):
    _tool().main([str(LESSON), str(tmp_path), "--parts", "0-15", "16-29", "30-"])
    cells = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
    text = (tmp_path / "lesson.md").read_text(encoding="utf-8")
    for cell in cells:  # every source, and every printed line
        assert "".join(cell["source"]) in text
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                assert "".join(output["text"]) in text
    pngs = [
        base64.b64decode(m)
        for cell in cells
        for output in cell.get("outputs", [])
        for m in re.findall(
            r"data:image/png;base64,([A-Za-z0-9+/=]+)", "".join(output.get("data", {}).get("text/html", ""))
        )
    ]
    written = sorted(tmp_path.glob("cell*.png"))
    assert len(pngs) > 5 and sorted(p.read_bytes() for p in written) == sorted(pngs)
    assert all(f"picture file: {p}" in text for p in written)  # each named where its cell is
    assert "The misclassified test digits: said" in text  # a picture's alt text
    parts = [(tmp_path / f"part{k}.md").read_text(encoding="utf-8") for k in (1, 2, 3)]
    assert "".join(parts) == text  # the three ranges cover every cell once, in order
    assert parts[1].startswith("\n=== CELL 16 ") and parts[2].startswith("\n=== CELL 30 ")
