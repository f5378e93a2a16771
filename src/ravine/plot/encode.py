"""Encode a finished figure as PNG bytes or base64 text, and release it."""

from __future__ import annotations

import base64
import io
import sys

from matplotlib.figure import Figure

from ravine.errors import ConfigError

__all__ = ["figure_to_png", "figure_to_base64", "close_figure"]


def close_figure(fig: Figure) -> None:
    """Free the figure's memory (and drop it from pyplot's registry if it is there)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    fig.clear()


def figure_to_png(fig: Figure, *, dpi: int = 110, close: bool = True) -> bytes:
    """The figure as PNG file bytes; closes the figure unless ``close=False``."""
    if not isinstance(fig, Figure):
        raise ConfigError(f"expected a matplotlib Figure; got {type(fig).__name__}")
    if dpi <= 0:
        raise ConfigError(f"dpi must be positive; got {dpi!r}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    if close:
        close_figure(fig)
    return buffer.getvalue()


def figure_to_base64(fig: Figure, *, dpi: int = 110, close: bool = True) -> str:
    """The figure's PNG as ASCII base64 text (for a ``data:image/png;base64,`` URI)."""
    return base64.b64encode(figure_to_png(fig, dpi=dpi, close=close)).decode("ascii")
