"""Top Hessian eigenvalue of a ~10⁵-parameter MLP on digits: Lanczos (ravine's own,
full re-orthogonalisation) against power iteration (what PyHessian does) on the
same HessianOperator, counting Hessian-vector products and wall time to reach the
same accuracy; plus the cost of one product by make_hvp (reverse over reverse,
traced once) and by hessian_tensor_product (forward over reverse).

Run: PYTHONPATH=src python bench/bench_diagnose.py [--hidden 512 128]
"""

from __future__ import annotations

import argparse
import time

import numpy

import ravine.numpy as np
from ravine import getval, hessian_tensor_product
from ravine.diagnose import hessian_operator
from ravine.diagnose.krylov import lanczos_top_eigenpair, power_iteration


def mlp_problem(hidden: list[int], seed: int = 0):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = (X - X.mean(0)) / numpy.maximum(X.std(0), 1e-12)
    Y = numpy.eye(10)[y]
    sizes = [X.shape[1], *hidden, 10]
    rng = numpy.random.default_rng(seed)
    params = [{"W": rng.normal(size=(a, b)) * numpy.sqrt(1.0 / a), "b": numpy.zeros(b)} for a, b in zip(sizes, sizes[1:])]

    def loss(layers):
        h = X
        for i, layer in enumerate(layers):
            h = np.dot(h, layer["W"]) + layer["b"]
            if i < len(layers) - 1:
                h = np.tanh(h)
        m = numpy.max(getval(h), axis=1, keepdims=True)
        logp = h - m - np.log(np.sum(np.exp(h - m), axis=1, keepdims=True))
        return -np.mean(np.sum(Y * logp, axis=1))

    return loss, params


def products_to_reach(trace: numpy.ndarray, reference: float, rel: float) -> int | None:
    hit = numpy.flatnonzero(numpy.abs(trace - reference) <= rel * abs(reference))
    return int(hit[0]) + 1 if hit.size else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, nargs="+", default=[512, 128])
    ap.add_argument("--power-max", type=int, default=400)
    args = ap.parse_args()
    loss, params = mlp_problem(args.hidden)
    op = hessian_operator(loss, params)
    n = op.shape[0]
    print(f"MLP 64-{'-'.join(map(str, args.hidden))}-10 tanh on digits (1797 examples): {n} parameters")

    v = numpy.random.default_rng(1).standard_normal(n)
    t = time.perf_counter()
    for _ in range(3):
        op.matvec(v)
    t_hvp = (time.perf_counter() - t) / 3
    htp = hessian_tensor_product(op.flat.fun)
    t = time.perf_counter()
    for _ in range(3):
        htp(op.theta, v)
    t_htp = (time.perf_counter() - t) / 3
    print(f"one Hessian-vector product: make_hvp {t_hvp:.3f} s, hessian_tensor_product {t_htp:.3f} s "
          f"(ratio {t_htp / t_hvp:.2f})")

    v0 = numpy.random.default_rng(2).standard_normal(n)
    ref = lanczos_top_eigenpair(op, tol=1e-12, max_steps=120, v0=v0)
    print(f"reference λmax = {ref.value:.12g} (Lanczos, {ref.n_matvecs} products, residual {ref.residual:.1e})")

    rows = []
    for name, run in (("lanczos", lambda tol: lanczos_top_eigenpair(op, tol=tol, max_steps=120, v0=v0)),
                      ("power", lambda tol: power_iteration(op, tol=tol, max_iter=args.power_max, v0=v0))):
        for tol in (1e-3, 1e-6):
            t = time.perf_counter()
            est = run(tol)
            wall = time.perf_counter() - t
            rows.append((name, tol, est.n_matvecs, wall, abs(est.value - ref.value) / ref.value, est.converged))
    print("\nown stopping rule (Lanczos: residual bound ≤ tol·θ; power: |Δλ| ≤ tol·λ)")
    print(f"{'method':8} {'tol':>6} {'HVPs':>5} {'wall s':>7} {'rel. error':>10} converged")
    for name, tol, k, wall, err, conv in rows:
        print(f"{name:8} {tol:6.0e} {k:5d} {wall:7.2f} {err:10.1e} {conv}")

    lz = lanczos_top_eigenpair(op, tol=1e-14, max_steps=60, v0=v0)
    pw = power_iteration(op, tol=1e-14, max_iter=args.power_max, v0=v0)
    print("\nproducts until the estimate is within a relative error of the reference (same start vector)")
    for rel in (1e-2, 1e-3, 1e-4, 1e-6):
        a, b = products_to_reach(lz.trace, ref.value, rel), products_to_reach(pw.trace, ref.value, rel)
        ratio = f"{b / a:.1f}×" if a and b else "-"
        print(f"  {rel:6.0e}: Lanczos {a}, power iteration {b if b else f'> {pw.n_matvecs}'}  ({ratio})")
    print(f"(per-product time {t_hvp:.3f} s: wall time ≈ products × that, plus Lanczos' re-orthogonalisation)")


if __name__ == "__main__":
    main()
