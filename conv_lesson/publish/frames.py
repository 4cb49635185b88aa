"""Flipbook frames stored small for a published page: a shared palette, and only what changes.

Between two steps of a stepper most of the picture stays the same: the window
moves and one cell of the feature map fills in. A flipbook's frames are stored
as key frames (whole pictures) and, between them, patches: the pixels that
changed since the frame before, cropped to where they changed, transparent
elsewhere, with the offset to draw them at (``FrameView.patches``). The
flipbook's JavaScript draws a key frame and the patches after it on a canvas.
All frames of one flipbook share one palette, so a pixel that did not change
keeps exactly its colour, and the drawing gives back exactly the stored frame.
"""

from __future__ import annotations

import base64
import io

import numpy as np

from ..ops.checks import check_int

__all__ = ["KEYFRAME_EVERY", "compact_frame", "delta_frames", "decode_url", "compose"]

#: At most this many patches are drawn over a key frame to show a step.
KEYFRAME_EVERY = 32
#: A patch at least this share of a whole frame's bytes is stored as a key frame instead.
PATCH_SHARE = 0.7
_WEBP = {"lossless": True, "method": 4, "quality": 100}


def decode_url(url):
    """The picture of a ``data:image/...;base64,`` URL as an RGBA ``uint8`` array of shape (h, w, 4).

    Parameters
    ----------
    url : str

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> decode_url(_url(np.zeros((2, 3, 4), np.uint8))).shape
    (2, 3, 4)
    """
    from PIL import Image

    if not isinstance(url, str) or not url.startswith("data:image/") or "," not in url:
        raise ValueError(f"url must be a data:image/...;base64, URL; got {url[:40]!r}")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"))


def _url(pixels, palette=None, formats=("WEBP", "PNG")):
    """The smallest of ``formats`` (lossless) for an RGBA array (quantized to ``palette`` if given)."""
    from PIL import Image

    img = Image.fromarray(pixels, "RGBA")
    if palette is not None:
        img = img.convert("RGB").quantize(palette=palette, dither=Image.Dither.NONE)
    best, mime = None, "png"
    for fmt, options in ((f, _WEBP if f == "WEBP" else {"optimize": True}) for f in formats):
        buf = io.BytesIO()
        img.save(buf, format=fmt, **options)
        if best is None or buf.tell() < len(best):
            best, mime = buf.getvalue(), fmt.lower()
    return f"data:image/{mime};base64," + base64.b64encode(best).decode("ascii")


def _palette(pictures, colors):
    """One palette of ``colors`` colours for a sequence of same-kind pictures (first, middle, last)."""
    from PIL import Image

    picks = [pictures[0], pictures[len(pictures) // 2], pictures[-1]]
    width = max(p.shape[1] for p in picks)
    rows = [np.pad(p[:, :, :3], ((0, 0), (0, width - p.shape[1]), (0, 0)), mode="edge") for p in picks]
    montage = Image.fromarray(np.concatenate(rows), "RGB")
    return montage.quantize(colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def compact_frame(png, colors=16):
    """``png`` as a smaller data URL: a palette of ``colors`` colours, lossless WebP (or PNG if smaller).

    The lessons' figures are flat colours and text, so a small palette keeps
    them readable; WebP's lossless mode then stores them in about a third of
    the PNG's bytes. Every browser of the last years shows WebP.

    Parameters
    ----------
    png : bytes
    colors : int, default 16

    Returns
    -------
    str
        A ``data:image/...;base64,`` URL.

    Examples
    --------
    >>> from conv_lesson.draw.export import encode_png
    >>> png = encode_png(np.kron(np.eye(8, dtype=np.uint8) * 255, np.ones((8, 8), np.uint8))[:, :, None].repeat(3, 2))
    >>> url = compact_frame(png)
    >>> url.startswith("data:image/"), len(url) < len(png) * 4 / 3
    (True, True)
    """
    _check_colors(colors)
    if not isinstance(png, (bytes, bytearray)):
        raise TypeError(f"png must be bytes; got {type(png).__name__}")
    pixels = decode_url("data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii"))
    url = _url(pixels, _palette([pixels], colors))
    return url if len(url) < 22 + len(png) * 4 / 3 else "data:image/png;base64," + base64.b64encode(png).decode()


def _check_colors(colors):
    if check_int(colors, "colors", 2) > 256:
        raise ValueError(f"colors must be an int from 2 to 256; got {colors}")


def _indices(pixels, palette):
    """Each pixel's index in ``palette`` (``uint8``, shape (h, w)): the nearest colour, no dithering."""
    from PIL import Image

    return np.asarray(Image.fromarray(pixels[:, :, :3], "RGB").quantize(palette=palette, dither=Image.Dither.NONE))


def _colours(palette):
    """The RGBA colour of each index of ``palette``: shape (256, 4), ``uint8``."""
    rgb = np.zeros(768, np.uint8)
    values = palette.getpalette()[:768]
    rgb[: len(values)] = values
    return np.concatenate([rgb.reshape(256, 3), np.full((256, 1), 255, np.uint8)], axis=1)


def delta_frames(urls, colors=16, keyframe_every=KEYFRAME_EVERY):
    """A flipbook's frames as key frames and patches (see the module's text).

    Parameters
    ----------
    urls : sequence of str
        The frames, ``data:image/...;base64,`` URLs.
    colors : int, default 16
        The size of the palette all frames share.
    keyframe_every : int, default KEYFRAME_EVERY
        A key frame at least every this many frames.

    Returns
    -------
    (list of str, list of list of int)
        The frames to store and, for each, ``[]`` (a whole picture) or
        ``[x, y]``: a patch drawn at column ``x``, row ``y`` over the frame before.

    Examples
    --------
    >>> a = np.full((40, 60, 4), 255, np.uint8); a[..., 1] = np.random.default_rng(0).integers(0, 2, (40, 60)) * 255
    >>> b = a.copy(); b[10:12, 20:24, 2] = 0
    >>> frames, patches = delta_frames([_url(a), _url(b)])
    >>> patches
    [[], [20, 10]]
    >>> bool((compose(frames, patches, 1) == b).all())
    True
    """
    _check_colors(colors)
    check_int(keyframe_every, "keyframe_every", 1)
    if isinstance(urls, str) or not all(isinstance(u, str) for u in urls):
        raise TypeError("urls must be a sequence of data URLs (str)")
    if not urls:
        return [], []
    originals = [decode_url(u) for u in urls]
    palette = _palette(originals, colors)
    # compared as palette indices: one byte a pixel, the same pixel equal exactly when its colour is
    pictures, colours = [_indices(p, palette) for p in originals], _colours(palette)
    frames, patches, key_bytes, since_key = [], [], 0, 0
    for i, now in enumerate(pictures):
        before = pictures[i - 1] if i else None
        since_key += 1
        url = None
        if before is not None and before.shape == now.shape and since_key < keyframe_every:
            x0, y0, patch = _patch(before, now, colours)
            url = _url(patch, formats=("WEBP",))
        if url is None or len(url) >= PATCH_SHARE * key_bytes:  # a key frame: the whole picture
            url = _url(colours[now])
            frames.append(url), patches.append([])
            key_bytes, since_key = len(url), 0
        else:
            frames.append(url), patches.append([x0, y0])
    return frames, patches


def _patch(before, now, colours):
    """``(x, y, pixels)``: what changed from ``before`` to ``now`` (palette indices), cropped, as RGBA
    ``colours``, transparent where unchanged."""
    changed = now != before
    rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
    if rows.size == 0:
        return 0, 0, np.zeros((1, 1, 4), np.uint8)
    box = np.s_[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    patch = colours[now[box]]
    patch[~changed[box]] = 0
    return int(cols[0]), int(rows[0]), patch


def compose(frames, patches, index):
    """The picture frame ``index`` shows: its key frame with the patches after it drawn over (as the browser does).

    Parameters
    ----------
    frames, patches : list
        As :func:`delta_frames` returns them.
    index : int
        From 0.

    Returns
    -------
    numpy.ndarray
        RGBA ``uint8``.

    Examples
    --------
    >>> a = np.full((2, 2, 4), 255, np.uint8)
    >>> compose([_url(a)], [[]], 0).shape
    (2, 2, 4)
    """
    if len(frames) != len(patches):
        raise ValueError(f"frames and patches must have the same length; got {len(frames)} and {len(patches)}")
    if check_int(index, "index", 0) >= len(frames):
        raise ValueError(f"index must be below the number of frames ({len(frames)}); got {index}")
    key = index
    while patches[key]:
        key -= 1
    canvas = decode_url(frames[key]).copy()
    for i in range(key + 1, index + 1):
        x, y = patches[i]
        patch = decode_url(frames[i])
        h, w = patch.shape[:2]
        region = canvas[y : y + h, x : x + w]
        region[patch[:, :, 3] == 255] = patch[patch[:, :, 3] == 255]
    return canvas
