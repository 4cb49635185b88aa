"""Controls for the lessons, with ipywidgets, wired to :mod:`conv_lesson.draw`.

A callback never fails silently: errors are shown inside the widget.
"""

from __future__ import annotations

# ===== stepper widget (helper: stepper) =====================================

# ===== slide_1d widget (helper: slide) ======================================
