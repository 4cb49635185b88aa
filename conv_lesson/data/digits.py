"""Real handwritten digits, shipped with the package: 1,797 images of 8x8 (lesson 09).

The file and where it comes from (UCI's "Optical Recognition of Handwritten Digits", CC BY 4.0)
are in ``digits/README.md`` beside this module. Nothing is downloaded.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..ops.checks import check_int

__all__ = ["Digits", "handwritten_digits"]

_FILE = Path(__file__).resolve().parent / "digits" / "digits.csv.gz"


@dataclass(frozen=True)
class Digits:
    """Handwritten digits and what each one is.

    Attributes
    ----------
    images : ndarray, shape (n, 8, 8), float
        Ink from 0 (none) to 1 (a full 4x4 block of the scan): the file's counts 0-16 divided by 16.
    labels : ndarray, shape (n,), int
        The digit each image shows, 0-9.
    """

    images: np.ndarray
    labels: np.ndarray

    def __len__(self):
        return len(self.labels)

    def split(self, test, *, seed=0):
        """Two parts drawn at random without overlap: (train, test), ``test`` images in the second.

        Parameters
        ----------
        test : int
            How many images the test part holds (1 to n - 1).
        seed : int, default 0
            The shuffle's seed: the same seed gives the same parts.

        Returns
        -------
        (Digits, Digits)

        Examples
        --------
        >>> train, test = handwritten_digits().split(360)
        >>> len(train), len(test)
        (1437, 360)
        """
        test = check_int(test, "test", 1)
        seed = check_int(seed, "seed", 0)
        if test >= len(self):
            raise ValueError(f"test must leave at least one image to train on: {test} >= {len(self)} images")
        order = np.random.default_rng(seed).permutation(len(self))
        parts = order[test:], order[:test]
        return tuple(Digits(self.images[p], self.labels[p]) for p in parts)


def handwritten_digits():
    """The 1,797 handwritten digits of UCI's "Optical Recognition of Handwritten Digits", 8x8 each.

    Returns
    -------
    Digits
        ``images`` (1797, 8, 8) in [0, 1] and ``labels`` (1797,) from 0 to 9, in the file's order.

    Examples
    --------
    >>> digits = handwritten_digits()
    >>> digits.images.shape, digits.labels[:5].tolist()
    ((1797, 8, 8), [0, 1, 2, 3, 4])
    >>> float(digits.images.max())
    1.0
    """
    with gzip.open(_FILE, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    return Digits(images=table[:, :64].reshape(-1, 8, 8) / 16.0, labels=table[:, 64].copy())
