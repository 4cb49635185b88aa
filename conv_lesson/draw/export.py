"""Frames out of a figure: PNG bytes, a pool that encodes them, GIF/MP4 animations."""

from __future__ import annotations

import base64
import os
import pathlib
import struct
import zlib

import numpy as np

from ..ops.checks import check_int, check_real, describe

__all__ = ["encode_png", "data_url", "encode_frames", "save_animation"]


def encode_png(rgba, *, compress_level=1):
    """PNG bytes of an RGB(A) image array: 8-bit RGB, every row filtered "Up".

    The alpha channel is dropped (the figures are opaque). Each row is stored as
    its difference from the row above (PNG's filter type 2, one numpy subtraction
    for the whole image), then deflated by zlib. For the flat-coloured figures of
    the lessons this is within a few per cent of Pillow's PNG in size, and a
    third faster to make: Pillow tries every filter on every row.

    Parameters
    ----------
    rgba : ndarray of uint8, shape (H, W, 3) or (H, W, 4)
    compress_level : int, default 1
        zlib level, 0 to 9; 1 is fast and, for flat-coloured figures, nearly as
        small as 9.

    Returns
    -------
    bytes

    Examples
    --------
    >>> png = encode_png(np.zeros((2, 3, 4), dtype=np.uint8))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    arr = np.asarray(rgba)
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] not in (3, 4) or 0 in arr.shape[:2]:
        raise ValueError(
            f"rgba must be a uint8 array of shape (H, W, 3 or 4), H and W > 0; got {arr.dtype} {arr.shape}"
        )
    level = check_int(compress_level, "compress_level", 0)
    if level > 9:
        raise ValueError(f"compress_level must be an int from 0 to 9; got {level}")
    h, w = arr.shape[:2]
    rgb = np.ascontiguousarray(arr[:, :, :3]).reshape(h, 3 * w)
    rows = np.empty((h, 1 + 3 * w), np.uint8)  # each row: its filter type, then R, G, B of each pixel
    rows[:, 0] = 2  # "Up": each byte minus the byte above it (above the first row: zeros)
    rows[0, 1:] = rgb[0]
    np.subtract(rgb[1:], rgb[:-1], out=rows[1:, 1:])  # uint8: modulo 256, as PNG wants
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, RGB, deflate, a filter type per row, no interlace
    idat = zlib.compress(rows, level)
    return _PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind, data):
    """One PNG chunk: length, type, data, CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def data_url(png):
    """A ``data:`` URL of PNG bytes, for an ``<img src>``.

    Parameters
    ----------
    png : bytes

    Returns
    -------
    str

    Examples
    --------
    >>> data_url(b"abc")
    'data:image/png;base64,YWJj'
    """
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _thread_pool(workers):
    """A thread pool, or None where threads cannot be started (Pyodide has none)."""
    from concurrent.futures import ThreadPoolExecutor

    try:
        pool = ThreadPoolExecutor(max_workers=workers)
        pool.submit(int).result()  # a pool that cannot start a thread fails here
    except RuntimeError:
        return None
    return pool


def encode_frames(render, steps, progress=None):
    """PNG bytes of ``render(step)`` for every step, in order.

    Rendering runs here, one frame after another (one figure); each frame's
    PNG encoding runs on a worker thread while the next frame renders
    (numpy and zlib release the GIL, so the two overlap on a multi-core
    machine). Where no thread can be started, every frame is encoded here
    in turn: the same bytes, only slower.

    Parameters
    ----------
    render : callable
        ``render(step)`` returns an RGBA uint8 array, a copy safe to keep.
    steps : iterable of int
    progress : callable, optional
        Called as ``progress(done, total)`` after each frame is encoded.

    Returns
    -------
    list of bytes

    Examples
    --------
    >>> frames = encode_frames(lambda k: np.full((2, 2, 4), k, np.uint8), [1, 2])
    >>> [f[:4] for f in frames]
    [b'\\x89PNG', b'\\x89PNG']
    """
    steps = list(steps)
    pool = _thread_pool(max(1, min(4, os.cpu_count() or 1)))
    out = []
    if pool is None:
        for done, k in enumerate(steps, start=1):
            out.append(encode_png(render(k)))
            if progress is not None:
                progress(done, len(steps))
        return out
    with pool:
        pending = [pool.submit(encode_png, render(k)) for k in steps]
        for done, future in enumerate(pending, start=1):
            out.append(future.result())
            if progress is not None:
                progress(done, len(pending))
    return out


def _writer(path, fps):
    from matplotlib import animation

    suffix = path.suffix.lower()
    if suffix == ".gif":
        return animation.PillowWriter(fps=fps)
    if suffix == ".mp4":
        if not animation.writers.is_available("ffmpeg"):
            raise RuntimeError(
                f"cannot write {str(path)!r}: MP4 needs ffmpeg, which is not installed "
                f"(install it, e.g. `apt-get install ffmpeg` or `conda install ffmpeg`), or write a .gif"
            )
        return animation.FFMpegWriter(fps=fps)
    raise ValueError(f"path must end in .gif or .mp4; got {str(path)!r}")


def _save_gif(render, frames, path, fps, progress):
    """A GIF of ``render(frame)`` for every frame, as matplotlib's PillowWriter writes one."""
    from PIL import Image

    pictures = []
    for done, frame in enumerate(frames, start=1):
        rgba = np.ascontiguousarray(render(frame))
        im = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
        pictures.append(im if im.getextrema()[3][0] < 255 else im.convert("RGB"))
        if progress is not None:
            progress(done, len(frames))
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=int(1000 / fps), loop=0)


def save_animation(figure, update, frames, path, *, fps=2, progress_callback=None, render=None):
    """Write ``update(frame)`` for every frame of ``figure`` as a GIF (Pillow) or MP4 (ffmpeg).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    update : callable
        ``update(frame)`` moves the figure's artists to ``frame``.
    frames : sequence
    path : str or os.PathLike
        The file to write; its suffix (``.gif`` or ``.mp4``) picks the format.
    fps : float, default 2
        Frames per second, more than 0 and at most 60.
    progress_callback : callable, optional
        Called as ``progress_callback(done, total)`` after each frame
        (``done`` from 1 to ``total``).
    render : callable, optional
        ``render(frame)`` gives the frame's RGBA pixels (an (H, W, 4) uint8
        array) as a full redraw of ``figure`` would: a blitting figure's
        fast way. A GIF is then made of these instead of a full redraw of
        each frame (``update`` is not called); an MP4 is drawn as without it.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    TypeError, ValueError
        A bad argument, an unknown suffix.
    FileNotFoundError
        The folder does not exist.
    RuntimeError
        ``.mp4`` asked for but ffmpeg is not installed.

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> from PIL import Image
    >>> fig = Figure(figsize=(1, 1))
    >>> text = fig.text(0.5, 0.5, "")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = save_animation(fig, lambda k: text.set_text(str(k)), [1, 2, 3], pathlib.Path(tmp) / "a.gif")
    ...     Image.open(out).n_frames
    3
    """
    from matplotlib import animation

    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or os.PathLike); got {describe(path)}")
    path = pathlib.Path(path)
    fps = check_real(fps, "fps", low=0, high=60, low_open=True)
    if progress_callback is not None and not callable(progress_callback):
        raise TypeError(f"progress_callback must be callable or None; got {describe(progress_callback)}")
    if render is not None and not callable(render):
        raise TypeError(f"render must be callable or None; got {describe(render)}")
    writer = _writer(path, fps)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the folder {str(path.parent)!r} for {str(path)!r} does not exist")

    def step(frame):
        update(frame)
        return []

    def progress(done, total):
        if progress_callback is not None:
            progress_callback(done + 1, total)

    if render is not None and path.suffix.lower() == ".gif":
        _save_gif(render, list(frames), path, fps, progress_callback)
        return path
    anim = animation.FuncAnimation(
        figure,
        step,
        frames=list(frames),
        init_func=lambda: [],
        blit=False,
        repeat=False,
        cache_frame_data=False,
    )
    anim.save(str(path), writer=writer, dpi=figure.dpi, progress_callback=progress)
    return path
