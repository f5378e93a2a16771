"""The exceptions ravine raises.

Every error a user can cause derives from :class:`RavineError`, so a program (or
the command line) can catch the whole family in one place.  Messages say what was
received and what to do instead.
"""

from __future__ import annotations

__all__ = [
    "RavineError",
    "NotDifferentiableError",
    "MissingRuleError",
    "TracingError",
    "ShapeError",
    "ConfigError",
    "DataError",
    "DivergenceError",
]


class RavineError(Exception):
    """Base class of every error ravine raises on purpose."""


class NotDifferentiableError(RavineError, TypeError):
    """Asked for a derivative that does not exist or that ravine cannot compute
    (an integer input, a function without a derivative rule, a non-scalar output
    passed to ``grad``)."""


class MissingRuleError(NotDifferentiableError, NotImplementedError):
    """A primitive has no derivative rule for this argument and mode.  Also a
    ``NotImplementedError``, which is what autograd raises there, so code that
    catches that keeps working."""


class TracingError(RavineError, TypeError):
    """A traced value was used in a way tracing cannot follow (in-place
    assignment, a raw NumPy function that ravine does not wrap)."""


class ShapeError(RavineError, ValueError):
    """Arrays whose shapes do not fit together."""


class ConfigError(RavineError, ValueError):
    """A bad hyper-parameter, option or configuration field."""


class DataError(RavineError, FileNotFoundError):
    """A dataset that is missing or malformed; the message says what to install
    or where to point."""


class DivergenceError(RavineError, FloatingPointError):
    """An optimisation run blew up (NaN, Inf, or a loss growing by orders of
    magnitude)."""
