"""Draw every ravine.plot figure on small synthetic inputs and write them as a report.

    PYTHONPATH=src python scripts/plot_gallery.py [OUT_DIR]     (default: plot-gallery/)
    PYTHONPATH=src python scripts/plot_gallery.py --docs        (refresh docs/plot-example.png)

Used to look at the figures and the report design together; the inputs are
computed here (gradient descent with momentum on Rosenbrock, a random quadratic's
spectrum, random activations), nothing is pre-drawn.
"""

from __future__ import annotations

import sys

import numpy

from ravine import plot
from ravine.report import FigureImage, Finding, KeyNumber, Report, Section, Table, environment_info, write_report


def rosenbrock(a, b):
    return (1 - a) ** 2 + 100 * (b - a**2) ** 2


def rosenbrock_grad(p):
    return numpy.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)])


def heavy_ball(lr: float, beta: float, steps: int) -> dict[str, numpy.ndarray]:
    """θ ← θ + v, v ← βv − α∇f(θ), from (−1.2, 1); a History-like dict."""
    p, v = numpy.array([-1.2, 1.0]), numpy.zeros(2)
    params, loss, gnorm = [], [], []
    for _ in range(steps):
        g = rosenbrock_grad(p)
        params.append(p.copy()), loss.append(rosenbrock(*p)), gnorm.append(numpy.linalg.norm(g))
        v = beta * v - lr * g
        p = p + v
    return {"step": numpy.arange(steps), "loss": numpy.array(loss), "grad_norm": numpy.array(gnorm), "params": numpy.array(params)}


def main(out: str = "plot-gallery") -> None:
    rng = numpy.random.default_rng(0)
    runs = {f"momentum β = {b}": heavy_ball(1e-3, b, 3000) for b in (0.0, 0.5, 0.9)}
    x, y, z = plot.evaluate_grid(rosenbrock, (-2, 2), (-1, 3), 120)
    figures = [
        (plot.contour_plot(x, y, z, runs, log_levels=True, minimum=(1, 1), title="Rosenbrock from (−1.2, 1)"), "Contours (log levels) with three paths"),
        (plot.surface_plot(*plot.evaluate_grid(rosenbrock, (-2, 2), (-1, 3), 50), runs, title="Rosenbrock surface"), "3-D surface"),
        (plot.training_curves(runs, findings=[(400, "oscillation"), (1500, "plateau")]), "Training curves with findings"),
    ]
    t = numpy.linspace(-0.5, 1.5, 101)
    figures.append((plot.cross_section_plot(t, {"loss": (t - 1) ** 2 * (t + 0.4) ** 2 + 0.1}, marks={"init": 0, "trained": 1}), "1-D cross-section"))
    a = numpy.linspace(-1, 1, 60)
    aa, bb = numpy.meshgrid(a, a, indexing="ij")
    figures.append((plot.slice_plot(a, a, numpy.log1p(3 * aa**2 + bb**2 + numpy.sin(4 * aa) ** 2)), "2-D slice"))
    q = rng.standard_normal((30, 30))
    eig_init = numpy.linalg.eigvalsh(q @ q.T / 30)
    eig_trained = numpy.linalg.eigvalsh(q @ q.T / 10) - 0.3
    figures.append((plot.hessian_spectrum_plot({"initialisation": eig_init, "trained": eig_trained}, step_sizes=[0.5, 1.0], yscale="symlog"), "Hessian spectrum with 2/α lines"))
    grid = numpy.linspace(-1, 6, 300)
    density = sum(numpy.exp(-((grid - e) ** 2) / 0.02) for e in eig_trained) / (len(eig_trained) * numpy.sqrt(0.02 * numpy.pi))
    figures.append((plot.spectral_density_plot(grid, density, eigenvalues=eig_trained, step_sizes=[0.5]), "Spectral density"))
    acts = {"hidden 1": numpy.maximum(rng.standard_normal((200, 64)) - 1.5, 0), "hidden 2": 1 / (1 + numpy.exp(-4 * rng.standard_normal((200, 64)) - 3 * rng.standard_normal(64)))}
    figures.append((plot.activation_histograms(acts, activation={"hidden 1": "relu", "hidden 2": "logistic"}), "Activation histograms"))
    figures.append((plot.weight_histograms({"W1": rng.standard_normal((64, 64)) * 0.1, "W2": rng.uniform(-1, 1, (64, 10))}), "Weight histograms"))
    words = ["king", "queen", "lord", "lady", "father", "mother", "he", "she", "brother", "sister"]
    vecs = rng.standard_normal((10, 20)) + numpy.outer(numpy.tile([1, -1], 5), rng.standard_normal(20))
    figures.append((plot.embedding_plot(vecs, words, groups=["male", "female"] * 5), "Embedding projection"))
    lrs = 3.0 ** numpy.arange(-8, 1)
    figures.append((plot.lr_sweep_plot(lrs, {"seed 0": numpy.where(lrs < 0.3, 1 / (lrs * 100 + 1), numpy.inf)}, bound=0.3), "Learning-rate sweep"))
    names = ["GD", "momentum", "Nesterov", "Adam", "Newton", "L-BFGS"]
    figures.append((plot.comparison_bars(names, {"steps": [None, 900, 700, 1200, 22, 35], "gradient evaluations": [None, 900, 700, 1200, 60, 44]}, log=True), "Steps to tolerance"))
    section = Section(
        id="gallery", number=1, title="Every plot",
        lead=["Each figure is drawn from inputs computed by scripts/plot_gallery.py."],
        figures=[FigureImage.from_figure(f, c, wide=i == 0) for i, (f, c) in enumerate(figures)],
        numbers=[KeyNumber("λ_max", float(eig_trained.max()), theory=float(eig_trained.max()) * 1.01, rel_tol=0.05)],
        tables=[Table("Runs", ["run", "final loss"], [[k, float(v["loss"][-1])] for k, v in runs.items()], formats=[None, ".3g"])],
        findings=[Finding("warning", "Oscillation", evidence="loss rises on 20% of steps", remedy="decrease α or add momentum")],
    )
    report = Report("ravine plot gallery", [section], subtitle="All ravine.plot figures", environment=environment_info())
    print(write_report(report, out).index_html)


def docs_example(path: str = "docs/plot-example.png") -> None:
    """The README's example image: three momentum settings on Rosenbrock."""
    runs = {f"momentum β = {b}": heavy_ball(1e-3, b, 3000) for b in (0.0, 0.5, 0.9)}
    x, y, z = plot.evaluate_grid(rosenbrock, (-2, 2), (-1, 3), 150)
    fig = plot.contour_plot(x, y, z, runs, log_levels=True, minimum=(1, 1), title="Rosenbrock from (−1.2, 1)")
    with open(path, "wb") as handle:
        handle.write(plot.figure_to_png(fig, dpi=80))
    print(path)


if __name__ == "__main__":
    if sys.argv[1:] == ["--docs"]:
        docs_example()
    else:
        main(*sys.argv[1:])
