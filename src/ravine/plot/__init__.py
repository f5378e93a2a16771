"""ravine.plot — matplotlib figures of landscapes, trajectories, curves and spectra.

Every function takes plain arrays (or optimisation histories) and returns a
:class:`matplotlib.figure.Figure` built on the Agg backend; nothing is ever shown.
Encode a figure for a report with :func:`figure_to_png` / :func:`figure_to_base64`.
"""

from ravine.plot.encode import close_figure, figure_to_base64, figure_to_png
from ravine.plot.style import OKABE_ITO, PALETTE, new_figure, series_style

__all__ = ["OKABE_ITO", "PALETTE", "close_figure", "figure_to_base64", "figure_to_png", "new_figure", "series_style"]
