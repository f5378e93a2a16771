"""The doctor's registry: the problems of lecture 003's recap table (plus the
plateaux and saddle points of lectures 000–002), each with its diagnostic, the
lecture's explanation and its workaround.  The README's findings table and the
doctor's checks are both generated from :data:`PROBLEMS`.

Lecture 003, §4.9:

=========================== ============================== ==========================================
problem                     diagnostics                    workarounds
=========================== ============================== ==========================================
incorrect gradients         finite differences             fix them, or use an autodiff package
local optima                (hard)                         random restarts
symmetries                  visualize W                    initialize W randomly
slow progress               slow, linear training curve    increase α
instability                 cost increases                 decrease α
oscillations                fluctuations in training curve decrease α; momentum
fluctuations                fluctuations in training curve decay α; iterate averaging
dead/saturated units        activation histograms          initial scale of W; ReLU
badly conditioned curvature (hard)                         normalization; momentum; Adam; second-order opt.
=========================== ============================== ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "PROBLEMS", "findings_table_markdown"]


@dataclass(frozen=True)
class Problem:
    """One row of the table: ``evidence`` is what ravine measures to detect it
    (with its threshold), ``explanation`` the lecture's account, ``remedy`` its
    workaround, ``needs`` the inputs of :func:`~ravine.diagnose.doctor.diagnose`
    the check requires."""

    name: str
    title: str
    evidence: str
    explanation: str
    remedy: str
    needs: str


_ROWS = [
    Problem(
        "incorrect_gradients", "incorrect gradients",
        "central finite differences per coordinate; relative error > 1e-5 on any checked coordinate",
        "If the computed gradients are wrong, all bets are off: training may fail outright, or worse, sort of work "
        "while being subtly broken and harder to tune, since other diagnostics mislead. It is useless to do "
        "anything else until the gradients are known to be correct.",
        "Fix the gradient code (the worst coordinates are listed), or let an autodiff package compute it.",
        "loss, params (and grad_fn for a hand-written gradient)"),
    Problem(
        "local_optima", "local optima",
        "(hard) the run's final cost is more than 10% above the best of several random restarts",
        "Gradient descent only makes locally optimal moves, so training can end in a bad basin of attraction and "
        "never reach the lower cost available in the best basin. In practice most local optima of neural nets "
        "are fine.",
        "Random restarts: train from several random initialisations and keep the run with the lowest cost.",
        "restarts (final costs of runs from other random initialisations)"),
    Problem(
        "symmetries", "symmetries",
        "hidden units with identical incoming weights (columns of W equal to within 1e-8 relative)",
        "Units with identical weights compute the same thing and receive identical derivatives, so they stay "
        "identical for ever and nothing distinguishes them: no learning occurs among them. Initialising every "
        "weight to zero is the classic case, and perhaps the most important saddle point in neural net training.",
        "Initialise W randomly (small random values) to break the symmetry.",
        "weights (or params) of the layers"),
    Problem(
        "slow_progress", "slow progress",
        "a slow, linear training curve: the second half of the run removes ≥ 30% as much cost as the first half, "
        "the cost rarely rises, and the gradient norm has not fallen below 30% of its start",
        "With too small a learning rate gradient descent makes very slow progress: the cost decreases slowly, at an "
        "approximately linear rate, instead of levelling off as it would near an optimum.",
        "Increase α (tune it on a grid spaced by factors of about 3: 0.3, 0.1, 0.03, …).",
        "history"),
    Problem(
        "instability", "instability",
        "the cost increases: a NaN/Inf, a diverged run, or the (smoothed) cost climbing back by ≥ half the progress made; "
        "α·λmax > 2 when the curvature is known",
        "With too large a learning rate the step overshoots so much that the gradient grows; repeated, the "
        "parameters and gradient blow up and the cost shoots up (for a quadratic, the eigen-coordinates with "
        "αλᵢ > 2 are multiplied by |1 − αλᵢ| > 1 every step).",
        "Decrease α (below 2/λmax); clipping the gradient norm guards against cliffs.",
        "history (loss and params to measure λmax)"),
    Problem(
        "oscillations", "oscillations",
        "successive steps point back and forth (mean cosine between consecutive steps ≤ −0.3), a full-batch "
        "cost curve that zig-zags (differences change sign on ≥ 70% of steps), or 1.5 ≤ α·λmax ≤ 2 for gradient descent (the top direction keeps ≥ half its amplitude, flipping sign, each step)",
        "A learning rate too large, yet not large enough for instability, makes the iterates bounce across the "
        "high-curvature directions of a ravine (the factor 1 − αλ is negative). Oscillations in weight space need "
        "not show in the training curve, so they are hard to spot.",
        "Decrease α, and use momentum, which damps the oscillations while speeding up progress along the ravine.",
        "history (params trajectory, or loss and params)"),
    Problem(
        "fluctuations", "fluctuations",
        "a stochastic run whose held-out cost (else its mini-batch cost) jitters around its moving average by ≥ 2% "
        "of its level over the last half, or whose averaged iterate is ≥ 2% cheaper on the same mini-batches",
        "Stochastic gradients point the right way on average, but each is noisy and may even increase the cost, so "
        "the parameters fluctuate. Unlike oscillations (systematic, from the cost surface), fluctuations come "
        "from the noise in the gradients.",
        "Decay α late in training (α_t = α₀ e^(−t/τ), starting when the cost has stopped improving on average), "
        "or use iterate averaging θ̃ ← (1 − 1/τ) θ̃ + θ/τ and evaluate at θ̃.",
        "history of a stochastic run"),
    Problem(
        "dead_saturated_units", "dead or saturated units",
        "activation statistics: ≥ 10% of a layer's units sit at an end of their range (ReLU: exactly 0) on ≥ 99% "
        "of the examples",
        "A saturated unit's activations are nearly always at the ends of its dynamic range, where φ'(z) ≈ 0, so "
        "z̄ = h̄ φ'(z) ≈ 0 and the weights feeding it get no gradient signal (w̄ = z̄ x ≈ 0): a plateau. A dead unit "
        "is always (near) zero; a ReLU whose input is always negative is dead with zero derivatives.",
        "Choose the initial scale of W so activations start mid-range (Xavier initialisation); use ReLUs, which do "
        "not saturate for z > 0, with biases initialised to a small positive value (such as 0.1).",
        "activations (an (examples, units) array per layer) and activation_kind"),
    Problem(
        "badly_conditioned_curvature", "badly conditioned curvature",
        "(hard) inputs whose standardisation lowers κ((1/N)[X,1]ᵀ[X,1]) ≥ 100×; slow progress although "
        "α·λmax ≥ 0.5 already; or the gradient norm growing ≥ 2× while the cost changes < 5% (lecture 002)",
        "When the curvature is very different in different directions (a ravine), α must be small enough for the "
        "high-curvature directions, so progress along the low-curvature ones is very slow. Inputs with very "
        "different scales, or far from zero mean, are an egregious and avoidable cause.",
        "Normalise the inputs to zero mean and unit variance, x̃ⱼ = (xⱼ − μⱼ)/σⱼ; use momentum, Adam, or a "
        "second-order method.",
        "inputs, or loss and params, or a history with gradient norms"),
    Problem(
        "plateaux", "plateaux",
        "the cost stays flat (per-step change < 0.2% of its range) for ≥ 10 steps and then drops by ≥ 10% of its range",
        "A plateau is a region where the cost is (nearly) flat, so gradient descent moves very slowly; saturated "
        "units and symmetric weights create them. Plateaux are usually a bigger problem than local optima.",
        "Look for saturated units or symmetric weights and fix their cause; momentum helps to cross flat regions.",
        "history"),
    Problem(
        "saddle_points", "saddle points",
        "the run ended where the gradient is ≤ 1e-3 of its largest norm and the Hessian has a negative "
        "eigenvalue (λmin < −1e-4·λmax)",
        "At a saddle point the gradient is zero but the cost rises in some directions and falls in others (the "
        "Hessian is indefinite); gradient descent exactly on it does not move, and the plateau around it looks "
        "like a local minimum.",
        "Move along the negative-curvature direction (the eigenvector of λmin), add noise (SGD), break symmetries with random "
        "initialisation; avoid plain Newton steps, which are attracted to saddles.",
        "loss and params (at the end of the run)"),
]

#: name -> Problem, in the lecture table's order.
PROBLEMS: dict[str, Problem] = {p.name: p for p in _ROWS}


def findings_table_markdown() -> str:
    """The README's findings table (problem, evidence, remedy), from the registry."""
    lines = ["| problem | evidence ravine measures | remedy (lecture 003) |", "|---|---|---|"]
    for p in PROBLEMS.values():
        lines.append(f"| {p.title} | {p.evidence} | {p.remedy} |")
    return "\n".join(lines)
