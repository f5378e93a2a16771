"""Side-by-side speed of ravine's autodiff against its anchors (issue 2, "Speed").

Run from the repository root::

    python bench/bench_autodiff.py            # full run, a few minutes
    python bench/bench_autodiff.py --quick    # fewer repeats, for a smoke test
    python bench/bench_autodiff.py --only scalar_chain small_mlp

Anchors, used when installed (``pip install -e ".[bench]"``, which pins
``autograd==1.9.1`` and ``torch==2.13.0``; never install a plain ``torch``):
HIPS autograd, PyTorch CPU (float64, eager), and NumPy code with the gradient
written by hand.  Every library runs the same workload in this one process.

How it measures.  Each library's workload is a zero-argument callable.  One
*sample* times ``number`` back-to-back calls and keeps the time per call; the
libraries are sampled in turn, in a rotating order, ``repeats`` times, so that
noise from this shared machine hits them all alike.  The table reports the
median sample of each library and the ratios of medians (``--statistic min``: the
fastest sample; ``--clock cpu``: the process's CPU time instead of the wall clock,
which leaves out the time a shared virtual machine's CPU is taken away; use it
with ``--threads 1``).  The garbage collector
stays on (users run with it on).  Before timing, the script checks that every
library computes the same gradient as ravine (it stops with an error if not).

Results are printed as a table and written to ``bench/results/`` as JSON
(the folder is git-ignored).  Workloads:

* ``scalar_chain``: gradient through 2001 scalar ops (sin, mul, add on 0-d
  values), in µs per op;
* ``small_mlp``: tanh MLP 64-128-10, batch 32, softmax cross-entropy gradient;
* ``big_mlp``: the same MLP at 784-1024-1024-10, batch 1024 (BLAS-bound);
* ``hvp``: Hessian-vector product time / gradient time on the small MLP
  (ravine and autograd forward-over-reverse, torch double backward);
* ``logistic``: 200 full-batch gradient-descent steps of logistic regression on
  5000 × 100 data.  Its ``replay`` column runs the NumPy calls that ravine's
  gradient makes, in the same order, with no tracing at all: the floor of an
  eager tracer, which computes the loss (its ``log1p`` and ``mean``) although
  ``grad`` discards it.  ``replay/autograd`` below a ratio goal says the goal is
  reachable by removing Python overhead; above it, it is not.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import ravine  # noqa: E402
import ravine.numpy as rnp  # noqa: E402

try:
    import autograd
    import autograd.numpy as agnp
except ImportError:  # the anchor is optional
    autograd = agnp = None
try:
    import torch
except ImportError:
    torch = None

LIBRARIES = ("by hand", "replay", "autograd", "torch", "ravine")


@dataclass
class Workload:
    """One benchmark: a callable per library returning its gradient as a list
    of NumPy arrays (compared with ravine's), and how to report the result."""

    name: str
    description: str
    unit: str
    scale: float  # seconds per call -> reported unit
    target: str
    candidates: dict[str, Callable[[], list]] = field(default_factory=dict)
    number: int = 1
    rtol: float = 1e-9


# ----------------------------------------------------------------------------
# timing
# ----------------------------------------------------------------------------


def calibrate(fun: Callable, budget: float) -> int:
    """Calls per sample so that one sample takes about ``budget`` seconds."""
    start = time.perf_counter()
    fun()
    once = max(time.perf_counter() - start, 1e-7)
    return max(1, int(budget / once))


# How a sample is timed and how samples are summarised; set from the command line.
# Wall-clock medians are the default.  On a shared virtual machine the CPU is
# sometimes taken away (steal time) and the machine's speed drifts within
# minutes; the process's CPU time and the minimum sample are steadier views of
# the same work (meaningful with --threads 1, since CPU time adds up all threads).
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
STATISTICS = {"median": statistics.median, "min": min}
clock = CLOCKS["wall"]
statistic = STATISTICS["median"]


def sample(fun: Callable, number: int) -> float:
    start = clock()
    for _ in range(number):
        fun()
    return (clock() - start) / number


def measure_interleaved(candidates: dict[str, Callable], repeats: int, budget: float) -> dict[str, list[float]]:
    """Seconds per call, ``repeats`` samples per library, libraries taken in a
    rotating order so that slow phases of the machine are shared."""
    names = list(candidates)
    numbers = {n: calibrate(candidates[n], budget) for n in names}
    for n in names:  # warm caches and lazy imports before timing
        sample(candidates[n], 1)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeats):
        order = names[r % len(names):] + names[: r % len(names)]
        for n in order:
            samples[n].append(sample(candidates[n], numbers[n]))
    return samples


def check_same_gradient(work: Workload) -> None:
    reference = [numpy.asarray(g) for g in work.candidates["ravine"]()]
    for name, fun in work.candidates.items():
        got = [numpy.asarray(g) for g in fun()]
        if len(got) != len(reference) or not all(
            numpy.allclose(a, b, rtol=work.rtol, atol=work.rtol) for a, b in zip(got, reference)
        ):
            raise SystemExit(f"{work.name}: {name} and ravine disagree on the gradient; timing would be meaningless.")


# ----------------------------------------------------------------------------
# workloads
# ----------------------------------------------------------------------------

CHAIN_ROUNDS = 667  # three ops (sin, mul, add) per round: 2001 ops


def chain(np, x):
    y = x
    for _ in range(CHAIN_ROUNDS):
        y = np.sin(y)
        y = y * x
        y = y + x
    return y


def chain_by_hand(x):
    # y_{k+1} = sin(y_k) x + x, so ∂y_{k+1}/∂y_k = cos(y_k) x and ∂y_{k+1}/∂x = sin(y_k) + 1.
    ys, y = [], x
    for _ in range(CHAIN_ROUNDS):
        ys.append(y)
        y = math.sin(y) * x + x
    g_y, g_x = 1.0, 0.0
    for y in reversed(ys):
        g_x += g_y * (math.sin(y) + 1.0)
        g_y *= math.cos(y) * x
    return [g_x + g_y]


def scalar_chain() -> Workload:
    x = 0.5
    n_ops = 3 * CHAIN_ROUNDS
    work = Workload("scalar_chain", f"gradient through {n_ops} scalar ops (sin, mul, add; 0-d)",
                    "µs/op", 1e6 / n_ops, "≤ 3.5 µs/op")
    work.candidates["by hand"] = lambda: chain_by_hand(x)
    if agnp is not None:
        ag_grad = autograd.grad(lambda x: chain(agnp, x))
        work.candidates["autograd"] = lambda: [ag_grad(x)]
    if torch is not None:
        def torch_chain():
            xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            return [torch.autograd.grad(chain(torch, xt), xt)[0].numpy()]
        work.candidates["torch"] = torch_chain
    r_grad = ravine.grad(lambda x: chain(rnp, x))
    work.candidates["ravine"] = lambda: [r_grad(x)]
    return work


def mlp_loss(np, params, X, Y):
    """Mean softmax cross-entropy of a tanh MLP written with the namespace ``np``
    (ravine.numpy or autograd.numpy); ``params`` = [W1, b1, W2, b2, ...], ``Y`` one-hot."""
    h = X
    for i in range(0, len(params) - 2, 2):
        h = np.tanh(h @ params[i] + params[i + 1])
    logits = h @ params[-2] + params[-1]
    m = np.max(logits, axis=1, keepdims=True)
    shifted = logits - m
    log_norm = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(Y * (shifted - log_norm)) / X.shape[0]


def mlp_loss_torch(params, X, Y):
    h = X
    for i in range(0, len(params) - 2, 2):
        h = torch.tanh(h @ params[i] + params[i + 1])
    logits = h @ params[-2] + params[-1]
    shifted = logits - torch.amax(logits, dim=1, keepdim=True)
    log_norm = torch.log(torch.sum(torch.exp(shifted), dim=1, keepdim=True))
    return -torch.sum(Y * (shifted - log_norm)) / X.shape[0]


def mlp_grad_by_hand(params, X, Y):
    """Backpropagation written out: δ_L = (softmax − Y)/n, δ_l = (δ_{l+1} W_{l+1}ᵀ)(1 − h_l²)."""
    hs = [X]
    for i in range(0, len(params) - 2, 2):
        hs.append(numpy.tanh(hs[-1] @ params[i] + params[i + 1]))
    logits = hs[-1] @ params[-2] + params[-1]
    e = numpy.exp(logits - logits.max(axis=1, keepdims=True))
    delta = (e / e.sum(axis=1, keepdims=True) - Y) / X.shape[0]
    grads = [None] * len(params)
    for i in range(len(params) - 2, -1, -2):
        h = hs[i // 2]
        grads[i] = h.T @ delta
        grads[i + 1] = delta.sum(axis=0)
        if i:
            delta = (delta @ params[i].T) * (1.0 - h * h)
    return grads


def mlp_problem(sizes, batch, seed=0):
    rng = numpy.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params += [rng.standard_normal((n_in, n_out)) / math.sqrt(n_in), 0.1 * rng.standard_normal(n_out)]
    X = rng.standard_normal((batch, sizes[0]))
    Y = numpy.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)]
    return params, X, Y


def mlp_workload(name, sizes, batch, unit, scale, target) -> Workload:
    params, X, Y = mlp_problem(sizes, batch)
    label = "-".join(map(str, sizes))
    work = Workload(name, f"tanh MLP {label}, batch {batch}, softmax cross-entropy gradient",
                    unit, scale, target)
    work.candidates["by hand"] = lambda: mlp_grad_by_hand(params, X, Y)
    if agnp is not None:
        ag_grad = autograd.grad(lambda p: mlp_loss(agnp, p, X, Y))
        work.candidates["autograd"] = lambda: ag_grad(params)
    if torch is not None:
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
        pt = [torch.from_numpy(p).requires_grad_() for p in params]
        work.candidates["torch"] = lambda: [g.numpy() for g in torch.autograd.grad(mlp_loss_torch(pt, Xt, Yt), pt)]
    r_grad = ravine.grad(lambda p: mlp_loss(rnp, p, X, Y))
    work.candidates["ravine"] = lambda: r_grad(params)
    return work


def small_mlp() -> Workload:
    return mlp_workload("small_mlp", (64, 128, 10), 32, "µs", 1e6, "≤ 120 µs")


def big_mlp() -> Workload:
    work = mlp_workload("big_mlp", (784, 1024, 1024, 10), 1024, "ms", 1e3, "≤ ×1.10 of by hand")
    work.rtol = 1e-8
    return work


def hvp_workloads() -> tuple[Workload, Workload]:
    """Two workloads timed together: gradient and Hessian-vector product."""
    params, X, Y = mlp_problem((64, 128, 10), 32)
    rng = numpy.random.default_rng(1)
    v = [rng.standard_normal(p.shape) for p in params]
    grad_w = Workload("hvp_grad", "gradient, small MLP", "µs", 1e6, "")
    hvp_w = Workload("hvp", "Hessian-vector product / gradient, small MLP", "ratio", 1e6, "≤ 2.3")
    loss = lambda p: mlp_loss(rnp, p, X, Y)  # noqa: E731
    r_grad, r_hvp = ravine.grad(loss), ravine.hessian_tensor_product(loss)
    if agnp is not None:
        ag_loss = lambda p: mlp_loss(agnp, p, X, Y)  # noqa: E731
        ag_grad = autograd.grad(ag_loss)
        ag_jvp_of_grad = lambda p: autograd.make_jvp(ag_grad)(p)(v)[1]  # noqa: E731  forward over reverse
        grad_w.candidates["autograd"] = lambda: ag_grad(params)
        hvp_w.candidates["autograd"] = lambda: ag_jvp_of_grad(params)
    if torch is not None:
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
        pt = [torch.from_numpy(p).requires_grad_() for p in params]
        vt = [torch.from_numpy(a) for a in v]

        def torch_hvp():  # double backward: the eager way
            gs = torch.autograd.grad(mlp_loss_torch(pt, Xt, Yt), pt, create_graph=True)
            dot = sum(torch.sum(g * a) for g, a in zip(gs, vt))
            return [h.numpy() for h in torch.autograd.grad(dot, pt)]

        grad_w.candidates["torch"] = lambda: [g.numpy() for g in torch.autograd.grad(mlp_loss_torch(pt, Xt, Yt), pt)]
        hvp_w.candidates["torch"] = torch_hvp
    grad_w.candidates["ravine"] = lambda: r_grad(params)
    hvp_w.candidates["ravine"] = lambda: r_hvp(params, v)
    return grad_w, hvp_w


def logistic() -> Workload:
    rng = numpy.random.default_rng(2)
    n, d, steps, lr = 5000, 100, 200, 0.5
    X = rng.standard_normal((n, d))
    y = numpy.sign(X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n))
    w0 = numpy.zeros(d)

    def loss(np, w):  # mean log(1 + exp(−y xᵀw))
        return np.mean(np.log1p(np.exp(-y * (X @ w))))

    def descend(gradient):
        w = w0
        for _ in range(steps):
            w = w - lr * gradient(w)
        return [w]

    def by_hand(w):
        e = numpy.exp(-y * (X @ w))
        return X.T @ (-y * e / (1.0 + e)) / n

    def replay(w):
        # The NumPy calls ravine's gradient makes, in its order, with no tracing:
        # the floor of any eager tracer, which must compute the loss's log1p and mean.
        minus_y = -y
        z = X @ w
        a = minus_y * z
        e = numpy.exp(a)
        numpy.add.reduce(numpy.log1p(e)) / numpy.intp(n)  # the loss, which grad discards
        g = numpy.empty(n)
        g[...] = 1.0 / n  # the mean's rule: ḡ/n spread over the entries
        scratch = numpy.add(e, 1)
        g = numpy.divide(g, scratch, out=scratch)  # log1p: ḡ/(1 + e)
        g = e * g  # exp: ḡ·exp(a)
        g = minus_y * g  # multiply: ḡ·(−y)
        return X.T @ g  # matmul: Xᵀḡ

    work = Workload("logistic", f"{steps} full-batch GD steps, logistic regression {n}×{d}", "ms", 1e3, "≤ 26 ms")
    work.candidates["by hand"] = lambda: descend(by_hand)
    work.candidates["replay"] = lambda: descend(replay)
    if agnp is not None:
        ag_grad = autograd.grad(lambda w: loss(agnp, w))
        work.candidates["autograd"] = lambda: descend(ag_grad)
    if torch is not None:
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

        def torch_descend():
            w = torch.from_numpy(w0.copy())
            for _ in range(steps):
                w.requires_grad_()
                (g,) = torch.autograd.grad(torch.mean(torch.log1p(torch.exp(-yt * (Xt @ w)))), w)
                w = (w - lr * g).detach()
            return [w.numpy()]

        work.candidates["torch"] = torch_descend
    r_grad = ravine.grad(lambda w: loss(rnp, w))
    work.candidates["ravine"] = lambda: descend(r_grad)
    return work


# ----------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------


def medians(work: Workload, samples: dict[str, list[float]]) -> dict[str, float]:
    """The summary statistic (the median unless --statistic min) of each library's samples."""
    return {n: statistic(s) * work.scale for n, s in samples.items()}


def ravine_metric(name: str, med: dict[str, float]) -> float:
    """The number compared with the issue's target."""
    if name == "big_mlp":
        return med["ravine"] / med["by hand"]
    return med["ravine"]


def format_row(cells, widths):
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))


def print_table(rows):
    header = ["workload", "unit", *LIBRARIES, "ravine/autograd", "ravine/torch", "ravine/by hand",
              "replay/autograd", "target"]
    table = [header]
    for row in rows:
        med = row["medians"]
        fmt = lambda v: "—" if v is None else f"{v:.3g}"  # noqa: E731
        ratio = lambda other: fmt(med["ravine"] / med[other]) if other in med else "—"  # noqa: E731
        table.append([row["name"], row["unit"], *(fmt(med.get(n)) for n in LIBRARIES),
                      ratio("autograd"), ratio("torch"), ratio("by hand"),
                      fmt(med["replay"] / med["autograd"]) if "replay" in med and "autograd" in med else "—",
                      row["target"]])
    widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
    for r in table:
        print(format_row(r, widths))


def environment() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
        "numpy": numpy.__version__,
        "autograd": _version("autograd") if autograd else None,
        "torch": torch.__version__ if torch else None,
        "torch_threads": torch.get_num_threads() if torch else None,
        "blas_threads": _blas_threads(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def _blas_threads():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return {info["internal_api"]: info["num_threads"] for info in threadpool_info()}


def limit_threads(n):
    """Limit NumPy's BLAS (through threadpoolctl, when installed) and torch to n threads."""
    if n is None:
        return None
    if torch is not None:
        torch.set_num_threads(n)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        print("threadpoolctl is not installed: NumPy's BLAS keeps its own thread count", file=sys.stderr)
        return None
    return threadpool_limits(limits=n)


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


WORKLOADS = {
    "scalar_chain": scalar_chain,
    "small_mlp": small_mlp,
    "big_mlp": big_mlp,
    "hvp": hvp_workloads,
    "logistic": logistic,
}


def run(names, repeats, budget) -> list[dict]:
    rows = []
    for name in names:
        built = WORKLOADS[name]()
        if isinstance(built, tuple):  # hvp: a ratio of two timed workloads
            grad_w, hvp_w = built
            for w in built:
                check_same_gradient(w)
            # Time gradients and HVPs in one interleaved round.
            both = {f"grad {n}": f for n, f in grad_w.candidates.items()}
            both.update({f"hvp {n}": f for n, f in hvp_w.candidates.items()})
            samples = measure_interleaved(both, repeats, budget)
            med = {n: statistic(s) for n, s in samples.items()}
            ratios = {n: med[f"hvp {n}"] / med[f"grad {n}"] for n in hvp_w.candidates}
            rows.append({"name": "hvp", "unit": "hvp/grad", "medians": ratios, "target": hvp_w.target,
                         "metric": ratios["ravine"],
                         "seconds": {n: {"grad": med[f"grad {n}"], "hvp": med[f"hvp {n}"]} for n in hvp_w.candidates}})
        else:
            check_same_gradient(built)
            samples = measure_interleaved(built.candidates, repeats, budget)
            med = medians(built, samples)
            rows.append({"name": name, "unit": built.unit, "medians": med, "target": built.target,
                         "metric": ravine_metric(name, med), "description": built.description,
                         "samples": {n: [s * built.scale for s in v] for n, v in samples.items()}})
        print(f"  {name}: done", file=sys.stderr)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats of short samples (a smoke test)")
    parser.add_argument("--only", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=None, help="samples per library (default 21, quick 5)")
    parser.add_argument("--clock", choices=list(CLOCKS), default="wall",
                        help="time samples by the wall clock (default) or by the process's CPU time")
    parser.add_argument("--statistic", choices=list(STATISTICS), default="median",
                        help="summarise each library's samples by their median (default) or minimum")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit BLAS and torch to this many threads (default: the libraries' own)")
    args = parser.parse_args(argv)
    global clock, statistic
    clock, statistic = CLOCKS[args.clock], STATISTICS[args.statistic]
    repeats = args.repeats or (5 if args.quick else 21)
    # Many short samples rather than a few long ones: on a shared machine the
    # load changes within seconds, and the median of many samples shrugs it off.
    budget = 0.01 if args.quick else 0.03
    thread_limits = limit_threads(args.threads)  # noqa: F841 (the limits hold while it lives)
    env = environment()
    env["threads_limit"] = args.threads
    env["clock"], env["statistic"] = args.clock, args.statistic
    print(f"timing: {args.clock} clock, {args.statistic} of {repeats} samples per library")
    print(f"machine: {env['cpu']}, {env['cores']} cores, load {env['load_average']}; Python {env['python']}, "
          f"NumPy {env['numpy']}, autograd {env['autograd']}, torch {env['torch']}; threads {env['blas_threads']}")
    rows = run(args.only, repeats, budget)
    env["load_average_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print_table(rows)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"autodiff-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"environment": env, "repeats": repeats, "workloads": rows}, indent=1))
    print(f"results: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
