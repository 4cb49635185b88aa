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
- :mod:`.learn`: learning a detector by gradient descent;
- :mod:`.backprop`: a batch through a layer and max pooling, forward and backward;
- :mod:`.network`: softmax, cross-entropy, average and global average pooling;
- :mod:`.grouped`: grouped, depthwise and separable convolution;
- :mod:`.costs`: each layer's output shape, parameters, multiply-adds and memory.
"""

from . import backprop, conv1d, costs, geometry, grouped, layers, learn, matrix, network, scan
from .backprop import *  # noqa: F403 - each module's __all__ says what it makes public
from .conv1d import *  # noqa: F403
from .costs import *  # noqa: F403
from .geometry import *  # noqa: F403
from .grouped import *  # noqa: F403
from .layers import *  # noqa: F403
from .learn import *  # noqa: F403
from .matrix import *  # noqa: F403
from .network import *  # noqa: F403
from .scan import *  # noqa: F403

__all__ = [
    *scan.__all__,
    *geometry.__all__,
    *conv1d.__all__,
    *layers.__all__,
    *matrix.__all__,
    *learn.__all__,
    *backprop.__all__,
    *network.__all__,
    *grouped.__all__,
    *costs.__all__,
]
