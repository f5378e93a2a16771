"""ravine.diagnose: curvature analysis, gradient checks and a training doctor.

Takes arrays and callables (a loss, its parameters as any pytree, activations,
weights, inputs) and reads an optim History as plain data.

>>> import numpy
>>> from ravine.diagnose import hessian_operator, extreme_eigenpairs
>>> op = hessian_operator(lambda x: x[0] ** 2 - x[1] ** 2, numpy.zeros(2))
>>> extreme_eigenpairs(op, k=2).values
array([-2.,  2.])
"""

from ravine.diagnose.curvature import (ConditionNumber, CriticalPoint, Eigenpairs, HessianOperator,
                                       classify_critical_point, condition_number, curvature_along,
                                       extreme_eigenpairs, hessian_matrix, hessian_operator)
from ravine.diagnose.doctor import Diagnosis, Finding, Thresholds, diagnose
from ravine.diagnose.gradcheck import GradientCheck, check_gradient
from ravine.diagnose.problems import PROBLEMS, findings_table_markdown
from ravine.diagnose.inputs import InputStatistics, input_statistics
from ravine.diagnose.krylov import (hutchinson_trace, lanczos, lanczos_top_eigenpair, power_iteration,
                                    spectral_density)
from ravine.diagnose.stepsize import contraction_factors, step_size_facts, taylor_check
from ravine.diagnose.units import identical_units, unit_statistics

__all__ = [
    "diagnose", "Diagnosis", "Finding", "Thresholds", "PROBLEMS", "findings_table_markdown",
    "hessian_operator", "HessianOperator", "hessian_matrix", "extreme_eigenpairs", "Eigenpairs",
    "condition_number", "ConditionNumber", "curvature_along", "classify_critical_point", "CriticalPoint",
    "step_size_facts", "contraction_factors", "taylor_check",
    "lanczos", "lanczos_top_eigenpair", "power_iteration", "hutchinson_trace", "spectral_density",
    "check_gradient", "GradientCheck", "unit_statistics", "identical_units", "input_statistics",
    "InputStatistics",
]
