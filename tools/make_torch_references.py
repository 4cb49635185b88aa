"""Write PyTorch's answers for random convolution cases to tests/data/torch_references.npz.

Usage:  python tools/make_torch_references.py            (tests/data/torch_references.npz)
        python tools/make_torch_references.py --network  (tests/data/torch_network_references.npz)

The tests compare conv_lesson's ``conv_layer`` and ``transposed_feature_map``
with these stored answers of ``torch.nn.functional.conv2d`` and
``conv_transpose2d``: an independent implementation, without making torch (a
large download) a test dependency. Run it again, with torch installed (the CPU
build: ``pip install torch --index-url https://download.pytorch.org/whl/cpu``),
only to add or change cases.

``--network`` writes lesson 09's references instead (tests/test_network_ops.py):
grouped, depthwise and separable ``conv2d``; ``max_pool2d``, ``avg_pool2d``,
``adaptive_avg_pool2d``; ``softmax``, ``cross_entropy``; and, for a few small
networks, each ``torch.nn`` layer's parameter count, output shape and FLOPs
(``torch.utils.flop_counter.FlopCounterMode``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_references.npz"
OUT_NETWORK = OUT.with_name("torch_network_references.npz")


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


def _t(array):
    """A (H, W, C) or (N, H, W, C) array as a float64 tensor (N, C, H, W)."""
    array = array[None] if array.ndim == 3 else array
    return torch.from_numpy(np.ascontiguousarray(array.transpose(0, 3, 1, 2)))


def _hwc(tensor):
    """One image's (1, C, H, W) tensor as a (H, W, C) array."""
    return tensor[0].numpy().transpose(1, 2, 0)


def _grouped_case(rng):
    """Groups, shapes, stride, padding (-1: 'same', stride 1 only) and dilation that fit."""
    while True:
        kind = rng.choice(["1", "2", "3", "depthwise"])
        if kind == "depthwise":
            c_in = int(rng.integers(2, 5))
            g, c_out = c_in, c_in * int(rng.integers(1, 3))
        else:
            g = int(kind)
            c_in, c_out = g * int(rng.integers(1, 3)), g * int(rng.integers(1, 3))
        s, p, d = int(rng.integers(1, 3)), int(rng.integers(-1, 3)), int(rng.integers(1, 3))
        kh, kw, h, w = (int(v) for v in rng.integers(1, 4, size=2).tolist() + rng.integers(3, 8, size=2).tolist())
        pad = max(p, 0)
        if (p >= 0 or s == 1) and h + 2 * pad >= d * (kh - 1) + 1 and w + 2 * pad >= d * (kw - 1) + 1:
            return {"g": g, "c_in": c_in, "c_out": c_out, "s": s, "p": p, "d": d, "kh": kh, "kw": kw, "h": h, "w": w}


def _conv_cases(rng):
    """Grouped conv2d (30 cases), depthwise (5) and depthwise + pointwise (5)."""
    arrays = {}
    for i in range(30):
        c = _grouped_case(rng)
        image = rng.normal(size=(c["h"], c["w"], c["c_in"]))
        dets = rng.normal(size=(c["c_out"], c["kh"], c["kw"], c["c_in"] // c["g"]))
        bias = rng.normal(size=c["c_out"])
        weight = torch.from_numpy(dets.transpose(0, 3, 1, 2).copy())
        padding = "same" if c["p"] < 0 else c["p"]
        ref = F.conv2d(
            _t(image), weight, torch.from_numpy(bias), stride=c["s"], padding=padding, dilation=c["d"], groups=c["g"]
        )
        arrays |= {
            f"grouped{i}_image": image,
            f"grouped{i}_detectors": dets,
            f"grouped{i}_bias": bias,
            f"grouped{i}_args": np.array([c["g"], c["s"], c["p"], c["d"]]),
            f"grouped{i}_torch": _hwc(ref),
        }
    for i in range(10):
        c = _grouped_case(rng)
        s, p, d = (c["s"], c["p"], c["d"]) if c["p"] >= 0 else (1, 1, 1)
        if c["h"] + 2 * p < d * (c["kh"] - 1) + 1 or c["w"] + 2 * p < d * (c["kw"] - 1) + 1:
            s, p, d = 1, 1, 1
        image = rng.normal(size=(c["h"], c["w"], c["c_in"]))
        depthwise = rng.normal(size=(c["c_in"], c["kh"], c["kw"]))
        depth = F.conv2d(
            _t(image), torch.from_numpy(depthwise[:, None].copy()), stride=s, padding=p, dilation=d, groups=c["c_in"]
        )
        name = "depthwise" if i < 5 else "separable"
        arrays |= {
            f"{name}{i % 5}_image": image,
            f"{name}{i % 5}_depthwise": depthwise,
            f"{name}{i % 5}_args": np.array([s, p, d]),
        }
        if name == "depthwise":
            bias = rng.normal(size=c["c_in"])
            ref = depth + torch.from_numpy(bias)[None, :, None, None]
            arrays |= {f"depthwise{i}_bias": bias, f"depthwise{i}_torch": _hwc(ref)}
        else:
            pointwise = rng.normal(size=(c["c_out"], c["c_in"]))
            ref = F.conv2d(depth, torch.from_numpy(pointwise[:, :, None, None].copy()))
            arrays |= {f"separable{i - 5}_pointwise": pointwise, f"separable{i - 5}_torch": _hwc(ref)}
    return arrays


def _pool_and_loss_cases(rng):
    """max_pool2d, avg_pool2d (stride 0: the default, the size), adaptive_avg_pool2d(1), softmax, cross_entropy."""
    arrays = {}
    for i in range(16):
        size, stride = int(rng.integers(1, 4)), int(rng.integers(0, 4))
        fm = rng.normal(size=(int(rng.integers(size, 8)), int(rng.integers(size, 8)), int(rng.integers(1, 4))))
        pool = F.max_pool2d if i < 8 else F.avg_pool2d
        ref = pool(_t(fm), size, stride or None)
        arrays |= {f"pool{i}_map": fm, f"pool{i}_args": np.array([size, stride]), f"pool{i}_torch": _hwc(ref)}
    for i in range(3):
        maps = rng.normal(size=(int(rng.integers(1, 4)), *rng.integers(1, 6, size=2), int(rng.integers(1, 5))))
        ref = F.adaptive_avg_pool2d(_t(maps), 1)[:, :, 0, 0]
        arrays |= {f"global{i}_maps": maps, f"global{i}_torch": ref.numpy()}
    shapes, axes, scales = [(10,), (4, 10), (3, 5, 7), (2, 10)], [-1, -1, 1, 0], [1, 10, 3, 100]
    for i, (shape, axis, scale) in enumerate(zip(shapes, axes, scales)):
        scores = rng.normal(size=shape) * scale + (1000 if i == 3 else 0)
        ref = F.softmax(torch.from_numpy(scores), dim=axis)
        arrays |= {f"softmax{i}_scores": scores, f"softmax{i}_axis": np.array(axis), f"softmax{i}_torch": ref.numpy()}
    for i, (n, scale) in enumerate([(1, 1), (5, 3), (32, 1), (8, 500)]):
        scores, labels = rng.normal(size=(n, 10)) * scale, rng.integers(0, 10, size=n)
        ref = F.cross_entropy(torch.from_numpy(scores), torch.from_numpy(labels))
        arrays |= {f"xent{i}_scores": scores, f"xent{i}_labels": labels, f"xent{i}_torch": np.array(ref.item())}
    return arrays


#: Lesson 09's networks, as (input (H, W, C), [[kind, keyword arguments], ...]) for conv_lesson.ops.costs.
NETWORKS = {
    "digit_flatten": (
        (8, 8, 1),
        [
            ["Conv", {"channels": 8, "kernel": 3, "padding": "same"}],
            ["ReLU", {}],
            ["MaxPool", {"size": 2}],
            ["Flatten", {}],
            ["Dense", {"units": 10}],
        ],
    ),
    "digit_gap": (
        (8, 8, 1),
        [
            ["Conv", {"channels": 8, "kernel": 3, "padding": "same"}],
            ["ReLU", {}],
            ["MaxPool", {"size": 2}],
            ["GlobalAveragePool", {}],
            ["Dense", {"units": 10}],
        ],
    ),
    "vgg_block": (
        (224, 224, 3),
        [
            ["Conv", {"channels": 64, "kernel": 3, "padding": 1}],
            ["ReLU", {}],
            ["Conv", {"channels": 64, "kernel": 3, "padding": 1}],
            ["ReLU", {}],
            ["MaxPool", {"size": 2}],
        ],
    ),
    "standard": ((56, 56, 64), [["Conv", {"channels": 128, "kernel": 3, "padding": 1}]]),
    "separable": (
        (56, 56, 64),
        [["Conv", {"channels": 64, "kernel": 3, "padding": 1, "groups": 64}], ["Conv", {"channels": 128, "kernel": 1}]],
    ),
    "grouped": ((56, 56, 64), [["Conv", {"channels": 128, "kernel": 3, "padding": 1, "groups": 4}]]),
}


def _torch_layer(kind, args, x):
    """The torch.nn module of one layer spec, for an input like ``x`` (N, C, H, W) or (N, features)."""
    if kind == "Conv":
        return nn.Conv2d(
            x.shape[1],
            args["channels"],
            args["kernel"],
            stride=args.get("stride", 1),
            padding=args.get("padding", 0),
            groups=args.get("groups", 1),
            bias=args.get("bias", True),
        )
    if kind == "Dense":
        return nn.Linear(x.shape[1], args["units"], bias=args.get("bias", True))
    return {
        "MaxPool": lambda: nn.MaxPool2d(args.get("size", 2)),
        "AveragePool": lambda: nn.AvgPool2d(args.get("size", 2)),
        "GlobalAveragePool": lambda: nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()),
        "ReLU": nn.ReLU,
        "Flatten": nn.Flatten,
    }[kind]()


def _cost_cases():
    """Per layer of each network: PyTorch's parameter count, output shape (H, W, C; -1 padded) and FLOPs."""
    arrays = {}
    for name, (shape, layers) in NETWORKS.items():
        x = torch.zeros(1, shape[2], shape[0], shape[1])
        params, shapes, flops = [], [], []
        for kind, args in layers:
            module = _torch_layer(kind, args, x)
            with FlopCounterMode(display=False) as counter, torch.no_grad():
                x = module(x)
            params.append(sum(p.numel() for p in module.parameters()))
            out = (*x.shape[2:], x.shape[1]) if x.ndim == 4 else (x.shape[1], -1, -1)
            shapes.append(out)
            flops.append(counter.get_total_flops())
        arrays |= {
            f"cost_{name}_spec": np.array(json.dumps(layers)),
            f"cost_{name}_input": np.array(shape),
            f"cost_{name}_parameters": np.array(params),
            f"cost_{name}_shapes": np.array(shapes),
            f"cost_{name}_flops": np.array(flops),
        }
    return arrays


def network_main():
    """Write tests/data/torch_network_references.npz (lesson 09's layers), all in float64."""
    torch.manual_seed(0)
    rng = np.random.default_rng(2609)
    arrays = _conv_cases(rng) | _pool_and_loss_cases(rng) | _cost_cases()
    np.savez_compressed(OUT_NETWORK, torch_version=np.array(torch.__version__), **arrays)
    print(f"wrote {OUT_NETWORK} ({OUT_NETWORK.stat().st_size / 1024:.0f} KB) with torch {torch.__version__}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", action="store_true", help="write lesson 09's torch_network_references.npz")
    network_main() if parser.parse_args().network else main()
