"""The training doctor: from a History (and, where given, the loss and final
parameters, activations, weights, inputs, restarts) to findings that name what
went wrong, with the evidence, the lecture's explanation and its workaround.

Lecture 003: debugging training means forming hypotheses and testing them with
evidence.  Each check below tests one row of the recap table
(:data:`~ravine.diagnose.problems.PROBLEMS`) and reports a finding only when the
evidence crosses its threshold; a run with no findings is reported healthy.
Checks whose evidence was not supplied are listed as not checked, never guessed.

Thresholds (:class:`Thresholds`) and why they sit where they do:

* ``slow_rate_ratio = 0.3``: the second half of the run removed at least 0.3×
  the cost the first half did.  For an exponential decay e^(−t/τ) that ratio is
  e^(−T/2τ), so ≥ 0.3 means the run lasted under ~2.4 time constants: the curve
  has not bent yet, it is still the lecture's "slow, linear" line.  Above
  ``slow_rate_ratio_max = 3`` the curve is accelerating instead (leaving a
  plateau or a saddle, or falling without bound): not slow progress.  With
  ``slow_grad_fraction = 0.3`` (the gradient norm kept ≥ 30% of its start: far
  from a stationary point) and ``slow_max_increase = 0.1`` (the cost rose on at
  most 10% of steps).  When α·λmax ≥ ``limit_fraction = 0.5`` α cannot usefully
  grow (raising it 4× reaches the stability limit 2/λmax): slow progress there is
  reported as badly conditioned curvature instead.
* ``instability_rise = 0.5``: the cost climbed back by half the progress the run
  had made (> 1: above its start); a diverged status or a NaN/Inf always counts.
  Stochastic runs are smoothed over 9 steps first.
* ``oscillation_cosine = −0.3``: consecutive descent steps are positively
  correlated; anti-correlated ones zig-zag across a ravine.  ``zigzag = 0.7``:
  noise flips the sign of successive cost differences about half the time, a
  period-two oscillation nearly always.  ``oscillation_alpha_lambda = 1.5``:
  for 1 < αλ < 1.5 the top direction does flip sign but loses over half its
  amplitude per step (|1 − αλ| < 0.5), damped within a few steps; from 1.5 to
  2 it persists.  The same bound applies to oscillations seen in weight space:
  back-and-forth steps count only while they shrink by ≥ ``oscillation_decay = 0.5``
  per step.
* ``fluctuation_roughness = 0.02``: jitter of 2% of the cost level, far above
  the rounding noise of a full-batch curve and visible on a plot.
* ``unit_fraction = 0.1``: a few dead units are harmless; a tenth of a layer is
  wasted capacity and a plateau.  ``dead_always = 0.99``: a ReLU is dead when it
  outputs 0 on 99% of the examples (sparse but alive ReLUs are often off on most
  of them); ``saturation_always = 0.9``: a bounded unit is saturated when it sits
  within 5% of an end of its range on 90% of the examples — the lecture's "nearly
  always", which logistic units with weights 30× too large meet (99% missed them).
* ``input_improvement = 100``: standardisation that lowers κ of the input
  moment matrix by two orders of magnitude is the lecture's "egregious instance".
  ``grad_growth = 2`` with ``flat_loss = 0.05``: lecture 002's signal, the
  gradient norm doubling while the cost moves by less than 5%.  The Hessian's κ
  is reported but never triggers on its own: most models have (near-)zero
  eigenvalues in directions the gradient never visits, so κ is huge in healthy
  runs too.
* ``restart_gap = 0.1``: a cost 10% above the best restart is a different basin,
  not a convergence tolerance.
* ``saddle_grad = 1e-3``, ``saddle_curvature = 1e-4``: the gradient has all but
  vanished, and the negative curvature is not rounding error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.diagnose import curves as C
from ravine.diagnose.curvature import hessian_operator
from ravine.diagnose.gradcheck import check_gradient
from ravine.diagnose.inputs import input_statistics
from ravine.diagnose.krylov import lanczos, ritz_pairs
from ravine.diagnose.problems import PROBLEMS
from ravine.diagnose.units import identical_units, unit_statistics
from ravine.errors import ConfigError
from ravine.misc.flatten import tree_leaves

__all__ = ["Diagnosis", "Finding", "Thresholds", "diagnose"]


@dataclass(frozen=True)
class Thresholds:
    """The doctor's decision thresholds (see the module docstring for why)."""

    grad_rtol: float = 1e-5
    restart_gap: float = 0.1
    slow_rate_ratio: float = 0.3
    slow_rate_ratio_max: float = 3.0
    slow_grad_fraction: float = 0.3
    slow_max_increase: float = 0.1
    instability_rise: float = 0.5
    oscillation_cosine: float = -0.3
    zigzag: float = 0.7
    oscillation_alpha_lambda: float = 1.5
    oscillation_decay: float = 0.5
    fluctuation_roughness: float = 0.02
    unit_fraction: float = 0.1
    dead_always: float = 0.99
    saturation_always: float = 0.9
    input_improvement: float = 100.0
    limit_fraction: float = 0.5
    grad_growth: float = 2.0
    flat_loss: float = 0.05
    saddle_grad: float = 1e-3
    saddle_curvature: float = 1e-4
    min_steps: int = 20
    lanczos_steps: int = 60


@dataclass(frozen=True)
class Finding:
    """A problem the evidence points to."""

    name: str
    title: str
    severity: str  # "warning" or "error"
    summary: str
    evidence: dict
    explanation: str
    remedy: str


@dataclass(frozen=True)
class Diagnosis:
    """Findings (empty for a healthy run), the measurements behind them, and the
    checks that could not run with the reason."""

    findings: tuple[Finding, ...]
    measurements: dict
    not_checked: dict
    checked: tuple[str, ...]

    @property
    def healthy(self) -> bool:
        return not self.findings

    def names(self) -> list[str]:
        return [f.name for f in self.findings]

    def to_dict(self) -> dict:
        return {"healthy": self.healthy, "findings": [asdict(f) for f in self.findings],
                "measurements": dict(self.measurements), "checked": list(self.checked),
                "not_checked": dict(self.not_checked)}

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(_plain(self.to_dict()), indent=indent, allow_nan=False)

    def to_text(self) -> str:
        from ravine.diagnose.render import diagnosis_text

        return diagnosis_text(self)

    __str__ = to_text


def _plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to floats, non-finite numbers to strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (_np.floating, float)):
        return float(value) if _np.isfinite(value) else str(float(value))
    if isinstance(value, (_np.integer,)):
        return int(value)
    if isinstance(value, _np.bool_):
        return bool(value)
    return value


def _finding(name: str, severity: str, summary: str, evidence: dict) -> Finding:
    p = PROBLEMS[name]
    return Finding(name, p.title, severity, summary, _plain(evidence), p.explanation, p.remedy)


@dataclass
class _Case:
    """Everything the checks may read; curvature is computed once, lazily."""

    curves: C.Curves | None
    loss: Callable | None
    params: Any
    grad_fn: Callable | None
    activations: dict | None
    kinds: dict
    weights: dict | None
    inputs: Any
    restarts: Any
    stochastic: bool
    lr: float | None
    t: Thresholds
    measurements: dict = field(default_factory=dict)
    _curvature: dict | None = None
    params_unusable: str | None = None  # why loss/params cannot be examined (NaN/Inf parameters)

    def curvature(self) -> dict | None:
        if self.loss is None or self.params is None or self.params_unusable:
            return None
        if self._curvature is None:
            # One Lanczos run gives both ends.  Ritz values lie inside [λmin, λmax], so a negative
            # one proves negative curvature and λmax/θmin is a lower bound on κ; ARPACK's
            # "smallest" mode can stall on the cluster of zero eigenvalues that models often have.
            op = hessian_operator(self.loss, self.params)
            state = lanczos(op, min(op.shape[0], self.t.lanczos_steps), rng=0)
            theta, s = ritz_pairs(state)
            lam_max, lam_min = float(theta[-1]), float(theta[0])
            self._curvature = {"lambda_max": lam_max, "lambda_min": lam_min, "min_vector": state.basis.T @ s[:, 0],
                               "grad_norm": float(_np.linalg.norm(op.gradient)), "dim": op.shape[0],
                               "unflatten": op.unflatten}
            self.measurements.update(lambda_max=lam_max, lambda_min=lam_min,
                                     max_stable_lr=2 / lam_max if lam_max > 0 else _np.inf,
                                     final_grad_norm=self._curvature["grad_norm"])
            if self.lr:
                self.measurements["alpha_lambda_max"] = self.lr * lam_max
        return self._curvature


# -- the checks: each returns a Finding, None (checked, fine) or a str (not checked: why) ---------

def _incorrect_gradients(c: _Case):
    if c.loss is None or c.params is None:
        return "needs loss= and params= (and grad_fn= for a hand-written gradient)"
    if c.params_unusable:
        return c.params_unusable
    report = check_gradient(c.loss, c.params, c.grad_fn, rtol=c.t.grad_rtol, max_coords=200)
    c.measurements["gradient_max_rel_error"] = report.max_rel_error
    if report.ok:
        return None
    worst = "; ".join(f"{n}: {a:.4g} vs {d:.4g}" for n, a, d, _ in report.worst[:3])
    return _finding("incorrect_gradients", "error",
                    f"{report.n_bad} of {report.n_checked} checked coordinates disagree with finite differences "
                    f"(max relative error {report.max_rel_error:.2e}); worst: {worst}",
                    {"max_rel_error": report.max_rel_error, "n_bad": report.n_bad, "n_checked": report.n_checked,
                     "worst": [list(w) for w in report.worst]})


def _local_optima(c: _Case):
    if c.restarts is None or c.curves is None:
        return "(hard) needs restarts= (final costs of runs from other random initialisations) and a history"
    finals = _np.array([float(C.read_history(r).loss[-1]) if not _np.isscalar(r) else float(r) for r in c.restarts])
    final = float(c.curves.loss[-1])
    if not _np.isfinite(final):
        return "this run's final cost is not finite, so it cannot be compared with restarts (see instability)"
    best = float(_np.nanmin(_np.r_[finals, final]))
    gap = (final - best) / max(abs(best), 1e-12)
    c.measurements["restart_gap"] = gap
    if gap <= c.t.restart_gap:
        return None
    return _finding("local_optima", "warning",
                    f"this run ended at cost {final:.4g}, {100 * gap:.0f}% above the best of {finals.size} restarts "
                    f"({best:.4g}): a worse basin of attraction",
                    {"final_loss": final, "best_restart_loss": best, "restart_losses": finals.tolist()})


def _weight_matrices(c: _Case) -> dict:
    if c.weights is not None:
        return {str(k): _np.asarray(getval(v)) for k, v in c.weights.items()}
    if c.params is None:
        return {}
    from ravine.diagnose.flat import leaf_names

    return {n: _np.asarray(getval(v)) for n, v in zip(leaf_names(c.params), tree_leaves(c.params))
            if _np.ndim(getval(v)) == 2 and min(_np.shape(getval(v))) > 1}


def _symmetries(c: _Case):
    matrices = _weight_matrices(c)
    if not matrices:
        return "needs weights= (the (inputs, units) weight matrices) or params="
    groups = {name: identical_units(W) for name, W in matrices.items()}
    bad = {name: g for name, g in groups.items() if g}
    if not bad:
        return None
    text = "; ".join(f"{name}: {len(g)} group(s), largest {max(map(len, g))} of {matrices[name].shape[1]} units"
                     for name, g in bad.items())
    zero = [name for name in bad if not _np.any(matrices[name])]
    return _finding("symmetries", "error",
                    f"hidden units with identical incoming weights — {text}"
                    + (f"; {', '.join(zero)} entirely zero (zero initialisation)" if zero else ""),
                    {"groups": {k: [len(x) for x in g] for k, g in bad.items()}, "all_zero_layers": zero})


def _slow_measures(c: _Case) -> tuple[float, float, float, _np.ndarray] | None:
    cv = c.curves
    if cv is None or cv.n_steps < c.t.min_steps:
        return None
    loss = _smooth(cv.loss) if c.stochastic else cv.loss
    if not _np.all(_np.isfinite(loss)):
        return None
    ratio, rises = C.rate_ratio(loss), C.increase_fraction(loss)
    g_frac = float(cv.grad_norm[-1] / max(cv.grad_norm[0], 1e-300)) if cv.grad_norm is not None else _np.nan
    c.measurements.update(rate_ratio=ratio, increase_fraction=rises, grad_norm_fraction=g_frac)
    return ratio, rises, g_frac, loss


def _is_slow(c: _Case) -> bool:
    m = _slow_measures(c)
    if m is None:
        return False
    ratio, rises, g_frac, _ = m
    return bool(c.t.slow_rate_ratio <= ratio <= c.t.slow_rate_ratio_max and rises <= c.t.slow_max_increase
                and not g_frac < c.t.slow_grad_fraction)


def _slow_progress(c: _Case):
    m = _slow_measures(c)
    if m is None:
        return f"needs a finite history of at least {c.t.min_steps} steps"
    ratio, _, g_frac, loss = m
    if not _is_slow(c):
        return None
    curv = c.curvature() if c.lr else None
    if curv is not None and c.lr * curv["lambda_max"] >= c.t.limit_fraction:
        return None  # α is already near 2/λmax: reported as badly conditioned curvature instead
    return _finding("slow_progress", "warning",
                    f"the cost fell by only {100 * C.relative_decrease(loss):.1f}% and almost linearly: the second half "
                    f"removed {ratio:.2f}× as much as the first, and the gradient norm is still {100 * g_frac:.0f}% of "
                    "its start" + (f" (α = {c.lr:.3g}" + (f", α·λmax = {c.lr * curv['lambda_max']:.3g})" if curv else ")")
                                   if c.lr else ""),
                    {"relative_decrease": C.relative_decrease(loss), "rate_ratio": ratio, "grad_norm_fraction": g_frac})


def _smooth(values: _np.ndarray, window: int = 9) -> _np.ndarray:
    if values.size < window:
        return values
    pad = _np.pad(values, window // 2, mode="edge")
    return _np.convolve(pad, _np.ones(window) / window, mode="valid")


def _trend(values: _np.ndarray, blocks: int = 20) -> _np.ndarray:
    """A mini-batch cost's trend: the starting cost, then the means of ``blocks``
    consecutive blocks of steps.  A 9-step moving average still jitters by a good
    fraction of the noise, so a healthy SGD run that reached its noise floor early
    seemed to "climb back" by most of the progress left; block means do not, and
    keeping the starting cost measures progress from where the run began."""
    if values.size < 2 * blocks:
        return _smooth(values)
    usable = values[: values.size - values.size % blocks]
    return _np.concatenate([values[:1], usable.reshape(blocks, -1).mean(axis=1)])


def _unstable(c: _Case) -> bool:
    cv = c.curves
    if cv.meta.get("status") == "diverged" or C.first_nonfinite(cv.loss) is not None:
        return True
    return C.lost_progress(_trend(cv.loss) if c.stochastic else cv.loss) >= c.t.instability_rise


def _instability(c: _Case):
    cv = c.curves
    if cv is None:
        return "needs a history"
    bad = C.first_nonfinite(cv.loss)
    bad_g = C.first_nonfinite(cv.grad_norm) if cv.grad_norm is not None else None
    loss = _trend(cv.loss) if c.stochastic and bad is None else cv.loss
    rise = C.lost_progress(loss)
    c.measurements["lost_progress"] = rise
    evidence = {"lost_progress": rise, "first_nonfinite_step": bad if bad is not None else bad_g,
                "diverged_status": cv.meta.get("status") == "diverged"}
    if bad is None and bad_g is None and rise < c.t.instability_rise and not evidence["diverged_status"]:
        return None
    parts = []
    if bad is not None or bad_g is not None:
        parts.append(f"non-finite {'loss' if bad is not None else 'gradient'} at row {bad if bad is not None else bad_g}")
    if rise >= c.t.instability_rise:
        parts.append(f"the cost climbed back by {rise:.3g}× the progress the run had made"
                     + (" (above its starting value)" if rise > 1 else ""))
    if evidence["diverged_status"]:
        parts.append(f"the optimiser stopped: {cv.meta.get('message', 'diverged')}")
    curv = c.curvature() if c.lr and evidence["first_nonfinite_step"] is None else None
    if curv is not None:
        evidence["alpha_lambda_max"] = c.lr * curv["lambda_max"]
        parts.append(f"α·λmax = {c.lr * curv['lambda_max']:.3g} (stable below 2)")
    return _finding("instability", "error", "the cost increases: " + "; ".join(parts), evidence)


def _step_decay(params: _np.ndarray) -> float:
    """Median ratio ‖θ_{k+2} − θ_{k+1}‖ / ‖θ_{k+1} − θ_k‖ over steps above rounding level:
    |1 − αλ| of the direction that dominates the steps."""
    norms = _np.linalg.norm(_np.diff(params, axis=0), axis=1)
    if norms.size < 2 or not _np.any(norms > 0):
        return 0.0
    keep = norms[:-1] > 1e-10 * norms.max()
    if not _np.any(keep):
        return 0.0
    return float(_np.median(norms[1:][keep] / norms[:-1][keep]))


def _oscillations(c: _Case):
    cv = c.curves
    if cv is None:
        return "needs a history (with params recorded, or loss= and params=)"
    if _unstable(c):
        return None  # the lecture's oscillations are the regime below instability
    evidence, parts = {}, []
    if cv.params is not None and cv.params.shape[0] >= 4:
        cos = C.step_cosines(cv.params)
        if cos.size:
            evidence["mean_step_cosine"] = float(_np.mean(cos))
            c.measurements["mean_step_cosine"] = evidence["mean_step_cosine"]
            decay = _step_decay(cv.params)
            evidence["step_norm_decay"] = decay
            # Back-and-forth steps that shrink fast (|1 − αλ| < oscillation_decay) are GD at a good
            # step size, e.g. 2/(λmin + λmax) on a well-conditioned problem: not a problem.
            if evidence["mean_step_cosine"] <= c.t.oscillation_cosine and decay >= c.t.oscillation_decay:
                parts.append(f"consecutive steps point back and forth (mean cosine {evidence['mean_step_cosine']:.2f}) "
                             f"and shrink by only {decay:.2f}× per step")
    if not c.stochastic and _np.all(_np.isfinite(cv.loss)) and cv.n_steps >= c.t.min_steps:
        zz = C.zigzag_fraction(cv.loss)
        c.measurements["zigzag_fraction"] = zz
        if zz >= c.t.zigzag and C.lost_progress(cv.loss) < c.t.instability_rise:
            evidence["zigzag_fraction"] = zz
            parts.append(f"the cost curve zig-zags ({100 * zz:.0f}% of successive differences change sign)")
    method = str(cv.meta.get("method", "gd"))
    if c.lr and method in ("gd", "sgd") and c.curvature() is not None:
        a_lam = c.lr * c.curvature()["lambda_max"]
        evidence["alpha_lambda_max"] = a_lam
        if c.t.oscillation_alpha_lambda <= a_lam <= 2:
            parts.append(f"α·λmax = {a_lam:.3g} ∈ (1, 2]: the top eigendirection is multiplied by 1 − αλ = "
                         f"{1 - a_lam:.2f} each step")
    if not parts:
        return None
    return _finding("oscillations", "warning", "; ".join(parts), evidence)


def _fluctuations(c: _Case):
    cv = c.curves
    if cv is None or not c.stochastic:
        return "applies to stochastic runs (meta 'stochastic' or stochastic=True)"
    # The best evidence isolates the parameters' fluctuation from mini-batch sampling noise:
    # a held-out cost at θ_k (val_loss) jitters only because θ_k does; the averaged iterate's
    # cost on the same batch (avg_loss) shows what the fluctuation costs.
    if cv.val_loss is not None:
        source, rough = "held-out cost", C.roughness(cv.val_loss)
    elif cv.avg_loss is not None:
        tail = slice(cv.n_steps // 2, None)
        gap = (cv.loss[tail] - cv.avg_loss[tail]) / _np.maximum(_np.abs(cv.loss[tail]), 1e-300)
        source, rough = "gap to the averaged iterate's cost", float(_np.mean(gap))
    else:
        source, rough = "mini-batch cost", C.roughness(cv.loss)
    c.measurements["fluctuation"] = rough
    if not rough >= c.t.fluctuation_roughness:
        return None
    if source.startswith("gap"):
        text = (f"on the same mini-batches the averaged iterate's cost is {100 * rough:.1f}% lower than the current "
                "iterate's over the last half of the run")
    else:
        text = f"the {source} jitters by {100 * rough:.1f}% of its level over the last half of the run"
    return _finding("fluctuations", "warning", text, {"fluctuation": rough, "source": source})


def _dead_units(c: _Case):
    if not c.activations:
        return "needs activations= ({layer: (examples, units) array}) and activation_kind="
    evidence, parts = {}, []
    for name, h in c.activations.items():
        kind = c.kinds.get(name, c.kinds.get("*", "relu"))
        s = unit_statistics(h, kind, always=c.t.dead_always if kind == "relu" else c.t.saturation_always)
        evidence[name] = {"kind": kind, "units": s.n_units, "dead": int(s.dead.size), "saturated": int(s.saturated.size),
                          "histogram_counts": s.histogram[0].tolist(), "histogram_edges": s.histogram[1].tolist()}
        if s.dead_fraction + s.saturated_fraction >= c.t.unit_fraction:
            parts.append(f"{name} ({kind}): {s.dead.size} dead and {s.saturated.size} saturated of {s.n_units} units")
    c.measurements["units"] = {k: {"dead": v["dead"], "saturated": v["saturated"], "units": v["units"]}
                               for k, v in evidence.items()}
    if not parts:
        return None
    return _finding("dead_saturated_units", "warning", "; ".join(parts), evidence)


def _conditioning(c: _Case):
    evidence, parts = {}, []
    if c.inputs is not None:
        s = input_statistics(c.inputs)
        evidence.update(feature_scale_ratio=s.scale_ratio, max_mean_offset=s.max_offset, kappa_inputs=s.kappa_raw,
                        kappa_inputs_standardised=s.kappa_standardised, constant_features=s.n_constant)
        c.measurements.update(kappa_inputs=s.kappa_raw, kappa_inputs_standardised=s.kappa_standardised)
        if s.improvement >= c.t.input_improvement:
            parts.append(f"input features differ in scale by {s.scale_ratio:.3g}× and sit up to {s.max_offset:.3g} "
                         f"standard deviations off centre; κ of the input moment matrix is {s.kappa_raw:.3g}, "
                         f"{s.kappa_standardised:.3g} after standardisation")
    curv = c.curvature()
    if curv is not None:
        kappa = curv["lambda_max"] / curv["lambda_min"] if curv["lambda_min"] > 0 else _np.inf
        evidence["kappa_hessian_lower_bound"] = kappa
        c.measurements["kappa_hessian_lower_bound"] = kappa
        a_lam = c.lr * curv["lambda_max"] if c.lr else None
        if a_lam is not None and a_lam >= c.t.limit_fraction and _is_slow(c):
            evidence["alpha_lambda_max"] = a_lam
            parts.append(f"progress is slow although α is already at α·λmax = {a_lam:.3g} of the stable limit 2, so "
                         f"a larger α would oscillate or diverge: the low-curvature directions are the bottleneck "
                         f"(κ ≥ {kappa:.3g})")
    if c.curves is not None and c.curves.grad_norm is not None:
        growth, change = C.gradient_growth_at_flat_loss(c.curves.loss, c.curves.grad_norm)
        c.measurements.update(grad_growth=growth, loss_change_late=change)
        if growth >= c.t.grad_growth and change <= c.t.flat_loss and _np.isfinite(growth):
            evidence.update(grad_growth=growth, loss_change=change)
            parts.append(f"the gradient norm grew {growth:.3g}× while the cost changed by {100 * change:.1f}%")
    if c.inputs is None and curv is None and (c.curves is None or c.curves.grad_norm is None):
        return "(hard) needs inputs=, or loss= and params=, or a history with gradient norms"
    if not parts:
        return None
    return _finding("badly_conditioned_curvature", "warning", "; ".join(parts), evidence)


def _plateaux(c: _Case):
    if c.curves is None or c.curves.n_steps < c.t.min_steps:
        return f"needs a history of at least {c.t.min_steps} steps"
    found = C.plateaux(_smooth(c.curves.loss) if c.stochastic else c.curves.loss)
    if not found:
        return None
    text = "; ".join(f"steps {a}–{b}, then a drop of {100 * d:.0f}% of the cost's range" for a, b, d in found)
    return _finding("plateaux", "warning", f"the cost was flat, then fell: {text}",
                    {"plateaux": [list(p) for p in found]})


def _saddle_points(c: _Case):
    curv = c.curvature()
    if curv is None:
        return c.params_unusable or "needs loss= and params= (the final parameters)"
    biggest = float(_np.nanmax(c.curves.grad_norm)) if c.curves is not None and c.curves.grad_norm is not None else 1.0
    small_grad = curv["grad_norm"] <= c.t.saddle_grad * max(biggest, 1e-300)
    negative = curv["lambda_min"] < -c.t.saddle_curvature * abs(curv["lambda_max"])
    if not (small_grad and negative):
        return None
    return _finding("saddle_points", "warning",
                    f"the run ended where ‖∇E‖ = {curv['grad_norm']:.3g} (≤ {c.t.saddle_grad:g} of its largest, "
                    f"{biggest:.3g}) yet the Hessian has λmin = {curv['lambda_min']:.3g} < 0 (λmax = "
                    f"{curv['lambda_max']:.3g}): a saddle point, not a minimum",
                    {"grad_norm": curv["grad_norm"], "lambda_min": curv["lambda_min"], "lambda_max": curv["lambda_max"]})


_CHECKS = {
    "incorrect_gradients": _incorrect_gradients, "local_optima": _local_optima, "symmetries": _symmetries,
    "slow_progress": _slow_progress, "instability": _instability, "oscillations": _oscillations,
    "fluctuations": _fluctuations, "dead_saturated_units": _dead_units,
    "badly_conditioned_curvature": _conditioning, "plateaux": _plateaux, "saddle_points": _saddle_points,
}


def _last_lr(curves: C.Curves | None) -> float | None:
    if curves is None or curves.lr is None:
        return None
    finite = curves.lr[_np.isfinite(curves.lr) & (curves.lr > 0)]
    return float(finite[-1]) if finite.size else None


def _unusable_params(params: Any) -> str | None:
    """Why the curvature and gradient checks cannot run at ``params``, or None."""
    if params is None:
        return None
    bad = sum(int(_np.sum(~_np.isfinite(_np.asarray(getval(leaf), dtype=float)))) for leaf in tree_leaves(params))
    if not bad:
        return None
    return (f"the parameters contain {bad} NaN/Inf value(s) (the run diverged): pass the last finite iterate "
            "as params= to check the gradient and the curvature")


def diagnose(history: Any = None, *, loss: Callable | None = None, params: Any = None,
             grad_fn: Callable | None = None, activations: dict | None = None,
             activation_kind: str | dict = "relu", weights: dict | None = None, inputs: Any = None,
             restarts: Any = None, stochastic: bool | None = None, lr: float | None = None,
             thresholds: Thresholds | None = None) -> Diagnosis:
    """Examine a training run and name what went wrong (lecture 003's table).

    ``history``: an optim History (or dict with its keys).  ``loss``/``params``:
    the objective and the run's final parameters (any pytree), for the gradient
    check and the curvature (λmax, λmin, saddle test).  ``activations``: {layer:
    (examples, units) array}, with ``activation_kind`` ("relu", "logistic",
    "tanh", or a dict per layer).  ``weights``: {layer: (inputs, units) matrix}
    (defaults to the 2-D leaves of ``params``).  ``inputs``: the (examples,
    features) training inputs.  ``restarts``: final costs (or histories) of runs
    from other random initialisations.  ``stochastic`` and ``lr`` default to the
    history's meta and last learning rate."""
    if history is None and loss is None and activations is None and weights is None and inputs is None:
        raise ConfigError("diagnose needs something to examine: a history, loss= and params=, activations=, "
                          "weights= or inputs=.")
    if (loss is None) != (params is None):
        raise ConfigError("pass loss= and params= together (the objective and the parameters it is evaluated at).")
    if activations is not None and not isinstance(activations, dict):
        raise ConfigError("activations must be a dict {layer name: (examples, units) array}.")
    curves = C.read_history(history) if history is not None else None
    meta = curves.meta if curves is not None else {}
    kinds = activation_kind if isinstance(activation_kind, dict) else {"*": activation_kind}
    case = _Case(curves, loss, params, grad_fn, activations, kinds, weights, inputs, restarts,
                 bool(meta.get("stochastic", False)) if stochastic is None else bool(stochastic),
                 lr if lr is not None else _last_lr(curves), thresholds or Thresholds(),
                 params_unusable=_unusable_params(params))
    if curves is not None:
        case.measurements.update(steps=curves.n_steps, method=meta.get("method"), initial_loss=float(curves.loss[0]),
                                 final_loss=float(curves.loss[-1]), lr=case.lr, stochastic=case.stochastic)
    findings, not_checked, checked = [], {}, []
    for name, check in _CHECKS.items():
        outcome = check(case)
        if isinstance(outcome, str):
            not_checked[name] = outcome
        else:
            checked.append(name)
            if outcome is not None:
                findings.append(outcome)
    return Diagnosis(tuple(findings), _plain(case.measurements), not_checked, tuple(checked))
