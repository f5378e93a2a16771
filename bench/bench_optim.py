"""One optimiser step on 10⁶ parameters: ravine.optim vs the same update written by hand in NumPy.

For each optimiser, the ravine step is ``updates, state = opt.update(g, state, θ); θ = apply_updates(θ, updates)``
(immutable state: new arrays each step); the anchor is the update a NumPy user writes directly, in the
same functional style (``p = mu * p - lr * g; theta = theta + p``).  A second anchor does the update in
place (``out=`` arguments), the fastest NumPy can do.  Both sides use the same gradient array; the
first step of each is checked to give the same θ.  Samples alternate between the sides; medians are
reported with the ratio ravine / hand-written (target ≤ 1.5).

    python bench/bench_optim.py [--n 1000000] [--repeats 30]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ravine.optim import adagrad, adam, apply_updates, gd, momentum, nesterov, rmsprop

LR, MU, GAMMA, B1, B2, EPS = 1e-3, 0.9, 0.1, 0.9, 0.999, 1e-8


def hand_written(name: str, n: int):
    """(init, step) of the hand-written functional NumPy update."""
    if name == "gd":
        return (lambda: None), (lambda th, g, s: (th - LR * g, s))
    if name == "momentum":
        def step(th, g, p):
            p = MU * p - LR * g
            return th + p, p
        return (lambda: np.zeros(n)), step
    if name == "nesterov":
        def step(th, g, d):
            d_new = MU * d - LR * g
            return th + (MU * d_new - LR * g), d_new
        return (lambda: np.zeros(n)), step
    if name == "adagrad":
        def step(th, g, acc):
            acc = acc + g * g
            return th - LR * g / (np.sqrt(acc) + EPS), acc
        return (lambda: np.zeros(n)), step
    if name == "rmsprop":
        def step(th, g, s):
            s = (1 - GAMMA) * s + GAMMA * g * g
            return th - LR * g / np.sqrt(s + EPS), s
        return (lambda: np.zeros(n)), step
    if name == "adam":
        def step(th, g, st):
            m, v, t = st
            t += 1
            m = B1 * m + (1 - B1) * g
            v = B2 * v + (1 - B2) * g * g
            m_hat = m / (1 - B1**t)
            v_hat = v / (1 - B2**t)
            return th - LR * m_hat / (np.sqrt(v_hat) + EPS), (m, v, t)
        return (lambda: (np.zeros(n), np.zeros(n), 0)), step
    raise KeyError(name)


def in_place(name: str, n: int):
    """(init, step) of the in-place NumPy update (buffers reused), where it is simple to write."""
    tmp = np.empty(n)
    if name == "gd":
        def step(th, g, s):
            np.multiply(g, -LR, out=tmp)
            th += tmp
            return th, s
        return (lambda: None), step
    if name == "momentum":
        def step(th, g, p):
            p *= MU
            np.multiply(g, LR, out=tmp)
            p -= tmp
            th += p
            return th, p
        return (lambda: np.zeros(n)), step
    if name == "adam":
        tmp2 = np.empty(n)

        def step(th, g, st):
            m, v, t = st
            t += 1
            m *= B1
            m += (1 - B1) * g
            v *= B2
            np.multiply(g, g, out=tmp)
            np.multiply(tmp, 1 - B2, out=tmp)
            v += tmp
            np.sqrt(v, out=tmp)
            np.multiply(tmp, 1 / np.sqrt(1 - B2**t), out=tmp)
            np.add(tmp, EPS, out=tmp)
            np.divide(m, tmp, out=tmp2)
            np.multiply(tmp2, -LR / (1 - B1**t), out=tmp2)
            th += tmp2
            return th, (m, v, t)
        return (lambda: (np.zeros(n), np.zeros(n), 0)), step
    return None


RAVINE = {"gd": lambda: gd(LR), "momentum": lambda: momentum(LR, MU), "nesterov": lambda: nesterov(LR, MU),
          "adagrad": lambda: adagrad(LR, EPS), "rmsprop": lambda: rmsprop(LR, GAMMA, EPS),
          "adam": lambda: adam(LR, B1, B2, EPS)}


def bench(name: str, n: int, repeats: int) -> dict:
    rng = np.random.default_rng(0)
    theta0, g = rng.standard_normal(n), rng.standard_normal(n)
    opt = RAVINE[name]()
    init, step = hand_written(name, n)

    # same first step on both sides
    u, _ = opt.update(g, opt.init(theta0), theta0)
    ours, theirs = apply_updates(theta0, u), step(theta0, g, init())[0]
    if not np.allclose(ours, theirs, rtol=1e-12, atol=1e-15):
        raise SystemExit(f"{name}: ravine and the hand-written update disagree")

    sides = {"ravine": None, "numpy": None}
    state, th_r = opt.init(theta0), theta0.copy()
    s_h, th_h = init(), theta0.copy()
    ip = in_place(name, n)
    if ip is not None:
        s_i, th_i = ip[0](), theta0.copy()
        sides["numpy_inplace"] = None
    times = {k: [] for k in sides}
    for _ in range(repeats):
        t = time.perf_counter()
        u, state = opt.update(g, state, th_r)
        th_r = apply_updates(th_r, u)
        times["ravine"].append(time.perf_counter() - t)
        t = time.perf_counter()
        th_h, s_h = step(th_h, g, s_h)
        times["numpy"].append(time.perf_counter() - t)
        if ip is not None:
            t = time.perf_counter()
            th_i, s_i = ip[1](th_i, g, s_i)
            times["numpy_inplace"].append(time.perf_counter() - t)
    med = {k: float(np.median(v)) for k, v in times.items()}
    return {"name": name, **{f"{k}_ms": 1e3 * v for k, v in med.items()},
            "ratio": med["ravine"] / med["numpy"],
            "ratio_inplace": med["ravine"] / med["numpy_inplace"] if "numpy_inplace" in med else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"one step on {args.n:,} parameters, median of {args.repeats} (ms); ratio = ravine / hand-written NumPy")
    print(f"{'optimiser':<10} {'ravine':>8} {'numpy':>8} {'ratio':>6} {'in-place':>9} {'ratio':>6}")
    for name in RAVINE:
        r = bench(name, args.n, args.repeats)
        inplace = f"{r['numpy_inplace_ms']:9.2f} {r['ratio_inplace']:6.2f}" if r["ratio_inplace"] else f"{'—':>9} {'—':>6}"
        print(f"{name:<10} {r['ravine_ms']:8.2f} {r['numpy_ms']:8.2f} {r['ratio']:6.2f} {inplace}")


if __name__ == "__main__":
    main()
