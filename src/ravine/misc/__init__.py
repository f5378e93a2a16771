"""Small helpers built on the engine: pytree flattening."""

from ravine.misc.flatten import flatten, tree_map, tree_leaves, tree_structure_equal

__all__ = ["flatten", "tree_map", "tree_leaves", "tree_structure_equal"]
