"""The arithmetic of convolution, in numpy only.

Everything here is a pure function or a small record: arrays in, arrays out,
nothing drawn. Every public function checks its arguments first and raises a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
whose message names the parameter, shows what it received and says what was
expected.

- :mod:`.checks`: the argument checks everything shares;
- :mod:`.geometry`: padding amounts, output size, scan positions;
- :mod:`.scan`: :class:`Scan` (one validated, padded scan), the feature map, its steps;
- :mod:`.conv1d`: 1-D convolution, flip and slide;
- :mod:`.layers`: the full layer, parameter counts, receptive fields, pooling and the framework call;
- :mod:`.matrix`: im2col, the convolution matrix and transposed convolution;
- :mod:`.learn`: learning a detector by gradient descent.
"""

from . import conv1d, geometry, layers, learn, matrix, scan
from .conv1d import *  # noqa: F403 - each module's __all__ says what it makes public
from .geometry import *  # noqa: F403
from .layers import *  # noqa: F403
from .learn import *  # noqa: F403
from .matrix import *  # noqa: F403
from .scan import *  # noqa: F403

__all__ = [*scan.__all__, *geometry.__all__, *conv1d.__all__, *layers.__all__, *matrix.__all__, *learn.__all__]
