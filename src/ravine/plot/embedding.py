"""Word embeddings projected to 2-D by principal component analysis, points labelled.

PCA by the singular value decomposition of the centred matrix: X − x̄ = U S Vᵀ;
the projection onto the first two principal directions is (X − x̄) V[:, :2] =
U[:, :2] S[:2], and component k explains S_k² / Σ S² of the variance.  Each
direction's sign is fixed so that its largest-magnitude loading is positive,
which makes the picture reproducible.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy
from matplotlib.figure import Figure

from ravine.errors import ShapeError
from ravine.plot.style import OKABE_ITO, PALETTE, finish, new_figure

__all__ = ["pca_2d", "embedding_plot"]


def pca_2d(vectors: Any) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``(coords, explained)``: (n, 2) PCA coordinates and the two variance fractions."""
    x = numpy.asarray(vectors, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ShapeError(f"vectors must have shape (words, dimensions) with both ≥ 2; got {x.shape}")
    centred = x - x.mean(axis=0)
    _, s, vt = numpy.linalg.svd(centred, full_matrices=False)
    directions = vt[:2]
    signs = numpy.sign(directions[numpy.arange(2), numpy.argmax(numpy.abs(directions), axis=1)])
    directions = directions * signs[:, None]
    total = float(numpy.sum(s**2))
    explained = s[:2] ** 2 / total if total > 0 else numpy.zeros(2)
    return centred @ directions.T, explained


def embedding_plot(
    vectors: Any,
    words: Sequence[str],
    *,
    groups: Sequence[str] | None = None,
    title: str = "Word embeddings (PCA projection)",
    size: tuple[float, float] = (7.0, 6.0),
) -> Figure:
    """Scatter of the words' 2-D PCA coordinates, each point labelled with its word.

    ``groups`` (one label per word, e.g. "family", "pronoun") colours the points.
    """
    coords, explained = pca_2d(vectors)
    words = [str(w) for w in words]
    if len(words) != coords.shape[0]:
        raise ShapeError(f"got {len(words)} words for {coords.shape[0]} vectors; give one word per row")
    if groups is not None and len(groups) != len(words):
        raise ShapeError(f"got {len(groups)} groups for {len(words)} words; give one group per word")
    fig = new_figure(*size)
    ax = fig.add_subplot()
    labels = list(groups) if groups is not None else ["words"] * len(words)
    for i, group in enumerate(dict.fromkeys(labels)):
        mask = numpy.array([g == group for g in labels])
        ax.scatter(coords[mask, 0], coords[mask, 1], s=28, color=PALETTE[i % len(PALETTE)],
                   label=group if groups is not None else None, zorder=3)
    for word, (px, py) in zip(words, coords):
        ax.annotate(word, (px, py), xytext=(4, 3), textcoords="offset points", fontsize="small",
                    color=OKABE_ITO["black"])
    finish(ax, title=title, xlabel=f"principal component 1 ({explained[0]:.0%} of variance)",
           ylabel=f"principal component 2 ({explained[1]:.0%} of variance)", legend=groups is not None)
    return fig
