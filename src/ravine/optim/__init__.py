"""ravine.optim: the optimisers, schedules and tricks of lectures 000–003 behind
one interface, and a driver that records the run.

Two levels:

* ``minimize(loss, params, method="momentum", lr=0.1, max_steps=1000, mu=0.9)``
  runs to a stopping rule and returns an :class:`OptimizeResult` with a
  :class:`History`;
* ``opt = momentum(lr=0.1, mu=0.9); state = opt.init(params);
  updates, state = opt.update(grads, state, params);
  params = apply_updates(params, updates)`` for your own loop.

Every optimiser is listed in :data:`OPTIMIZERS` (name -> spec with capabilities).
"""

from ravine.optim.base import (GradientTransformation, apply_updates, chain, identity,
                               vector_transformation)
from ravine.optim.first_order import adagrad, adam, adamw, gd, momentum, nesterov, rmsprop, sgd
from ravine.optim.history import History, HistoryWriter
from ravine.optim.least_squares import levenberg_marquardt
from ravine.optim.second_order import newton
from ravine.optim.quasi_newton import bfgs, lbfgs
from ravine.optim.sign_based import quickprop, rprop, rprop_simple
from ravine.optim.minimize import build_optimizer, minimize
from ravine.optim.registry import OPTIMIZERS, OptimizerSpec, make_optimizer, optimizer_table
from ravine.optim.result import STATUS_MESSAGES, OptimizeResult
from ravine.optim.checkpointing import load_state, save_state
from ravine.optim import schedules
from ravine.optim.schedules import SCHEDULES, Schedule, make_schedule
from ravine.optim.transforms import (add_weight_decay, averaged_params, clip_by_norm, clip_by_value,
                                     ema_average, polyak_average, reduce_on_plateau)

__all__ = [
    "minimize", "build_optimizer", "OptimizeResult", "STATUS_MESSAGES", "History", "HistoryWriter",
    "GradientTransformation", "vector_transformation", "chain", "identity", "apply_updates",
    "gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
    "rprop", "rprop_simple", "quickprop", "newton", "bfgs", "lbfgs", "levenberg_marquardt",
    "OPTIMIZERS", "OptimizerSpec", "make_optimizer", "optimizer_table",
    "schedules", "SCHEDULES", "Schedule", "make_schedule",
    "clip_by_norm", "clip_by_value", "add_weight_decay", "ema_average", "polyak_average",
    "averaged_params", "reduce_on_plateau", "save_state", "load_state",
]
