"""Lesson 09's pictures: many small digits with captions, and a network's loss and accuracy while it trains."""

from __future__ import annotations

import numpy as np

from ..ops.checks import as_array, check_int, check_scale, describe
from .readable import MIN_TEXT_PT, ReadableFigure

__all__ = ["digit_pictures", "training_curves", "TrainingCurvesFigure"]

#: Okabe-Ito blue (loss, training accuracy) and vermillion (test accuracy): told apart without colour by line style.
LOSS_COLOUR, TEST_COLOUR = "#0072B2", "#D55E00"


def digit_pictures(images, captions, *, alt, columns=10, scale=1.0):
    """Small greyscale pictures in a grid, each with a caption under it (no numbers in the cells).

    Parameters
    ----------
    images : array_like, shape (n, H, W)
        Ink from 0 (white) to 1 (black), as :func:`conv_lesson.data.handwritten_digits` gives it.
    captions : sequence of str
        One per image; a caption may hold a line break.
    alt : str
        The picture in words (what a screen reader says for it).
    columns : int, default 10
    scale : float, default 1.0

    Returns
    -------
    conv_lesson.draw.readable.ReadableFigure

    Examples
    --------
    >>> fig = digit_pictures(np.zeros((3, 8, 8)), ["a", "b", "c"], alt="three blank digits")
    >>> len(fig.axes), fig.axes[1].get_xlabel(), fig.alt_text
    (3, 'b', 'three blank digits')
    """
    pictures = as_array(images, "images", (3,), "an array (n, H, W) of pictures")
    if not isinstance(captions, (list, tuple)) or not all(isinstance(c, str) for c in captions):
        raise TypeError(f"captions must be a list of str, one per image; got {describe(captions)}")
    if len(captions) != len(pictures):
        raise ValueError(f"captions must have one str per image: {len(pictures)} images, {len(captions)} captions")
    if not isinstance(alt, str) or not alt.strip():
        raise TypeError(f"alt must be a non-empty str saying what the pictures show; got {describe(alt)}")
    columns, scale = check_int(columns, "columns", 1), check_scale(scale)
    columns = min(columns, len(pictures))
    rows = -(-len(pictures) // columns)
    lines = max(c.count("\n") + 1 for c in captions)
    longest = max(len(line) for c in captions for line in c.split("\n"))
    cell = max(0.8, 0.09 * longest)  # inches a picture: its caption fits under it at the lesson's text size
    size = (scale * cell * columns, scale * (cell + 0.3 * lines) * rows)
    fig = ReadableFigure(figsize=size, dpi=100, layout="constrained")
    fig.alt_text = alt
    for i, (picture, caption) in enumerate(zip(pictures, captions)):
        ax = fig.add_subplot(rows, columns, i + 1)
        ax.imshow(picture, cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(caption, fontsize=MIN_TEXT_PT * scale)
    return fig


def training_curves(losses, train_accuracy, test_accuracy, *, scale=1.0):
    """The loss and the accuracies after each epoch of training, in two panels.

    Parameters
    ----------
    losses, train_accuracy, test_accuracy : sequence of float
        One value per epoch (accuracies from 0 to 1); all three the same length.
    scale : float, default 1.0

    Returns
    -------
    TrainingCurvesFigure
        Its alt text gives the first and last values; :meth:`TrainingCurvesFigure.show` redraws it
        with more epochs.

    Examples
    --------
    >>> fig = training_curves([2.3, 0.4], [0.5, 0.9], [0.45, 0.88])
    >>> fig.alt_text
    'Training curves over 2 epochs: loss 2.3 to 0.4; training accuracy 50% to 90%; test accuracy 45% to 88%.'
    """
    scale = check_scale(scale)
    fig = TrainingCurvesFigure(figsize=(7.6 * scale, 3.1 * scale), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2)
    fig.lines = (
        left.plot([], [], color=LOSS_COLOUR, linewidth=2, marker="o")[0],
        right.plot([], [], color=LOSS_COLOUR, linewidth=2, marker="o", label="training images")[0],
        right.plot([], [], color=TEST_COLOUR, linewidth=2, marker="s", linestyle="--", label="test images")[0],
    )
    left.set_ylabel("loss (cross-entropy)", fontsize=11 * scale)
    right.set_ylabel("accuracy (%)", fontsize=11 * scale)
    right.legend(fontsize=MIN_TEXT_PT * scale, loc="lower right")
    for ax in (left, right):
        ax.set_xlabel("epoch", fontsize=11 * scale)
        ax.tick_params(labelsize=MIN_TEXT_PT * scale)
        ax.grid(True, alpha=0.3)
        ax.title.set_fontsize(11 * scale)
    fig.show(losses, train_accuracy, test_accuracy)
    return fig


class TrainingCurvesFigure(ReadableFigure):
    """The figure of :func:`training_curves`: drawn once, its lines, titles and alt text updated by :meth:`show`."""

    lines = ()

    def show(self, losses, train_accuracy, test_accuracy):
        """Show these values (one per epoch), keeping everything else of the figure.

        Examples
        --------
        >>> fig = training_curves([2.3], [0.5], [0.45])
        >>> fig.show([2.3, 0.4], [0.5, 0.9], [0.45, 0.88])
        >>> fig.axes[1].get_title()
        'test accuracy after epoch 2: 88.0%'
        """
        named = (("losses", losses), ("train_accuracy", train_accuracy), ("test_accuracy", test_accuracy))
        series = [as_array(v, name, (1,), "a 1-D sequence with one number per epoch") for name, v in named]
        if len({len(s) for s in series}) != 1:
            raise ValueError(f"losses, train_accuracy and test_accuracy must have one value per epoch each; "
                             f"got lengths {[len(s) for s in series]}")  # fmt: skip
        loss, train, test = series
        epochs = np.arange(1, len(loss) + 1)
        for line, values in zip(self.lines, (loss, train * 100, test * 100)):
            line.set_data(epochs, values)
        left, right = self.axes
        for ax in (left, right):
            ax.relim()
            ax.autoscale_view()
        left.set_title(f"loss: {loss[0]:.3g} after epoch 1, {loss[-1]:.3g} after {len(loss)}")
        right.set_title(f"test accuracy after epoch {len(loss)}: {test[-1]:.1%}")
        self.alt_text = (
            f"Training curves over {len(loss)} epochs: loss {loss[0]:.3g} to {loss[-1]:.3g}; training accuracy "
            f"{train[0]:.0%} to {train[-1]:.0%}; test accuracy {test[0]:.0%} to {test[-1]:.0%}."
        )
