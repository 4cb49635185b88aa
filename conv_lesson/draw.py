"""Pictures of convolution, with matplotlib only.

Figures are built once on their own Agg canvas (``matplotlib.figure.Figure``,
never pyplot) and then updated: a step changes only the artists that move.
Nothing here imports ipywidgets; :mod:`conv_lesson.widgets` wires controls to
these figures.
"""

from __future__ import annotations

# ===== stepper figure (helper: stepper) =====================================

# ===== 1-D flip-and-slide figure and feature-map gallery (helper: slide) ====
