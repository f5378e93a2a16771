"""Loss landscapes as arrays: directions in parameter space (random, filter-
normalised as in Li et al. 2017, between two solutions) and 1-D / 2-D slices
of a loss along them.  ``ravine.plot`` draws them; nothing here plots.

>>> d1 = filter_normalized_direction(params, seed=0)
>>> d2 = filter_normalized_direction(params, seed=1)
>>> grid = plane_slice(lambda p: model.loss(p, X, y), params, d1, d2, numpy.linspace(-1, 1, 21))
>>> grid.losses.shape                          # (len(alphas), len(betas)); [i, j] at (α_i, β_j)
"""

from ravine.landscape.directions import (direction_between, filter_normalize, filter_normalized_direction,
                                         orthogonalize, random_direction, tree_dot, tree_norm)
from ravine.landscape.slices import (Slice1D, Slice2D, interpolation_slice, line_slice, plane_slice,
                                     project_trajectory)

__all__ = ["random_direction", "filter_normalize", "filter_normalized_direction", "direction_between",
           "orthogonalize", "tree_dot", "tree_norm", "Slice1D", "Slice2D", "line_slice",
           "interpolation_slice", "plane_slice", "project_trajectory"]
