"""ravine.plot — matplotlib figures of landscapes, trajectories, curves and spectra.

Every function takes plain arrays (or optimisation histories read as plain data)
and returns a :class:`matplotlib.figure.Figure` built on the Agg backend without
pyplot; nothing is ever shown.  Colours come from the Okabe–Ito palette, every
axis is labelled.  Encode a figure for a report with :func:`figure_to_png` or
:func:`figure_to_base64` (both release the figure).

Grids follow ``numpy.meshgrid(x, y, indexing="ij")``: ``z[i, j]`` is the value at
``(x[i], y[j])``; :func:`evaluate_grid` builds one from a function.

Modules: :mod:`.contour` (contours + optimiser paths), :mod:`.surface` (3-D),
:mod:`.landscape` (1-D cross-sections, 2-D slices), :mod:`.curves` (training
curves), :mod:`.spectrum` (Hessian spectra, spectral densities),
:mod:`.histograms` (activations, weights), :mod:`.embedding` (PCA of word
vectors), :mod:`.comparison` (learning-rate sweeps, bar charts),
:mod:`.encode`, :mod:`.style`.
"""

from ravine.plot.comparison import comparison_bars, lr_sweep_plot
from ravine.plot.contour import contour_plot, evaluate_grid
from ravine.plot.curves import training_curves
from ravine.plot.embedding import embedding_plot, pca_2d
from ravine.plot.encode import close_figure, figure_to_base64, figure_to_png
from ravine.plot.histograms import activation_histograms, unit_fractions, weight_histograms
from ravine.plot.landscape import cross_section_plot, slice_plot
from ravine.plot.spectrum import hessian_spectrum_plot, spectral_density_plot
from ravine.plot.style import OKABE_ITO, PALETTE, new_figure, series_style
from ravine.plot.surface import surface_plot

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "activation_histograms",
    "close_figure",
    "comparison_bars",
    "contour_plot",
    "cross_section_plot",
    "embedding_plot",
    "evaluate_grid",
    "figure_to_base64",
    "figure_to_png",
    "hessian_spectrum_plot",
    "lr_sweep_plot",
    "new_figure",
    "pca_2d",
    "series_style",
    "slice_plot",
    "spectral_density_plot",
    "surface_plot",
    "training_curves",
    "unit_fractions",
    "weight_histograms",
]
