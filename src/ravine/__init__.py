"""ravine: automatic differentiation for NumPy code, and a laboratory for the
optimisation of the models it differentiates.

>>> import ravine.numpy as np
>>> from ravine import grad
>>> grad(lambda x: np.sum(np.tanh(x) ** 2))(np.ones(3))
"""

from importlib import import_module as _import_module

from ravine.errors import (
    ConfigError,
    DataError,
    DivergenceError,
    MissingRuleError,
    NotDifferentiableError,
    RavineError,
    ShapeError,
    TracingError,
)
from ravine import numpy  # noqa: F401  (registers boxes, vector spaces and rules)
from ravine import builtins  # noqa: F401
from ravine.builtins import dict, isinstance, list, tuple, type  # noqa: A004  (as autograd exports them)
from ravine.autodiff.tracer import extension_primitive as primitive, getval
from ravine.differential_operators import (
    checkpoint,
    deriv,
    elementwise_grad,
    grad,
    grad_and_aux,
    grad_named,
    hessian,
    hessian_tensor_product,
    hessian_vector_product,
    holomorphic_grad,
    jacobian,
    make_ggnvp,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad_dict,
    tensor_jacobian_product,
    value_and_grad,
    vector_jacobian_product,
)
from ravine.misc.flatten import flatten
from ravine.misc.graph import trace_graph

__version__ = "0.1.0"

__all__ = [
    "grad", "value_and_grad", "grad_and_aux", "grad_named", "multigrad_dict", "elementwise_grad",
    "deriv", "holomorphic_grad", "jacobian", "hessian", "hessian_tensor_product",
    "hessian_vector_product", "tensor_jacobian_product", "vector_jacobian_product", "make_vjp",
    "make_jvp", "make_hvp", "make_ggnvp", "checkpoint", "flatten", "trace_graph", "getval", "primitive",
    "RavineError", "NotDifferentiableError", "MissingRuleError", "TracingError", "ShapeError", "ConfigError",
    "DataError", "DivergenceError",
]

# Subpackages load on first use, so `import ravine` stays light.
_SUBPACKAGES = {"optim", "diagnose", "nn", "data", "landscape", "plot", "studies", "report",
                "store", "scipy", "test_util", "extend", "misc", "cli"}


def __getattr__(name):
    if name in _SUBPACKAGES:
        return _import_module(f"ravine.{name}")
    raise AttributeError(f"module 'ravine' has no attribute {name!r}")
