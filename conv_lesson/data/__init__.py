"""What the lessons compute on: example arrays, detector presets, pictures, 1-D examples.

- :mod:`.arrays`: the lesson's face and its detector, the named detector presets;
- :mod:`.images`: a real photo shipped offline, a student's own picture;
- :mod:`.flip_slide`: the flip-and-slide examples of lesson 01;
- :mod:`.digits`: 1,797 real handwritten digits, 8x8 (lesson 09).
"""

from . import arrays, digits, flip_slide, images
from .arrays import *  # noqa: F403 - each module's __all__ says what it makes public
from .digits import *  # noqa: F403
from .flip_slide import *  # noqa: F403
from .images import *  # noqa: F403

__all__ = [*arrays.__all__, *images.__all__, *flip_slide.__all__, *digits.__all__]
