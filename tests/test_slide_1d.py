"""The flip-and-slide widget (slide_1d), the figures behind it (draw.SlideFigure and its
two kinds), their examples (data.slide_preset) and the pieces of a sum (ops.discrete_flip_and_slide).

Expected values come from the mathematics (the triangle, the two-dice table by
counting outcomes, the RC circuit's closed form, sums written out by hand), never
from the code under test.
"""

from __future__ import annotations

import base64
import itertools
import math

import numpy as np
import pytest

import conv_lesson
from conv_lesson import data, draw, ops, slide_1d

PRESETS = ["box*box", "noisy signal * box", "two dice", "exponential decay response"]


def triangle(t):
    return max(0.0, 1.0 - abs(t - 1.0))


def test_exported_from_the_package():
    assert "slide_1d" in conv_lesson.__all__
    assert conv_lesson.slide_1d is slide_1d


def test_box_box_is_the_triangle():
    w = slide_1d(preset="box*box", t=0.3)
    assert w.value() == pytest.approx(triangle(0.3), abs=3e-3)
    for t in (-0.8, 0.0, 0.5, 1.0, 1.4, 1.9, 2.0, 2.6, 1.234):
        w.slide_to(t)  # synchronous: no event loop needed
        assert w.t == pytest.approx(t, abs=0.01)  # the nearest position on the grid of 0.02
        assert w.value() == pytest.approx(triangle(w.t), abs=3e-3), t
    fig = w.slide_figure
    expected = np.array([triangle(t) for t in fig.t_grid])
    np.testing.assert_allclose(fig.values, expected, atol=3e-3)


def test_two_dice_by_counting_outcomes():
    counts = {}
    for a, b in itertools.product(range(1, 7), repeat=2):
        counts[a + b] = counts.get(a + b, 0) + 1
    w = slide_1d(preset="two dice")
    assert w.step.max == 14 and w.step.labels[0] == "0"  # n from 0 to 13, one step each
    for n in range(0, 14):
        w.slide_to(n)
        assert w.value() == pytest.approx(counts.get(n, 0) / 36, abs=1e-12), n
    w.slide_to(7)
    assert "6/36" in w.status
    w.slide_to(2)
    assert "1/36" in w.status


def test_exponential_decay_is_the_rc_circuit():
    # y' = -y + f with f = 1 on [0, 2): y = 1 - e^-t, then (e^2 - 1) e^-t
    def y(t):
        if t < 0:
            return 0.0
        if t <= 2:
            return 1 - math.exp(-t)
        return (math.exp(2) - 1) * math.exp(-t)

    w = slide_1d(preset="exponential decay response")
    for t in (-0.5, 0.5, 1.0, 2.0, 3.0, 6.0):
        w.slide_to(t)
        assert w.value() == pytest.approx(y(t), abs=5e-3), t


def test_noisy_signal_is_deterministic_and_a_moving_average():
    a = slide_1d(preset="noisy signal * box", t=4.0)
    b = slide_1d(preset="noisy signal * box", t=4.0)
    np.testing.assert_array_equal(a.slide_figure.values, b.slide_figure.values)
    assert a.frame_png() == b.frame_png()
    # the meaning: the average of f over [t - 0.5, t + 0.5]
    f = a.slide_figure.preset.f
    for t in (2.0, 4.0, 7.3):
        a.slide_to(t)
        x = np.linspace(t - 0.5, t + 0.5, 20001)
        assert a.value() == pytest.approx(f(x).mean(), abs=1e-2)
    xs, ys = data.noisy_signal()
    assert np.array_equal(ys, data.noisy_signal()[1])


def test_custom_sequences_match_numpy_convolve():
    f, g = [1.0, 2.0, 3.0], [0.0, 1.0, 0.5]
    w = slide_1d(f, g)
    assert w.preset.value == "custom" and w.step.description == "n"
    expected = np.convolve(f, g)
    for n, v in enumerate(expected):
        w.slide_to(n)
        assert w.value() == pytest.approx(v)


def test_custom_functions():
    gauss = lambda x: np.exp(-(x**2))  # noqa: E731
    w = slide_1d(gauss, gauss, t_range=(-3, 3))
    for t in (0.0, 1.0, -2.0):
        w.slide_to(t)
        # Gaussian * Gaussian: sqrt(pi/2) exp(-t^2/2)
        assert w.value() == pytest.approx(math.sqrt(math.pi / 2) * math.exp(-t * t / 2), abs=1e-4)


def test_discrete_flip_and_slide_is_the_sum_written_out():
    f, g = [2.0, -1.0, 3.0], [1.0, 0.5]
    # (f*g)[n] = sum_k f[k] g[n - k], by hand:
    by_hand = {
        -1: 0.0,
        0: 2 * 1,
        1: 2 * 0.5 + (-1) * 1,
        2: (-1) * 0.5 + 3 * 1,
        3: 3 * 0.5,
        4: 0.0,
    }
    for n, expected in by_hand.items():
        view = ops.discrete_flip_and_slide(f, g, n)
        assert view.value == pytest.approx(expected), n
    view = ops.discrete_flip_and_slide(f, g, 2, ks=np.arange(-1, 5))
    assert view.f_k.tolist() == [0, 2, -1, 3, 0, 0]
    assert view.g_k.tolist() == [0, 0, 0.5, 1, 0, 0]  # g[2 - k]: g flipped, slid to 2
    assert view.products.tolist() == [0, 0, -0.5, 3, 0, 0]
    assert view.overlap == (1, 2) and view.n_products == 2
    assert ops.discrete_flip_and_slide(f, g, 7).overlap is None


def test_discrete_flip_and_slide_of_two_dice_counts_outcomes():
    die = data.slide_preset("two dice").f
    view = ops.discrete_flip_and_slide(die, die, 4)
    assert view.n_products == 3  # 1+3, 2+2, 3+1
    assert view.overlap == (1, 3)
    assert view.value == pytest.approx(3 / 36)


def test_discrete_flip_and_slide_rejects_bad_arguments():
    with pytest.raises(TypeError, match="n must be a whole number"):
        ops.discrete_flip_and_slide([1, 2], [1], 1.5)
    with pytest.raises(TypeError, match="ks must hold whole numbers"):
        ops.discrete_flip_and_slide([1, 2], [1], 1, ks=[0.5, 1.5])
    with pytest.raises(ValueError, match="g must be a 1-D"):
        ops.discrete_flip_and_slide([1, 2], [[1]], 1)


@pytest.mark.parametrize(
    "preset, kind",
    [
        ("box*box", draw.ContinuousSlideFigure),
        ("noisy signal * box", draw.ContinuousSlideFigure),
        ("exponential decay response", draw.ContinuousSlideFigure),
        ("two dice", draw.DiscreteSlideFigure),
    ],
)
def test_each_example_gets_the_figure_of_its_kind(preset, kind):
    fig = draw.slide_figure(preset)
    assert type(fig) is kind and isinstance(fig, draw.SlideFigure)
    assert fig.discrete == data.slide_preset(preset).discrete
    assert type(draw.SlideFigure(preset)) is kind  # the old call still works
    assert type(draw.SlideFigure(data.slide_preset(preset))) is kind
    assert fig.decimals == (0 if fig.discrete else 2)


def test_own_functions_and_sequences_get_their_figures():
    gauss = lambda x: np.exp(-(x**2))  # noqa: E731
    assert type(draw.slide_figure(data.custom_slide_preset(gauss, gauss))) is draw.ContinuousSlideFigure
    assert type(draw.slide_figure(data.custom_slide_preset([1, 2], [3]))) is draw.DiscreteSlideFigure


def test_a_figure_refuses_the_other_kind_of_example():
    with pytest.raises(ValueError, match="two sequences.*slide_figure"):
        draw.ContinuousSlideFigure("two dice")
    with pytest.raises(ValueError, match="two functions"):
        draw.DiscreteSlideFigure("box*box")


def test_the_discrete_figure_shows_the_pieces_of_the_sum():
    f, g = [1.0, 2.0, 3.0], [0.0, 1.0, 0.5]
    fig = draw.slide_figure(data.custom_slide_preset(f, g))
    fig.update(2)
    view = fig.view
    assert view.n == 2 and view.overlap == (0, 1) and view.n_products == 2  # 1*1 + 2*0
    assert fig.value == pytest.approx(1 * 0.5 + 2 * 1)
    assert fig.status().startswith("n = 2: the flipped g overlaps f at k = 0 to 1; the 2 products")


def test_value_at_off_the_grid():
    f, g = [1.0, 2.0, 3.0], [0.0, 1.0, 0.5]
    fig = draw.slide_figure(data.custom_slide_preset(f, g, t_range=(0, 1)))
    assert fig.value_at(3) == pytest.approx(np.convolve(f, g)[3])  # a whole n past the slider's end
    assert fig.value_at(2.5) == 0.0  # a sequence has values at whole n only
    box = draw.slide_figure("box*box")
    assert box.value_at(0.505) == pytest.approx(triangle(0.505), abs=3e-3)  # between two positions


def test_moving_t_changes_frame_value_and_status():
    w = slide_1d(preset="box*box", t=0.5)
    png, value, status = w.frame_png(), w.value(), w.status
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    w.slide_to(1.5)
    assert w.frame_png() != png and w.view.live_frame.endswith(base64.b64encode(w.frame_png()).decode())
    assert w.value() != value
    assert w.status != status and w.status in w.view.live_text
    w.slide_to(0.5)
    assert w.frame_png() == png  # the same t gives the same picture


@pytest.mark.parametrize(
    "preset, ts",
    [
        ("box*box", [0.5, 1.62, -0.9]),
        ("noisy signal * box", [3.0, 10.5]),
        ("two dice", [7, 0, 13]),
        ("exponential decay response", [2.5, -1.0]),
    ],
)
def test_blitted_frame_equals_full_redraw(preset, ts):
    fig = draw.SlideFigure(preset)
    for t in ts:
        fig.update(t)
        blitted = fig.render()
        full = fig.render_full()
        assert blitted.shape == full.shape
        assert np.array_equal(blitted, full), (preset, t, int((blitted != full).any(-1).sum()))


def test_a_moved_figure_equals_a_fresh_one():
    moved = draw.SlideFigure("box*box")
    for t in np.linspace(-1, 3, 9):
        moved.update(float(t))
    moved.update(1.2)
    fresh = draw.SlideFigure("box*box")
    fresh.update(1.2)
    assert np.array_equal(moved.render(), fresh.render())


def test_status_says_what_is_shown():
    w = slide_1d(preset="box*box", t=0.5)
    assert w.status == (
        "t = 0.50: the flipped g overlaps f on [0, 0.5]; the shaded area is "
        "(f*g)(0.50) = 0.50, the length of the overlap."
    )
    w.slide_to(-0.5)
    assert "does not overlap" in w.status and "= 0" in w.status
    assert "orange" in w.view.live_alt  # the figure described in words


def test_scale_enlarges_figure_and_controls():
    small = slide_1d(preset="box*box")
    big = slide_1d(preset="box*box", scale=1.6)
    ws, hs = small.figure.canvas.get_width_height()
    wb, hb = big.figure.canvas.get_width_height()
    assert (wb, hb) == (round(ws * 1.6), round(hs * 1.6))
    assert "--jp-widgets-font-size: 20.8px" in big.view.scoped_css  # the controls grow too


def test_presets_switch():
    w = slide_1d()
    assert list(w.preset.options) == PRESETS
    assert w.preset.value == "box*box"
    box_fig = w.figure
    w.preset.value = "two dice"
    assert w.figure is not box_fig
    assert (w.step.min, w.step.max, w.t) == (1, 14, 7)  # n = 0 to 13, starting at 7
    assert w.step.labels == [str(n) for n in range(14)]  # the slider reads out n, not the step
    assert w.step.description == "n" and w.status.startswith("n = 7")
    assert w.value() == pytest.approx(6 / 36)
    w.preset.value = "exponential decay response"
    assert w.step.description == "t" and np.allclose(np.diff(w.slide_figure.t_grid), 0.05)
    assert "RC circuit" in w.about.value
    w.preset.value = "box*box"
    w.slide_to(1.0)
    assert w.value() == pytest.approx(1.0, abs=3e-3)
    assert w.error.layout.display == "none"


def test_play_steps_through_the_slider_positions():
    w = slide_1d(preset="two dice")
    assert w.buttons.max == 14
    w.buttons.value = 5  # from Python, the buttons move the step too (in the browser a jslink does it)
    assert w.t == 4 and w.value() == pytest.approx(3 / 36)
    w.slide_to(9)
    assert w.buttons.value == 10


def test_slider_is_keyboard_steppable():
    w = slide_1d(preset="box*box")
    assert 20 <= w.step.max <= 400 and not w.step.disabled
    assert np.allclose(np.diff(w.slide_figure.t_grid), 0.02)


def test_callback_error_is_shown_not_raised():
    box = lambda x: ((np.asarray(x) >= 0) & (np.asarray(x) < 1)).astype(float)  # noqa: E731
    state = {"broken": False}

    def g(x):
        if state["broken"]:
            raise RuntimeError("the student's g broke")
        return box(x)

    w = slide_1d(box, g, t_range=(-1, 3))
    state["broken"] = True
    w.slide_to(2.0)  # must not raise
    assert w.error.layout.display != "none"
    assert "the student&#x27;s g broke" in w.error.value or "the student's g broke" in w.error.value
    assert isinstance(w.last_error, ValueError)  # flip_and_slide names g
    state["broken"] = False
    w.slide_to(0.5)
    assert w.error.layout.display == "none" and w.error.value == ""
    assert w.value() == pytest.approx(0.5, abs=3e-3)


def test_failed_example_switch_is_shown_and_keeps_the_old_picture():
    box = lambda x: ((np.asarray(x) >= 0) & (np.asarray(x) < 1)).astype(float)  # noqa: E731
    state = {"broken": False}

    def f(x):
        if state["broken"]:
            raise RuntimeError("the student's f broke")
        return box(x)

    w = slide_1d(f, box, t_range=(-1, 3))
    w.preset.value = "two dice"
    dice = w.slide_figure
    state["broken"] = True
    w.preset.value = "custom"  # must not raise
    assert w.slide_figure is dice and w.step.description == "n"  # the old picture stays
    assert w.preset.value == "two dice"  # and the menu goes back
    assert "Could not switch to the example" in w.error.value and "broke" in w.error.value
    assert isinstance(w.last_error, ValueError)
    state["broken"] = False
    w.slide_to(4)
    assert w.error.layout.display == "none"
    assert w.value() == pytest.approx(3 / 36)


def test_widget_readout_shows_the_figures_decimals():
    w = slide_1d(preset="box*box", t=0.5)
    assert (w.step.description, w.step.labels[w.step.value - 1]) == ("t", "0.50")
    w.preset.value = "two dice"
    assert (w.step.description, w.step.labels[w.step.value - 1]) == ("n", "7")


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(preset="triangle"), ValueError, "preset must be one of"),
        (dict(preset=3), TypeError, "preset"),
        (dict(f=np.sin), TypeError, "f and g must both be given"),
        (dict(f=np.sin, g=[1, 2]), TypeError, "same kind"),
        (dict(f=np.sin, g=np.cos, preset="box*box"), TypeError, "not both"),
        (dict(preset="box*box", t_range=(0, 1)), ValueError, "t_range is only for your own"),
        (dict(preset="two dice", tau=[0, 1]), ValueError, "tau is only"),
        (dict(scale=0), ValueError, "scale"),
        (dict(scale="big"), TypeError, "scale"),
        (dict(t=99.0), ValueError, "t must be between"),
        (dict(t="1"), TypeError, "t must be a number"),
        (dict(f=np.sin, g=np.cos, t_range=(2, 1)), ValueError, "t_range must go up"),
        (dict(f=np.sin, g=np.cos, t_range=5), TypeError, "t_range"),
        (dict(f=np.sin, g=np.cos, tau=[0, 2, 1]), ValueError, "tau must be strictly increasing"),
        (dict(f=np.sin, g=np.cos, step=0), ValueError, "step"),
        (dict(f=lambda x: x[:3], g=np.cos), ValueError, "f must return one value per input"),
        (dict(f=[1, 2], g=[[1, 2]]), ValueError, "g must be a 1-D"),
        (dict(f=[1, 2], g=[1], tau=[0, 1]), ValueError, "tau is only for functions"),
        (dict(f=[1, 2], g=[1], t_range=(0, 1.5)), ValueError, "whole number"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, words):
    with pytest.raises(error, match=words):
        slide_1d(**kwargs)


def test_slide_figure_rejects_bad_t():
    fig = draw.SlideFigure("box*box")
    with pytest.raises(TypeError, match="t must be a real number"):
        fig.update("0.5")
    with pytest.raises(ValueError, match="t must be finite"):
        fig.update(float("nan"))


@pytest.mark.parametrize("preset", ["box*box", "two dice"])
def test_the_steps_are_the_positions_of_t(preset):
    stepped, moved = draw.SlideFigure(preset), draw.SlideFigure(preset)
    for step in (1, 2, stepped.n_steps // 2, stepped.n_steps):
        moved.update(float(moved.t_grid[step - 1]))
        assert moved.step == step
        assert np.array_equal(stepped.render(step), moved.render())
        assert stepped.status() == moved.status() and stepped.detail() == moved.detail()
        assert moved.detail().startswith(f"(f*g){'[' if moved.discrete else '('}")  # the readout on the picture
    if not stepped.discrete:
        between = float(stepped.t_grid[0] + stepped.preset.step / 2)
        stepped.update(between)
        assert stepped.step is None and stepped.t == between
    with pytest.raises(ValueError, match=f"step must be between 1 and {stepped.n_steps}"):
        stepped.set_step(stepped.n_steps + 1)
