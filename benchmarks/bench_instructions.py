"""Instructions the stepper costs, this tree against another checkout: counts, not seconds.

Usage:  python benchmarks/bench_instructions.py --baseline DIR [--case build|live ...]

DIR is another checkout of the project (e.g. ``git worktree add /tmp/before <rev>``).
Each case runs in a fresh Python under ``valgrind --tool=callgrind`` with this tree's
package and then with DIR's, and the instructions of an import-only run are
subtracted, so what is printed is the work of the case itself. Instruction counts
do not depend on what else the machine is doing, so the ratio is stable where
wall-clock medians are not (a busy 2-core machine). Cases:

* build: three face steppers built, every flipbook frame rendered (25 each);
* live: a 128x128 photo stepper (live mode) and 40 live steps;
* slide: lesson 01's flip-and-slide widget built and moved to 40 positions of t.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = """
import sys
import conv_lesson as cl
face = getattr(cl, "face_image", None) or cl.seed_image
face_detector = getattr(cl, "face_detector", None) or cl.seed_detector
what = sys.argv[1]
if what == "build":
    for _ in range(3):
        cl.stepper(face(), face_detector()).close()
elif what == "live":
    s = cl.stepper(cl.photo(128), cl.detector("vertical_edges"))
    for k in range(2, 42):
        s.step.value = k * 97
elif what == "slide":
    w = cl.slide_1d()
    # before slide_to, .t was a FloatSlider
    slide_to = getattr(w, "slide_to", None) or (lambda t: setattr(w.t, "value", t))
    for k in range(40):
        slide_to(round(-1.0 + 0.1 * k, 2))
"""


def instructions(package_root, case, script):
    """Instructions callgrind counts for ``case`` with the package at ``package_root``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = dict(os.environ, PYTHONPATH=str(package_root), MPLBACKEND="Agg")
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-W", "ignore"]
        result = subprocess.run(cmd + [str(script), case], env=env, capture_output=True, text=True, cwd=tmp)
        found = re.search(r"Collected : (\d+)", result.stderr)
        if result.returncode != 0 or not found:
            raise RuntimeError(f"{case} with {package_root} failed:\n{result.stderr[-2000:]}")
        return int(found.group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, type=Path, help="another checkout of the project")
    parser.add_argument("--case", nargs="+", default=["build", "live", "slide"], choices=["build", "live", "slide"])
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "case.py"
        script.write_text(CASE + '\nif what == "import":\n    pass\n')
        base = {root: instructions(root, "import", script) for root in (ROOT, args.baseline)}
        print(f"{'case':8s} {'this tree':>16s} {'baseline':>16s} {'ratio':>7s}  (instructions, import subtracted)")
        for case in args.case:
            ours = instructions(ROOT, case, script) - base[ROOT]
            theirs = instructions(args.baseline, case, script) - base[args.baseline]
            print(f"{case:8s} {ours:16,d} {theirs:16,d} {ours / theirs:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
