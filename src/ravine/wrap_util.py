"""autograd's ``autograd.wrap_util`` names: ``unary_to_nary`` turns an operator
written for a function of one argument, ``op(fun, x)``, into
``op(fun, argnum=0)(*args)``, which is how every operator in
:mod:`ravine.differential_operators` is built."""

from functools import wraps

from ravine.differential_operators import unary_to_nary

__all__ = ["unary_to_nary", "wraps"]
