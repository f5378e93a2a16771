"""Small helpers built on the engine, at autograd's module paths: pytree
flattening (``flatten``, ``flatten_func``), ``const_graph`` (trace once, replay
the recorded primitives), ``fixed_points.fixed_point`` (differentiating through a
fixed-point iteration) and ``optimizers`` (autograd's sgd, rmsprop and adam);
and ``trace_graph``, the computation graph of lecture 004 made visible."""

from ravine.misc.flatten import flatten, flatten_func, tree_leaves, tree_map, tree_structure_equal
from ravine.misc.graph import Graph, Node, trace_graph
from ravine.misc.replay import const_graph

__all__ = ["flatten", "flatten_func", "tree_map", "tree_leaves", "tree_structure_equal", "const_graph",
           "trace_graph", "Graph", "Node"]
