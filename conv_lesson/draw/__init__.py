"""Pictures of convolution, with matplotlib only (never pyplot, never ipywidgets).

Figures are built once on their own Agg canvas and then updated: a step
changes only the artists that move.

- :mod:`.cells`: one toolkit for a grid of numbered cells (number format, text colour);
- :mod:`.text`: status and arithmetic lines, titles, alt text;
- :mod:`.readable`: how big a figure's text comes out (the smallest, in pixels);
- :mod:`.export`: PNG encoding, the frame pool, GIF/MP4;
- :mod:`.stepper`: the stepper's figure;
- :mod:`.flip_slide`: the 1-D flip-and-slide figures;
- :mod:`.flip_slide_base`, :mod:`.flip_slide_text`: their shared skeleton, their words;
- :mod:`.gallery`: many detectors, many maps;
- :mod:`.figures`: small static figures for the lessons;
- :mod:`.network`: lesson 09's digits with captions and training curves;
- :mod:`.grids`: panels of numbered cells, stepped by blitting, for the figures below;
- :mod:`.receptive`, :mod:`.im2col`, :mod:`.transposed`, :mod:`.convmatrix`: receptive fields, im2col,
  transposed convolution and the convolution matrix (lessons 07 and 08);
- :mod:`.depthwise`: a depthwise convolution, channel by channel (lesson 09).
"""

from .cells import cell_labels, ink_on
from .convmatrix import conv_matrix_figure
from .depthwise import DepthwiseFigure
from .export import encode_png, save_animation
from .figures import learning_rate_curves, loss_curve, show_arrays
from .flip_slide import ContinuousSlideFigure, DiscreteSlideFigure, SlideFigure, slide_figure
from .gallery import GalleryFigure, feature_map_gallery, map_thumbnails
from .im2col import Im2colFigure
from .network import digit_pictures, training_curves
from .readable import smallest_text_px, text_sizes_px
from .receptive import ReceptiveFieldFigure
from .stepper import StepperFigure
from .text import arithmetic_line, matches_text, status_line
from .transposed import TransposedFigure

__all__ = [
    "digit_pictures",
    "training_curves",
    "cell_labels",
    "ink_on",
    "encode_png",
    "save_animation",
    "StepperFigure",
    "arithmetic_line",
    "matches_text",
    "status_line",
    "SlideFigure",
    "ContinuousSlideFigure",
    "DiscreteSlideFigure",
    "slide_figure",
    "show_arrays",
    "loss_curve",
    "GalleryFigure",
    "feature_map_gallery",
    "ReceptiveFieldFigure",
    "Im2colFigure",
    "TransposedFigure",
    "DepthwiseFigure",
    "conv_matrix_figure",
    "learning_rate_curves",
    "map_thumbnails",
    "smallest_text_px",
    "text_sizes_px",
]
