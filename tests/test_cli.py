"""The command line: ``python -m conv_lesson animate ... -o out.gif``."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from conv_lesson.__main__ import build_parser, main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def gif_frames(path):
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.info.get("loop") == 0  # loops forever, for slides
        return gif.n_frames, gif.size


def test_animate_face_writes_a_gif_with_one_frame_per_step(tmp_path):
    out = tmp_path / "face.gif"
    code, stdout, stderr = run("animate", "-o", str(out))
    assert code == 0, stderr
    n, (width, height) = gif_frames(out)
    assert n == 25 and width > 600 and height > 300
    assert "[" + "#" * 30 + "] 25/25" in stderr  # the progress bar, finished
    assert "1/25" in stderr
    assert "wrote" in stdout and "25 frames" in stdout


def test_animate_options_change_the_number_of_frames(tmp_path):
    out = tmp_path / "pad.gif"
    code, _, stderr = run(
        "animate",
        "--example",
        "face",
        "--stride",
        "2",
        "--padding",
        "1",
        "--fps",
        "4",
        "--detector",
        "vertical_edges",
        "-o",
        str(out),
    )
    assert code == 0, stderr
    assert gif_frames(out)[0] == 16  # (7 + 2 - 3) // 2 + 1 = 4 per side
    with Image.open(out) as gif:
        assert gif.info["duration"] == 250


def test_the_old_example_name_still_works_with_a_note(tmp_path):
    out = tmp_path / "old.gif"
    code, _, stderr = run("animate", "--example", "seed", "--stride", "3", "-o", str(out))
    assert code == 0, stderr
    assert "--example face" in stderr
    assert gif_frames(out)[0] == 4  # the face at stride 3: (7 - 3) // 3 + 1 = 2 per side


def _caption_pixels(path, frame):
    """The highlight-coloured pixels in the caption (the lowest quarter) of one GIF frame."""
    with Image.open(path) as gif:
        gif.seek(frame)
        rgb = np.asarray(gif.convert("RGB")).astype(int)
    caption = rgb[3 * rgb.shape[0] // 4 :]
    vermillion = np.array([0xD5, 0x5E, 0x00])
    return int((np.abs(caption - vermillion).sum(axis=2) < 60).sum())


def test_the_gif_highlights_the_matching_products(tmp_path):
    out = tmp_path / "face.gif"
    code, _, stderr = run("animate", "-q", "-o", str(out))
    assert code == 0, stderr
    # by hand: step 1 (rows 0-2, columns 0-2) has no match; step 14 (cell (2, 3)) has two
    assert _caption_pixels(out, 0) == 0
    assert _caption_pixels(out, 13) > 50


def test_animate_photo_and_own_image(tmp_path):
    out = tmp_path / "photo.gif"
    code, _, stderr = run("animate", "--example", "photo", "--size", "10", "--stride", "3", "-q", "-o", str(out))
    assert code == 0 and stderr == ""  # --quiet: no progress bar
    assert gif_frames(out)[0] == 9
    picture = tmp_path / "mine.png"
    Image.fromarray((np.arange(64).reshape(8, 8) * 4).astype(np.uint8)).save(picture)
    out2 = tmp_path / "mine.gif"
    code, _, stderr = run(
        "animate",
        "--image",
        str(picture),
        "--size",
        "8",
        "--detector",
        "outline",
        "--stride",
        "2",
        "--flip",
        "--dilation",
        "1",
        "--scale",
        "0.8",
        "-o",
        str(out2),
    )
    assert code == 0, stderr
    assert gif_frames(out2)[0] == 9


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["animate", "--detector", "nope", "-o", "x.gif"], 2, "invalid choice"),
        (["animate", "--stride", "0", "-o", "x.gif"], 2, "whole number >= 1"),
        (["animate", "--padding", "lots", "-o", "x.gif"], 2, "'valid' or 'same'"),
        (["animate", "--fps", "-1", "-o", "x.gif"], 2, "number > 0"),
        (["animate"], 2, "-o/--output"),
        (["animate", "--example", "face", "--image", "a.png", "-o", "x.gif"], 2, "not allowed with"),
        ([], 2, "COMMAND"),
    ],
)
def test_usage_errors_exit_2_with_a_message(argv, code, words, capsys):
    assert main(argv) == code
    assert words in capsys.readouterr().err


def test_runtime_errors_exit_1_with_a_message(tmp_path):
    code, _, err = run("animate", "-o", str(tmp_path / "out.avi"))
    assert code == 1 and "must end in .gif or .mp4" in err
    code, _, err = run("animate", "--image", str(tmp_path / "missing.png"), "-o", str(tmp_path / "x.gif"))
    assert code == 1 and "no such image file" in err
    code, _, err = run("animate", "--example", "photo", "--size", "64", "-o", str(tmp_path / "x.gif"))
    assert code == 1 and "3844 frames" in err and "--max-frames" in err
    code, _, err = run("animate", "-o", str(tmp_path / "no" / "x.gif"))
    assert code == 1 and "does not exist" in err
    from matplotlib import animation

    if not animation.writers.is_available("ffmpeg"):
        code, _, err = run("animate", "-o", str(tmp_path / "x.mp4"))
        assert code == 1 and "ffmpeg" in err


def test_help_explains_every_option():
    parser = build_parser()
    animate = parser._subparsers._group_actions[0].choices["animate"]
    text = animate.format_help()
    for action in animate._actions:
        for flag in action.option_strings:
            assert flag in text
        assert action.help and len(action.help) > 10
    for word in ("GIF", "MP4", "ffmpeg", "progress bar", "example"):
        assert word in text


def test_module_runs_from_the_command_line(tmp_path):
    """``python -m conv_lesson`` really runs: --help, then a small GIF."""
    done = subprocess.run(
        [sys.executable, "-m", "conv_lesson", "animate", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "--detector NAME" in done.stdout and "--stride S" in done.stdout
    out = tmp_path / "s3.gif"
    done = subprocess.run(
        [sys.executable, "-m", "conv_lesson", "animate", "--stride", "3", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "4/4" in done.stderr
    assert gif_frames(out)[0] == 4


def test_class_link_reads_back_as_the_hub_and_nbgitpuller_read_it():
    from urllib.parse import parse_qs, urlsplit

    repo = "https://git.example.edu/teach/conv_lesson.git"
    code, stdout, stderr = run("class-link", "--hub", "https://example.edu/jupyter/", "--repo", repo)
    assert code == 0, stderr
    link = urlsplit(stdout.strip())
    # the hub's prefix kept, then the hub's redirect to the student's own server, then nbgitpuller's page
    assert (link.scheme, link.netloc, link.path) == ("https", "example.edu", "/jupyter/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(link.query, strict_parsing=True).items()}
    assert query == {  # no branch given: the repository's default branch
        "repo": repo,
        "targetpath": "conv_lesson",  # the clone's folder, without ".git"
        "urlpath": "lab/tree/conv_lesson/notebooks/README.md",  # the list of lessons, opened in JupyterLab
    }
    lesson = "notebooks/02_feature_detector_and_feature_map.ipynb"
    options = ["--branch", "fall", "--target", "cnn", "--open", lesson]
    code, stdout, _ = run("class-link", "--hub", "http://h", "--repo", "/srv/git/lessons/", *options)
    query = {k: v[0] for k, v in parse_qs(urlsplit(stdout.strip()).query).items()}
    assert query["branch"] == "fall" and query["targetpath"] == "cnn"
    assert query["urlpath"] == f"lab/tree/cnn/{lesson}"


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"hub": "hub.example.edu"}, ValueError, ["hub", "http(s)://"]),
        ({"hub": "https://hub.example.edu/?next=x"}, ValueError, ["hub"]),
        ({"hub": ""}, TypeError, ["hub", "non-empty string"]),
        ({"repo": None}, TypeError, ["repo", "non-empty string"]),
        ({"branch": 3}, TypeError, ["branch"]),
        ({"repo": "https://example.edu/"}, ValueError, ["target", "one folder name"]),
        ({"target": "a/b"}, ValueError, ["target"]),
        ({"open_path": "../etc/passwd"}, ValueError, ["open_path", "inside the lessons"]),
    ],
)
def test_class_link_names_the_bad_argument(kwargs, error, words):
    from conv_lesson.publish import class_link

    args = {"hub": "https://hub.example.edu", "repo": "https://example.edu/conv_lesson.git", **kwargs}
    hub, repo = args.pop("hub"), args.pop("repo")
    with pytest.raises(error) as info:
        class_link(hub, repo, **args)
    for word in words:
        assert word in str(info.value)


def test_class_link_error_on_the_command_line_exits_1():
    code, stdout, stderr = run("class-link", "--hub", "hub.example.edu", "--repo", "x")
    assert code == 1 and stdout == "" and "hub must be" in stderr
