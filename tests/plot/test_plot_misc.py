"""Embeddings, sweeps, bars, encoding and the no-pyplot guarantee."""

import base64
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import numpy
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ravine.errors import ConfigError, ShapeError
from ravine.plot import comparison_bars, embedding_plot, figure_to_base64, figure_to_png, lr_sweep_plot, new_figure, pca_2d
from ravine.plot.style import PALETTE, series_style


def test_pca_matches_the_covariance_eigendecomposition():
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((30, 5)) @ numpy.diag([5.0, 2.0, 1.0, 0.5, 0.1])
    coords, explained = pca_2d(x)
    eigval, eigvec = numpy.linalg.eigh(numpy.cov(x.T))
    top = eigvec[:, ::-1][:, :2]
    centred = x - x.mean(axis=0)
    numpy.testing.assert_allclose(numpy.abs(coords), numpy.abs(centred @ top), atol=1e-10)
    numpy.testing.assert_allclose(explained, eigval[::-1][:2] / eigval.sum())
    # the sign rule fixes each direction (largest loading positive): negated data give negated coordinates
    numpy.testing.assert_allclose(pca_2d(-x)[0], -coords, atol=1e-10)


def test_embedding_plot_places_and_labels_every_word(assert_labelled):
    vectors = numpy.array([[1.0, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    words = ["king", "queen", "<lord>", "lady"]
    fig = embedding_plot(vectors, words, groups=["m", "f", "m", "f"])
    ax = fig.axes[0]
    coords, _ = pca_2d(vectors)
    offsets = numpy.concatenate([c.get_offsets() for c in ax.collections])
    numpy.testing.assert_allclose(offsets, coords[[0, 2, 1, 3]])  # drawn group by group
    assert [t.get_text() for t in ax.texts] == words
    numpy.testing.assert_allclose([t.xy for t in ax.texts], coords)
    assert "% of variance" in ax.get_xlabel()
    assert_labelled(fig)
    with pytest.raises(ShapeError, match="one word per row"):
        embedding_plot(vectors, words[:3])


def test_lr_sweep_sorts_marks_divergence_and_the_best(assert_labelled):
    lrs = numpy.array([1.0, 0.01, 0.1, 3.0])
    losses = numpy.array([0.05, 0.5, 0.1, numpy.inf])
    fig = lr_sweep_plot(lrs, {"seed 0": losses}, bound=2.0)
    ax = fig.axes[0]
    line = next(l for l in ax.lines if l.get_label() == "seed 0")
    numpy.testing.assert_array_equal(line.get_xydata(), [[0.01, 0.5], [0.1, 0.1], [1.0, 0.05]])
    diverged = [l for l in ax.lines if l.get_marker() == "x" and len(l.get_xdata())]
    assert [list(l.get_xdata()) for l in diverged] == [[3.0]]
    best = [l for l in ax.lines if l.get_marker() == "o" and l.get_markerfacecolor() == "none"]
    assert tuple(best[0].get_xydata()[0]) == (1.0, 0.05)
    assert next(l for l in ax.lines if l.get_label() == "2/λ_max").get_xdata()[0] == 2.0
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert_labelled(fig)
    with pytest.raises(ConfigError, match="positive"):
        lr_sweep_plot([0.0, 1.0], [1.0, 2.0])


def test_comparison_bars_show_values_and_never_draw_a_missing_bar(assert_labelled):
    names = ["GD", "momentum", "Newton"]
    fig = comparison_bars(names, {"steps": [None, 900, 22], "evaluations": [numpy.nan, 900, 60]}, log=True)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [900, 22, 900, 60]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("not reached") == 2 and "22" in texts and "60" in texts
    missing = [t for t in ax.texts if t.get_text() == "not reached"]
    assert all(t.xy[0] == 0.0 and t.xycoords == ("axes fraction", "data") for t in missing)  # visible on a log axis
    assert [t.get_text() for t in comparison_bars(["a", "b"], [1200, 0.12345]).axes[0].texts] == ["1,200", "0.123"]
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    assert_labelled(fig)
    with pytest.raises(ShapeError, match="2 entries for 3 names"):
        comparison_bars(names, [1, 2])


def test_png_encoding_and_release():
    fig = new_figure(2, 2)
    fig.add_subplot().plot([0, 1], [1, 0])
    assert isinstance(fig.canvas, FigureCanvasAgg)
    png = figure_to_png(fig, dpi=30, close=False)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(__import__("io").BytesIO(png), format="png")
    assert image.shape[:2] == (60, 60)
    text = figure_to_base64(fig, dpi=30)
    again = matplotlib.image.imread(__import__("io").BytesIO(base64.b64decode(text)), format="png")
    assert again.shape == image.shape
    assert fig.axes == []  # released
    with pytest.raises(ConfigError, match="expected a matplotlib Figure"):
        figure_to_png("not a figure")


def test_pyplot_figures_are_closed_too():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    number = fig.number
    figure_to_png(fig, dpi=20)
    assert not plt.fignum_exists(number)


def test_importing_ravine_plot_does_not_import_pyplot():
    code = "import sys, ravine.plot, ravine.report; print('matplotlib.pyplot' in sys.modules)"
    src = str(Path(__file__).resolve().parents[2] / "src")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": src})
    assert out.stdout.strip() == "False"


def test_series_styles_stay_distinct_beyond_the_palette():
    styles = [tuple(series_style(i).values()) for i in range(3 * len(PALETTE))]
    assert len(set(styles)) == len(styles)
    assert series_style(0)["color"] == PALETTE[0] == "#0072B2"
