"""Small helpers built on the engine: pytree flattening, and ``const_graph``
(trace once, replay the recorded primitives)."""

from ravine.misc.replay import const_graph
from ravine.misc.flatten import flatten, tree_map, tree_leaves, tree_structure_equal

__all__ = ["flatten", "tree_map", "tree_leaves", "tree_structure_equal", "const_graph"]
