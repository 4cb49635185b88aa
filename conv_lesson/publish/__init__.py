"""The lessons wherever they are opened: an offline web site and reveal.js slides, no network needed.

- :mod:`.assets`: the pinned JavaScript, CSS and fonts (package data, with licences);
- :mod:`.offline`: each widget kind's form for a page with no kernel (an IPython extension shows it);
- :mod:`.execute`: run a lesson with that extension, prune and compress its widget state;
- :mod:`.site`: ``python -m conv_lesson site -o DIR``;
- :mod:`.slides`: ``python -m conv_lesson slides NN -o DIR``;
- :mod:`.hub`: ``python -m conv_lesson class-link --hub URL --repo GIT_URL`` (a class on a JupyterHub).
"""

from .assets import copy_assets, verify
from .execute import execute_lesson
from .hub import class_link
from .site import build_site
from .slides import build_slides, slide_types

__all__ = ["copy_assets", "verify", "execute_lesson", "build_site", "build_slides", "slide_types", "class_link"]
