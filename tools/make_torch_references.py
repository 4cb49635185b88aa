"""Write PyTorch's answers for random convolution cases to tests/data/torch_references.npz.

Usage:  python tools/make_torch_references.py

The tests compare conv_lesson's ``conv_layer`` and ``transposed_feature_map``
with these stored answers of ``torch.nn.functional.conv2d`` and
``conv_transpose2d``: an independent implementation, without making torch (a
large download) a test dependency. Run it again, with torch installed (the CPU
build: ``pip install torch --index-url https://download.pytorch.org/whl/cpu``),
only to add or change cases.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_references.npz"


def _case(rng, transposed):
    """Random shapes, stride, padding, dilation (and output_padding) that fit."""
    while True:
        s, p, d = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
        kh, kw, h, w = (int(v) for v in rng.integers(1, 4, size=2).tolist() + rng.integers(2, 8, size=2).tolist())
        if transposed:
            op = int(rng.integers(0, max(s, d)))
            if (h - 1) * s - 2 * p + d * (kh - 1) + op + 1 > 0 and (w - 1) * s - 2 * p + d * (kw - 1) + op + 1 > 0:
                return {"s": s, "p": p, "d": d, "op": op, "kh": kh, "kw": kw, "h": h, "w": w}
        elif h + 2 * p >= d * (kh - 1) + 1 and w + 2 * p >= d * (kw - 1) + 1:
            return {"s": s, "p": p, "d": d, "kh": kh, "kw": kw, "h": h, "w": w,
                    "c_in": int(rng.integers(1, 4)), "c_out": int(rng.integers(1, 4))}  # fmt: skip


def main():
    rng = np.random.default_rng(2026)
    arrays = {}
    for i in range(60):
        c = _case(rng, transposed=False)
        image = rng.normal(size=(c["h"], c["w"], c["c_in"]))
        dets = rng.normal(size=(c["c_out"], c["kh"], c["kw"], c["c_in"]))
        bias = rng.normal(size=c["c_out"])
        x = torch.from_numpy(image.transpose(2, 0, 1)[None])
        weight = torch.from_numpy(dets.transpose(0, 3, 1, 2).copy())
        ref = F.conv2d(x, weight, torch.from_numpy(bias), stride=c["s"], padding=c["p"], dilation=c["d"])
        arrays |= {f"conv{i}_image": image, f"conv{i}_detectors": dets, f"conv{i}_bias": bias,
                   f"conv{i}_args": np.array([c["s"], c["p"], c["d"]]),
                   f"conv{i}_torch": ref[0].numpy().transpose(1, 2, 0)}  # fmt: skip
    for i in range(60):
        c = _case(rng, transposed=True)
        g, w = rng.normal(size=(c["h"], c["w"])), rng.normal(size=(c["kh"], c["kw"]))
        ref = F.conv_transpose2d(torch.from_numpy(g)[None, None], torch.from_numpy(w)[None, None], stride=c["s"],
                                 padding=c["p"], output_padding=c["op"], dilation=c["d"])  # fmt: skip
        arrays |= {f"transposed{i}_map": g, f"transposed{i}_detector": w,
                   f"transposed{i}_args": np.array([c["s"], c["p"], c["op"], c["d"]]),
                   f"transposed{i}_torch": ref[0, 0].numpy()}  # fmt: skip
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, torch_version=np.array(torch.__version__), **arrays)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB) with torch {torch.__version__}")


if __name__ == "__main__":
    main()
