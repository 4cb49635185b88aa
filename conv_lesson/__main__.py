"""Command line for conv_lesson: ``python -m conv_lesson animate|site|slides ...``.

Exports the stepping of a convolution as an animated GIF (or MP4, with
ffmpeg) for slides, the same pictures the stepper widget shows, with the
status line and the arithmetic written under each frame.

Examples::

    python -m conv_lesson animate -o face.gif
    python -m conv_lesson animate --example face --stride 2 --padding 1 -o face_s2.gif
    python -m conv_lesson animate --example photo --size 24 --detector outline -o photo.gif
    python -m conv_lesson animate --image my_cat.jpg --size 20 --stride 2 -o cat.gif
    python -m conv_lesson site -o site            # every lesson as an offline web page
    python -m conv_lesson slides 02 -o slides     # lesson 02 as offline reveal.js slides
    python -m conv_lesson class-link --hub https://hub.example.edu --repo https://github.com/me/conv_lesson.git
"""

from __future__ import annotations

import argparse
import sys
import textwrap

#: Refuse to write more frames than this unless --max-frames says otherwise.
DEFAULT_MAX_FRAMES = 2500


def _padding(text):
    """argparse type: an int >= 0, 'valid' or 'same'."""
    word = text.strip().lower()
    if word in ("valid", "same"):
        return word
    try:
        value = int(word)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an int >= 0, 'valid' or 'same'; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an int >= 0, 'valid' or 'same'; got {value}")
    return value


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1; got {value}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number > 0; got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number > 0; got {text!r}")
    return value


def build_parser():  # long: one add_argument per option, read top to bottom like --help
    """The argument parser (``python -m conv_lesson --help``).

    Examples
    --------
    >>> args = build_parser().parse_args(["animate", "-o", "out.gif", "--stride", "2"])
    >>> args.command, args.stride, args.output
    ('animate', 2, 'out.gif')
    """
    from .data import detector_names

    parser = argparse.ArgumentParser(
        prog="python -m conv_lesson",
        description="conv_lesson on the command line: export what the lessons show.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    names = detector_names()
    animate = sub.add_parser(
        "animate",
        help="write the stepping of a convolution as an animated GIF (or MP4) for slides",
        description=textwrap.fill(
            "Write every step of a convolution (the window sliding over the input image, the "
            "detector, and the feature map filling up cell by cell, with the arithmetic of each "
            "step written underneath) as an animated GIF that loops, or as an MP4 when ffmpeg is "
            "installed. A progress bar is written to the terminal (standard error).",
            width=78,
        ),
        epilog=(
            "examples:\n"
            "  python -m conv_lesson animate -o face.gif\n"
            "  python -m conv_lesson animate --stride 2 --padding 1 -o face_stride2.gif\n"
            "  python -m conv_lesson animate --example photo --size 24 --detector outline -o photo.gif\n"
            "  python -m conv_lesson animate --image cat.jpg --size 20 --stride 2 -o cat.gif"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = animate.add_mutually_exclusive_group()
    source.add_argument(
        "--example",
        choices=("face", "photo", "seed"),
        default=None,
        help="which built-in input image to use: 'face' is the lesson's 7x7 face of 0s and 1s "
        "(the default); 'photo' is a grayscale photograph shipped with matplotlib "
        "(see --size); 'seed' is the old name of 'face'",
    )
    source.add_argument(
        "--image",
        metavar="PATH",
        help="use your own picture instead (PNG or JPEG), turned to grayscale and resized to --size x --size",
    )
    animate.add_argument(
        "--size",
        type=_positive_int,
        default=24,
        metavar="N",
        help="for --example photo and --image: crop the middle to a square and resize it to "
        "N x N pixels (default 24; a picture over 16 x 16 is drawn without numbers)",
    )
    animate.add_argument(
        "--detector",
        metavar="NAME",
        choices=names,
        default=None,
        help="the detector preset to slide over the image; one of: "
        + ", ".join(names)
        + " (default: 'face' for --example face, 'vertical_edges' otherwise)",
    )
    animate.add_argument(
        "--stride",
        type=_positive_int,
        default=1,
        metavar="S",
        help="how many cells the window moves each step, across and down (default 1)",
    )
    animate.add_argument(
        "--padding",
        type=_padding,
        default=0,
        metavar="P",
        help="rows/columns of zeros added on each side: an int >= 0, 'valid' (none) or "
        "'same' (keep the size at stride 1) (default 0)",
    )
    animate.add_argument(
        "--dilation",
        type=_positive_int,
        default=1,
        metavar="D",
        help="spacing between the image cells the detector touches (default 1: adjacent)",
    )
    animate.add_argument(
        "--flip",
        action="store_true",
        help="rotate the detector by 180 degrees first (the mathematical convolution; deep "
        "learning libraries do not flip)",
    )
    animate.add_argument(
        "--fps",
        type=_positive_float,
        default=2.0,
        metavar="F",
        help="steps per second in the animation (default 2)",
    )
    animate.add_argument(
        "--scale",
        type=_positive_float,
        default=1.0,
        metavar="X",
        help="enlarge the pictures and text by X, e.g. 1.6 for slides (default 1)",
    )
    animate.add_argument(
        "--max-frames",
        type=_positive_int,
        default=DEFAULT_MAX_FRAMES,
        metavar="N",
        help=f"refuse to write more than N frames (default {DEFAULT_MAX_FRAMES}); a photo at "
        f"stride 1 has one frame per pixel, so raise --stride or lower --size instead",
    )
    animate.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only errors")
    animate.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the file to write; it must end in .gif, or .mp4 (needs ffmpeg)",
    )
    _add_publish_commands(sub)
    return parser


def _add_publish_commands(sub):
    """The ``site`` and ``slides`` subcommands (see :mod:`conv_lesson.publish`)."""
    notebooks = {"default": "notebooks", "metavar": "DIR", "help": "where the lessons are (default: notebooks)"}
    site = sub.add_parser(
        "site",
        help="execute every lesson and write an offline web site (index + one page per lesson)",
        description="Execute every lesson fresh and write index.html and one page per lesson into OUT, "
        "with every script, style sheet and font beside them: the pages step with no Python and "
        "fetch nothing from the network. Open OUT/index.html in a browser.",
    )
    site.add_argument("-o", "--output", required=True, metavar="OUT", help="the folder to write")
    site.add_argument("--notebooks", **notebooks)
    site.add_argument("--lessons", nargs="+", metavar="NN", help="only these lessons, e.g. 01 02 (default: all)")
    site.add_argument("--jobs", type=_positive_int, default=2, metavar="N", help="lessons run at once (default 2)")
    slides = sub.add_parser(
        "slides",
        help="execute one lesson and write it as offline reveal.js slides",
        description="Execute lesson NN and write it as reveal.js slides into OUT (NN_topic.slides.html and "
        "its assets): a heading starts a slide, each stepper gets its own. Arrow keys move between slides, "
        "and step a stepper while it has focus (click it first).",
    )
    slides.add_argument("lesson", metavar="NN", help="the lesson number, e.g. 02")
    slides.add_argument("-o", "--output", required=True, metavar="OUT", help="the folder to write")
    slides.add_argument("--notebooks", **notebooks)
    link = sub.add_parser(
        "class-link",
        help="print the nbgitpuller link that puts the lessons in every student's home on a JupyterHub",
        description="Print the link to hand out to a class on a JupyterHub with nbgitpuller installed: "
        "each student logs in, the lessons are cloned into their home (later clicks merge new changes "
        "and keep their own edits), and JupyterLab opens the list of lessons.",
    )
    link.add_argument("--hub", required=True, metavar="URL", help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument(
        "--repo", required=True, metavar="GIT_URL", help="the lessons' git address (what git clone takes)"
    )
    link.add_argument("--branch", metavar="NAME", help="the branch to pull (default: the repository's default)")
    link.add_argument("--target", metavar="FOLDER", help="the folder in each home (default: the repository's name)")
    link.add_argument(
        "--open", dest="open_path", default="notebooks/README.md", metavar="PATH",
        help="the file JupyterLab opens after pulling (default: notebooks/README.md, the list of lessons)",
    )  # fmt: skip


def _progress_bar(stream, width=30):
    """A callback ``(done, total)`` that redraws ``[#####-----] done/total`` on ``stream``."""

    shown = {"filled": None}

    def show(done, total):
        filled = int(width * done / max(total, 1))
        if filled == shown["filled"] and done not in (1, total) and done % 10:
            return  # keep a long run's output short when it is not a terminal
        shown["filled"] = filled
        stream.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def _input(args):
    """The image the command animates and how to name it, from --image / --example."""
    from . import data

    if args.image is not None:
        return data.load_image(args.image, size=args.size), f"{args.image} ({args.size}x{args.size})", False
    if args.example == "photo":
        return data.photo(args.size), f"the photo ({args.size}x{args.size})", False
    return data.face_image(), "the face example (7x7)", True


def _animate(args, stdout, stderr):
    import os

    from . import data
    from .draw import StepperFigure
    from .ops import Scan

    if args.example == "seed":
        stderr.write("note: --example seed is now --example face; the old name goes in the next release\n")
    image, what, face = _input(args)
    name = args.detector or ("face" if face else "vertical_edges")
    suffix = os.path.splitext(args.output)[1].lower()
    if suffix not in (".gif", ".mp4"):
        raise ValueError(f"--output must end in .gif or .mp4; got {args.output!r}")
    scan = Scan(
        image,
        data.detector(name),
        stride=args.stride,
        padding=args.padding,
        dilation=args.dilation,
        flip=args.flip,
    )
    (out_h, out_w), n_frames = scan.out_shape, scan.n_steps
    if n_frames > args.max_frames:
        raise ValueError(
            f"this would write {n_frames} frames ({out_h}x{out_w} feature map), more than "
            f"--max-frames {args.max_frames}; use a larger --stride or a smaller --size, "
            f"or raise --max-frames"
        )
    fig = StepperFigure(scan, scale=args.scale, caption=True)
    if not args.quiet:
        stderr.write(f"{what} * {name} detector, stride {args.stride}: {n_frames} frames -> {args.output}\n")
    progress = None if args.quiet else _progress_bar(stderr)
    path = fig.save_animation(args.output, fps=args.fps, progress_callback=progress)
    size_kb = path.stat().st_size / 1024
    if not args.quiet:
        stdout.write(f"wrote {path} ({n_frames} frames, {size_kb:.1f} KB)\n")
    return 0


def _publish(args, stdout):
    from .publish import build_site, build_slides

    if args.command == "slides":
        report = build_slides(args.lesson, args.output, args.notebooks)
        stdout.write(f"wrote {report['page']} ({report['bytes'] / 1e6:.2f} MB) in {report['seconds']:.1f} s\n")
        return 0
    report = build_site(args.output, args.notebooks, jobs=args.jobs, lessons=args.lessons)
    for name, size in report["pages"].items():
        stdout.write(f"{name:55s} {size / 1e6:6.2f} MB\n")
    stdout.write(f"wrote {len(report['pages'])} lessons to {args.output}/index.html in {report['seconds']:.1f} s\n")
    return 0


def main(argv=None, *, stdout=None, stderr=None):
    """Run the command line; return the exit status (0 on success).

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).
    stdout, stderr : file objects, optional
        Where to write (default: the process's own).

    Examples
    --------
    >>> import io
    >>> main(["animate", "-o", "slides.txt"], stderr=io.StringIO())
    1
    """
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        if args.command == "animate":
            return _animate(args, stdout, stderr)
        if args.command in ("site", "slides"):
            return _publish(args, stdout)
        if args.command == "class-link":
            from .publish import class_link

            stdout.write(class_link(args.hub, args.repo, branch=args.branch, target=args.target,
                                    open_path=args.open_path) + "\n")  # fmt: skip
            return 0
    except (ValueError, TypeError, OSError, RuntimeError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        stderr.write(f"\nerror: {message}\n")
        return 1
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
